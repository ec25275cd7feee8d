/* Test runner: runs every test function, prints ok/FAIL per test and the summary line. */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include "harness.h"
#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

int h_test_failures;
static char g_tmp[256];

const char *tmp_dir(void) { return g_tmp; }

const char *write_file(const char *name, const char *text) {
    static char path[4][512];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, 512, "%s/%s", g_tmp, name);
    FILE *f = fopen(p, "wb");
    if (!f) { perror(p); exit(2); }
    fputs(text, f);
    fclose(f);
    return p;
}

static void remove_tree(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char p[1024];
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (e->d_type == DT_DIR) remove_tree(p); else unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

#define TESTS(X) \
    X(test_error_strings) X(test_version) X(test_not_initialized) X(test_null_arguments) \
    X(test_init_file) X(test_init_string) X(test_init_dispatch) X(test_double_init) \
    X(test_reinit_after_finalize) X(test_malformed_configs) X(test_open_close) \
    X(test_buffer_convention) X(test_last_error_per_thread) X(test_concurrent_init_finalize) \
    X(test_logging_to_log_path) X(test_log_path_errors) X(test_fuzz_open) \
    X(test_vendor_dialect_init)

#define DECLARE(name) void name(void);
TESTS(DECLARE)

int main(void) {
    snprintf(g_tmp, sizeof g_tmp, "/tmp/cacipher-ctest-XXXXXX");
    if (!mkdtemp(g_tmp)) { perror("mkdtemp"); return 2; }
    int passed = 0, failed = 0;
#define RUN(name) do { h_test_failures = 0; name(); \
        if (h_test_failures == 0) { passed++; printf("ok - %s\n", #name); } \
        else { failed++; printf("FAIL - %s (%d checks)\n", #name, h_test_failures); } \
        fflush(stdout); } while (0);
    TESTS(RUN)
    remove_tree(g_tmp);
    printf("ctest: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
