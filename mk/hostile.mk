# The hostile-input suite (`make test-hostile`): every exported CACipher_* function with
# NULLs, bad lengths, short buffers (guard bytes), bad hex/enums/indexes, closed handles,
# against a local evsm in test-LMK mode, and a fake HSM answering with malformed frames
# (tests/hostile, docs/hardening.md).
TEST_SUITES += hostile
HOSTILE_DIR := $(OUT)/test-hostile
.PHONY: test-hostile
test-hostile:
	@rm -rf $(HOSTILE_DIR) && mkdir -p $(HOSTILE_DIR)
	@$(MAKE) --no-print-directory install PREFIX=$(HOSTILE_DIR)/prefix > $(HOSTILE_DIR)/install.log 2>&1 || { cat $(HOSTILE_DIR)/install.log; echo "hostile: 0 passed, 1 failed"; exit 1; }
	@$(SWIFT) build $(EMU) --product evsm > $(HOSTILE_DIR)/build.log 2>&1 || { cat $(HOSTILE_DIR)/build.log; echo "hostile: 0 passed, 1 failed"; exit 1; }
	@tests/hostile/run.sh $(HOSTILE_DIR)/prefix $(HOSTILE_DIR)/work "$(EVSM_BIN)/evsm"
