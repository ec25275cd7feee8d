# Host group (transport, pool, failover) under ThreadSanitizer.
#
#   make tsan       the concurrency, pool and failover tests under ThreadSanitizer
#                   (own scratch path, so it does not invalidate the normal build)
#   make test-tsan  the same as a suite of `make test`: `tsan: N passed, M failed`, and a
#                   failure if ThreadSanitizer reports anything

# The tests of TSAN_FILTER are in the emulator package (emulator/Package.swift).
TSAN_SCRATCH ?= $(CURDIR)/.build-tsan-emulator
TSAN_FILTER  ?= GroupConcurrencyTests|GroupFailoverTests|GroupHedgeTests|GroupQuorumTests|PoolTests|TassCompatConcurrencyTests|GroupLoadTests|LogLimitsTests|AsyncCallTests|AsyncReactorPathTests|GroupMetricsTests

.PHONY: tsan
tsan:
	$(SWIFT) build $(EMU) --build-tests --sanitize=thread --scratch-path $(TSAN_SCRATCH)
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
	  $(SWIFT) test $(EMU) --skip-build --sanitize=thread --scratch-path $(TSAN_SCRATCH) --filter '$(TSAN_FILTER)'

SUITE_RUN_tsan = tests/common/xctest-suite.sh tsan $(OUT)/test-logs/tsan-run.log 'WARNING: ThreadSanitizer' \
	'ThreadSanitizer reports' $(MAKE) --no-print-directory tsan
$(eval $(call suite,tsan))
