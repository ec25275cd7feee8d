# The soak and chaos run (`make soak`, not part of `make test`; issue 18, docs/hardening.md
# "Soak and chaos"): three local evsm and soak/client.c (the payment mix through
# libcacipher in 8 threads) while soak/soak.py applies a seeded chaos schedule. Writes
# results/soak-latest.md, .json and a plot.
#
#   make soak [SOAK_SECONDS=180] [SOAK_SEED=N] [SOAK_THREADS=8]
SOAK_SECONDS ?= 180
SOAK_THREADS ?= 8
SOAK_SEED    ?=
SOAK_DIR     := $(OUT)/soak
.PHONY: soak
soak: setup lib
	@rm -rf $(SOAK_DIR) && mkdir -p $(SOAK_DIR)/work
	$(SWIFT) build $(EMU) --product evsm
	$(SWIFT) build $(EMU) --product vsmctl
	cc -std=c11 -O2 -Wall -Wextra -Werror -pthread -Iinclude soak/client.c -o $(SOAK_DIR)/soak-client -L$(OUT)/lib -lcacipher -lm
	python3 soak/soak.py --evsm "$(EVSM_BIN)/evsm" --vsmctl "$(EVSM_BIN)/vsmctl" --client $(SOAK_DIR)/soak-client \
		--lib $(OUT)/lib --work $(SOAK_DIR)/work --results $(CURDIR)/results --seconds $(SOAK_SECONDS) \
		--threads $(SOAK_THREADS) $(if $(SOAK_SEED),--seed $(SOAK_SEED))
