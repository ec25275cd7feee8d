# libcacipher-tass.so: the vendor's C API (SDF_*, Tass_*, HSM_*; include/tass/*.h) over the
# same core as libcacipher.so (release, Swift runtime linked statically, vendor names only),
# its installation (also as the vendor's file name libTassApi_LINUX_64.so), and the
# conformance suite (`make test-tass`, tests/tass).

TASS_SONAME := libcacipher-tass.so.$(LIB_MAJOR)
TASS_REAL   := libcacipher-tass.so.$(LIB_VERSION)
TASS_MAP    := $(CURDIR)/mk/libcacipher-tass.map
TASS_BUILD_FLAGS := -c release --product cacipher-tass -Xswiftc -static-stdlib \
	-Xlinker --version-script=$(TASS_MAP) -Xlinker -soname=$(TASS_SONAME)

.PHONY: lib-tass install-tass
# Writes the new file beside the old one and renames it: a process that has the old one
# loaded keeps its mapping.
lib-tass:
	$(SWIFT) build $(TASS_BUILD_FLAGS)
	mkdir -p $(OUT)/lib
	cp "$$($(SWIFT) build -c release --show-bin-path)/libcacipher-tass.so" $(OUT)/lib/.$(TASS_REAL).tmp
	mv -f $(OUT)/lib/.$(TASS_REAL).tmp $(OUT)/lib/$(TASS_REAL)
	ln -sf $(TASS_REAL) $(OUT)/lib/$(TASS_SONAME)
	ln -sf $(TASS_SONAME) $(OUT)/lib/libcacipher-tass.so
	@echo "lib-tass: $(OUT)/lib/$(TASS_REAL) (soname $(TASS_SONAME))"

install-tass: lib-tass
	install -d $(DESTDIR)$(PREFIX)/include/tass $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 include/tass/*.h $(DESTDIR)$(PREFIX)/include/tass/
	install -m 755 $(OUT)/lib/$(TASS_REAL) $(DESTDIR)$(PREFIX)/lib/.$(TASS_REAL).tmp
	$(LIB_STRIP) $(DESTDIR)$(PREFIX)/lib/.$(TASS_REAL).tmp
	mv -f $(DESTDIR)$(PREFIX)/lib/.$(TASS_REAL).tmp $(DESTDIR)$(PREFIX)/lib/$(TASS_REAL)
	ln -sf $(TASS_REAL) $(DESTDIR)$(PREFIX)/lib/$(TASS_SONAME)
	ln -sf $(TASS_SONAME) $(DESTDIR)$(PREFIX)/lib/libcacipher-tass.so
	ln -sf $(TASS_SONAME) $(DESTDIR)$(PREFIX)/lib/libTassApi_LINUX_64.so
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(LIB_VERSION)|g' pkgconfig/cacipher-tass.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/cacipher-tass.pc

SUITE_RUN_tass = tests/tass/run.sh $(SUITE_DIR)/prefix $(SUITE_DIR)/work "$(EVSM_BIN)/evsm"
$(eval $(call suite,tass,install-tass evsm vsmctl))

# `make install` installs both libraries.
install: install-tass
