# The typed C suite (`make test-typed`): every typed call of the installed libcacipher
# against one local evsm in test-LMK mode (tests/typed).
SUITE_RUN_typed = tests/typed/run.sh $(SUITE_DIR)/prefix $(SUITE_DIR)/work "$(EVSM_BIN)/evsm"
$(eval $(call suite,typed,install evsm))
