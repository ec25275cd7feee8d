# evsm: the emulated HSM.
#
#   make evsm         build the evsm executable (debug)
#   make run-evsm     run it in test-LMK mode on 127.0.0.1:8018
#   make bench-evsm   commands/second for B2, CC, M6 (3DES and SM4), A0 and SM2 sign on 1 and 8 connections
#                     (release build, in-process listener on loopback; not part of the tests;
#                     `make bench` runs it too, see mk/bench.mk)

.PHONY: evsm run-evsm bench-evsm
evsm:
	$(SWIFT) build $(EMU) --product evsm

run-evsm: evsm
	$(EVSM_BIN)/evsm --test-lmk --port 8018

bench-evsm:
	$(SWIFT) build $(EMU) -c release --product evsm
	$(EVSM_RELEASE_BIN)/evsm --bench --bench-seconds $${BENCH_SECONDS:-2}

