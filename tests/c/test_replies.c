/* Key replies with a 6H, 8H or 16H check value through the C API (docs/wire.md "A shorter
 * KCV in a reply"): a scripted HSM on 127.0.0.1 (an ephemeral port; NC answered so the
 * member is admitted, every other command with the reply the test sets). The KCV comes back
 * as received, kcvLen its length; another length, a reply cut short or too long is
 * CACIPHER_E_BAD_FRAME with no buffer written. NG in the payShield layout gives the digits.
 * Bounded: every socket has a 5 s timeout. */
#define _POSIX_C_SOURCE 200809L
#include "../common/harness.h"
#include <cacipher.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static pthread_mutex_t r_lock = PTHREAD_MUTEX_INITIALIZER;
static char r_tail[256];   /* the reply's fields after the command's usual fields */
static int r_listen = -1;

/* The fields before the KCV in the reply to each command (after "00"). */
#define U_KEY "UABABABABABABABABABABABABABABABAB"
#define X_KEY "XCDCDCDCDCDCDCDCDCDCDCDCDCDCDCDCD"
static const char *before(const unsigned char *cmd) {
    static const struct { const char *cmd, *fields; } t[] = {
        { "A0", U_KEY }, { "A6", U_KEY }, { "A8", X_KEY }, { "A4", U_KEY }, { "BU", "" }, { "AN", U_KEY },
        { "AM", U_KEY }, { "KR", U_KEY }, { "KD", U_KEY }, { "SH", "0010" "EFEFEFEFEFEFEFEFEFEFEFEFEFEFEFEF" }, { "SI", U_KEY },
        { "NG", "" },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (cmd[0] == (unsigned char)t[i].cmd[0] && cmd[1] == (unsigned char)t[i].cmd[1]) return t[i].fields;
    return "";
}

static int read_full(int fd, unsigned char *p, size_t n) {
    while (n > 0) {
        ssize_t r = recv(fd, p, n, 0);
        if (r <= 0) return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

static void *serve(void *arg) {
    int fd = (int)(long)arg;
    struct timeval tv = { 5, 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    unsigned char len[2], body[4096], out[1024];
    for (;;) {
        if (read_full(fd, len, 2) != 0) break;
        size_t n = ((size_t)len[0] << 8) | len[1];
        if (n < 2 || n > sizeof body || read_full(fd, body, n) != 0) break;
        int m;
        if (body[0] == 'N' && body[1] == 'C') {
            m = snprintf((char *)out + 2, sizeof out - 2, "ND00" "08D7B4FB629D0885" "REPLY-TOLERANCE-PEER    " "SERIAL000001");
        } else {
            pthread_mutex_lock(&r_lock);
            m = snprintf((char *)out + 2, sizeof out - 2, "%c%c00%s%s", body[0], body[1] + 1, before(body), r_tail);
            pthread_mutex_unlock(&r_lock);
        }
        out[0] = (unsigned char)(m >> 8);
        out[1] = (unsigned char)m;
        if (send(fd, out, (size_t)m + 2, 0) != m + 2) break;
    }
    close(fd);
    return NULL;
}

static void *accept_loop(void *arg) {
    (void)arg;
    for (;;) {
        int fd = accept(r_listen, NULL, NULL);
        if (fd < 0) return NULL;
        pthread_t t;
        if (pthread_create(&t, NULL, serve, (void *)(long)fd) == 0) pthread_detach(t); else close(fd);
    }
}

static void set_tail(const char *t) {
    pthread_mutex_lock(&r_lock);
    snprintf(r_tail, sizeof r_tail, "%s", t);
    pthread_mutex_unlock(&r_lock);
}

static cacipher_t *open_peer(void) {
    static pthread_t acceptor;
    static int port;
    if (r_listen < 0) {
        r_listen = h_listen_loopback(&port, 8);
        if (r_listen < 0 || pthread_create(&acceptor, NULL, accept_loop, NULL) != 0) return NULL;
        pthread_detach(acceptor);
    }
    char cfg[256];
    snprintf(cfg, sizeof cfg, "{[LOGGER];logsw=;[HOST1];host=127.0.0.1;port=%d;linkNum=-1;timeout=5}", port);
    cacipher_t *h = NULL;
    return CACipher_Open(cfg, &h) == CACIPHER_OK ? h : NULL;
}

/* Each call with a KCV output: into kcv / *kcvLen (and key into key / *keyLen). */
#define NCALLS 10
static int call(cacipher_t *h, int i, char *key, size_t *keyLen, char *kcv, size_t *kcvLen) {
    const char *comps[2] = { U_KEY, U_KEY };
    const char *clear[2] = { "0123456789ABCDEF0123456789ABCDEF", "00000000000000000000000000000000" };
    switch (i) {
    case 0: return CACipher_GenerateKey(h, CACIPHER_KEY_ZPK, CACIPHER_SCHEME_DOUBLE_VARIANT, NULL, 0, 0, NULL, key, keyLen, NULL, NULL, kcv, kcvLen);
    case 1: return CACipher_ImportKey(h, CACIPHER_KEY_ZPK, U_KEY, X_KEY, CACIPHER_SCHEME_DOUBLE_VARIANT, 0, NULL, key, keyLen, kcv, kcvLen);
    case 2: return CACipher_ExportKey(h, CACIPHER_KEY_ZPK, U_KEY, U_KEY, CACIPHER_SCHEME_DOUBLE_X917, key, keyLen, kcv, kcvLen);
    case 3: return CACipher_FormKeyFromComponents(h, CACIPHER_KEY_ZPK, CACIPHER_SCHEME_DOUBLE_VARIANT, comps, 2, key, keyLen, kcv, kcvLen);
    case 4: return CACipher_ConvertKeyType(h, CACIPHER_KEY_ZPK, U_KEY, CACIPHER_KEY_ZAK, CACIPHER_SCHEME_DOUBLE_VARIANT, key, keyLen, kcv, kcvLen);
    case 5: return CACipher_FormKeyFromClearComponents(h, CACIPHER_KEY_ZPK, CACIPHER_SCHEME_DOUBLE_VARIANT, clear, 2, 0, NULL, key, keyLen, kcv, kcvLen);
    case 6: return CACipher_GenerateAndStoreKey(h, CACIPHER_KEY_ZPK, CACIPHER_SCHEME_DOUBLE_VARIANT, 0, NULL, key, keyLen, kcv, kcvLen);
    case 7: return CACipher_DeriveKey(h, CACIPHER_KEY_MK_AC, U_KEY, CACIPHER_KEY_MK_AC, CACIPHER_SCHEME_DOUBLE_VARIANT, 0, "1122334455667788", 0, NULL,
                                      key, keyLen, kcv, kcvLen);
    case 8: return CACipher_ExportKeyUnderProtection(h, 0, CACIPHER_KEY_ZMK, U_KEY, NULL, 0, NULL, CACIPHER_KEY_ZPK, U_KEY, NULL, NULL,
                                                     key, keyLen, kcv, kcvLen);
    default: return CACipher_ImportKeyUnderProtection(h, 0, CACIPHER_KEY_ZMK, U_KEY, NULL, 0, NULL, CACIPHER_KEY_ZPK, CACIPHER_SCHEME_DOUBLE_VARIANT,
                                                      "44444444444444444444444444444444", NULL, 0, NULL, NULL, 0, NULL, key, keyLen, kcv, kcvLen);
    }
}

void test_kcv_lengths(void) {
    cacipher_t *h = open_peer();
    CHECK(h != NULL);
    if (!h) return;
    static const char *const kcvs[] = { "012345", "01234567", "0123456789ABCDEF" };
    for (int k = 0; k < 3; k++) {
        set_tail(kcvs[k]);
        for (int i = 0; i < NCALLS; i++) {
            char key[CACIPHER_PROTECTED_KEY_BUFSIZE] = "", kcv[CACIPHER_KCV_BUFSIZE] = "";
            size_t kn = sizeof key, cn = sizeof kcv;
            int rc = call(h, i, key, &kn, kcv, &cn);
            if (rc != CACIPHER_OK) fprintf(stderr, "  call %d with %s: %d %s\n", i, kcvs[k], rc, CACipher_LastError());
            CHECK_INT(rc, CACIPHER_OK);
            CHECK_STR(kcv, kcvs[k]);
            CHECK_INT(cn, strlen(kcvs[k]) + 1); /* the NUL is counted (docs/c-api.md) */
        }
        char kcv[CACIPHER_KCV_BUFSIZE] = "";
        size_t cn = sizeof kcv;
        CHECK_INT(CACipher_KeyCheckValue(h, CACIPHER_KEY_ZPK, U_KEY, kcv, &cn), CACIPHER_OK);
        CHECK_STR(kcv, kcvs[k]);
    }
    CHECK_INT(CACipher_Close(h), CACIPHER_OK);
}

void test_kcv_bad_replies(void) {
    cacipher_t *h = open_peer();
    CHECK(h != NULL);
    if (!h) return;
    static const char *const tails[] = { "", "0123", "01234", "0123456789", "0123456789ABCDEF0", "0123456789ABCDEF01",
                                         "0123456G", "0123456789ABCDEF0123456789ABCDEF01" };
    for (size_t t = 0; t < sizeof tails / sizeof tails[0]; t++) {
        set_tail(tails[t]);
        for (int i = 0; i < NCALLS; i++) {
            char key[CACIPHER_PROTECTED_KEY_BUFSIZE], kcv[CACIPHER_KCV_BUFSIZE];
            memset(key, '#', sizeof key);
            memset(kcv, '#', sizeof kcv);
            size_t kn = sizeof key, cn = sizeof kcv;
            int rc = call(h, i, key, &kn, kcv, &cn);
            if (rc != CACIPHER_E_BAD_FRAME) fprintf(stderr, "  call %d with %zu characters: %d\n", i, strlen(tails[t]), rc);
            CHECK_INT(rc, CACIPHER_E_BAD_FRAME);
            CHECK(key[0] == '#' && key[sizeof key - 1] == '#' && kcv[0] == '#' && kcv[sizeof kcv - 1] == '#');
        }
    }
    CHECK_INT(CACipher_Close(h), CACIPHER_OK);
}

void test_ng_reply_layouts(void) {
    cacipher_t *h = open_peer();
    CHECK(h != NULL);
    if (!h) return;
    static const char *const ok[][2] = { { "1234", "1234" }, { "1234F", "1234" }, { "1234FFFF000000123456", "1234" },
                                        { "123456789012F987654321098", "123456789012" } };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        set_tail(ok[i][0]);
        char pin[CACIPHER_PIN_BUFSIZE] = "";
        size_t pn = sizeof pin;
        CHECK_INT(CACipher_DecryptPIN(h, "987654321098", "0123456789ABCDEF", pin, &pn), CACIPHER_OK);
        CHECK_STR(pin, ok[i][1]);
    }
    static const char *const bad[] = { "", "1234X", "1234F12345", "12345678901234567" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        set_tail(bad[i]);
        char pin[CACIPHER_PIN_BUFSIZE];
        memset(pin, '#', sizeof pin);
        size_t pn = sizeof pin;
        CHECK_INT(CACipher_DecryptPIN(h, "987654321098", "0123456789ABCDEF", pin, &pn), CACIPHER_E_BAD_FRAME);
        CHECK(pin[0] == '#');
        CHECK(strstr(CACipher_LastError(), "1234") == NULL);
    }
    CHECK_INT(CACipher_Close(h), CACIPHER_OK);
}
