# libcacipher - top-level make targets. Each area keeps its rules in mk/<area>.mk.
#
#   make demo      the main job: three local evsm, ceremony, C payment flow, a member killed
#   make test      every test suite (Swift, C, Java, shell), ending with one summary line
#   make lib       release libcacipher.so (static Swift runtime, C API exports only)
#   make install   PREFIX=/usr/local: header, library, pkg-config file
#   make bench     benchmarks (not part of the tests): library vs raw client, TLS, failure drill
#   make perf      instructions and allocations per call (valgrind), calls/s
#   make soak      soak and chaos run (SOAK_SECONDS=180, SOAK_SEED=...): results/soak-latest.md
#   make sanitize  Swift tests under ASan, the C suites under ASan/UBSan and valgrind
#   make tsan      the group's concurrency tests under ThreadSanitizer (also in make test)
#   make examples  the C, Java and Swift examples against a local evsm
#   make ceremony  examples/ceremony.sh: the DMK ceremony over three local evsm
#   make setup     install the system packages a fresh machine lacks (scripts/setup.sh)

PREFIX     ?= /usr/local
SWIFT      ?= swift
OUT        := $(CURDIR)/out
DEBUG_BIN   = $(shell $(SWIFT) build --show-bin-path 2>/dev/null)
RELEASE_BIN = $(shell $(SWIFT) build -c release --show-bin-path 2>/dev/null)
# The emulator package (emulator/Package.swift: EVSMKit, EVSMServer, evsm, vsmctl and the tests
# that run an emulator in process) is apart from the library's, so a consumer of the library
# never resolves SwiftNIO, swift-argument-parser or swift-log. `$(SWIFT) build $(EMU) ...`
# builds in it; evsm and vsmctl are in $(EVSM_BIN) (debug) and $(EVSM_RELEASE_BIN).
EMU              := --package-path $(CURDIR)/emulator
EVSM_BIN          = $(shell $(SWIFT) build $(EMU) --show-bin-path 2>/dev/null)
EVSM_RELEASE_BIN  = $(shell $(SWIFT) build $(EMU) -c release --show-bin-path 2>/dev/null)

# Test suites that areas add with `$(eval $(call suite,name,...))` (mk/suite.mk); each
# `test-name` target prints a line `name: N passed, M failed` and exits non-zero on failure.
TEST_SUITES :=

.PHONY: all build test swift-test swift-test-lib swift-test-emulator clean setup
all: build

build:
	$(SWIFT) build
	$(SWIFT) build $(EMU)

# The Swift tests of both packages (scripts/run-tests.sh runs them as the suites `swift` and
# `swift-emulator`).
swift-test: swift-test-lib swift-test-emulator

swift-test-lib:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

swift-test-emulator:
	$(SWIFT) build $(EMU) --build-tests
	$(SWIFT) test $(EMU) --skip-build

# mk/suite.mk first: the one suite recipe the others call.
include mk/suite.mk
include $(filter-out mk/suite.mk,$(sort $(wildcard mk/*.mk)))

# Installs the system packages a fresh machine lacks (scripts/setup.sh; idempotent).
setup:
	@scripts/setup.sh

test: setup
	@scripts/run-tests.sh $(TEST_SUITES)

clean:
	rm -rf .build emulator/.build $(OUT)
