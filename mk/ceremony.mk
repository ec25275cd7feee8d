# The DMK ceremony across three local evsm devices (examples/ceremony.sh).
#   make ceremony        run it
#   make test-ceremony   the same, as a test suite (prints "ceremony: N passed, M failed")
.PHONY: ceremony
ceremony:
	@SWIFT=$(SWIFT) examples/ceremony.sh

SUITE_RUN_ceremony = SWIFT=$(SWIFT) examples/ceremony.sh
$(eval $(call suite,ceremony))
