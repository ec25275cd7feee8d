# Host group (transport, pool, failover) under ThreadSanitizer.
#
#   make tsan       the concurrency, pool and failover tests under ThreadSanitizer
#                   (own scratch path, so it does not invalidate the normal build)
#   make test-tsan  the same as a suite of `make test`: `tsan: N passed, M failed`, and a
#                   failure if ThreadSanitizer reports anything

# The tests of TSAN_FILTER are in the emulator package (emulator/Package.swift).
TSAN_SCRATCH ?= $(CURDIR)/.build-tsan-emulator
TSAN_FILTER  ?= GroupConcurrencyTests|GroupFailoverTests|GroupHedgeTests|GroupQuorumTests|PoolTests|TassCompatConcurrencyTests|GroupLoadTests|LogLimitsTests|AsyncCallTests|GroupMetricsTests

.PHONY: tsan
tsan:
	$(SWIFT) build $(EMU) --build-tests --sanitize=thread --scratch-path $(TSAN_SCRATCH)
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
	  $(SWIFT) test $(EMU) --skip-build --sanitize=thread --scratch-path $(TSAN_SCRATCH) --filter '$(TSAN_FILTER)'

TEST_SUITES += tsan
.PHONY: test-tsan
test-tsan:
	@mkdir -p $(OUT)/test-logs
	@$(MAKE) --no-print-directory tsan > $(OUT)/test-logs/tsan-run.log 2>&1; rc=$$?; \
	  tail -5 $(OUT)/test-logs/tsan-run.log; \
	  races=$$(grep -c 'WARNING: ThreadSanitizer' $(OUT)/test-logs/tsan-run.log); \
	  line=$$(grep -Eo 'Executed [0-9]+ tests?, with [0-9]+ failures?' $(OUT)/test-logs/tsan-run.log | tail -1); \
	  n=$$(echo "$$line" | awk '{print $$2}'); f=$$(echo "$$line" | awk '{print $$5}'); n=$${n:-0}; f=$${f:-0}; \
	  if [ "$$races" -gt 0 ]; then grep -A30 'WARNING: ThreadSanitizer' $(OUT)/test-logs/tsan-run.log | head -80; f=$$((f + 1)); fi; \
	  if [ "$$rc" -ne 0 ] && [ "$$f" -eq 0 ]; then f=1; fi; \
	  echo "tsan: $$((n - f < 0 ? 0 : n - f)) passed, $$f failed ($$races ThreadSanitizer reports)"; \
	  [ "$$f" -eq 0 ]
