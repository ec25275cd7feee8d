# TLS between the library and the HSMs (docs/tls.md).
#
#   make test-tls    C checks on the installed libcacipher over TLSv1.3 against local evsm
#                    TLS host ports (verification, mutual TLS, same answers as TCP, a TLS
#                    member killed mid-run); prints `tls: N passed, M failed`
#   make bench-tls   B2 calls/s over TCP and over TLSv1.3, same threads and connections
#                    (BENCH_SECONDS, BENCH_THREADS; not part of the tests)
#   make test-certs  throw-away CA and certificates in out/test-certs (keys never committed)
TEST_SUITES += tls
TLS_DIR := $(OUT)/test-tls

.PHONY: test-tls bench-tls test-certs
test-tls:
	@rm -rf $(TLS_DIR) && mkdir -p $(TLS_DIR)
	@$(MAKE) --no-print-directory install PREFIX=$(TLS_DIR)/prefix > $(TLS_DIR)/install.log 2>&1 || { cat $(TLS_DIR)/install.log; echo "tls: 0 passed, 1 failed"; exit 1; }
	@$(SWIFT) build $(EMU) --product evsm > $(TLS_DIR)/build.log 2>&1 || { cat $(TLS_DIR)/build.log; echo "tls: 0 passed, 1 failed"; exit 1; }
	@tests/tls/run.sh $(TLS_DIR)/prefix $(TLS_DIR)/work "$(EVSM_BIN)/evsm"

bench-tls:
	@rm -rf $(OUT)/bench-tls && mkdir -p $(OUT)/bench-tls
	@$(MAKE) --no-print-directory install PREFIX=$(OUT)/bench-tls/prefix > $(OUT)/bench-tls/install.log 2>&1 || { cat $(OUT)/bench-tls/install.log; exit 1; }
	$(SWIFT) build $(EMU) -c release --product evsm
	@tests/tls/run.sh $(OUT)/bench-tls/prefix $(OUT)/bench-tls/work "$(EVSM_RELEASE_BIN)/evsm" bench

test-certs:
	scripts/make-test-certs.sh $(OUT)/test-certs
