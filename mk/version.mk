# make test-version: VERSION agrees with CACipherVersion.swift, cacipher.h
# (CACIPHER_VERSION, CACIPHER_VERSION_NUMBER), the .pc templates and CHANGELOG.md.
TEST_SUITES += version

.PHONY: test-version
test-version:
	@tests/version/check.sh
