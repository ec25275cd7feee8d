# The Java binding (java/): org.cacipher.CACipher and its JNI glue libcacipher_jni.so.
#
#   make install-java PREFIX=...   make install, then PREFIX/share/java/cacipher.jar and
#                                  PREFIX/lib/libcacipher_jni.so (built against PREFIX)
#   make test-java                 every Java method against a local evsm (java/run-tests.sh)

JAVA_BUILD_DIR := $(OUT)/java-build

.PHONY: install-java test-java
install-java: install
	DESTDIR=$(DESTDIR) java/build.sh $(PREFIX) $(JAVA_BUILD_DIR)
	install -d $(DESTDIR)$(PREFIX)/share/java $(DESTDIR)$(PREFIX)/lib
	install -m 644 $(JAVA_BUILD_DIR)/cacipher.jar $(DESTDIR)$(PREFIX)/share/java/cacipher.jar
	install -m 755 $(JAVA_BUILD_DIR)/lib/libcacipher_jni.so $(DESTDIR)$(PREFIX)/lib/libcacipher_jni.so

TEST_SUITES += java
JAVA_TEST_DIR := $(OUT)/test-java
test-java:
	@rm -rf $(JAVA_TEST_DIR) && mkdir -p $(JAVA_TEST_DIR)
	@$(MAKE) --no-print-directory install-java PREFIX=$(JAVA_TEST_DIR)/prefix JAVA_BUILD_DIR=$(JAVA_TEST_DIR)/build > $(JAVA_TEST_DIR)/install.log 2>&1 || { cat $(JAVA_TEST_DIR)/install.log; echo "java: 0 passed, 1 failed"; exit 1; }
	@$(SWIFT) build --product evsm > $(JAVA_TEST_DIR)/build.log 2>&1 || { cat $(JAVA_TEST_DIR)/build.log; echo "java: 0 passed, 1 failed"; exit 1; }
	@java/run-tests.sh $(JAVA_TEST_DIR)/prefix $(JAVA_TEST_DIR)/work "$$($(SWIFT) build --show-bin-path)/evsm"
