# The DMK ceremony across three local evsm devices (examples/ceremony.sh).
#   make ceremony        run it
#   make test-ceremony   the same, as a test suite (prints "ceremony: N passed, M failed")
TEST_SUITES += ceremony

.PHONY: ceremony test-ceremony
ceremony:
	@SWIFT=$(SWIFT) examples/ceremony.sh

test-ceremony:
	@SWIFT=$(SWIFT) examples/ceremony.sh
