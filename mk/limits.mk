# The connection-limits suite (`make test-limits`): evsm's idle timeout, frame deadline,
# connection caps and a junk-connection flood on the host, TLS host and management ports
# (tests/limits, docs/evsm.md "Connection limits", docs/hardening.md).
SUITE_RUN_limits = tests/limits/run.sh $(SUITE_DIR)/prefix $(SUITE_DIR)/work "$(EVSM_BIN)/evsm"
$(eval $(call suite,limits,install evsm))
