# The metrics suite (`make test-metrics`): the C API's metrics text, state callback and
# per-call deadline against a local evsm, and evsm's own GET /metrics (tests/metrics).
TEST_SUITES += metrics async-gen
METRICS_DIR := $(OUT)/test-metrics
.PHONY: test-metrics test-async-gen
test-metrics:
	@rm -rf $(METRICS_DIR) && mkdir -p $(METRICS_DIR)
	@$(MAKE) --no-print-directory install PREFIX=$(METRICS_DIR)/prefix > $(METRICS_DIR)/install.log 2>&1 || { cat $(METRICS_DIR)/install.log; echo "metrics: 0 passed, 1 failed"; exit 1; }
	@$(SWIFT) build $(EMU) --product evsm > $(METRICS_DIR)/build.log 2>&1 || { cat $(METRICS_DIR)/build.log; echo "metrics: 0 passed, 1 failed"; exit 1; }
	@tests/metrics/run.sh $(METRICS_DIR)/prefix $(METRICS_DIR)/work "$(EVSM_BIN)/evsm"

# The async typed calls are generated (scripts/gen-async-calls.py): the file is current and
# every blocking typed call is marked noasync.
test-async-gen:
	@python3 scripts/gen-async-calls.py --check
