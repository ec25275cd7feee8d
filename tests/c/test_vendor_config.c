/* The configuration forms the vendor documents, end to end through CACipher_Init: a file
 * with '#' comments, aligned "Key = Value" lines in the vendor's case, [HOST 1], the ms
 * suffix, [TLS] keystorefile=, vendor-only keys; a logPath that does not exist is an init error. */
#define _POSIX_C_SOURCE 200809L
#include "../common/harness.h"
#include <cacipher.h>
#include <sys/stat.h>
#include <time.h>

static const char *read_text(const char *path) {
    static char buf[65536];
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

void test_vendor_dialect_init(void) {
    char logs[512], text[2048], path[512];
    snprintf(logs, sizeof logs, "%s/vendor/log/", h_tmp_dir());
    snprintf(text, sizeof text,
             "# cacipher.ini in the vendor's dialect\r\n"
             "[LOGGER]\r\n"
             "logsw   = error\r\n"
             "logPath = %s\r\n"
             "MaxFileLength = 10\r\n"
             "[TLS]\r\n"
             "keystorefile =\r\n"
             "[HOST 1]\r\n"
             "  # the first device\r\n"
             "hsmModel      = EVSM\r\n"
             "host          = 127.0.0.1\r\n"
             "port          = 8018\r\n"
             "linkNum       = -3\r\n"
             "timeout       = 500ms\r\n"
             "readTimeout   = 2s\r\n"
             "msgHeadLength = 8\r\n"
             "encodeType    = 0\r\n"
             "ifHeart       = yes\r\n"
             "[HOST 2]\r\n"
             "host = 127.0.0.2\r\n"
             "port = 8019\r\n"
             "socketProtocol = TLS\r\n", logs);
    snprintf(path, sizeof path, "%s", h_write_file("vendor.ini", text));
    time_t now = time(NULL);
    struct tm tmv;
    localtime_r(&now, &tmv);
    char day[16], file[640];
    strftime(day, sizeof day, "%Y%m%d", &tmv);
    /* The log directory must exist (nothing is created): CACIPHER_E_LOG naming it. */
    CHECK_INT(CACipher_Init(path), CACIPHER_E_LOG);
    CHECK_CONTAINS(CACipher_LastError(), "vendor/log");
    CHECK_CONTAINS(CACipher_LastError(), "does not exist");
    struct stat st;
    CHECK_INT(stat(logs, &st), -1);
    char parent[512];
    snprintf(parent, sizeof parent, "%s/vendor", h_tmp_dir());
    CHECK_INT(mkdir(parent, 0750), 0);
    CHECK_INT(mkdir(logs, 0750), 0);
    CHECK_INT(CACipher_Init(path), CACIPHER_OK);
    CHECK_INT(CACipher_HostCount(NULL), 2);
    cacipher_host_info h;
    CHECK_INT(CACipher_HostInfo(NULL, 0, &h), CACIPHER_OK);
    CHECK_STR(h.section, "HOST 1");
    CHECK_STR(h.hsmModel, "EVSM");
    CHECK_INT(h.connTimeoutMs, 500);
    CHECK_INT(h.readTimeoutMs, 2000);
    CHECK_INT(h.headerLength, 8);
    CHECK_INT(h.linkNum, -3);
    CHECK_INT(CACipher_HostInfo(NULL, 1, &h), CACIPHER_OK);
    CHECK_STR(h.socketProtocol, "TLSv1.2");
    CHECK_INT(CACipher_Finalize(), CACIPHER_OK);
    /* The vendor-only keys are named in the log. */
    snprintf(file, sizeof file, "%scacipher-%s.log", logs, day);
    const char *log = read_text(file);
    CHECK(log != NULL);
    if (!log) return;
    CHECK_CONTAINS(log, "MaxFileLength");
    CHECK_CONTAINS(log, "ifHeart");
}
