/* Error texts, version, Init/Finalize rules, NULL arguments, independent instances and
 * the output-buffer convention. */
#define _POSIX_C_SOURCE 200809L
#include "../common/harness.h"
#include "configs.h"
#include <cacipher.h>
#include <pthread.h>

static const int library_codes[] = {
    CACIPHER_OK, CACIPHER_E_INVALID_ARG, CACIPHER_E_BUFFER_TOO_SMALL, CACIPHER_E_NOT_INITIALIZED,
    CACIPHER_E_ALREADY_INITIALIZED, CACIPHER_E_CONFIG, CACIPHER_E_CONFIG_FILE, CACIPHER_E_LOG,
    CACIPHER_E_NO_MEMORY, CACIPHER_E_CONNECT, CACIPHER_E_TIMEOUT, CACIPHER_E_ALL_DOWN,
    CACIPHER_E_BAD_FRAME, CACIPHER_E_IO, CACIPHER_E_POOL_EXHAUSTED, CACIPHER_E_DMK_MISMATCH,
    CACIPHER_E_RETRY_BUDGET, CACIPHER_E_TLS, CACIPHER_E_TLS_VERIFY, CACIPHER_E_INTERNAL,
};
#define N_LIBRARY_CODES (int)(sizeof library_codes / sizeof library_codes[0])

void test_error_strings(void) {
    CHECK_STR(CACipher_ErrorString(CACIPHER_OK), "success");
    for (int i = 0; i < N_LIBRARY_CODES; i++) {
        const char *t = CACipher_ErrorString(library_codes[i]);
        CHECK(t != NULL && t[0] != '\0');
        CHECK(strcmp(t, "unknown error code") != 0);
        for (int j = 0; j < i; j++) CHECK(strcmp(t, CACipher_ErrorString(library_codes[j])) != 0);
        CHECK(t == CACipher_ErrorString(library_codes[i])); /* static: same pointer every time */
    }
    CHECK_CONTAINS(CACipher_ErrorString(CACIPHER_E_BUFFER_TOO_SMALL), "too small");
    CHECK_CONTAINS(CACipher_ErrorString(CACIPHER_E_LOG), "log");
    for (int c = 1; c <= 99; c++) {
        const char *t = CACipher_ErrorString(c);
        CHECK(t != NULL);
        CHECK(strncmp(t, "HSM error ", 10) == 0);
        char two[3] = { (char)('0' + c / 10), (char)('0' + c % 10), 0 };
        CHECK_CONTAINS(t, two);
    }
    CHECK_CONTAINS(CACipher_ErrorString(CACIPHER_HSM_PIN_BLOCK_FORMAT), "PIN block format");
    CHECK_CONTAINS(CACipher_ErrorString(CACIPHER_HSM_NOT_SUPPORTED), "not supported");
    const int unknown[] = { -9, -18, -100, 100, 1000, -2147483647 - 1, 2147483647 };
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        CHECK_STR(CACipher_ErrorString(unknown[i]), "unknown error code");
}

void test_version(void) {
    CHECK_STR(CACipher_Version(), EXPECTED_VERSION);
}

void test_not_initialized(void) {
    cacipher_host_info h;
    size_t len = 0;
    CHECK_INT(CACipher_Finalize(), CACIPHER_E_NOT_INITIALIZED);
    CHECK_CONTAINS(CACipher_LastError(), "not initialised");
    CHECK_INT(CACipher_HostCount(NULL), CACIPHER_E_NOT_INITIALIZED);
    CHECK_INT(CACipher_HostInfo(NULL, 0, &h), CACIPHER_E_NOT_INITIALIZED);
    CHECK_INT(CACipher_LogPath(NULL, NULL, &len), CACIPHER_E_NOT_INITIALIZED);
    /* A size query needs no HSM, but still an instance. */
    len = 0;
    CHECK_INT(CACipher_Random(NULL, 16, NULL, &len), CACIPHER_E_NOT_INITIALIZED);
    CHECK_INT(CACipher_Random((cacipher_t *)&h, 16, NULL, &len), CACIPHER_E_INVALID_ARG);
}

