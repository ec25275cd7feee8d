# The runnable examples (examples/c, examples/java, examples/swift): the same small payment
# flow (ZMK and ZPKs, export under the ZMK, PIN translation ZPK1 -> ZPK2 and back, MAC
# generate/verify) against a local evsm that examples/run.sh starts and stops.
#
#   make examples        build and run all three, showing what each does
#   make test-examples   the same as a test suite: `examples: N passed, M failed`

EXAMPLES_DIR := $(OUT)/examples

.PHONY: examples examples-build
# (the steps of mk/suite.mk, shared by `make examples` and `make test-examples`)
examples-build:
	@rm -rf $(EXAMPLES_DIR) && mkdir -p $(EXAMPLES_DIR); $(call suite-prepare,examples,$(EXAMPLES_DIR),install-java evsm PaymentExample)

examples: examples-build
	@examples/run.sh --verbose $(EXAMPLES_DIR)/prefix $(EXAMPLES_DIR)/work "$$($(SWIFT) build --show-bin-path)" "$(EVSM_BIN)"

SUITE_RUN_examples = examples/run.sh $(EXAMPLES_DIR)/prefix $(EXAMPLES_DIR)/work "$$($(SWIFT) build --show-bin-path)" "$(EVSM_BIN)"
$(eval $(call suite,examples,,examples-build))
