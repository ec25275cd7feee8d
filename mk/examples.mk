# The runnable examples (examples/c, examples/java, examples/swift): the same small payment
# flow (ZMK and ZPKs, export under the ZMK, PIN translation ZPK1 -> ZPK2 and back, MAC
# generate/verify) against a local evsm that examples/run.sh starts and stops.
#
#   make examples        build and run all three, showing what each does
#   make test-examples   the same as a test suite: `examples: N passed, M failed`

EXAMPLES_DIR := $(OUT)/examples

.PHONY: examples test-examples examples-build
examples-build:
	@rm -rf $(EXAMPLES_DIR) && mkdir -p $(EXAMPLES_DIR)
	@$(MAKE) --no-print-directory install-java PREFIX=$(EXAMPLES_DIR)/prefix JAVA_BUILD_DIR=$(EXAMPLES_DIR)/java-build > $(EXAMPLES_DIR)/install.log 2>&1 || { cat $(EXAMPLES_DIR)/install.log; echo "examples: 0 passed, 1 failed"; exit 1; }
	@{ $(SWIFT) build $(EMU) --product evsm && $(SWIFT) build --product PaymentExample; } > $(EXAMPLES_DIR)/build.log 2>&1 || { cat $(EXAMPLES_DIR)/build.log; echo "examples: 0 passed, 1 failed"; exit 1; }

examples: examples-build
	@examples/run.sh --verbose $(EXAMPLES_DIR)/prefix $(EXAMPLES_DIR)/work "$$($(SWIFT) build --show-bin-path)" "$(EVSM_BIN)"

TEST_SUITES += examples
test-examples: examples-build
	@examples/run.sh $(EXAMPLES_DIR)/prefix $(EXAMPLES_DIR)/work "$$($(SWIFT) build --show-bin-path)" "$(EVSM_BIN)"
