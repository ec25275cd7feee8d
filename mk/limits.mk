# The connection-limits suite (`make test-limits`): evsm's idle timeout, frame deadline,
# connection caps and a junk-connection flood on the host, TLS host and management ports
# (tests/limits, docs/evsm.md "Connection limits", docs/hardening.md).
TEST_SUITES += limits
LIMITS_DIR := $(OUT)/test-limits
.PHONY: test-limits
test-limits:
	@rm -rf $(LIMITS_DIR) && mkdir -p $(LIMITS_DIR)
	@$(MAKE) --no-print-directory install PREFIX=$(LIMITS_DIR)/prefix > $(LIMITS_DIR)/install.log 2>&1 || { cat $(LIMITS_DIR)/install.log; echo "limits: 0 passed, 1 failed"; exit 1; }
	@$(SWIFT) build $(EMU) --product evsm > $(LIMITS_DIR)/build.log 2>&1 || { cat $(LIMITS_DIR)/build.log; echo "limits: 0 passed, 1 failed"; exit 1; }
	@tests/limits/run.sh $(LIMITS_DIR)/prefix $(LIMITS_DIR)/work "$(EVSM_BIN)/evsm"
