# Secrets never reach logs or error texts (`make test-secrets`, tests/secrets/run.sh): the
# typed C suite with every log category on against evsm at --log-level trace, and the DMK
# ceremony with evsm at trace, their outputs searched for the clear values used.
TEST_SUITES += secrets
SECRETS_DIR := $(OUT)/test-secrets
.PHONY: test-secrets
test-secrets:
	@rm -rf $(SECRETS_DIR) && mkdir -p $(SECRETS_DIR)
	@$(MAKE) --no-print-directory install PREFIX=$(SECRETS_DIR)/prefix > $(SECRETS_DIR)/install.log 2>&1 || { cat $(SECRETS_DIR)/install.log; echo "secrets: 0 passed, 1 failed"; exit 1; }
	@{ $(SWIFT) build $(EMU) --product evsm && $(SWIFT) build $(EMU) --product vsmctl; } > $(SECRETS_DIR)/build.log 2>&1 || { cat $(SECRETS_DIR)/build.log; echo "secrets: 0 passed, 1 failed"; exit 1; }
	@tests/secrets/run.sh $(SECRETS_DIR)/prefix $(SECRETS_DIR)/work "$(EVSM_BIN)"
