# Secrets never reach logs or error texts (`make test-secrets`, tests/secrets/run.sh): the
# typed C suite with every log category on against evsm at --log-level trace, and the DMK
# ceremony with evsm at trace, their outputs searched for the clear values used.
SUITE_RUN_secrets = tests/secrets/run.sh $(SUITE_DIR)/prefix $(SUITE_DIR)/work "$(EVSM_BIN)"
$(eval $(call suite,secrets,install evsm vsmctl))
