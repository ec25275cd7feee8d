/* The library logs to logPath (cacipher-YYYYMMDD.log), and a bad logPath fails Init. */
#define _POSIX_C_SOURCE 200809L
#include "../common/harness.h"
#include <cacipher.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

static char *read_all(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

void test_logging_to_log_path(void) {
    char dir[512], config[1024], file[600], day[16];
    snprintf(dir, sizeof dir, "%s/logs", h_tmp_dir());
    CHECK_INT(mkdir(dir, 0755), 0);
    snprintf(config, sizeof config,
             "{[LOGGER];logsw=error, WARN ,info;logPath=%s;[HOST1];host=127.0.0.1;port=8018;mystery=1;"
             "[HOST2];host=127.0.0.2;port=8019;linkNum=5}", dir);
    time_t now = time(NULL);
    struct tm tmv;
    localtime_r(&now, &tmv);
    strftime(day, sizeof day, "%Y%m%d", &tmv);
    CHECK_INT(CACipher_InitWithString(config), CACIPHER_OK);
    CHECK_INT(CACipher_Finalize(), CACIPHER_OK);
    snprintf(file, sizeof file, "%s/cacipher-%s.log", dir, day);
    const char *text = read_all(file);
    CHECK(text != NULL);
    if (!text) return;
    CHECK_CONTAINS(text, "[info]");
    CHECK_CONTAINS(text, "127.0.0.1:8018");
    CHECK_CONTAINS(text, "127.0.0.2:8019");
    CHECK_CONTAINS(text, "[warn]");
    CHECK_CONTAINS(text, "mystery");
    /* Line format: "YYYY-MM-DD HH:MM:SS.mmm [category] [tid] message". */
    int y, mo, d, h, mi, s, ms, tid;
    char cat[16];
    CHECK_INT(sscanf(text, "%4d-%2d-%2d %2d:%2d:%2d.%3d [%15[a-z]] [%d]", &y, &mo, &d, &h, &mi, &s, &ms, cat, &tid), 9);
    CHECK_INT(y, tmv.tm_year + 1900);
    CHECK(tid > 0);

    /* logsw=error only: info lines are not written. */
    snprintf(dir, sizeof dir, "%s/quiet", h_tmp_dir());
    CHECK_INT(mkdir(dir, 0755), 0);
    snprintf(config, sizeof config, "{[LOGGER];logsw=error;logPath=%s;[HOST1];host=127.0.0.1;port=8018}", dir);
    CHECK_INT(CACipher_InitWithString(config), CACIPHER_OK);
    CHECK_INT(CACipher_Finalize(), CACIPHER_OK);
    snprintf(file, sizeof file, "%s/cacipher-%s.log", dir, day);
    text = read_all(file);
    CHECK(text != NULL);
    if (text) CHECK(strstr(text, "[info]") == NULL);
}

void test_log_path_errors(void) {
    char config[1024];
    /* A file is not a directory; nor can one be created below it (a missing directory
     * is created, see test_vendor_config.c). */
    const char *file = h_write_file("not-a-dir", "x");
    char path[512];
    snprintf(path, sizeof path, "%s", file);
    snprintf(config, sizeof config, "{[LOGGER];logPath=%s/does-not-exist;[HOST1];host=127.0.0.1;port=8018}", path);
    CHECK_INT(CACipher_InitWithString(config), CACIPHER_E_LOG);
    CHECK_CONTAINS(CACipher_LastError(), "does-not-exist");
    CHECK_INT(CACipher_HostCount(NULL), CACIPHER_E_NOT_INITIALIZED);
    snprintf(config, sizeof config, "{[LOGGER];logPath=%s;[HOST1];host=127.0.0.1;port=8018}", path);
    cacipher_t *h = NULL;
    CHECK_INT(CACipher_Open(config, &h), CACIPHER_E_LOG);
    CHECK_CONTAINS(CACipher_LastError(), "not a directory");
    /* A directory nobody can create files in (even root: /proc). */
    CHECK_INT(CACipher_Open("{[LOGGER];logPath=/proc;[HOST1];host=127.0.0.1;port=8018}", &h), CACIPHER_E_LOG);
    CHECK_CONTAINS(CACipher_LastError(), "/proc");
}
