# packaging/: the systemd unit and container file for evsm and the tarball's install.sh
# (used by make dist, mk/dist.mk). make test-packaging lints them without starting anything.
TEST_SUITES += packaging

.PHONY: test-packaging
test-packaging:
	@mkdir -p $(OUT) && $(SWIFT) build $(EMU) --product evsm > $(OUT)/packaging-build.log 2>&1 || { cat $(OUT)/packaging-build.log; echo "packaging: 0 passed, 1 failed"; exit 1; }
	@tests/packaging/check.sh "$(EVSM_BIN)/evsm"
