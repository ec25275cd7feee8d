# make test-version: VERSION agrees with CACipherVersion.swift, cacipher.h
# (CACIPHER_VERSION, CACIPHER_VERSION_NUMBER), the .pc templates, CHANGELOG.md, the Java
# pom/manifest sources, and evsm/vsmctl --version (debug builds). The installed artefacts
# (jar manifests, pom, CACipher.version() from Java) are checked in make test-dist.
SUITE_RUN_version = EVSM="$(EVSM_BIN)/evsm" VSMCTL="$(EVSM_BIN)/vsmctl" tests/version/check.sh
$(eval $(call suite,version,evsm vsmctl))
