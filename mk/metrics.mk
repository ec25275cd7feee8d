# The metrics suite (`make test-metrics`): the C API's metrics text, state callback and
# per-call deadline against a local evsm, and evsm's own GET /metrics (tests/metrics).
SUITE_RUN_metrics = tests/metrics/run.sh $(SUITE_DIR)/prefix $(SUITE_DIR)/work "$(EVSM_BIN)/evsm"
$(eval $(call suite,metrics,install evsm))

# The async typed calls are generated (scripts/gen-async-calls.py): the file is current and
# every blocking typed call is marked noasync.
SUITE_RUN_async-gen = python3 scripts/gen-async-calls.py --check
$(eval $(call suite,async-gen))
