# Benchmarks (bench/run.sh); not part of the tests. Release builds (evsm in .build-bench).
#
#   make bench    libcacipher vs bench/baseline.c (B2, CC; 1 and 8 threads), evsm --bench,
#                 the failure drill (kill / SIGSTOP / refused connections under load), the
#                 stall scenario (one member SIGSTOPped 5 s, hedging off and on:
#                 results/bench-stall.json and .png), the quorum scenario (fresh clients, a
#                 member with another DMK: results/bench-quorum.json) and the outlier
#                 scenarios (wrong-reply, slow, blackholed members: results/bench-outlier.json);
#                 writes results/bench-latest.json, .md and .png (installs matplotlib from
#                 PyPI if missing, for the plot)
.PHONY: bench
bench:
	@SWIFT=$(SWIFT) bench/run.sh $(CURDIR)/results
