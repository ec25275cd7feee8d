# libcacipher-tass.so: the vendor's C API (SDF_*, Tass_*, HSM_*; include/tass/*.h) over the
# same core as libcacipher.so (release, Swift runtime linked statically, vendor names only),
# its installation (also as the vendor's file name libTassApi_LINUX_64.so), and the
# conformance suite (`make test-tass`, tests/tass).

TASS_SONAME := libcacipher-tass.so.$(LIB_MAJOR)
TASS_REAL   := libcacipher-tass.so.$(LIB_VERSION)
TASS_MAP    := $(CURDIR)/mk/libcacipher-tass.map
TASS_BUILD_FLAGS := -c release --product cacipher-tass -Xswiftc -static-stdlib \
	-Xlinker --version-script=$(TASS_MAP) -Xlinker -soname=$(TASS_SONAME)

.PHONY: lib-tass install-tass test-tass
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

TEST_SUITES += tass
TASS_DIR := $(OUT)/test-tass
test-tass:
	@rm -rf $(TASS_DIR) && mkdir -p $(TASS_DIR)
	@$(MAKE) --no-print-directory install-tass PREFIX=$(TASS_DIR)/prefix > $(TASS_DIR)/install.log 2>&1 || { cat $(TASS_DIR)/install.log; echo "tass: 0 passed, 1 failed"; exit 1; }
	@{ $(SWIFT) build $(EMU) --product evsm && $(SWIFT) build $(EMU) --product vsmctl; } > $(TASS_DIR)/build.log 2>&1 || { cat $(TASS_DIR)/build.log; echo "tass: 0 passed, 1 failed"; exit 1; }
	@tests/tass/run.sh $(TASS_DIR)/prefix $(TASS_DIR)/work "$(EVSM_BIN)/evsm"

# `make install` installs both libraries.
install: install-tass
