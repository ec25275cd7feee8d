# TLS between the library and the HSMs (docs/tls.md).
#
#   make test-tls    C checks on the installed libcacipher over TLSv1.3 against local evsm
#                    TLS host ports (verification, mutual TLS, same answers as TCP, a TLS
#                    member killed mid-run); prints `tls: N passed, M failed`
#   make bench-tls   B2 calls/s over TCP and over TLSv1.3, same threads and connections
#                    (BENCH_SECONDS, BENCH_THREADS; not part of the tests)
#   make test-certs  throw-away CA and certificates in out/test-certs (keys never committed)
SUITE_RUN_tls = tests/tls/run.sh $(SUITE_DIR)/prefix $(SUITE_DIR)/work "$(EVSM_BIN)/evsm"
$(eval $(call suite,tls,install evsm))

.PHONY: bench-tls test-certs

bench-tls:
	@rm -rf $(OUT)/bench-tls && mkdir -p $(OUT)/bench-tls
	@$(MAKE) --no-print-directory install PREFIX=$(OUT)/bench-tls/prefix > $(OUT)/bench-tls/install.log 2>&1 || { cat $(OUT)/bench-tls/install.log; exit 1; }
	$(SWIFT) build $(EMU) -c release --product evsm
	@tests/tls/run.sh $(OUT)/bench-tls/prefix $(OUT)/bench-tls/work "$(EVSM_RELEASE_BIN)/evsm" bench

test-certs:
	scripts/make-test-certs.sh $(OUT)/test-certs
