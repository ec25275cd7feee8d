# Package split (docs/architecture.md, "Packages"): a package depending on this repository for
# the library products resolves and builds none of the emulator's dependencies.
#
#   make test-package-split   a temporary consumer package (outside the repository) depending
#                             on it by path: resolution, dependency tree, build, run

TEST_SUITES += package-split

.PHONY: test-package-split
test-package-split:
	@SWIFT=$(SWIFT) tests/package-split/run.sh
