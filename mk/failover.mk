# The failover suite (`make test-failover`): a C program on the installed libcacipher
# against three local evsm, one killed mid-run and restarted.
SUITE_RUN_failover = tests/failover/run.sh $(SUITE_DIR)/prefix $(SUITE_DIR)/work "$(EVSM_BIN)/evsm"
$(eval $(call suite,failover,install evsm))
