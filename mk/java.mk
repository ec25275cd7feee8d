# The Java binding (java/): org.cacipher.CACipher and its JNI glue libcacipher_jni.so.
#
#   make install-java PREFIX=...   make install, then PREFIX/share/java/cacipher.jar and
#                                  PREFIX/lib/libcacipher_jni.so (built against PREFIX), and
#                                  PREFIX/share/java/cacipher-tass-compat.jar (+ .pom): the
#                                  vendor SDK's classes with the native libraries inside
#   make install-java-m2 PREFIX=... [M2_REPO=~/.m2/repository]
#                                  the compat jar and pom into a local Maven repository
#                                  (org/cacipher/cacipher-tass-compat/VERSION/), JDK only
#   make test-java                 every Java method against a local evsm (java/run-tests.sh)
#   make test-java-compat          the vendor-API program against evsm (java/compat/run-tests.sh)

JAVA_BUILD_DIR := $(OUT)/java-build

.PHONY: install-java install-java-m2
install-java: install
	DESTDIR=$(DESTDIR) java/build.sh $(PREFIX) $(JAVA_BUILD_DIR)
	install -d $(DESTDIR)$(PREFIX)/share/java $(DESTDIR)$(PREFIX)/lib
	install -m 644 $(JAVA_BUILD_DIR)/cacipher.jar $(DESTDIR)$(PREFIX)/share/java/cacipher.jar
	install -m 755 $(JAVA_BUILD_DIR)/lib/libcacipher_jni.so $(DESTDIR)$(PREFIX)/lib/libcacipher_jni.so
	install -m 644 $(JAVA_BUILD_DIR)/cacipher-tass-compat.jar $(DESTDIR)$(PREFIX)/share/java/cacipher-tass-compat.jar
	install -m 644 $(JAVA_BUILD_DIR)/cacipher-tass-compat.pom $(DESTDIR)$(PREFIX)/share/java/cacipher-tass-compat.pom

M2_REPO ?= $(HOME)/.m2/repository
M2_DIR   = $(M2_REPO)/org/cacipher/cacipher-tass-compat/$(LIB_VERSION)
install-java-m2: install-java
	install -d $(M2_DIR)
	install -m 644 $(DESTDIR)$(PREFIX)/share/java/cacipher-tass-compat.jar $(M2_DIR)/cacipher-tass-compat-$(LIB_VERSION).jar
	install -m 644 $(DESTDIR)$(PREFIX)/share/java/cacipher-tass-compat.pom $(M2_DIR)/cacipher-tass-compat-$(LIB_VERSION).pom

SUITE_RUN_java = java/run-tests.sh $(SUITE_DIR)/prefix $(SUITE_DIR)/work "$(EVSM_BIN)/evsm"
$(eval $(call suite,java,install-java evsm))

SUITE_RUN_java-compat = java/compat/run-tests.sh $(SUITE_DIR)/prefix $(SUITE_DIR)/work "$(EVSM_BIN)/evsm" $(SUITE_DIR)/m2 $(LIB_VERSION)
$(eval $(call suite,java-compat,install-java-m2 evsm))
