# The failover suite (`make test-failover`): a C program on the installed libcacipher
# against three local evsm, one killed mid-run and restarted.
TEST_SUITES += failover
FAILOVER_DIR := $(OUT)/test-failover
test-failover:
	@rm -rf $(FAILOVER_DIR) && mkdir -p $(FAILOVER_DIR)
	@$(MAKE) --no-print-directory install PREFIX=$(FAILOVER_DIR)/prefix > $(FAILOVER_DIR)/install.log 2>&1 || { cat $(FAILOVER_DIR)/install.log; echo "failover: 0 passed, 1 failed"; exit 1; }
	@$(SWIFT) build $(EMU) --product evsm > $(FAILOVER_DIR)/build.log 2>&1 || { cat $(FAILOVER_DIR)/build.log; echo "failover: 0 passed, 1 failed"; exit 1; }
	@tests/failover/run.sh $(FAILOVER_DIR)/prefix $(FAILOVER_DIR)/work "$(EVSM_BIN)/evsm"
