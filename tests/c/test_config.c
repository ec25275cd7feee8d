/* Initialising from the seed's file and string forms, and malformed configurations. */
#include "../common/harness.h"
#include "configs.h"
#include <cacipher.h>

void test_init_file(void) {
    const char *path = h_write_file("seed.ini", SEED_FILE);
    CHECK_INT(CACipher_InitWithFile(path), CACIPHER_OK);
    CHECK_INT(CACipher_HostCount(NULL), 2);
    cacipher_host_info h;
    memset(&h, 0x5A, sizeof h);
    CHECK_INT(CACipher_HostInfo(NULL, 0, &h), CACIPHER_OK);
    CHECK_STR(h.host, "127.0.0.1");
    CHECK_INT(h.port, 8018);
    CHECK_INT(h.linkNum, -15);
    CHECK_INT(h.connTimeoutMs, 5000);
    CHECK_INT(h.readTimeoutMs, 5000);
    CHECK_INT(h.headerLength, 0);
    CHECK_STR(h.hsmModel, "SJJ1310");
    CHECK_STR(h.socketProtocol, "TCP");
    CHECK_INT(h.encodeType, 0);
    CHECK_INT(h.tlsVerify, 1);
    CHECK_STR(h.section, "HOST1");
    for (int i = 0; i < 8; i++) CHECK_INT(h.reserved[i], 0);
    CHECK_INT(CACipher_HostInfo(NULL, 1, &h), CACIPHER_OK);
    CHECK_STR(h.host, "127.0.0.2");
    CHECK_INT(h.linkNum, -15);
    CHECK_STR(h.section, "HOST2");
    CHECK_INT(CACipher_HostInfo(NULL, 2, &h), CACIPHER_E_INVALID_ARG);
    CHECK_CONTAINS(CACipher_LastError(), "index 2");
    CHECK_INT(CACipher_HostInfo(NULL, -1, &h), CACIPHER_E_INVALID_ARG);
    CHECK_INT(CACipher_Finalize(), CACIPHER_OK);
}

void test_init_string(void) {
    CHECK_INT(CACipher_InitWithString(SEED_STRING), CACIPHER_OK);
    CHECK_INT(CACipher_HostCount(NULL), 2);
    cacipher_host_info h;
    CHECK_INT(CACipher_HostInfo(NULL, 1, &h), CACIPHER_OK);
    CHECK_STR(h.host, "127.0.0.2");
    CHECK_INT(h.port, 8018);
    CHECK_INT(h.connTimeoutMs, 5000);  /* connTimeout=5 */
    CHECK_INT(h.readTimeoutMs, 6000);  /* default */
    CHECK_INT(h.linkNum, -10);         /* default */
    CHECK_STR(h.hsmModel, "SJJ1310");
    CHECK_INT(CACipher_Finalize(), CACIPHER_OK);

    /* config.md: no closing brace, [HOST 1] with a space. */
    CHECK_INT(CACipher_InitWithString("{[LOGGER];logsw=error;logPath=./;[HOST 1];hsmModel=SJJ1310;"
                                      "host=127.0.0.1;port=8018;linkNum=-3;timeout=3;encodetype=0;msgheadlength=0;"),
              CACIPHER_OK);
    CHECK_INT(CACipher_HostCount(NULL), 1);
    CHECK_INT(CACipher_HostInfo(NULL, 0, &h), CACIPHER_OK);
    CHECK_INT(h.linkNum, -3);
    CHECK_INT(h.readTimeoutMs, 3000);
    CHECK_STR(h.section, "HOST 1");
    CHECK_INT(CACipher_Finalize(), CACIPHER_OK);
}

