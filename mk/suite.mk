# The one recipe of a test suite. Every area declares its suite with
#
#   SUITE_RUN_name = command that runs it and prints `name: N passed, M failed`
#   $(eval $(call suite,name,STEPS[,PREREQUISITES]))
#
# which appends `name` to TEST_SUITES (at the place of the call: the include order of mk/*.mk
# and the place in the file give the order `make test` runs the suites in, scripts/run-tests.sh)
# and defines `make test-name`:
#   1. when STEPS is not empty: empties SUITE_DIR ($(OUT)/test-name), then makes each step with
#      its output in a log there; a step that fails prints its log and
#      `name: 0 passed, 1 failed`, and the suite stops (exit 1). The steps:
#        install, install-tass, install-java, install-java-m2   `make STEP` into SUITE_DIR/prefix
#                        (JAVA_BUILD_DIR=SUITE_DIR/build, M2_REPO=SUITE_DIR/m2); log install.log
#        any other make target (lib, dist, ...)               `make STEP`; log STEP.log
#        evsm, vsmctl    `swift build --package-path emulator --product ...` (debug)  } one log,
#        PaymentExample  `swift build --product ...` (debug)                          } build.log
#   2. runs SUITE_RUN_name (expanded when the recipe runs: it may use SUITE_DIR, EVSM_BIN, ...).
# PREREQUISITES are make targets made first (e.g. a build the suite shares with another target).
# A suite without steps leaves the directories to its script.

# Emulator products (built in the emulator package); other product names are the root package's.
SUITE_EMU_PRODUCTS := evsm vsmctl
SUITE_PRODUCTS     := $(SUITE_EMU_PRODUCTS) PaymentExample

# $(call suite-fail,NAME,LOG): prints LOG and NAME's failed summary line, exits 1.
suite-fail = { cat $(2); echo "$(1): 0 passed, 1 failed"; exit 1; }

# $(call suite-step-log,STEP): the log file name of a make-target step.
suite-step-log = $(if $(filter install%,$(1)),install,$(1)).log

# $(call suite-prepare,NAME,DIR,STEPS): the shell commands of STEPS (each ends with `;`), their
# logs in DIR. Also for a target that prepares what a suite then runs (mk/examples.mk).
suite-prepare = \
	$(foreach s,$(filter-out $(SUITE_PRODUCTS),$(3)),\
	  $(MAKE) --no-print-directory $(s) \
	    $(if $(filter install%,$(s)),PREFIX=$(2)/prefix JAVA_BUILD_DIR=$(2)/build M2_REPO=$(2)/m2) \
	    > $(2)/$(call suite-step-log,$(s)) 2>&1 || $(call suite-fail,$(1),$(2)/$(call suite-step-log,$(s)));) \
	$(if $(filter $(SUITE_PRODUCTS),$(3)),\
	  { $(foreach p,$(filter $(SUITE_PRODUCTS),$(3)),\
	      $(SWIFT) build $(if $(filter $(SUITE_EMU_PRODUCTS),$(p)),$(EMU)) --product $(p) &&) true; } \
	    > $(2)/build.log 2>&1 || $(call suite-fail,$(1),$(2)/build.log);)

# $(eval $(call suite,NAME,STEPS,PREREQUISITES))
define suite
TEST_SUITES += $(1)
.PHONY: test-$(1)
test-$(1): SUITE_DIR := $$(OUT)/test-$(1)
test-$(1): $(3)
	@$$(if $(strip $(2)),rm -rf $$(SUITE_DIR) && mkdir -p $$(SUITE_DIR); $$(call suite-prepare,$(1),$$(SUITE_DIR),$(2)))
	@$$(SUITE_RUN_$(1))
endef
