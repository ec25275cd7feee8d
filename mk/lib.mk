# libcacipher.so (release, Swift runtime linked statically, C API exports only), its
# installation with header and pkg-config file, and the C test suite (`make test-c`).

LIB_VERSION_FILE := Sources/CACipherCore/Client/CACipherVersion.swift
LIB_MAJOR   := $(shell awk '/static let major =/ {print $$NF}' $(LIB_VERSION_FILE))
LIB_MINOR   := $(shell awk '/static let minor =/ {print $$NF}' $(LIB_VERSION_FILE))
LIB_PATCH   := $(shell awk '/static let patch =/ {print $$NF}' $(LIB_VERSION_FILE))
LIB_VERSION := $(LIB_MAJOR).$(LIB_MINOR).$(LIB_PATCH)
LIB_SONAME  := libcacipher.so.$(LIB_MAJOR)
LIB_REAL    := libcacipher.so.$(LIB_VERSION)
LIB_MAP     := $(CURDIR)/mk/libcacipher.map
# The installed copy is stripped (about 6 MB instead of 10); out/lib keeps the symbols.
LIB_STRIP   ?= strip --strip-unneeded
LIB_BUILD_FLAGS := -c release --product cacipher -Xswiftc -static-stdlib \
	-Xlinker --version-script=$(LIB_MAP) -Xlinker -soname=$(LIB_SONAME)

.PHONY: lib install
# Writes the new file beside the old one and renames it (as lib-tass does): a process that
# has the old one loaded keeps its mapping (cp over it in place would SIGBUS that process).
lib:
	$(SWIFT) build $(LIB_BUILD_FLAGS)
	mkdir -p $(OUT)/lib
	cp "$$($(SWIFT) build -c release --show-bin-path)/libcacipher.so" $(OUT)/lib/.$(LIB_REAL).tmp
	mv -f $(OUT)/lib/.$(LIB_REAL).tmp $(OUT)/lib/$(LIB_REAL)
	ln -sf $(LIB_REAL) $(OUT)/lib/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $(OUT)/lib/libcacipher.so
	@echo "lib: $(OUT)/lib/$(LIB_REAL) (soname $(LIB_SONAME))"

install: lib
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 include/cacipher.h $(DESTDIR)$(PREFIX)/include/cacipher.h
	install -m 755 $(OUT)/lib/$(LIB_REAL) $(DESTDIR)$(PREFIX)/lib/.$(LIB_REAL).tmp
	$(LIB_STRIP) $(DESTDIR)$(PREFIX)/lib/.$(LIB_REAL).tmp
	mv -f $(DESTDIR)$(PREFIX)/lib/.$(LIB_REAL).tmp $(DESTDIR)$(PREFIX)/lib/$(LIB_REAL)
	ln -sf $(LIB_REAL) $(DESTDIR)$(PREFIX)/lib/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $(DESTDIR)$(PREFIX)/lib/libcacipher.so
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(LIB_VERSION)|g' pkgconfig/cacipher.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/cacipher.pc

SUITE_RUN_c = tests/c/run.sh $(SUITE_DIR)/prefix $(SUITE_DIR)
$(eval $(call suite,c,lib install))

# `make lib` and `make install` replace the library by renaming a new file over it
# (tests/lib-install, with a stand-in swift: no build).
SUITE_RUN_lib-install = tests/lib-install/run.sh
$(eval $(call suite,lib-install))
