# Package split (docs/architecture.md, "Packages"): a package depending on this repository for
# the library products resolves and builds none of the emulator's dependencies.
#
#   make test-package-split   a temporary consumer package (outside the repository) depending
#                             on it by path: resolution, dependency tree, build, run

SUITE_RUN_package-split = SWIFT=$(SWIFT) tests/package-split/run.sh
$(eval $(call suite,package-split))