void test_null_arguments(void) {
    CHECK_INT(CACipher_Init(NULL), CACIPHER_E_INVALID_ARG);
    CHECK_CONTAINS(CACipher_LastError(), "NULL");
    CHECK_INT(CACipher_InitWithFile(NULL), CACIPHER_E_INVALID_ARG);
    CHECK_INT(CACipher_InitWithString(NULL), CACIPHER_E_INVALID_ARG);
    cacipher_t *h = (cacipher_t *)1;
    CHECK_INT(CACipher_Open(NULL, &h), CACIPHER_E_INVALID_ARG);
    CHECK(h == NULL);
    CHECK_INT(CACipher_Open(SEED_STRING, NULL), CACIPHER_E_INVALID_ARG);
    CHECK_INT(CACipher_Close(NULL), CACIPHER_E_INVALID_ARG);
    CHECK_INT(CACipher_InitWithString(SEED_STRING), CACIPHER_OK);
    CHECK_INT(CACipher_HostInfo(NULL, 0, NULL), CACIPHER_E_INVALID_ARG);
    CHECK_INT(CACipher_LogPath(NULL, NULL, NULL), CACIPHER_E_INVALID_ARG);
    CHECK_INT(CACipher_Finalize(), CACIPHER_OK);
}

void test_double_init(void) {
    CHECK_INT(CACipher_InitWithString(SEED_STRING), CACIPHER_OK);
    CHECK_INT(CACipher_InitWithString(SEED_STRING), CACIPHER_E_ALREADY_INITIALIZED);
    CHECK_CONTAINS(CACipher_LastError(), "already");
    CHECK_INT(CACipher_Init(SEED_STRING), CACIPHER_E_ALREADY_INITIALIZED);
    CHECK_INT(CACipher_HostCount(NULL), 2); /* the first instance is untouched */
    CHECK_INT(CACipher_Finalize(), CACIPHER_OK);
    CHECK_INT(CACipher_Finalize(), CACIPHER_E_NOT_INITIALIZED);
}

void test_reinit_after_finalize(void) {
    for (int round = 0; round < 3; round++) {
        CHECK_INT(CACipher_InitWithString(round % 2 ? SEED_STRING : "{[HOST1];host=127.0.0.1;port=9000}"), CACIPHER_OK);
        CHECK_INT(CACipher_HostCount(NULL), round % 2 ? 2 : 1);
        CHECK_INT(CACipher_Finalize(), CACIPHER_OK);
        CHECK_INT(CACipher_HostCount(NULL), CACIPHER_E_NOT_INITIALIZED);
    }
}

void test_open_close(void) {
    cacipher_t *a = NULL, *b = NULL;
    CHECK_INT(CACipher_Open(SEED_STRING, &a), CACIPHER_OK);
    CHECK_INT(CACipher_Open("{[HOST1];host=127.0.0.3;port=9001;linkNum=4}", &b), CACIPHER_OK);
    CHECK(a != NULL && b != NULL && a != b);
    /* Independent of each other and of the (absent) global instance. */
    CHECK_INT(CACipher_HostCount(NULL), CACIPHER_E_NOT_INITIALIZED);
    CHECK_INT(CACipher_HostCount(a), 2);
    CHECK_INT(CACipher_HostCount(b), 1);
    cacipher_host_info h;
    CHECK_INT(CACipher_HostInfo(b, 0, &h), CACIPHER_OK);
    CHECK_STR(h.host, "127.0.0.3");
    CHECK_INT(h.port, 9001);
    CHECK_INT(h.linkNum, 4);
    CHECK_INT(CACipher_InitWithString("{[HOST1];host=127.0.0.4;port=9002}"), CACIPHER_OK);
    CHECK_INT(CACipher_HostCount(NULL), 1);
    CHECK_INT(CACipher_HostCount(a), 2);
    CHECK_INT(CACipher_Finalize(), CACIPHER_OK);
    CHECK_INT(CACipher_HostCount(a), 2);
    CHECK_INT(CACipher_Close(a), CACIPHER_OK);
    CHECK_INT(CACipher_Close(a), CACIPHER_E_INVALID_ARG); /* closed twice: detected */
    CHECK_CONTAINS(CACipher_LastError(), "not an open handle");
    CHECK_INT(CACipher_HostCount(b), 1);
    CHECK_INT(CACipher_Close(b), CACIPHER_OK);
    /* A failed Open stores NULL. */
    cacipher_t *c = (cacipher_t *)&h;
    CHECK_INT(CACipher_Open("{[HOST1];host=127.0.0.1}", &c), CACIPHER_E_CONFIG);
    CHECK(c == NULL);
}

