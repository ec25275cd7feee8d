# make test-vsmctl: the operator CLI's timeout, exit statuses, --json and pinning warning
# (tests/vsmctl/run.sh against a local evsm; docs/ceremony.md).
SUITE_RUN_vsmctl = tests/vsmctl/run.sh "$(EVSM_BIN)/evsm" "$(EVSM_BIN)/vsmctl"
$(eval $(call suite,vsmctl,evsm vsmctl))
