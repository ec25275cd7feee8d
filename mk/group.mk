# Host group (transport, pool, failover). Not part of TEST_SUITES; run on demand.
#
#   make tsan     the concurrency, pool and failover tests under ThreadSanitizer
#                 (own scratch path, so it does not invalidate the normal build)

TSAN_SCRATCH ?= .build-tsan
TSAN_FILTER  ?= GroupConcurrencyTests|GroupFailoverTests|PoolTests

.PHONY: tsan
tsan:
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path $(TSAN_SCRATCH)
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
	  $(SWIFT) test --skip-build --sanitize=thread --scratch-path $(TSAN_SCRATCH) --filter '$(TSAN_FILTER)'
