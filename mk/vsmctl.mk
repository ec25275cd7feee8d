# make test-vsmctl: the operator CLI's timeout, exit statuses, --json and pinning warning
# (tests/vsmctl/run.sh against a local evsm; docs/ceremony.md).
TEST_SUITES += vsmctl
VSMCTL_TEST_DIR := $(OUT)/test-vsmctl

.PHONY: test-vsmctl
test-vsmctl:
	@mkdir -p $(VSMCTL_TEST_DIR)
	@{ $(SWIFT) build $(EMU) --product evsm && $(SWIFT) build $(EMU) --product vsmctl; } > $(VSMCTL_TEST_DIR)/build.log 2>&1 || { cat $(VSMCTL_TEST_DIR)/build.log; echo "vsmctl: 0 passed, 1 failed"; exit 1; }
	@tests/vsmctl/run.sh "$(EVSM_BIN)/evsm" "$(EVSM_BIN)/vsmctl"
