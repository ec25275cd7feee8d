# Microbenchmark of the library's call path (bench/micro); not part of the tests.
#
#   make perf     builds CACipherBench (release, .build-perf), then per path (transmit,
#                 C API, typed B2, typed M6): instructions/call (valgrind callgrind),
#                 allocations/call (valgrind memcheck), calls/s with 1 and 8 threads.
#                 See docs/performance.md.
PERF_SCRATCH ?= $(CURDIR)/.build-perf
.PHONY: perf
perf:
	$(SWIFT) build -c release --product CACipherBench --scratch-path $(PERF_SCRATCH)
	@bench/micro/measure.sh $(PERF_SCRATCH)/release/CACipherBench $(PERF_MODES)
