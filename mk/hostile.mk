# The hostile-input suite (`make test-hostile`): every exported CACipher_* function with
# NULLs, bad lengths, short buffers (guard bytes), bad hex/enums/indexes, closed handles,
# against a local evsm in test-LMK mode, and a fake HSM answering with malformed frames
# (tests/hostile, docs/hardening.md).
SUITE_RUN_hostile = tests/hostile/run.sh $(SUITE_DIR)/prefix $(SUITE_DIR)/work "$(EVSM_BIN)/evsm"
$(eval $(call suite,hostile,install evsm))
