/* Test runner: runs every test function (tests/common/harness.h), prints ok/FAIL per test
 * and the summary line `ctest: N passed, M failed`. */
#include "../common/harness.h"

#define TESTS(X) \
    X(test_error_strings) X(test_version) X(test_not_initialized) X(test_null_arguments) \
    X(test_init_file) X(test_init_string) X(test_init_dispatch) X(test_double_init) \
    X(test_reinit_after_finalize) X(test_malformed_configs) X(test_open_close) \
    X(test_buffer_convention) X(test_last_error_per_thread) X(test_concurrent_init_finalize) \
    X(test_logging_to_log_path) X(test_log_path_errors) X(test_fuzz_open) \
    X(test_vendor_dialect_init) X(test_config_error_kinds) X(test_kcv_lengths) X(test_kcv_bad_replies) X(test_ng_reply_layouts)

#define DECLARE(name) void name(void);
TESTS(DECLARE)

int main(void) {
    h_tmp_dir();   /* one per run, removed at exit */
#define RUN(name) h_run(#name, name);
    TESTS(RUN)
    return h_summary("ctest");
}
