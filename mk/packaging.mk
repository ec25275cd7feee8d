# packaging/: the systemd unit and container file for evsm and the tarball's install.sh
# (used by make dist, mk/dist.mk). make test-packaging lints them without starting anything.
SUITE_RUN_packaging = tests/packaging/check.sh "$(EVSM_BIN)/evsm"
$(eval $(call suite,packaging,evsm))