void test_init_dispatch(void) {
    /* CACipher_Init decides by the first non-blank character. */
    CHECK_INT(CACipher_Init("  \n" SEED_STRING), CACIPHER_OK);
    CHECK_INT(CACipher_HostCount(NULL), 2);
    CHECK_INT(CACipher_Finalize(), CACIPHER_OK);
    const char *path = h_write_file("dispatch.ini", SEED_FILE);
    CHECK_INT(CACipher_Init(path), CACIPHER_OK);
    CHECK_INT(CACipher_HostCount(NULL), 2);
    CHECK_INT(CACipher_Finalize(), CACIPHER_OK);
    /* ';' after the closing '}' (code that ends every item with ';') are empty items. */
    CHECK_INT(CACipher_Init("{[HOST1];host=127.0.0.1;port=8018;};"), CACIPHER_OK);
    cacipher_host_info h;
    CHECK_INT(CACipher_HostInfo(NULL, 0, &h), CACIPHER_OK);
    CHECK_INT(h.port, 8018);
    CHECK_INT(CACipher_Finalize(), CACIPHER_OK);
        /* InitWithString also takes INI text with one entry per line. */
    CHECK_INT(CACipher_InitWithString(SEED_FILE), CACIPHER_OK);
    CHECK_INT(CACipher_HostCount(NULL), 2);
    CHECK_INT(CACipher_Finalize(), CACIPHER_OK);
}

struct bad_case { const char *config; int code; const char *mentions[3]; };

void test_malformed_configs(void) {
    const struct bad_case cases[] = {
        { "{[HOST1];host=127.0.0.1;port=80a18}", CACIPHER_E_CONFIG, { "[HOST1]", "port=80a18", "item 3" } },
        { "{[HOST1];host=127.0.0.1;port=70000}", CACIPHER_E_CONFIG, { "port=70000", "65535", NULL } },
        { "{[HOST1];host=127.0.0.1;port=8018;linkNum=1001}", CACIPHER_E_CONFIG, { "linkNum=1001", "[HOST1]", NULL } },
        { "{[HOST1];host=127.0.0.1;port=8018;timeout=-1}", CACIPHER_E_CONFIG, { "timeout=-1", NULL, NULL } },
        { "{[HOST1];host=127.0.0.1;port=8018;socketProtocol=SSLv3}", CACIPHER_E_CONFIG, { "socketProtocol=SSLv3", NULL, NULL } },
        { "{[LOGGER];logsw=error,verbose;[HOST1];host=127.0.0.1;port=8018}", CACIPHER_E_CONFIG, { "verbose", "[LOGGER]", NULL } },
        { "{[LOGGER];logsw=error}", CACIPHER_E_CONFIG, { "no host", NULL, NULL } },
        { "{[HOST1];port=8018}", CACIPHER_E_CONFIG, { "[HOST1]", "host=", NULL } },
        { "{[HOST1];host=127.0.0.1}", CACIPHER_E_CONFIG, { "[HOST1]", "port=", NULL } },
        { "{[HOST1;host=127.0.0.1;port=8018}", CACIPHER_E_CONFIG, { "']'", NULL, NULL } },
        { "/nonexistent/cacipher.ini", CACIPHER_E_CONFIG_FILE, { "/nonexistent/cacipher.ini", NULL, NULL } },
        { "", CACIPHER_E_CONFIG_FILE, { "empty", NULL, NULL } },
        /* a second [GROUP] is refused like a second [LOGGER] (it was merged silently) */
        { "{[GROUP];hedgeDelay=off;[GROUP];hedgeDelay=auto;[HOST1];host=127.0.0.1;port=8018}", CACIPHER_E_CONFIG, { "[GROUP]", "twice", "item 3" } },
        /* so are a second [TLS] and [GLOBAL], in any case (they were merged silently) */
        { "{[TLS];keystorefile=;[HOST1];host=127.0.0.1;port=8018;[tls];keystorefile=}", CACIPHER_E_CONFIG, { "[TLS]", "twice", "item 6" } },
        { "{[GLOBAL];retryTime=3;[HOST1];host=127.0.0.1;port=8018;[Global]}", CACIPHER_E_CONFIG, { "[GLOBAL]", "twice", "first at item 1" } },
        { "{[LOGGER];logsw=error;[HOST1];host=127.0.0.1;port=8018;[LOGGER];logsw=info}", CACIPHER_E_CONFIG, { "[LOGGER]", "twice", "item 6" } },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = CACipher_Init(cases[i].config);
        if (rc != cases[i].code) fprintf(stderr, "  case %zu: %s\n", i, cases[i].config);
        CHECK_INT(rc, cases[i].code);
        for (int m = 0; m < 3 && cases[i].mentions[m]; m++) CHECK_CONTAINS(CACipher_LastError(), cases[i].mentions[m]);
        CHECK_INT(CACipher_HostCount(NULL), CACIPHER_E_NOT_INITIALIZED); /* a failed Init leaves nothing */
    }
    /* A file error names the line. */
    const char *path = h_write_file("bad.ini", "[LOGGER]\r\nlogsw=error\r\n\r\n[HOST1]\r\nhost=127.0.0.1\r\nport=8018\r\nlinkNum=ten\r\n");
    CHECK_INT(CACipher_InitWithFile(path), CACIPHER_E_CONFIG);
    CHECK_CONTAINS(CACipher_LastError(), "line 7");
    CHECK_CONTAINS(CACipher_LastError(), "linkNum=ten");
    /* A second [TLS] in a file names both lines. */
    path = h_write_file("twice.ini", "[TLS]\nkeystorefile =\n[HOST1]\nhost=127.0.0.1\nport=8018\n[TLS]\nkeystorefile = /etc/x.pfx\n");
    CHECK_INT(CACipher_InitWithFile(path), CACIPHER_E_CONFIG);
    CHECK_CONTAINS(CACipher_LastError(), "line 6");
    CHECK_CONTAINS(CACipher_LastError(), "[TLS] appears twice");
    CHECK_CONTAINS(CACipher_LastError(), "twice.ini line 1");
    CHECK_INT(CACipher_HostCount(NULL), CACIPHER_E_NOT_INITIALIZED);
    /* The vendor C library's CfgTassHsmApi.ini is named as such (spec/vendor-c-api.md section 6). */
    path = h_write_file("CfgTassHsmApi.ini", "logsw=trace\nlogpath=./log/\ntimeout=2\nmsgheadlen=8\nhost1=127.0.0.1\nport1=8018\n");
    CHECK_INT(CACipher_InitWithFile(path), CACIPHER_E_CONFIG);
    CHECK_CONTAINS(CACipher_LastError(), "no host configured");
    CHECK_CONTAINS(CACipher_LastError(), "CfgTassHsmApi.ini");
    /* A directory is not a configuration file. */
    CHECK_INT(CACipher_InitWithFile(h_tmp_dir()), CACIPHER_E_CONFIG_FILE);
    CHECK_CONTAINS(CACipher_LastError(), "directory");
}