void test_buffer_convention(void) {
    cacipher_t *h = NULL;
    char path_cfg[600];
    snprintf(path_cfg, sizeof path_cfg, "{[LOGGER];logPath=%s;[HOST1];host=127.0.0.1;port=8018}", h_tmp_dir());
    CHECK_INT(CACipher_Open(path_cfg, &h), CACIPHER_OK);
    size_t want = strlen(h_tmp_dir()) + 1;
    size_t len = 0;
    CHECK_INT(CACipher_LogPath(h, NULL, &len), CACIPHER_OK); /* size query */
    CHECK_INT(len, want);
    char small[4] = { 'x', 'x', 'x', 'x' };
    len = sizeof small;
    CHECK_INT(CACipher_LogPath(h, small, &len), CACIPHER_E_BUFFER_TOO_SMALL);
    CHECK_INT(len, want);
    CHECK(small[0] == 'x'); /* nothing written */
    CHECK_CONTAINS(CACipher_LastError(), "too small");
    char exact[600];
    len = want;
    CHECK_INT(CACipher_LogPath(h, exact, &len), CACIPHER_OK);
    CHECK_INT(len, want);
    CHECK_STR(exact, h_tmp_dir());
    CHECK_INT(CACipher_Close(h), CACIPHER_OK);
}

/* Init/Finalize/HostCount from several threads at once: no crash, and every result is
 * one of the documented codes. */
static void *init_finalize_worker(void *arg) {
    int *bad = arg;
    for (int i = 0; i < 300; i++) {
        int rc = CACipher_InitWithString("{[LOGGER];logsw=;[HOST1];host=127.0.0.1;port=8018}");
        if (rc != CACIPHER_OK && rc != CACIPHER_E_ALREADY_INITIALIZED) (*bad)++;
        int n = CACipher_HostCount(NULL);
        if (n != 1 && n != CACIPHER_E_NOT_INITIALIZED) (*bad)++;
        cacipher_host_info h;
        rc = CACipher_HostInfo(NULL, 0, &h);
        if (rc == CACIPHER_OK && h.port != 8018) (*bad)++;
        if (rc != CACIPHER_OK && rc != CACIPHER_E_NOT_INITIALIZED) (*bad)++;
        rc = CACipher_Finalize();
        if (rc != CACIPHER_OK && rc != CACIPHER_E_NOT_INITIALIZED) (*bad)++;
    }
    return NULL;
}

void test_concurrent_init_finalize(void) {
    pthread_t t[4];
    int bad[4] = { 0 };
    for (int i = 0; i < 4; i++) CHECK_INT(pthread_create(&t[i], NULL, init_finalize_worker, &bad[i]), 0);
    for (int i = 0; i < 4; i++) { pthread_join(t[i], NULL); CHECK_INT(bad[i], 0); }
    CACipher_Finalize(); /* whatever state the race left */
    CHECK_INT(CACipher_HostCount(NULL), CACIPHER_E_NOT_INITIALIZED);
}
