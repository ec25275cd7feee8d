# The typed C suite (`make test-typed`): every typed call of the installed libcacipher
# against one local evsm in test-LMK mode (tests/typed).
TEST_SUITES += typed
TYPED_DIR := $(OUT)/test-typed
.PHONY: test-typed
test-typed:
	@rm -rf $(TYPED_DIR) && mkdir -p $(TYPED_DIR)
	@$(MAKE) --no-print-directory install PREFIX=$(TYPED_DIR)/prefix > $(TYPED_DIR)/install.log 2>&1 || { cat $(TYPED_DIR)/install.log; echo "typed: 0 passed, 1 failed"; exit 1; }
	@$(SWIFT) build $(EMU) --product evsm > $(TYPED_DIR)/build.log 2>&1 || { cat $(TYPED_DIR)/build.log; echo "typed: 0 passed, 1 failed"; exit 1; }
	@tests/typed/run.sh $(TYPED_DIR)/prefix $(TYPED_DIR)/work "$(EVSM_BIN)/evsm"