/* CACipher_LastErrorKind: the rule each configuration failure broke (set where the library
 * raises it), the codes unchanged; 0 for other failures. CACipher_OpenWithOptions with
 * CACIPHER_OPEN_KNOWN_MODELS_ONLY refuses a model the library serves no device for. */
void test_config_error_kinds(void) {
    const struct { const char *config; int code, kind; } cases[] = {
        { "{[HOST1];host=127.0.0.1;port=80a18}", CACIPHER_E_CONFIG, CACIPHER_CONFIG_BAD_VALUE },
        { "{[LOGGER];logsw=error,verbose;[HOST1];host=127.0.0.1;port=8018}", CACIPHER_E_CONFIG, CACIPHER_CONFIG_UNKNOWN_LOG_CATEGORY },
        { "{[LOGGER];logsw=error}", CACIPHER_E_CONFIG, CACIPHER_CONFIG_NO_HOST },
        { "{[HOST1];port=8018}", CACIPHER_E_CONFIG, CACIPHER_CONFIG_NO_HOST },
        { "{[HOST1;host=127.0.0.1;port=8018}", CACIPHER_E_CONFIG, CACIPHER_CONFIG_SYNTAX },
        { "{[GROUP];[GROUP];[HOST1];host=127.0.0.1;port=8018}", CACIPHER_E_CONFIG, CACIPHER_CONFIG_SYNTAX },
        { "/nonexistent/cacipher.ini", CACIPHER_E_CONFIG_FILE, CACIPHER_CONFIG_FILE_UNREADABLE },
        { "", CACIPHER_E_CONFIG_FILE, CACIPHER_CONFIG_NO_CONFIGURATION },
        { "{[LOGGER];logsw=error;logPath=/nonexistent/log;[HOST1];host=127.0.0.1;port=8018}", CACIPHER_E_LOG, CACIPHER_CONFIG_LOG_PATH },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cacipher_t *h = (cacipher_t *)&h;
        int rc = CACipher_Open(cases[i].config, &h);
        if (rc != cases[i].code || CACipher_LastErrorKind() != cases[i].kind) fprintf(stderr, "  case %zu: %s\n", i, cases[i].config);
        CHECK_INT(rc, cases[i].code);
        CHECK_INT(CACipher_LastErrorKind(), cases[i].kind);
        CHECK(h == NULL);
        CHECK_INT(CACipher_Init(cases[i].config), cases[i].code);  /* the same kind through Init */
        CHECK_INT(CACipher_LastErrorKind(), cases[i].kind);
    }
    CHECK_INT(CACipher_InitWithFile(h_tmp_dir()), CACIPHER_E_CONFIG_FILE);
    CHECK_INT(CACipher_LastErrorKind(), CACIPHER_CONFIG_NOT_A_FILE);

    /* a success leaves the kind as it was; a failure that is not a configuration error clears it */
    const char *ok = "{[LOGGER];logsw=;[HOST1];host=127.0.0.1;port=8018;hsmModel=ACME9000}";
    cacipher_t *h = NULL;
    CHECK_INT(CACipher_Open(ok, &h), CACIPHER_OK);  /* an unknown model: a warning only */
    CHECK_INT(CACipher_LastErrorKind(), CACIPHER_CONFIG_NOT_A_FILE);
    CHECK_INT(CACipher_HostInfo(h, 5, &(cacipher_host_info){0}), CACIPHER_E_INVALID_ARG);
    CHECK_INT(CACipher_LastErrorKind(), CACIPHER_CONFIG_NONE);
    CHECK_INT(CACipher_Close(h), CACIPHER_OK);

    /* CACIPHER_OPEN_KNOWN_MODELS_ONLY */
    h = (cacipher_t *)&h;
    CHECK_INT(CACipher_OpenWithOptions(ok, CACIPHER_OPEN_KNOWN_MODELS_ONLY, &h), CACIPHER_E_CONFIG);
    CHECK_INT(CACipher_LastErrorKind(), CACIPHER_CONFIG_UNKNOWN_MODEL);
    CHECK_CONTAINS(CACipher_LastError(), "[HOST1] hsmModel=ACME9000");
    CHECK(h == NULL);
    CHECK_INT(CACipher_OpenWithOptions(ok, 0, &h), CACIPHER_OK);  /* 0: as CACipher_Open */
    CHECK_INT(CACipher_Close(h), CACIPHER_OK);
    CHECK_INT(CACipher_OpenWithOptions("{[LOGGER];logsw=;[HOST1];host=127.0.0.1;port=8018;hsmModel=svsm}",
                                       CACIPHER_OPEN_KNOWN_MODELS_ONLY, &h), CACIPHER_OK);  /* another family, any case */
    CHECK_INT(CACipher_Close(h), CACIPHER_OK);
    CHECK_INT(CACipher_OpenWithOptions(ok, 0x2u, &h), CACIPHER_E_INVALID_ARG);
    CHECK_CONTAINS(CACipher_LastError(), "options");
    CHECK_INT(CACipher_LastErrorKind(), CACIPHER_CONFIG_NONE);
    CHECK_INT(CACipher_OpenWithOptions(ok, CACIPHER_OPEN_KNOWN_MODELS_ONLY, NULL), CACIPHER_E_INVALID_ARG);
    CHECK_INT(CACipher_OpenWithOptions(NULL, 0, &h), CACIPHER_E_INVALID_ARG);
}
