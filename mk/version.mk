# make test-version: VERSION agrees with CACipherVersion.swift, cacipher.h
# (CACIPHER_VERSION, CACIPHER_VERSION_NUMBER), the .pc templates, CHANGELOG.md, the Java
# pom/manifest sources, and evsm/vsmctl --version (debug builds). The installed artefacts
# (jar manifests, pom, CACipher.version() from Java) are checked in make test-dist.
TEST_SUITES += version

.PHONY: test-version
test-version:
	@mkdir -p $(OUT) && { $(SWIFT) build $(EMU) --product evsm && $(SWIFT) build $(EMU) --product vsmctl; } > $(OUT)/version-build.log 2>&1 || { cat $(OUT)/version-build.log; echo "version: 0 passed, 1 failed"; exit 1; }
	@EVSM="$(EVSM_BIN)/evsm" VSMCTL="$(EVSM_BIN)/vsmctl" tests/version/check.sh
