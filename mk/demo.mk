# The main job (scripts/demo.sh): three local evsm, the DMK ceremony, a C payment flow on
# the installed libcacipher, one member killed and restarted mid-run.
#
#   make demo                         run it (DEMO_SECONDS=20, DEMO_THREADS=4)
#   make demo DEMO_ARGS=--json        one JSON document on stdout
#   make demo DEMO_ARGS=--tls         the same over TLSv1.3 (mutual TLS, throw-away
#                                     certificates); or: make demo DEMO_TLS=1
#   make test-demo                    a 4-second run checked, a 3-second --tls run checked,
#                                     an interrupted run, a failed build
#                                     (prints "demo: N passed, M failed")
DEMO_ARGS ?=
DEMO_TLS ?=

.PHONY: demo
demo: setup
	@SWIFT=$(SWIFT) scripts/demo.sh $(if $(filter 1,$(DEMO_TLS)),--tls) $(DEMO_ARGS)

SUITE_RUN_demo = SWIFT=$(SWIFT) examples/demo/test.sh $(SUITE_DIR)
$(eval $(call suite,demo))
