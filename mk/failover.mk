# The failover suite (`make test-failover`): a C program on the installed libcacipher
# against three local evsm, one killed mid-run and restarted; then four, one stopped
# (SIGSTOP) mid-run and one holding another DMK (initialised with vsmctl).
SUITE_RUN_failover = tests/failover/run.sh $(SUITE_DIR)/prefix $(SUITE_DIR)/work "$(EVSM_BIN)/evsm" "$(EVSM_BIN)/vsmctl"
$(eval $(call suite,failover,install evsm vsmctl))
