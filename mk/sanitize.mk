# Sanitizers and memcheck (docs/hardening.md).
#
#   make sanitize        everything below, ending with `sanitize: N passed, M failed`:
#                        1. the Swift tests under AddressSanitizer (own scratch path .build-asan)
#                        2. libcacipher.so built with --sanitize=address (release, -static-stdlib,
#                           the export map; scratch path .build-asan-lib) and the C suites
#                           (tests/c, typed, failover, hostile) compiled with clang
#                           -fsanitize=address,undefined against it, evsm from .build-asan
#                        3. the C suites under valgrind memcheck (test-valgrind)
#   make asan            1 and 2 only
#   make test-valgrind   3 only; part of `make test` (about a minute): `valgrind: N passed, M failed`
#
# Swift on Linux has no -sanitize=undefined ("unsupported option"): UBSan covers the C
# programs only; Swift itself traps on overflow and out-of-range indexes.

ASAN_SCRATCH     ?= .build-asan
ASAN_LIB_SCRATCH ?= .build-asan-lib
ASAN_EVSM_SCRATCH ?= $(CURDIR)/.build-asan-emulator
SANITIZE_DIR     := $(OUT)/sanitize
# Swift's runtime keeps metadata caches for the life of the process (not leaks that grow):
# LeakSanitizer is off here, leaks are valgrind's job (definite leaks only).
SWIFT_ASAN_OPTIONS ?= detect_leaks=0:halt_on_error=1:detect_stack_use_after_return=1

.PHONY: sanitize asan asan-swift asan-c test-valgrind
sanitize:
	@mkdir -p $(SANITIZE_DIR); p=0; f=0; \
	  for t in asan-swift asan-c test-valgrind; do \
	    echo "== $$t"; \
	    if $(MAKE) --no-print-directory $$t > $(SANITIZE_DIR)/$$t.log 2>&1; then p=$$((p + 1)); echo "ok - $$t"; \
	    else f=$$((f + 1)); tail -40 $(SANITIZE_DIR)/$$t.log; echo "FAIL - $$t (log: $(SANITIZE_DIR)/$$t.log)"; fi; \
	    grep -E '^(asan|valgrind|asan-swift): [0-9]+ passed' $(SANITIZE_DIR)/$$t.log | tail -1; \
	  done; \
	  echo "sanitize: $$p passed, $$f failed"; [ $$f -eq 0 ]

asan: asan-swift asan-c

# 1. every Swift test target under ASan; any AddressSanitizer report fails it
asan-swift:
	@mkdir -p $(SANITIZE_DIR)
	$(SWIFT) build --build-tests --sanitize=address --scratch-path $(ASAN_SCRATCH)
	$(SWIFT) build $(EMU) --build-tests --sanitize=address --scratch-path $(ASAN_EVSM_SCRATCH)
	@{ ASAN_OPTIONS="$(SWIFT_ASAN_OPTIONS)" $(SWIFT) test --skip-build --sanitize=address --scratch-path $(ASAN_SCRATCH); r1=$$?; \
	   ASAN_OPTIONS="$(SWIFT_ASAN_OPTIONS)" $(SWIFT) test $(EMU) --skip-build --sanitize=address --scratch-path $(ASAN_EVSM_SCRATCH); r2=$$?; \
	   [ $$r1 -eq 0 ] && [ $$r2 -eq 0 ]; } \
	  > $(SANITIZE_DIR)/asan-swift-tests.log 2>&1; rc=$$?; \
	  line=$$(grep -A1 "Test Suite 'All tests'" $(SANITIZE_DIR)/asan-swift-tests.log | grep -Eo 'Executed [0-9]+ tests?, with [0-9]+ failures?' \
	    | awk '{n += $$2; f += $$5} END {print "Executed", n+0, "tests, with", f+0, "failures"}'); \
	  reports=$$(grep -c 'ERROR: AddressSanitizer' $(SANITIZE_DIR)/asan-swift-tests.log); \
	  if [ "$$reports" -gt 0 ]; then grep -A40 'ERROR: AddressSanitizer' $(SANITIZE_DIR)/asan-swift-tests.log | head -80; fi; \
	  n=$$(echo "$$line" | awk '{print $$2}'); f=$$(echo "$$line" | awk '{print $$5}'); n=$${n:-0}; f=$${f:-0}; \
	  if [ "$$reports" -gt 0 ] || { [ $$rc -ne 0 ] && [ "$$f" -eq 0 ]; }; then f=$$((f + 1)); fi; \
	  echo "asan-swift: $$((n - f < 0 ? 0 : n - f)) passed, $$f failed ($$reports AddressSanitizer reports, exit $$rc)"; \
	  [ $$f -eq 0 ]

# 2. the library with ASan (static Swift runtime works with --sanitize=address: the
#    library leaves the __asan_* symbols to the program's runtime, clang's, linked by
#    -fsanitize=address), the C suites' programs with ASan + UBSan
asan-c:
	$(SWIFT) build -c release --product cacipher --sanitize=address -Xswiftc -static-stdlib \
	  -Xlinker --version-script=$(LIB_MAP) -Xlinker -soname=$(LIB_SONAME) --scratch-path $(ASAN_LIB_SCRATCH)
	$(SWIFT) build $(EMU) --product evsm --sanitize=address --scratch-path $(ASAN_EVSM_SCRATCH)
	@tests/asan/run.sh asan "$$($(SWIFT) build -c release --show-bin-path --scratch-path $(ASAN_LIB_SCRATCH))/libcacipher.so" \
	  $(SANITIZE_DIR)/asan-c "$$($(SWIFT) build $(EMU) --show-bin-path --scratch-path $(ASAN_EVSM_SCRATCH))/evsm"

# 3. the C suites under valgrind memcheck, on the release library of `make lib`
#    (unstripped out/lib copy) and the debug evsm
SUITE_RUN_valgrind = tests/asan/run.sh valgrind $(OUT)/lib/$(LIB_REAL) $(SUITE_DIR)/work "$(EVSM_BIN)/evsm"
$(eval $(call suite,valgrind,lib evsm))
