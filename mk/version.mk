# make test-version: VERSION agrees with CACipherVersion.swift, cacipher.h
# (CACIPHER_VERSION, CACIPHER_VERSION_NUMBER), the .pc templates, CHANGELOG.md, the Java
# pom/manifest sources, and evsm/vsmctl --version (debug builds). The installed artefacts
# (jar manifests, pom, CACipher.version() from Java) are checked in make test-dist.
TEST_SUITES += version

.PHONY: test-version
test-version:
	@mkdir -p $(OUT) && { $(SWIFT) build --product evsm && $(SWIFT) build --product vsmctl; } > $(OUT)/version-build.log 2>&1 || { cat $(OUT)/version-build.log; echo "version: 0 passed, 1 failed"; exit 1; }
	@EVSM="$$($(SWIFT) build --show-bin-path)/evsm" VSMCTL="$$($(SWIFT) build --show-bin-path)/vsmctl" tests/version/check.sh
