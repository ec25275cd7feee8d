# The main job (scripts/demo.sh): three local evsm, the DMK ceremony, a C payment flow on
# the installed libcacipher, one member killed and restarted mid-run.
#
#   make demo                         run it (DEMO_SECONDS=20, DEMO_THREADS=4)
#   make demo DEMO_ARGS=--json        one JSON document on stdout
#   make test-demo                    a 4-second run checked, plus an interrupted run
#                                     (prints "demo: N passed, M failed")
TEST_SUITES += demo
DEMO_ARGS ?=

.PHONY: demo test-demo
demo:
	@SWIFT=$(SWIFT) scripts/demo.sh $(DEMO_ARGS)

test-demo:
	@SWIFT=$(SWIFT) examples/demo/test.sh $(OUT)/test-demo
