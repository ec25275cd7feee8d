# make dist: the release tarball out/dist/cacipher-VERSION-linux-ARCH.tar.gz, which installs
# on a machine without a Swift toolchain (packaging/install.sh, PREFIX=... honoured):
#   bin/evsm, bin/vsmctl         release, Swift runtime and Foundation linked statically
#   lib/libcacipher.so*, lib/libcacipher-tass.so*, lib/libTassApi_LINUX_64.so (make lib, lib-tass)
#   lib/libcacipher_jni.so       the JNI glue, run path $ORIGIN (finds libcacipher.so.0 beside it)
#   include/cacipher.h, include/tass/*.h, share/cacipher/pkgconfig/*.pc.in (install.sh writes the .pc)
#   share/java/cacipher.jar, cacipher-tass-compat.jar (+ .pom)
#   share/doc/cacipher/          docs/*.md, README, CHANGELOG, SECURITY, LICENSE, NOTICE, examples/c, examples/java
#   share/cacipher/packaging/    evsm.service (systemd), Containerfile
# make test-dist: builds it, installs it into a temp prefix and runs the C example against
# the tarball's evsm with no Swift toolchain on PATH or LD_LIBRARY_PATH (tests/dist/run.sh).

DIST_ARCH   := $(shell uname -m)
DIST_NAME    = cacipher-$(LIB_VERSION)-linux-$(DIST_ARCH)
DIST_DIR    := $(OUT)/dist
DIST_STAGE  := $(DIST_DIR)/stage
DIST_ROOT    = $(DIST_DIR)/$(DIST_NAME)
# The same swiftc flags as `make lib` / `make lib-tass`, so the release objects they share
# (HostProtocol, HSMCrypto, CACipherCore) are built once.
DIST_EXE_FLAGS := -c release -Xswiftc -static-stdlib

.PHONY: dist
dist:
	rm -rf $(DIST_STAGE) $(DIST_ROOT) $(DIST_DIR)/$(DIST_NAME).tar.gz
	$(MAKE) --no-print-directory install PREFIX=$(DIST_STAGE)
	JNI_RPATH='$$ORIGIN' java/build.sh $(DIST_STAGE) $(DIST_DIR)/java-build
	$(SWIFT) build $(EMU) $(DIST_EXE_FLAGS) --product evsm
	$(SWIFT) build $(EMU) $(DIST_EXE_FLAGS) --product vsmctl
	mkdir -p $(DIST_ROOT)/bin $(DIST_ROOT)/include/tass $(DIST_ROOT)/lib $(DIST_ROOT)/share/java \
		$(DIST_ROOT)/share/cacipher/pkgconfig $(DIST_ROOT)/share/cacipher/packaging \
		$(DIST_ROOT)/share/doc/cacipher/examples/c $(DIST_ROOT)/share/doc/cacipher/examples/java
	for b in evsm vsmctl; do \
		install -m 755 "$$($(SWIFT) build $(EMU) $(DIST_EXE_FLAGS) --show-bin-path)/$$b" $(DIST_ROOT)/bin/$$b && \
		$(LIB_STRIP) $(DIST_ROOT)/bin/$$b || exit 1; done
	cp -P $(DIST_STAGE)/lib/libcacipher.so* $(DIST_STAGE)/lib/libcacipher-tass.so* \
		$(DIST_STAGE)/lib/libTassApi_LINUX_64.so $(DIST_ROOT)/lib/
	install -m 755 $(DIST_DIR)/java-build/lib/libcacipher_jni.so $(DIST_ROOT)/lib/
	install -m 644 include/cacipher.h $(DIST_ROOT)/include/
	install -m 644 include/tass/*.h $(DIST_ROOT)/include/tass/
	install -m 644 pkgconfig/cacipher.pc.in pkgconfig/cacipher-tass.pc.in $(DIST_ROOT)/share/cacipher/pkgconfig/
	install -m 644 $(DIST_DIR)/java-build/cacipher.jar $(DIST_DIR)/java-build/cacipher-tass-compat.jar \
		$(DIST_DIR)/java-build/cacipher-tass-compat.pom $(DIST_ROOT)/share/java/
	install -m 644 docs/*.md README.md CHANGELOG.md SECURITY.md LICENSE NOTICE $(DIST_ROOT)/share/doc/cacipher/
	install -m 644 examples/c/Makefile examples/c/payment.c $(DIST_ROOT)/share/doc/cacipher/examples/c/
	install -m 644 examples/java/*.java $(DIST_ROOT)/share/doc/cacipher/examples/java/
	install -m 644 packaging/evsm.service packaging/Containerfile $(DIST_ROOT)/share/cacipher/packaging/
	install -m 755 packaging/install.sh $(DIST_ROOT)/install.sh
	install -m 644 VERSION LICENSE NOTICE README.md $(DIST_ROOT)/
	tar -C $(DIST_DIR) -czf $(DIST_DIR)/.$(DIST_NAME).tar.gz.tmp $(DIST_NAME)
	mv -f $(DIST_DIR)/.$(DIST_NAME).tar.gz.tmp $(DIST_DIR)/$(DIST_NAME).tar.gz
	@echo "dist: $(DIST_DIR)/$(DIST_NAME).tar.gz"

SUITE_RUN_dist = tests/dist/run.sh $(DIST_DIR)/$(DIST_NAME).tar.gz $(SUITE_DIR)
$(eval $(call suite,dist,dist))
