/*
 * hostile.c - libcacipher's C ABI under hostile input.
 *
 *   hostile CONFIG FAKE_DIR
 *
 * CONFIG: a configuration for one evsm --test-lmk (header length 2).
 * FAKE_DIR: a writable directory for the configurations (and logs) of the fake HSM.
 *
 * Part 1 (the caller is hostile): every exported CACipher_* function with NULL for each
 * pointer argument, zero and huge lengths, *len smaller than needed (guard bytes after
 * the buffer: nothing may be written), non-hex and odd-length hex, over-long key fields,
 * bad enum values, negative and huge indexes, the global instance before Init, a closed
 * handle. Each call must return the documented code and leave a non-empty
 * CACipher_LastError naming the function.
 *
 * Part 2 (the HSM is hostile): a fake HSM in this process (a thread on 127.0.0.1, an
 * ephemeral port) answers NC correctly and then every command with one kind of garbage:
 * oversize length prefixes, truncated replies, wrong response codes, non-digit error
 * codes, huge field lengths inside otherwise valid replies, missing fields, no answer.
 * Every typed call and CACipher_Transmit must come back with a library error (never OK,
 * never a crash, never longer than the read timeout allows: an alarm() watchdog kills a
 * hang).
 *
 * Last line: `hostile: N passed, M failed` (one count per test function).
 */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include <cacipher.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include "../common/harness.h"

static cacipher_t *H;          /* a handle on the evsm of CONFIG */
static const char *g_config;
static const char *g_fake_dir;   /* FAKE_DIR (argv[2]) */

/* Marks the per-thread last error (with a failing call whose message no test expects) so
 * a call that fails without setting it is caught. */
static char MARK[512];
static void mark(void) { CACipher_Random(NULL, 987654, NULL, NULL); }
static void mark_init(void) {
    mark();
    snprintf(MARK, sizeof MARK, "%s", CACipher_LastError());
}

/* The function name at the start of a call's text ("CACipher_X(" -> "CACipher_X"). */
static void fname(const char *call, char *out, size_t n) {
    size_t i = 0;
    while (call[i] && call[i] != '(' && i + 1 < n) { out[i] = call[i]; i++; }
    out[i] = 0;
}

static void expect_rc(int rc, int want, const char *call, int line) {
    if (rc != want) {
        h_fail_at(__FILE__, line, "%.160s = %d, expected %d (%s)", call, rc, want, CACipher_LastError());
        return;
    }
    if (rc == CACIPHER_OK) return;
    const char *e = CACipher_LastError();
    char fn[64];
    fname(call, fn, sizeof fn);
    if (e == NULL || e[0] == 0 || strcmp(e, MARK) == 0) {
        h_fail_at(__FILE__, line, "%s returned %d without a last error", fn, rc);
    } else if (want == CACIPHER_E_INVALID_ARG && strstr(e, fn) == NULL) {
        h_fail_at(__FILE__, line, "last error \"%s\" does not name %s", e, fn);
    }
}
/* EXPECT(call, code): the call returns code; a failure leaves a fresh, non-empty last error. */
#define EXPECT(call, want) do { mark(); int rc_ = (call); expect_rc(rc_, (want), #call, __LINE__); } while (0)


/* ---------------------------------------------------------------- fixtures (test LMK, public values; see tests/typed/typed.c) */

static const char *ZMK = "UE13D662B185F5F3B08594F89F1FF903A";
static const char *K_UNDER_ZMK = "XF7EADC2F5D816B05E754C72C084E2244";
static const char *ZPK_IMPORT = "X7BC09407A015F72FC59C32147D2AAE57";
static const char *ACCT = "987654321098";
static const unsigned char DATA16[17] = "0123456789ABCDEF";   /* 16 bytes used */
static const char *HEX64 = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF";
/* The size of an SM2 private key blob under the LMK (40 bytes). */
static const char *HEX80 = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF";
static const char *HEX128 = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
                            "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF";

/* Made from evsm in setup(). */
static char ZPK[CACIPHER_KEY_BUFSIZE], TPK[CACIPHER_KEY_BUFSIZE], TAK[CACIPHER_KEY_BUFSIZE], ZEK[CACIPHER_KEY_BUFSIZE];
static char PIN_LMK[CACIPHER_PIN_LMK_BUFSIZE], PIN_BLOCK[CACIPHER_PIN_BLOCK_BUFSIZE], MAC[CACIPHER_MAC_BUFSIZE];
static char SM2_PUB[CACIPHER_SM2_PUBLIC_KEY_BUFSIZE], SM2_PRIV[CACIPHER_SM2_PRIVATE_KEY_BUFSIZE], SM2_SIG[CACIPHER_SM2_SIGNATURE_BUFSIZE];
static unsigned char SM2_CT[16 + CACIPHER_SM2_CIPHER_OVERHEAD];
static size_t SM2_CT_LEN;

static void import(int type, char *buf) {
    char kcv[CACIPHER_KCV_BUFSIZE];
    size_t n = CACIPHER_KEY_BUFSIZE, kn = sizeof kcv;
    EXPECT(CACipher_ImportKey(H, type, ZMK, K_UNDER_ZMK, CACIPHER_SCHEME_DOUBLE_VARIANT, 0, NULL, buf, &n, kcv, &kn), CACIPHER_OK);
}

static void setup(void) {
    EXPECT(CACipher_Open(g_config, &H), CACIPHER_OK);
    import(CACIPHER_KEY_ZPK, ZPK);
    import(CACIPHER_KEY_TPK, TPK);
    import(CACIPHER_KEY_TAK, TAK);
    import(CACIPHER_KEY_ZEK, ZEK);
    size_t n = sizeof PIN_LMK;
    EXPECT(CACipher_EncryptPIN(H, "1234", ACCT, PIN_LMK, &n), CACIPHER_OK);
    n = sizeof PIN_BLOCK;
    EXPECT(CACipher_PINLMKToBlock(H, ZPK, CACIPHER_PIN_FORMAT_ISO0, ACCT, PIN_LMK, PIN_BLOCK, &n), CACIPHER_OK);
    n = sizeof MAC;
    EXPECT(CACipher_GenerateMAC(H, CACIPHER_MAC_ONLY, CACIPHER_MAC_ALG3, CACIPHER_MAC_PAD_NONE, CACIPHER_MAC_SIZE_8,
                                CACIPHER_KEY_TAK, TAK, NULL, DATA16, 16, MAC, &n), CACIPHER_OK);
    size_t pn = sizeof SM2_PUB, kn = sizeof SM2_PRIV;
    EXPECT(CACipher_SM2GenerateKeyPair(H, 0, NULL, SM2_PUB, &pn, SM2_PRIV, &kn), CACIPHER_OK);
    n = sizeof SM2_SIG;
    EXPECT(CACipher_SM2Sign(H, SM2_PRIV, NULL, 0, DATA16, 16, SM2_SIG, &n), CACIPHER_OK);
    SM2_CT_LEN = sizeof SM2_CT;
    EXPECT(CACipher_SM2Encrypt(H, SM2_PUB, DATA16, 16, SM2_CT, &SM2_CT_LEN), CACIPHER_OK);
}

/* ---------------------------------------------------------------- output buffers with guard bytes */

#define GUARD 32
#define FILL 0xA5

static int untouched(const unsigned char *b, size_t from, size_t to) {
    for (size_t i = from; i < to; i++) if (b[i] != FILL) return 0;
    return 1;
}

/* One output: f(buf, len) with the valid arguments fixed inside. */
typedef int (*out1_fn)(void *buf, size_t *len);

/* The output convention of one call: size query, exact size (nothing past *len written),
 * every smaller capacity (nothing written at all, *len = needed), NULL len. */
static void check_out1(const char *name, out1_fn f, int text) {
    size_t need = 0;
    mark();
    int rc = f(NULL, &need);
    if (rc != CACIPHER_OK || need == 0 || need > 70000) {
        H_FAIL("%s: size query = %d, *len %zu (%s)", name, rc, need, CACipher_LastError()); return;
    }
    unsigned char *b = malloc(need + GUARD);
    if (!b) { H_FAIL("out of memory"); return; }
    /* exact size */
    memset(b, FILL, need + GUARD);
    size_t n = need;
    rc = f(b, &n);
    if (rc != CACIPHER_OK || n != need) { H_FAIL("%s: exact size = %d, *len %zu of %zu", name, rc, n, need); }
    if (!untouched(b, need, need + GUARD)) { H_FAIL("%s: wrote past *len", name); }
    if (text && rc == CACIPHER_OK && (b[need - 1] != 0 || strlen((char *)b) != need - 1)) { H_FAIL("%s: text not NUL-terminated at *len-1", name); }
    /* smaller capacities: 0, 1, need-1 (and a middle one) */
    size_t caps[4] = { 0, 1, need / 2, need - 1 };
    for (int i = 0; i < 4; i++) {
        if (caps[i] >= need) continue;
        memset(b, FILL, need + GUARD);
        n = caps[i];
        mark();
        rc = f(b, &n);
        if (rc != CACIPHER_E_BUFFER_TOO_SMALL || n != need) {
            H_FAIL("%s: capacity %zu = %d, *len %zu (need %zu)", name, caps[i], rc, n, need);
        } else if (CACipher_LastError()[0] == 0 || strcmp(CACipher_LastError(), MARK) == 0) {
            H_FAIL("%s: BUFFER_TOO_SMALL without a last error", name);
        }
        if (!untouched(b, 0, need + GUARD)) { H_FAIL("%s: capacity %zu: bytes written", name, caps[i]); }
    }
    /* len NULL */
    mark();
    rc = f(b, NULL);
    if (rc != CACIPHER_E_INVALID_ARG) { H_FAIL("%s: len NULL = %d", name, rc); }
    else if (strcmp(CACipher_LastError(), MARK) == 0 || CACipher_LastError()[0] == 0) { H_FAIL("%s: len NULL without a last error", name); }
    free(b);
}

/* Two outputs, all or nothing: f(b1, l1, b2, l2). */
typedef int (*out2_fn)(void *b1, size_t *l1, void *b2, size_t *l2);

static void check_out2(const char *name, out2_fn f) {
    size_t n1 = 0, n2 = 0;
    int rc = f(NULL, &n1, NULL, &n2);
    if (rc != CACIPHER_OK || n1 == 0 || n2 == 0 || n1 > 70000 || n2 > 70000) {
        H_FAIL("%s: size query = %d (%zu, %zu) %s", name, rc, n1, n2, CACipher_LastError()); return;
    }
    size_t need1 = n1, need2 = n2;
    unsigned char *b1 = malloc(need1 + GUARD), *b2 = malloc(need2 + GUARD);
    if (!b1 || !b2) { free(b1); free(b2); H_FAIL("out of memory"); return; }
    for (int which = 0; which < 3; which++) {   /* 0: first short, 1: second short, 2: second NULL */
        memset(b1, FILL, need1 + GUARD); memset(b2, FILL, need2 + GUARD);
        n1 = which == 0 ? need1 - 1 : need1;
        n2 = which == 1 ? need2 - 1 : need2;
        mark();
        rc = f(b1, &n1, which == 2 ? NULL : b2, &n2);
        if (rc != CACIPHER_E_BUFFER_TOO_SMALL || n1 != need1 || n2 != need2) {
            H_FAIL("%s: case %d = %d (%zu, %zu; need %zu, %zu)", name, which, rc, n1, n2, need1, need2);
        }
        if (!untouched(b1, 0, need1 + GUARD) || !untouched(b2, 0, need2 + GUARD)) {
            H_FAIL("%s: case %d: bytes written", name, which);
        }
    }
    memset(b1, FILL, need1 + GUARD); memset(b2, FILL, need2 + GUARD);
    n1 = need1; n2 = need2;
    rc = f(b1, &n1, b2, &n2);
    if (rc != CACIPHER_OK) { H_FAIL("%s: exact = %d", name, rc); }
    if (!untouched(b1, need1, need1 + GUARD) || !untouched(b2, need2, need2 + GUARD)) { H_FAIL("%s: wrote past *len", name); }
    free(b1); free(b2);
}

/* The single-output calls, valid arguments. */
static int o_logpath(void *b, size_t *l) { return CACipher_LogPath(H, b, l); }
static int o_transmit(void *b, size_t *l) { return CACipher_Transmit(H, (const unsigned char *)"B20004ABCD", 10, b, l); }
static int o_kcv(void *b, size_t *l) { return CACipher_KeyCheckValue(H, CACIPHER_KEY_ZPK, ZPK, b, l); }
static int o_ca(void *b, size_t *l) { return CACipher_TranslatePIN_TPKtoZPK(H, TPK, ZPK, 12, PIN_BLOCK, 1, 1, ACCT, b, l, NULL); }
static int o_cc(void *b, size_t *l) { return CACipher_TranslatePIN_ZPKtoZPK(H, ZPK, ZPK, 12, PIN_BLOCK, 1, 1, ACCT, b, l, NULL); }
static int o_ti(void *b, size_t *l) { return CACipher_TranslatePIN(H, CACIPHER_PIN_KEY_ZPK, ZPK, CACIPHER_PIN_KEY_ZPK, ZPK, 12, PIN_BLOCK, 1, ACCT, 1, ACCT, b, l); }
static int o_je(void *b, size_t *l) { return CACipher_PINBlockToLMK(H, ZPK, PIN_BLOCK, 1, ACCT, b, l); }
static int o_jg(void *b, size_t *l) { return CACipher_PINLMKToBlock(H, ZPK, 1, ACCT, PIN_LMK, b, l); }
static int o_ba(void *b, size_t *l) { return CACipher_EncryptPIN(H, "1234", ACCT, b, l); }
static int o_ng(void *b, size_t *l) { return CACipher_DecryptPIN(H, ACCT, PIN_LMK, b, l); }
static int o_m6(void *b, size_t *l) { return CACipher_GenerateMAC(H, 0, 3, 0, 1, CACIPHER_KEY_TAK, TAK, NULL, DATA16, 16, b, l); }
static int o_m0(void *b, size_t *l) { return CACipher_EncryptData(H, CACIPHER_MODE_ECB, CACIPHER_KEY_ZEK, ZEK, NULL, DATA16, 16, b, l, NULL, NULL); }
static int o_m2(void *b, size_t *l) { return CACipher_DecryptData(H, CACIPHER_MODE_ECB, CACIPHER_KEY_ZEK, ZEK, NULL, DATA16, 16, b, l, NULL, NULL); }
static int o_cr(void *b, size_t *l) { return CACipher_Random(H, 16, b, l); }
static int o_3c(void *b, size_t *l) { return CACipher_Hash(H, CACIPHER_HASH_SHA256, DATA16, 16, NULL, 0, NULL, b, l); }
static int o_b2(void *b, size_t *l) { return CACipher_Echo(H, DATA16, 16, b, l); }
static int o_e3(void *b, size_t *l) { return CACipher_SM2PublicKey(H, SM2_PRIV, b, l); }
static int o_e6(void *b, size_t *l) { return CACipher_SM2Sign(H, SM2_PRIV, NULL, 0, DATA16, 16, b, l); }
static int o_e4(void *b, size_t *l) { return CACipher_SM2Encrypt(H, SM2_PUB, DATA16, 16, b, l); }
static int o_e5(void *b, size_t *l) { return CACipher_SM2Decrypt(H, SM2_PRIV, SM2_CT, SM2_CT_LEN, b, l); }
static int o_nc(void *b, size_t *l) { return CACipher_DeviceInfo(H, b, l, NULL, NULL, NULL, NULL); }

static int o2_a0(void *b1, size_t *l1, void *b2, size_t *l2) { return CACipher_GenerateKey(H, CACIPHER_KEY_ZPK, 'U', NULL, 0, 0, NULL, b1, l1, NULL, NULL, b2, l2); }
static int o2_a6(void *b1, size_t *l1, void *b2, size_t *l2) { return CACipher_ImportKey(H, CACIPHER_KEY_ZPK, ZMK, ZPK_IMPORT, 'U', 0, NULL, b1, l1, b2, l2); }
static int o2_a8(void *b1, size_t *l1, void *b2, size_t *l2) { return CACipher_ExportKey(H, CACIPHER_KEY_ZPK, ZMK, ZPK, 'X', b1, l1, b2, l2); }
static int o2_a4(void *b1, size_t *l1, void *b2, size_t *l2) {
    const char *c[2] = { ZPK, ZPK };
    return CACipher_FormKeyFromComponents(H, CACIPHER_KEY_ZPK, 'U', c, 2, b1, l1, b2, l2);
}
static int o2_e1(void *b1, size_t *l1, void *b2, size_t *l2) { return CACipher_SM2GenerateKeyPair(H, 0, NULL, b1, l1, b2, l2); }
static int o2_m0cbc(void *b1, size_t *l1, void *b2, size_t *l2) {
    return CACipher_EncryptData(H, CACIPHER_MODE_CBC, CACIPHER_KEY_ZEK, ZEK, "1111111111111111", DATA16, 16, b1, l1, b2, l2);
}
static int o2_nc(void *b1, size_t *l1, void *b2, size_t *l2) { return CACipher_DeviceInfo(H, b1, l1, b2, l2, NULL, NULL); }

static void test_output_buffers(void) {
    check_out1("LogPath", o_logpath, 1);
    check_out1("Transmit", o_transmit, 0);
    check_out1("KeyCheckValue", o_kcv, 1);
    check_out1("TranslatePIN_TPKtoZPK", o_ca, 1);
    check_out1("TranslatePIN_ZPKtoZPK", o_cc, 1);
    check_out1("TranslatePIN", o_ti, 1);
    check_out1("PINBlockToLMK", o_je, 1);
    check_out1("PINLMKToBlock", o_jg, 1);
    check_out1("EncryptPIN", o_ba, 1);
    check_out1("DecryptPIN", o_ng, 1);
    check_out1("GenerateMAC", o_m6, 1);
    check_out1("EncryptData", o_m0, 0);
    check_out1("DecryptData", o_m2, 0);
    check_out1("Random", o_cr, 0);
    check_out1("Hash", o_3c, 0);
    check_out1("Echo", o_b2, 0);
    check_out1("SM2PublicKey", o_e3, 1);
    check_out1("SM2Sign", o_e6, 1);
    check_out1("SM2Encrypt", o_e4, 0);
    check_out1("SM2Decrypt", o_e5, 0);
    check_out1("DeviceInfo", o_nc, 1);
    check_out2("GenerateKey", o2_a0);
    check_out2("ImportKey", o2_a6);
    check_out2("ExportKey", o2_a8);
    check_out2("FormKeyFromComponents", o2_a4);
    check_out2("SM2GenerateKeyPair", o2_e1);
    check_out2("EncryptData CBC", o2_m0cbc);
    check_out2("DeviceInfo", o2_nc);
}

/* ---------------------------------------------------------------- NULL, lengths, hex, enums per function */

#define INV CACIPHER_E_INVALID_ARG
#define HUGE_LEN ((size_t)1 << 40)

static char kb[CACIPHER_KEY_BUFSIZE], kb2[CACIPHER_KEY_BUFSIZE], cb[CACIPHER_KCV_BUFSIZE];
static size_t kn, kn2, cn;
static void reset(void) { kn = sizeof kb; kn2 = sizeof kb2; cn = sizeof cb; }

static void test_lifecycle_args(void) {
    EXPECT(CACipher_Init(NULL), INV);
    EXPECT(CACipher_InitWithFile(NULL), INV);
    EXPECT(CACipher_InitWithString(NULL), INV);
    EXPECT(CACipher_InitWithFile("/nonexistent/cacipher.ini"), CACIPHER_E_CONFIG_FILE);
    EXPECT(CACipher_InitWithString(""), CACIPHER_E_CONFIG);
    EXPECT(CACipher_InitWithString("{[HOST1];host=127.0.0.1;port=99999}"), CACIPHER_E_CONFIG);
    EXPECT(CACipher_InitWithString("{[LOGGER];logsw=error;logPath=/proc/nonexistent/dir;[HOST1];host=127.0.0.1;port=8018}"), CACIPHER_E_LOG);
    EXPECT(CACipher_Finalize(), CACIPHER_E_NOT_INITIALIZED);
    cacipher_t *h = (cacipher_t *)0x1;
    EXPECT(CACipher_Open(NULL, &h), INV);
    CHECK(h == NULL);
    EXPECT(CACipher_Open(g_config, NULL), INV);
    h = (cacipher_t *)0x1;
    EXPECT(CACipher_Open("{[HOST1];host=127.0.0.1;port=0x50}", &h), CACIPHER_E_CONFIG);
    CHECK(h == NULL);
    EXPECT(CACipher_Close(NULL), INV);
    int not_a_handle = 0;
    EXPECT(CACipher_Close((cacipher_t *)&not_a_handle), INV);
    /* A configuration far longer than any line, and binary garbage. */
    size_t big = 1 << 20;
    char *s = malloc(big + 3);
    if (s) {
        s[0] = '{'; memset(s + 1, 'A', big); s[big + 1] = '}'; s[big + 2] = 0;
        EXPECT(CACipher_InitWithString(s), CACIPHER_E_CONFIG);
        CHECK(CACipher_LastErrorKind() == CACIPHER_CONFIG_SYNTAX);  /* over 1 MiB */
        for (size_t i = 1; i <= big; i++) s[i] = (char)(1 + (i * 131) % 255);
        EXPECT(CACipher_InitWithString(s), CACIPHER_E_CONFIG);
        CHECK(CACipher_LastErrorKind() == CACIPHER_CONFIG_SYNTAX);
        h = (cacipher_t *)0x1;
        EXPECT(CACipher_OpenWithOptions(s, CACIPHER_OPEN_KNOWN_MODELS_ONLY, &h), CACIPHER_E_CONFIG);
        CHECK(h == NULL);
        free(s);
    }
    /* a FIFO nobody writes to: a clear error within a few seconds, not a hang */
    char fifo[600];
    snprintf(fifo, sizeof fifo, "%s/no-writer.fifo", g_fake_dir);
    unlink(fifo);
    if (mkfifo(fifo, 0600) == 0) {
        alarm(30);
        EXPECT(CACipher_InitWithFile(fifo), CACIPHER_E_CONFIG_FILE);
        h = (cacipher_t *)0x1;
        EXPECT(CACipher_Open(fifo, &h), CACIPHER_E_CONFIG_FILE);
        CHECK(CACipher_LastErrorKind() == CACIPHER_CONFIG_FILE_UNREADABLE);
        alarm(0);
        unlink(fifo);
    } else { H_FAIL("mkfifo failed"); }
    EXPECT(CACipher_InitWithFile("/dev/zero"), CACIPHER_E_CONFIG_FILE);   /* endless: refused at 1 MB */
    CHECK(CACipher_LastErrorKind() == CACIPHER_CONFIG_FILE_UNREADABLE);
    /* CACipher_OpenWithOptions: NULLs, option bits it does not know, a model of control characters */
    h = (cacipher_t *)0x1;
    EXPECT(CACipher_OpenWithOptions(NULL, CACIPHER_OPEN_KNOWN_MODELS_ONLY, &h), INV);
    CHECK(h == NULL);
    EXPECT(CACipher_OpenWithOptions(g_config, CACIPHER_OPEN_KNOWN_MODELS_ONLY, NULL), INV);
    unsigned int bits[] = { 0x2u, 0x3u, 0x80000000u, 0xFFFFFFFFu };
    for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++) {
        h = (cacipher_t *)0x1;
        EXPECT(CACipher_OpenWithOptions(g_config, bits[i], &h), INV);
        CHECK(h == NULL && CACipher_LastErrorKind() == CACIPHER_CONFIG_NONE);
    }
    EXPECT(CACipher_OpenWithOptions("{[HOST1];host=127.0.0.1;port=8018;hsmModel=\x01\x7f}", CACIPHER_OPEN_KNOWN_MODELS_ONLY, &h),
           CACIPHER_E_CONFIG);
    CHECK(CACipher_LastErrorKind() == CACIPHER_CONFIG_BAD_VALUE);
    EXPECT(CACipher_OpenWithOptions("{[HOST1];host=127.0.0.1;port=8018;hsmModel=\xe6\xa8\xa1\xe5\x9e\x8b}", CACIPHER_OPEN_KNOWN_MODELS_ONLY, &h),
           CACIPHER_E_CONFIG);  /* non-ASCII: refused by the value rule before the model list */
    CHECK(CACipher_LastErrorKind() == CACIPHER_CONFIG_BAD_VALUE);
    /* ErrorString / Version never NULL, for any code */
    int codes[] = { INT32_MIN, -1000, -100, -99, -18, -1, 0, 1, 99, 100, 1000, INT32_MAX };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) CHECK(CACipher_ErrorString(codes[i]) != NULL && CACipher_ErrorString(codes[i])[0] != 0);
    CHECK(CACipher_Version() != NULL && CACipher_LastError() != NULL);
}

static void test_info_args(void) {
    cacipher_host_info info;
    cacipher_host_status st;
    EXPECT(CACipher_HostInfo(H, 0, NULL), INV);
    EXPECT(CACipher_HostInfo(H, -1, &info), INV);
    EXPECT(CACipher_HostInfo(H, 1, &info), INV);
    EXPECT(CACipher_HostInfo(H, INT32_MAX, &info), INV);
    EXPECT(CACipher_HostInfo(H, INT32_MIN, &info), INV);
    EXPECT(CACipher_HostStatus(H, 0, NULL), INV);
    EXPECT(CACipher_HostStatus(H, -1, &st), INV);
    EXPECT(CACipher_HostStatus(H, INT32_MAX, &st), INV);
    EXPECT(CACipher_HostStatus(H, INT32_MIN, &st), INV);
    EXPECT(CACipher_HostInfo(H, 0, &info), CACIPHER_OK);
    CHECK(memchr(info.host, 0, sizeof info.host) && memchr(info.section, 0, sizeof info.section));
    EXPECT(CACipher_HostStatus(H, 0, &st), CACIPHER_OK);
    CHECK(memchr(st.lastError, 0, sizeof st.lastError) && memchr(st.dmkCheckValue, 0, sizeof st.dmkCheckValue));
    EXPECT(CACipher_LogPath(H, NULL, NULL), INV);
}

static void test_transmit_args(void) {
    unsigned char r[64];
    size_t n = sizeof r;
    EXPECT(CACipher_Transmit(H, NULL, 10, r, &n), INV);
    EXPECT(CACipher_Transmit(H, (const unsigned char *)"B2", 2, r, NULL), INV);
    EXPECT(CACipher_Transmit(H, (const unsigned char *)"B2", 0, r, &n), INV);
    EXPECT(CACipher_Transmit(H, (const unsigned char *)"B2", 1, r, &n), INV);
    EXPECT(CACipher_Transmit(H, (const unsigned char *)"B2", SIZE_MAX, r, &n), INV);
    EXPECT(CACipher_Transmit(H, (const unsigned char *)"B2", HUGE_LEN, r, &n), INV);
    /* the largest command plus the 2-byte header does not fit a frame: an argument error, nothing sent */
    unsigned char *big = malloc(65535);
    if (big) {
        memset(big, 'A', 65535); big[0] = 'B'; big[1] = '2';
        n = sizeof r;
        EXPECT(CACipher_Transmit(H, big, 65535, r, &n), INV);
        free(big);
    }
    /* garbage commands reach the HSM and come back with its error, not a crash */
    unsigned char junk[40];
    for (size_t i = 0; i < sizeof junk; i++) junk[i] = (unsigned char)(i * 37 + 1);
    n = 65535;
    unsigned char *rsp = malloc(65535);
    if (rsp) {
        int rc = CACipher_Transmit(H, junk, sizeof junk, rsp, &n);
        CHECK(rc == CACIPHER_OK || rc < 0);
        n = 65535;
        EXPECT(CACipher_Transmit(H, (const unsigned char *)"B2FFFF", 6, rsp, &n), CACIPHER_OK);   /* length beyond the data */
        CHECK(n >= 4 && !(rsp[2] == '0' && rsp[3] == '0'));
        free(rsp);
    }
}

static void test_keys_args(void) {
    const char *comp[3] = { ZPK, ZPK, NULL };
    reset();
    /* GenerateKey */
    EXPECT(CACipher_GenerateKey(H, -1, 'U', NULL, 0, 0, NULL, kb, &kn, NULL, NULL, cb, &cn), INV);
    EXPECT(CACipher_GenerateKey(H, 0xA00, 'U', NULL, 0, 0, NULL, kb, &kn, NULL, NULL, cb, &cn), INV);
    EXPECT(CACipher_GenerateKey(H, INT32_MIN, 'U', NULL, 0, 0, NULL, kb, &kn, NULL, NULL, cb, &cn), INV);
    EXPECT(CACipher_GenerateKey(H, 1, 0, NULL, 0, 0, NULL, kb, &kn, NULL, NULL, cb, &cn), INV);
    EXPECT(CACipher_GenerateKey(H, 1, -85, NULL, 0, 0, NULL, kb, &kn, NULL, NULL, cb, &cn), INV);
    EXPECT(CACipher_GenerateKey(H, 1, 'U' + 256, NULL, 0, 0, NULL, kb, &kn, NULL, NULL, cb, &cn), INV);
    EXPECT(CACipher_GenerateKey(H, 1, 'U', "U123", 0, 0, NULL, kb, &kn, kb2, &kn2, cb, &cn), INV);
    EXPECT(CACipher_GenerateKey(H, 1, 'U', ZMK, 'Q', 0, NULL, kb, &kn, kb2, &kn2, cb, &cn), INV);
    EXPECT(CACipher_GenerateKey(H, 1, 'U', ZMK, 0, 0, NULL, kb, &kn, kb2, NULL, cb, &cn), INV);
    EXPECT(CACipher_GenerateKey(H, 1, 'U', NULL, 0, -1, NULL, kb, &kn, NULL, NULL, cb, &cn), INV);
    EXPECT(CACipher_GenerateKey(H, 1, 'U', NULL, 0, 10000, NULL, kb, &kn, NULL, NULL, cb, &cn), INV);
    EXPECT(CACipher_GenerateKey(H, 1, 'U', NULL, 0, INT32_MIN, NULL, kb, &kn, NULL, NULL, cb, &cn), INV);
    EXPECT(CACipher_GenerateKey(H, 1, 'U', NULL, 0, 5, "tab\there", kb, &kn, NULL, NULL, cb, &cn), INV);
    char longlabel[200]; memset(longlabel, 'L', sizeof longlabel - 1); longlabel[199] = 0;
    EXPECT(CACipher_GenerateKey(H, 1, 'U', NULL, 0, 5, longlabel, kb, &kn, NULL, NULL, cb, &cn), INV);
    EXPECT(CACipher_GenerateKey(H, 1, 'U', NULL, 0, 0, NULL, kb, NULL, NULL, NULL, cb, &cn), INV);
    EXPECT(CACipher_GenerateKey(H, 1, 'U', NULL, 0, 0, NULL, kb, &kn, NULL, NULL, cb, NULL), INV);
    /* ImportKey */
    EXPECT(CACipher_ImportKey(H, 1, NULL, ZPK_IMPORT, 'U', 0, NULL, kb, &kn, cb, &cn), INV);
    EXPECT(CACipher_ImportKey(H, 1, ZMK, NULL, 'U', 0, NULL, kb, &kn, cb, &cn), INV);
    EXPECT(CACipher_ImportKey(H, 1, ZMK, "X7BC09407A015F72FC59C32147D2AAE5", 'U', 0, NULL, kb, &kn, cb, &cn), INV);   /* odd length */
    EXPECT(CACipher_ImportKey(H, 1, ZMK, "X7BC09407A015F72FC59C32147D2AAEZZ", 'U', 0, NULL, kb, &kn, cb, &cn), INV);  /* non-hex */
    EXPECT(CACipher_ImportKey(H, 1, ZMK, "X7BC09407A015F72FC59C32147D2AAE5700", 'U', 0, NULL, kb, &kn, cb, &cn), INV); /* too long */
    EXPECT(CACipher_ImportKey(H, 1, ZMK, "", 'U', 0, NULL, kb, &kn, cb, &cn), INV);
    EXPECT(CACipher_ImportKey(H, 1, ZMK, "K0000", 'U', 0, NULL, kb, &kn, cb, &cn), INV);
    EXPECT(CACipher_ImportKey(H, 1, ZMK, "K99999", 'U', 0, NULL, kb, &kn, cb, &cn), INV);
    EXPECT(CACipher_ImportKey(H, 1, ZMK, "K-001", 'U', 0, NULL, kb, &kn, cb, &cn), INV);
    EXPECT(CACipher_ImportKey(H, 1, "Q0123456789ABCDEF0123456789ABCDEF", ZPK_IMPORT, 'U', 0, NULL, kb, &kn, cb, &cn), INV);
    EXPECT(CACipher_ImportKey(H, 1, ZMK, ZPK_IMPORT, 'U', 0, NULL, kb, NULL, cb, &cn), INV);
    EXPECT(CACipher_ImportKey(H, 1, ZMK, ZPK_IMPORT, 'U', 0, NULL, kb, &kn, cb, NULL), INV);
    EXPECT(CACipher_ImportKey(H, 1, ZMK, ZPK_IMPORT, 'U', 0, NULL, kb, &kn, cb, NULL), INV);
    /* an over-long key field (4 KB) */
    char *lk = malloc(5000);
    if (lk) {
        lk[0] = 'U'; memset(lk + 1, 'A', 4998); lk[4999] = 0;
        EXPECT(CACipher_ImportKey(H, 1, ZMK, lk, 'U', 0, NULL, kb, &kn, cb, &cn), INV);
        EXPECT(CACipher_KeyCheckValue(H, 1, lk, cb, &cn), INV);
        free(lk);
    }
    /* ExportKey */
    EXPECT(CACipher_ExportKey(H, 1, NULL, ZPK, 'X', kb, &kn, cb, &cn), INV);
    EXPECT(CACipher_ExportKey(H, 1, ZMK, NULL, 'X', kb, &kn, cb, &cn), INV);
    EXPECT(CACipher_ExportKey(H, 1, ZMK, ZPK, 0, kb, &kn, cb, &cn), INV);
    EXPECT(CACipher_ExportKey(H, 1, ZMK, ZPK, 'X', kb, NULL, cb, &cn), INV);
    EXPECT(CACipher_ExportKey(H, 1, ZMK, ZPK, 'X', kb, &kn, cb, NULL), INV);
    /* FormKeyFromComponents */
    EXPECT(CACipher_FormKeyFromComponents(H, 1, 'U', NULL, 2, kb, &kn, cb, &cn), INV);
    EXPECT(CACipher_FormKeyFromComponents(H, 1, 'U', comp, 3, kb, &kn, cb, &cn), INV);   /* components[2] NULL */
    EXPECT(CACipher_FormKeyFromComponents(H, 1, 'U', comp, 1, kb, &kn, cb, &cn), INV);
    EXPECT(CACipher_FormKeyFromComponents(H, 1, 'U', comp, 0, kb, &kn, cb, &cn), INV);
    EXPECT(CACipher_FormKeyFromComponents(H, 1, 'U', comp, -1, kb, &kn, cb, &cn), INV);
    EXPECT(CACipher_FormKeyFromComponents(H, 1, 'U', comp, 10, kb, &kn, cb, &cn), INV);
    EXPECT(CACipher_FormKeyFromComponents(H, 1, 'U', comp, INT32_MAX, kb, &kn, cb, &cn), INV);
    EXPECT(CACipher_FormKeyFromComponents(H, 1, 'U', comp, 2, kb, NULL, cb, &cn), INV);
    EXPECT(CACipher_FormKeyFromComponents(H, 1, 'U', comp, 2, kb, &kn, cb, NULL), INV);
    /* KeyCheckValue */
    EXPECT(CACipher_KeyCheckValue(H, 1, NULL, cb, &cn), INV);
    EXPECT(CACipher_KeyCheckValue(H, 1, "U0B7C", cb, &cn), INV);
    EXPECT(CACipher_KeyCheckValue(H, 1, ZPK, cb, NULL), INV);
    EXPECT(CACipher_KeyCheckValue(H, 0x1000, ZPK, cb, &cn), INV);
    /* wrong key types reach the HSM and come back as its codes */
    reset();
    EXPECT(CACipher_KeyCheckValue(H, CACIPHER_KEY_TAK, ZPK, cb, &cn), CACIPHER_HSM_SOURCE_KEY_PARITY);
}

static void test_pin_args(void) {
    char b[CACIPHER_PIN_BLOCK_BUFSIZE];
    size_t n = sizeof b;
    int pl = -7;
    EXPECT(CACipher_TranslatePIN_TPKtoZPK(H, NULL, ZPK, 12, PIN_BLOCK, 1, 1, ACCT, b, &n, &pl), INV);
    EXPECT(CACipher_TranslatePIN_TPKtoZPK(H, TPK, NULL, 12, PIN_BLOCK, 1, 1, ACCT, b, &n, &pl), INV);
    EXPECT(CACipher_TranslatePIN_TPKtoZPK(H, TPK, ZPK, 12, NULL, 1, 1, ACCT, b, &n, &pl), INV);
    EXPECT(CACipher_TranslatePIN_TPKtoZPK(H, TPK, ZPK, 12, PIN_BLOCK, 1, 1, NULL, b, &n, &pl), INV);
    EXPECT(CACipher_TranslatePIN_TPKtoZPK(H, TPK, ZPK, 12, PIN_BLOCK, 1, 1, ACCT, b, NULL, &pl), INV);
    EXPECT(CACipher_TranslatePIN_TPKtoZPK(H, TPK, ZPK, 12, "0123456789ABCDE", 1, 1, ACCT, b, &n, &pl), INV);  /* odd */
    EXPECT(CACipher_TranslatePIN_TPKtoZPK(H, TPK, ZPK, 12, "0123456789ABCDEG", 1, 1, ACCT, b, &n, &pl), INV); /* non-hex */
    EXPECT(CACipher_TranslatePIN_TPKtoZPK(H, TPK, ZPK, 12, "0123456789ABCDEF00", 1, 1, ACCT, b, &n, &pl), INV);
    EXPECT(CACipher_TranslatePIN_TPKtoZPK(H, TPK, ZPK, 12, HEX64, 1, 1, ACCT, b, &n, &pl), INV);
    EXPECT(CACipher_TranslatePIN_TPKtoZPK(H, TPK, ZPK, 12, PIN_BLOCK, 2, 1, ACCT, b, &n, &pl), INV);
    EXPECT(CACipher_TranslatePIN_TPKtoZPK(H, TPK, ZPK, 12, PIN_BLOCK, 1, -1, ACCT, b, &n, &pl), INV);
    EXPECT(CACipher_TranslatePIN_TPKtoZPK(H, TPK, ZPK, 12, PIN_BLOCK, 1, 1, "98765432109", b, &n, &pl), INV);
    EXPECT(CACipher_TranslatePIN_TPKtoZPK(H, TPK, ZPK, 12, PIN_BLOCK, 1, 1, "98765432109X", b, &n, &pl), INV);
    EXPECT(CACipher_TranslatePIN_TPKtoZPK(H, TPK, ZPK, 12, PIN_BLOCK, 1, 1, "9876543210987", b, &n, &pl), INV);
    EXPECT(CACipher_TranslatePIN_TPKtoZPK(H, TPK, ZPK, 3, PIN_BLOCK, 1, 1, ACCT, b, &n, &pl), INV);
    EXPECT(CACipher_TranslatePIN_TPKtoZPK(H, TPK, ZPK, 13, PIN_BLOCK, 1, 1, ACCT, b, &n, &pl), INV);
    EXPECT(CACipher_TranslatePIN_TPKtoZPK(H, TPK, ZPK, INT32_MIN, PIN_BLOCK, 1, 1, ACCT, b, &n, &pl), INV);
    CHECK(pl == -7);   /* untouched on failure */
    EXPECT(CACipher_TranslatePIN_ZPKtoZPK(H, NULL, ZPK, 12, PIN_BLOCK, 1, 1, ACCT, b, &n, NULL), INV);
    EXPECT(CACipher_TranslatePIN_ZPKtoZPK(H, ZPK, NULL, 12, PIN_BLOCK, 1, 1, ACCT, b, &n, NULL), INV);
    EXPECT(CACipher_TranslatePIN_ZPKtoZPK(H, ZPK, ZPK, 12, NULL, 1, 1, ACCT, b, &n, NULL), INV);
    EXPECT(CACipher_TranslatePIN_ZPKtoZPK(H, ZPK, ZPK, 12, PIN_BLOCK, 1, 1, NULL, b, &n, NULL), INV);
    EXPECT(CACipher_TranslatePIN_ZPKtoZPK(H, ZPK, ZPK, 12, PIN_BLOCK, 1, 1, ACCT, b, NULL, NULL), INV);
    EXPECT(CACipher_TranslatePIN_ZPKtoZPK(H, ZPK, ZPK, 12, PIN_BLOCK, 99, 1, ACCT, b, &n, NULL), INV);
    EXPECT(CACipher_TranslatePIN(H, 0, ZPK, 2, ZPK, 12, PIN_BLOCK, 1, ACCT, 1, ACCT, b, &n), INV);
    EXPECT(CACipher_TranslatePIN(H, 2, ZPK, 3, ZPK, 12, PIN_BLOCK, 1, ACCT, 1, ACCT, b, &n), INV);
    EXPECT(CACipher_TranslatePIN(H, 2, NULL, 2, ZPK, 12, PIN_BLOCK, 1, ACCT, 1, ACCT, b, &n), INV);
    EXPECT(CACipher_TranslatePIN(H, 2, ZPK, 2, NULL, 12, PIN_BLOCK, 1, ACCT, 1, ACCT, b, &n), INV);
    EXPECT(CACipher_TranslatePIN(H, 2, ZPK, 2, ZPK, 12, NULL, 1, ACCT, 1, ACCT, b, &n), INV);
    EXPECT(CACipher_TranslatePIN(H, 2, ZPK, 2, ZPK, 12, PIN_BLOCK, 1, NULL, 1, ACCT, b, &n), INV);
    EXPECT(CACipher_TranslatePIN(H, 2, ZPK, 2, ZPK, 12, PIN_BLOCK, 1, ACCT, 1, NULL, b, &n), INV);
    EXPECT(CACipher_TranslatePIN(H, 2, ZPK, 2, ZPK, 12, PIN_BLOCK, 1, ACCT, 1, ACCT, b, NULL), INV);
    EXPECT(CACipher_PINBlockToLMK(H, NULL, PIN_BLOCK, 1, ACCT, b, &n), INV);
    EXPECT(CACipher_PINBlockToLMK(H, ZPK, NULL, 1, ACCT, b, &n), INV);
    EXPECT(CACipher_PINBlockToLMK(H, ZPK, PIN_BLOCK, 0, ACCT, b, &n), INV);
    EXPECT(CACipher_PINBlockToLMK(H, ZPK, PIN_BLOCK, 1, NULL, b, &n), INV);
    EXPECT(CACipher_PINBlockToLMK(H, ZPK, PIN_BLOCK, 1, ACCT, b, NULL), INV);
    EXPECT(CACipher_PINLMKToBlock(H, NULL, 1, ACCT, PIN_LMK, b, &n), INV);
    EXPECT(CACipher_PINLMKToBlock(H, ZPK, 1, NULL, PIN_LMK, b, &n), INV);
    EXPECT(CACipher_PINLMKToBlock(H, ZPK, 1, ACCT, NULL, b, &n), INV);
    EXPECT(CACipher_PINLMKToBlock(H, ZPK, 1, ACCT, "0123456789ABCDE", b, &n), INV);
    EXPECT(CACipher_PINLMKToBlock(H, ZPK, 1, ACCT, HEX64, b, &n), INV);
    EXPECT(CACipher_PINLMKToBlock(H, ZPK, 1, ACCT, PIN_LMK, b, NULL), INV);
    EXPECT(CACipher_PINLMKToBlock(H, ZPK, 1000, ACCT, PIN_LMK, b, &n), INV);
    EXPECT(CACipher_EncryptPIN(H, NULL, ACCT, b, &n), INV);
    EXPECT(CACipher_EncryptPIN(H, "", ACCT, b, &n), INV);
    EXPECT(CACipher_EncryptPIN(H, "12345678901234567890", ACCT, b, &n), INV);
    EXPECT(CACipher_EncryptPIN(H, "12 4", ACCT, b, &n), INV);
    EXPECT(CACipher_EncryptPIN(H, "1234", NULL, b, &n), INV);
    EXPECT(CACipher_EncryptPIN(H, "1234", ACCT, b, NULL), INV);
    EXPECT(CACipher_DecryptPIN(H, NULL, PIN_LMK, b, &n), INV);
    EXPECT(CACipher_DecryptPIN(H, ACCT, NULL, b, &n), INV);
    EXPECT(CACipher_DecryptPIN(H, ACCT, "XYZ", b, &n), INV);
    EXPECT(CACipher_DecryptPIN(H, ACCT, PIN_LMK, b, NULL), INV);
    /* a PIN under the LMK for another account: the HSM's code, not a crash */
    n = sizeof b;
    EXPECT(CACipher_DecryptPIN(H, "111111111111", PIN_LMK, b, &n), CACIPHER_HSM_PIN_BLOCK_ERROR);
}

static void test_mac_data_args(void) {
    char m[CACIPHER_MAC_BUFSIZE], iv[CACIPHER_IV_BUFSIZE];
    unsigned char o[64];
    size_t n = sizeof m, on = sizeof o, ivn = sizeof iv;
    EXPECT(CACipher_GenerateMAC(H, 4, 3, 0, 1, 3, TAK, NULL, DATA16, 16, m, &n), INV);
    EXPECT(CACipher_GenerateMAC(H, -1, 3, 0, 1, 3, TAK, NULL, DATA16, 16, m, &n), INV);
    EXPECT(CACipher_GenerateMAC(H, 0, 2, 0, 1, 3, TAK, NULL, DATA16, 16, m, &n), INV);
    EXPECT(CACipher_GenerateMAC(H, 0, 3, 3, 1, 3, TAK, NULL, DATA16, 16, m, &n), INV);
    EXPECT(CACipher_GenerateMAC(H, 0, 3, 0, 2, 3, TAK, NULL, DATA16, 16, m, &n), INV);
    EXPECT(CACipher_GenerateMAC(H, 0, 3, 0, 1, -3, TAK, NULL, DATA16, 16, m, &n), INV);
    EXPECT(CACipher_GenerateMAC(H, 0, 3, 0, 1, 3, NULL, NULL, DATA16, 16, m, &n), INV);
    EXPECT(CACipher_GenerateMAC(H, 0, 3, 0, 1, 3, TAK, "0000000000000000", DATA16, 16, m, &n), INV);  /* iv with ONLY */
    EXPECT(CACipher_GenerateMAC(H, 3, 3, 0, 1, 3, TAK, NULL, DATA16, 16, m, &n), INV);                /* no iv with LAST */
    EXPECT(CACipher_GenerateMAC(H, 3, 3, 0, 1, 3, TAK, "00000", DATA16, 16, m, &n), INV);
    EXPECT(CACipher_GenerateMAC(H, 3, 3, 0, 1, 3, TAK, "000000000000000G", DATA16, 16, m, &n), INV);
    EXPECT(CACipher_GenerateMAC(H, 0, 3, 0, 1, 3, TAK, NULL, NULL, 16, m, &n), INV);
    EXPECT(CACipher_GenerateMAC(H, 0, 3, 0, 1, 3, TAK, NULL, DATA16, SIZE_MAX, m, &n), INV);
    EXPECT(CACipher_GenerateMAC(H, 0, 3, 0, 1, 3, TAK, NULL, DATA16, HUGE_LEN, m, &n), INV);
    EXPECT(CACipher_GenerateMAC(H, 0, 3, 0, 1, 3, TAK, NULL, DATA16, 32001, m, &n), INV);
    EXPECT(CACipher_GenerateMAC(H, 0, 3, 0, 1, 3, TAK, NULL, DATA16, 16, m, NULL), INV);
    EXPECT(CACipher_VerifyMAC(H, 0, 3, 0, 1, 3, TAK, NULL, DATA16, 16, NULL), INV);
    EXPECT(CACipher_VerifyMAC(H, 0, 3, 0, 1, 3, NULL, NULL, DATA16, 16, MAC), INV);
    EXPECT(CACipher_VerifyMAC(H, 0, 3, 0, 1, 3, TAK, NULL, NULL, 16, MAC), INV);
    EXPECT(CACipher_VerifyMAC(H, 0, 3, 0, 1, 3, TAK, NULL, DATA16, 16, "1234567"), INV);
    EXPECT(CACipher_VerifyMAC(H, 0, 3, 0, 0, 3, TAK, NULL, DATA16, 16, MAC), INV);   /* 16 hex for a 4-byte MAC */
    EXPECT(CACipher_VerifyMAC(H, 1, 3, 0, 1, 3, TAK, NULL, DATA16, 16, MAC), INV);   /* FIRST */
    EXPECT(CACipher_VerifyMAC(H, 0, 3, 0, 1, 3, TAK, NULL, DATA16, SIZE_MAX, MAC), INV);
    EXPECT(CACipher_VerifyMAC(H, 0, 3, 0, 1, 3, TAK, NULL, DATA16, 16, MAC), CACIPHER_OK);
    EXPECT(CACipher_VerifyMAC(H, 0, 3, 0, 1, 3, TAK, NULL, DATA16, 15, MAC), CACIPHER_HSM_LENGTH_ERROR);   /* PAD_NONE, not whole blocks */
    /* data */
    EXPECT(CACipher_EncryptData(H, 2, 0xA, ZEK, NULL, DATA16, 16, o, &on, NULL, NULL), INV);
    EXPECT(CACipher_EncryptData(H, 0, 0xA, NULL, NULL, DATA16, 16, o, &on, NULL, NULL), INV);
    EXPECT(CACipher_EncryptData(H, 0, 0xA, ZEK, "1111111111111111", DATA16, 16, o, &on, NULL, NULL), INV);
    EXPECT(CACipher_EncryptData(H, 1, 0xA, ZEK, NULL, DATA16, 16, o, &on, iv, &ivn), INV);
    EXPECT(CACipher_EncryptData(H, 1, 0xA, ZEK, "11111111111111", DATA16, 16, o, &on, iv, &ivn), INV);
    EXPECT(CACipher_EncryptData(H, 0, 0xA, ZEK, NULL, NULL, 16, o, &on, NULL, NULL), INV);
    EXPECT(CACipher_EncryptData(H, 0, 0xA, ZEK, NULL, DATA16, SIZE_MAX, o, &on, NULL, NULL), INV);
    EXPECT(CACipher_EncryptData(H, 0, 0xA, ZEK, NULL, DATA16, 65409, o, &on, NULL, NULL), INV);
    EXPECT(CACipher_EncryptData(H, 0, 0xA, ZEK, NULL, DATA16, 16, o, NULL, NULL, NULL), INV);
    EXPECT(CACipher_DecryptData(H, 0, 0xA, NULL, NULL, DATA16, 16, o, &on, NULL, NULL), INV);
    EXPECT(CACipher_DecryptData(H, 0, 0xA, ZEK, NULL, NULL, 16, o, &on, NULL, NULL), INV);
    EXPECT(CACipher_DecryptData(H, 0, 0xA, ZEK, NULL, DATA16, HUGE_LEN, o, &on, NULL, NULL), INV);
    EXPECT(CACipher_DecryptData(H, 0, 0xA, ZEK, NULL, DATA16, 16, o, NULL, NULL, NULL), INV);
    on = sizeof o;
    EXPECT(CACipher_EncryptData(H, 0, 0xA, ZEK, NULL, DATA16, 15, o, &on, NULL, NULL), INV);   /* not whole blocks: checked before the wire */
    on = sizeof o;
    EXPECT(CACipher_EncryptData(H, 0, CACIPHER_KEY_ZPK, ZPK, NULL, DATA16, 16, o, &on, NULL, NULL), CACIPHER_HSM_KEY_TYPE_NOT_ALLOWED);
}

static void test_device_args(void) {
    unsigned char b[128];
    size_t n = sizeof b;
    char t[CACIPHER_DEVICE_TEXT_BUFSIZE];
    size_t tn = sizeof t;
    EXPECT(CACipher_Random(H, 0, b, &n), INV);
    EXPECT(CACipher_Random(H, 2049, b, &n), INV);
    EXPECT(CACipher_Random(H, SIZE_MAX, b, &n), INV);
    EXPECT(CACipher_Random(H, 16, b, NULL), INV);
    EXPECT(CACipher_Random(H, 16, NULL, NULL), INV);
    EXPECT(CACipher_Hash(H, 0, DATA16, 16, NULL, 0, NULL, b, &n), INV);
    EXPECT(CACipher_Hash(H, 21, DATA16, 16, NULL, 0, NULL, b, &n), INV);
    EXPECT(CACipher_Hash(H, 6, NULL, 16, NULL, 0, NULL, b, &n), INV);
    EXPECT(CACipher_Hash(H, 6, DATA16, SIZE_MAX, NULL, 0, NULL, b, &n), INV);
    EXPECT(CACipher_Hash(H, 6, DATA16, 10000, NULL, 0, NULL, b, &n), INV);
    EXPECT(CACipher_Hash(H, 6, DATA16, 16, DATA16, 4, NULL, b, &n), INV);        /* user id without a key */
    EXPECT(CACipher_Hash(H, 6, DATA16, 16, NULL, 4, NULL, b, &n), INV);
    EXPECT(CACipher_Hash(H, 20, DATA16, 16, NULL, 4, SM2_PUB, b, &n), INV);      /* NULL user id, length 4 */
    EXPECT(CACipher_Hash(H, 20, DATA16, 16, DATA16, SIZE_MAX, SM2_PUB, b, &n), INV);
    EXPECT(CACipher_Hash(H, 20, DATA16, 16, NULL, 0, "ABC", b, &n), INV);
    EXPECT(CACipher_Hash(H, 6, DATA16, 16, NULL, 0, SM2_PUB, b, &n), INV);       /* key needs SM3 */
    EXPECT(CACipher_Hash(H, 6, DATA16, 16, NULL, 0, NULL, b, NULL), INV);
    n = sizeof b;
    EXPECT(CACipher_Hash(H, 6, NULL, 0, NULL, 0, NULL, b, &n), CACIPHER_OK);    /* empty data, NULL pointer */
    CHECK(n == 32);
    EXPECT(CACipher_DeviceInfo(H, NULL, NULL, NULL, NULL, NULL, NULL), INV);
    EXPECT(CACipher_DeviceInfo(H, t, NULL, t, NULL, t, NULL), INV);
    EXPECT(CACipher_Echo(H, NULL, 4, b, &n), INV);
    EXPECT(CACipher_Echo(H, DATA16, SIZE_MAX, b, &n), INV);
    EXPECT(CACipher_Echo(H, DATA16, 65530, b, &n), INV);
    EXPECT(CACipher_Echo(H, DATA16, 16, b, NULL), INV);
    n = sizeof b;
    EXPECT(CACipher_Echo(H, NULL, 0, b, &n), CACIPHER_OK);
    CHECK(n == 0);
    (void)tn;
}

static void test_sm2_args(void) {
    char pub[CACIPHER_SM2_PUBLIC_KEY_BUFSIZE], priv[CACIPHER_SM2_PRIVATE_KEY_BUFSIZE], sig[CACIPHER_SM2_SIGNATURE_BUFSIZE];
    unsigned char o[256];
    size_t pn = sizeof pub, kn_ = sizeof priv, sn = sizeof sig, on = sizeof o;
    EXPECT(CACipher_SM2GenerateKeyPair(H, -1, NULL, pub, &pn, priv, &kn_), INV);
    EXPECT(CACipher_SM2GenerateKeyPair(H, 10000, NULL, pub, &pn, priv, &kn_), INV);
    EXPECT(CACipher_SM2GenerateKeyPair(H, 0, NULL, pub, NULL, priv, &kn_), INV);
    EXPECT(CACipher_SM2GenerateKeyPair(H, 0, NULL, pub, &pn, priv, NULL), INV);
    EXPECT(CACipher_SM2GenerateKeyPair(H, 7, "\x7f", pub, &pn, priv, &kn_), INV);
    EXPECT(CACipher_SM2LoadPrivateKey(H, NULL, 7, NULL, pub, &pn), INV);
    EXPECT(CACipher_SM2LoadPrivateKey(H, SM2_PRIV, 0, NULL, pub, &pn), INV);
    EXPECT(CACipher_SM2LoadPrivateKey(H, SM2_PRIV, -7, NULL, pub, &pn), INV);
    EXPECT(CACipher_SM2LoadPrivateKey(H, "K0001", 7, NULL, pub, &pn), INV);
    EXPECT(CACipher_SM2LoadPrivateKey(H, SM2_PRIV, 7, NULL, pub, NULL), INV);
    EXPECT(CACipher_SM2PublicKey(H, NULL, pub, &pn), INV);
    EXPECT(CACipher_SM2PublicKey(H, "K0000", pub, &pn), INV);
    EXPECT(CACipher_SM2PublicKey(H, "K12", pub, &pn), INV);
    EXPECT(CACipher_SM2PublicKey(H, "K12345", pub, &pn), INV);
    EXPECT(CACipher_SM2PublicKey(H, HEX128, pub, &pn), INV);      /* too long */
    EXPECT(CACipher_SM2PublicKey(H, SM2_PRIV, pub, NULL), INV);
    EXPECT(CACipher_SM2Sign(H, NULL, NULL, 0, DATA16, 16, sig, &sn), INV);
    EXPECT(CACipher_SM2Sign(H, SM2_PRIV, NULL, 5, DATA16, 16, sig, &sn), INV);
    EXPECT(CACipher_SM2Sign(H, SM2_PRIV, DATA16, SIZE_MAX, DATA16, 16, sig, &sn), INV);
    EXPECT(CACipher_SM2Sign(H, SM2_PRIV, NULL, 0, NULL, 16, sig, &sn), INV);
    EXPECT(CACipher_SM2Sign(H, SM2_PRIV, NULL, 0, DATA16, 10000, sig, &sn), INV);
    EXPECT(CACipher_SM2Sign(H, SM2_PRIV, NULL, 0, DATA16, 16, sig, NULL), INV);
    EXPECT(CACipher_SM2Verify(H, NULL, NULL, 0, DATA16, 16, SM2_SIG), INV);
    EXPECT(CACipher_SM2Verify(H, HEX64, NULL, 0, DATA16, 16, SM2_SIG), INV);    /* a private-key length as public key */
    EXPECT(CACipher_SM2Verify(H, SM2_PUB, NULL, 3, DATA16, 16, SM2_SIG), INV);
    EXPECT(CACipher_SM2Verify(H, SM2_PUB, NULL, 0, NULL, 1, SM2_SIG), INV);
    EXPECT(CACipher_SM2Verify(H, SM2_PUB, NULL, 0, DATA16, HUGE_LEN, SM2_SIG), INV);
    EXPECT(CACipher_SM2Verify(H, SM2_PUB, NULL, 0, DATA16, 16, NULL), INV);
    EXPECT(CACipher_SM2Verify(H, SM2_PUB, NULL, 0, DATA16, 16, HEX64), INV);
    EXPECT(CACipher_SM2Verify(H, SM2_PUB, NULL, 0, DATA16, 16, SM2_SIG), CACIPHER_OK);
    EXPECT(CACipher_SM2Verify(H, SM2_PUB, NULL, 0, DATA16, 15, SM2_SIG), CACIPHER_HSM_VERIFICATION_FAILED);
    EXPECT(CACipher_SM2Verify(H, HEX128, NULL, 0, DATA16, 16, SM2_SIG), CACIPHER_HSM_INVALID_INPUT);   /* not a curve point */
    EXPECT(CACipher_SM2Encrypt(H, NULL, DATA16, 16, o, &on), INV);
    EXPECT(CACipher_SM2Encrypt(H, SM2_PUB, DATA16, 0, o, &on), INV);
    EXPECT(CACipher_SM2Encrypt(H, SM2_PUB, NULL, 16, o, &on), INV);
    EXPECT(CACipher_SM2Encrypt(H, SM2_PUB, DATA16, 9903, o, &on), INV);
    EXPECT(CACipher_SM2Encrypt(H, SM2_PUB, DATA16, SIZE_MAX, o, &on), INV);
    EXPECT(CACipher_SM2Encrypt(H, SM2_PUB, DATA16, 16, o, NULL), INV);
    EXPECT(CACipher_SM2Decrypt(H, NULL, SM2_CT, SM2_CT_LEN, o, &on), INV);
    EXPECT(CACipher_SM2Decrypt(H, SM2_PRIV, NULL, SM2_CT_LEN, o, &on), INV);
    EXPECT(CACipher_SM2Decrypt(H, SM2_PRIV, SM2_CT, 97, o, &on), INV);
    EXPECT(CACipher_SM2Decrypt(H, SM2_PRIV, SM2_CT, 0, o, &on), INV);
    EXPECT(CACipher_SM2Decrypt(H, SM2_PRIV, SM2_CT, SIZE_MAX, o, &on), INV);
    EXPECT(CACipher_SM2Decrypt(H, SM2_PRIV, SM2_CT, SM2_CT_LEN, o, NULL), INV);
    /* a corrupted ciphertext: the HSM's code */
    unsigned char bad[sizeof SM2_CT];
    memcpy(bad, SM2_CT, SM2_CT_LEN);
    bad[SM2_CT_LEN - 1] ^= 0x55;
    on = sizeof o;
    EXPECT(CACipher_SM2Decrypt(H, SM2_PRIV, bad, SM2_CT_LEN, o, &on), CACIPHER_HSM_INVALID_INPUT);
}

/* ---------------------------------------------------------------- secrets never in error texts */

#define NO_SECRET(call, secret) do { mark(); int rc_ = (call); (void)rc_; if (strstr(CACipher_LastError(), (secret))) \
    H_FAIL("last error \"%s\" carries the secret \"%s\"", CACipher_LastError(), (secret)); } while (0)

static void test_no_secret_in_errors(void) {
    char b[128];
    unsigned char o[256];
    size_t n = sizeof b, on = sizeof o;
    /* clear PINs, valid-looking and not */
    NO_SECRET(CACipher_EncryptPIN(H, "98a76543", ACCT, b, &n), "98a76543");
    NO_SECRET(CACipher_EncryptPIN(H, "9876543210987", ACCT, b, &n), "9876543210987");
    NO_SECRET(CACipher_EncryptPIN(H, "987654", "12345", b, &n), "987654");
    n = 2;
    NO_SECRET(CACipher_EncryptPIN(H, "987654", ACCT, b, &n), "987654");              /* short buffer */
    n = 2;
    NO_SECRET(CACipher_DecryptPIN(H, ACCT, PIN_LMK, b, &n), "1234");                   /* short buffer for the clear PIN */
    /* PIN blocks, keys, data */
    n = sizeof b;
    NO_SECRET(CACipher_TranslatePIN_ZPKtoZPK(H, ZPK, ZPK, 12, "FEDCBA987654321Z", 1, 1, ACCT, b, &n, NULL), "FEDCBA987654321");
    NO_SECRET(CACipher_TranslatePIN_ZPKtoZPK(H, ZPK, ZPK, 12, "FEDCBA9876543210AB", 1, 1, ACCT, b, &n, NULL), "FEDCBA9876543210");
    NO_SECRET(CACipher_TranslatePIN_ZPKtoZPK(H, TAK, ZPK, 12, PIN_BLOCK, 1, 1, ACCT, b, &n, NULL), PIN_BLOCK);   /* HSM error */
    NO_SECRET(CACipher_PINBlockToLMK(H, TAK, PIN_BLOCK, 1, ACCT, b, &n), PIN_BLOCK);
    NO_SECRET(CACipher_KeyCheckValue(H, 1, "UFEDCBA9876543210FEDCBA987654321Z", b, &n), "FEDCBA9876543210");
    NO_SECRET(CACipher_KeyCheckValue(H, CACIPHER_KEY_TAK, ZPK, b, &n), ZPK + 1);
    NO_SECRET(CACipher_ImportKey(H, 1, ZMK, "XFEDCBA9876543210FEDCBA98765432", 'U', 0, NULL, b, &n, b, &n), "FEDCBA9876543210");
    const unsigned char secret_data[17] = "Sec-Data-16-Byte";
    NO_SECRET(CACipher_EncryptData(H, 0, CACIPHER_KEY_ZPK, ZPK, NULL, secret_data, 16, o, &on, NULL, NULL), "Sec-Data");
    on = 3;
    NO_SECRET(CACipher_DecryptData(H, 0, CACIPHER_KEY_ZEK, ZEK, NULL, secret_data, 16, o, &on, NULL, NULL), "Sec-Data");
    NO_SECRET(CACipher_SM2PublicKey(H, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeZ", b, &n), "0123456789abcdef");
    on = 3;
    NO_SECRET(CACipher_SM2Decrypt(H, SM2_PRIV, SM2_CT, SM2_CT_LEN, o, &on), SM2_PRIV);
}

/* ---------------------------------------------------------------- every function on a bad instance */

/* Calls function number i (0 ... N_CALLS-1) with valid arguments on h; -1000 past the end. */
#define N_CALLS 35
static int call_valid(cacipher_t *h, int i) {
    char a[128], b[128], c[128];
    unsigned char u[256];
    memset(u, 0x42, sizeof u);
    size_t na = sizeof a, nb = sizeof b, nc = sizeof c, nu = sizeof u;
    cacipher_host_info info;
    cacipher_host_status st;
    const char *comp[2] = { "U0B7C6F68A38FA3C2CB42C2991576A986", "U0B7C6F68A38FA3C2CB42C2991576A986" };
    const char *zpk = "U0B7C6F68A38FA3C2CB42C2991576A986";
    switch (i) {
    case 0: return CACipher_HostCount(h);
    case 1: return CACipher_HostInfo(h, 0, &info);
    case 2: return CACipher_LogPath(h, a, &na);
    case 3: return CACipher_Transmit(h, (const unsigned char *)"B20004ABCD", 10, u, &nu);
    case 4: return CACipher_HostStatus(h, 0, &st);
    case 5: return CACipher_GenerateKey(h, 1, 'U', NULL, 0, 0, NULL, a, &na, NULL, NULL, c, &nc);
    case 6: return CACipher_GenerateKey(h, 1, 'U', ZMK, 0, 0, NULL, a, &na, b, &nb, c, &nc);
    case 7: return CACipher_ImportKey(h, 1, ZMK, ZPK_IMPORT, 'U', 0, NULL, a, &na, c, &nc);
    case 8: return CACipher_ExportKey(h, 1, ZMK, zpk, 'X', a, &na, c, &nc);
    case 9: return CACipher_FormKeyFromComponents(h, 1, 'U', comp, 2, a, &na, c, &nc);
    case 10: return CACipher_KeyCheckValue(h, 1, zpk, c, &nc);
    case 11: return CACipher_TranslatePIN_TPKtoZPK(h, zpk, zpk, 12, "0123456789ABCDEF", 1, 1, ACCT, a, &na, NULL);
    case 12: return CACipher_TranslatePIN_ZPKtoZPK(h, zpk, zpk, 12, "0123456789ABCDEF", 1, 1, ACCT, a, &na, NULL);
    case 13: return CACipher_TranslatePIN(h, 1, zpk, 2, zpk, 12, "0123456789ABCDEF", 1, ACCT, 1, ACCT, a, &na);
    case 14: return CACipher_PINBlockToLMK(h, zpk, "0123456789ABCDEF", 1, ACCT, a, &na);
    case 15: return CACipher_PINLMKToBlock(h, zpk, 1, ACCT, "0123456789ABCDEF", a, &na);
    case 16: return CACipher_EncryptPIN(h, "1234", ACCT, a, &na);
    case 17: return CACipher_DecryptPIN(h, ACCT, "0123456789ABCDEF", a, &na);
    case 18: return CACipher_GenerateMAC(h, 0, 3, 0, 1, 3, zpk, NULL, DATA16, 16, a, &na);
    case 19: return CACipher_VerifyMAC(h, 0, 3, 0, 1, 3, zpk, NULL, DATA16, 16, "0123456789ABCDEF");
    case 20: return CACipher_EncryptData(h, 1, 0xA, zpk, "0000000000000000", DATA16, 16, u, &nu, a, &na);
    case 21: return CACipher_DecryptData(h, 0, 0xA, zpk, NULL, DATA16, 16, u, &nu, NULL, NULL);
    case 22: return CACipher_Random(h, 16, u, &nu);
    case 23: return CACipher_Hash(h, 20, DATA16, 16, DATA16, 4, HEX128, u, &nu);
    case 24: return CACipher_DeviceInfo(h, a, &na, b, &nb, c, &nc);
    case 25: return CACipher_Echo(h, DATA16, 16, u, &nu);
    case 26: return CACipher_SM2GenerateKeyPair(h, 0, NULL, a, &na, b, &nb);
    case 27: return CACipher_SM2LoadPrivateKey(h, HEX80, 9, "x", a, &na);
    case 28: return CACipher_SM2PublicKey(h, HEX80, a, &na);
    case 29: return CACipher_SM2Sign(h, HEX80, NULL, 0, DATA16, 16, a, &na);
    case 30: return CACipher_SM2Verify(h, HEX128, NULL, 0, DATA16, 16, HEX128);
    case 31: return CACipher_SM2Encrypt(h, HEX128, DATA16, 16, u, &nu);
    case 32: return CACipher_SM2Decrypt(h, HEX80, u, 120, u, &nu);
    case 33: return CACipher_SM2PublicKey(h, "K0001", a, &na);
    case 34: return CACipher_GenerateKey(h, 1, 'U', NULL, 0, 12, "lbl", a, &na, NULL, NULL, c, &nc);
    default: return -1000;
    }
}

static void expect_all(cacipher_t *h, int want, const char *what) {
    for (int i = 0; i < N_CALLS; i++) {
        mark();
        int rc = call_valid(h, i);
        if (rc != want) { H_FAIL("%s: call %d = %d, expected %d (%s)", what, i, rc, want, CACipher_LastError()); }
        else if (CACipher_LastError()[0] == 0 || strcmp(CACipher_LastError(), MARK) == 0) { H_FAIL("%s: call %d without a last error", what, i); }
    }
}

static void test_not_initialized(void) { expect_all(NULL, CACIPHER_E_NOT_INITIALIZED, "global before Init"); }

static void test_closed_handle(void) {
    cacipher_t *h = NULL;
    EXPECT(CACipher_Open(g_config, &h), CACIPHER_OK);
    EXPECT(CACipher_Close(h), CACIPHER_OK);
    expect_all(h, CACIPHER_E_INVALID_ARG, "closed handle");
    EXPECT(CACipher_Close(h), INV);
    /* a pointer that never was a handle */
    int x = 0;
    expect_all((cacipher_t *)&x, CACIPHER_E_INVALID_ARG, "not a handle");
}

static void test_global_after_finalize(void) {
    EXPECT(CACipher_Init(g_config), CACIPHER_OK);
    EXPECT(CACipher_Init(g_config), CACIPHER_E_ALREADY_INITIALIZED);
    EXPECT(CACipher_Finalize(), CACIPHER_OK);
    expect_all(NULL, CACIPHER_E_NOT_INITIALIZED, "global after Finalize");
    EXPECT(CACipher_Finalize(), CACIPHER_E_NOT_INITIALIZED);
}

/* ---------------------------------------------------------------- the hostile HSM */

enum {
    M_OVERSIZE_PREFIX,   /* FFFF then a few bytes, then silence */
    M_TRUNCATED,         /* prefix 40, 6 bytes, close */
    M_WRONG_CODE,        /* "ZZ00" + fields */
    M_NONDIGIT_ERR,      /* response code right, error code "A1" */
    M_SHORT,             /* response code only */
    M_ZERO_LENGTH,       /* prefix 0000 */
    M_HUGE_FIELD,        /* valid code and 00, then length fields 9999 / FFFF and little data */
    M_MISSING_FIELD,     /* valid code and 00, then half of the first field, no KCV */
    M_TRAILING,          /* a valid-looking short reply followed by extra bytes in the same write */
    M_CLOSE,             /* close without answering */
    M_SILENT,            /* never answer (read timeout) */
    M_BINARY,            /* valid code and 00, then 300 bytes of binary garbage */
    M_HEADER_MISMATCH,   /* header not echoed */
    M_COUNT
};
static const char *mode_name[M_COUNT] = { "oversize prefix", "truncated", "wrong response code", "non-digit error code", "code only",
    "zero-length frame", "huge field length", "missing field", "trailing bytes", "close", "silent", "binary fields", "header not echoed" };

static volatile int g_mode;
static int g_listen = -1;
static volatile int g_stop;
#define FAKE_HEADER 2

static int write_all(int fd, const void *p, size_t n) {
    const unsigned char *b = p;
    while (n > 0) {
        ssize_t w = send(fd, b, n, MSG_NOSIGNAL);
        if (w <= 0) { if (w < 0 && errno == EINTR) continue; return -1; }
        b += w; n -= (size_t)w;
    }
    return 0;
}
static int read_all(int fd, void *p, size_t n) {
    unsigned char *b = p;
    while (n > 0) {
        ssize_t r = recv(fd, b, n, 0);
        if (r <= 0) { if (r < 0 && errno == EINTR) continue; return -1; }
        b += r; n -= (size_t)r;
    }
    return 0;
}
static void frame(int fd, const unsigned char *hdr, const char *payload, size_t n) {
    unsigned char f[70000];
    size_t len = FAKE_HEADER + n;
    f[0] = (unsigned char)(len >> 8); f[1] = (unsigned char)len;
    memcpy(f + 2, hdr, FAKE_HEADER);
    memcpy(f + 2 + FAKE_HEADER, payload, n);
    write_all(fd, f, 2 + len);
}

static void *serve_conn(void *arg) {
    int fd = (int)(intptr_t)arg;
    unsigned char req[70000];
    for (;;) {
        unsigned char p[2];
        if (read_all(fd, p, 2) < 0) break;
        size_t len = (size_t)p[0] << 8 | p[1];
        if (len < FAKE_HEADER + 2 || read_all(fd, req, len) < 0) break;
        const unsigned char *hdr = req;
        char cmd0 = (char)req[FAKE_HEADER], cmd1 = (char)req[FAKE_HEADER + 1];
        if (cmd0 == 'N' && cmd1 == 'C') {   /* the group's DMK check: a proper answer */
            const char *nd = "ND000123456789ABCDEFevsm-hostile-fake      HOSTILE00001";
            frame(fd, hdr, nd, strlen(nd));
            continue;
        }
        char rc0 = cmd0, rc1 = (char)(cmd1 + 1);   /* the response code: second letter + 1 */
        char out[70000];
        int mode = g_mode;
        switch (mode) {
        case M_OVERSIZE_PREFIX: {
            unsigned char f[8] = { 0xFF, 0xFF, '0', '0', (unsigned char)rc0, (unsigned char)rc1, '0', '0' };
            write_all(fd, f, sizeof f);
            for (int i = 0; i < 100 && !g_stop; i++) usleep(50000);   /* at most 5 s, then close */
            close(fd);
            return NULL;
        }
        case M_TRUNCATED: {
            unsigned char f[8] = { 0x00, 40, '0', '0', (unsigned char)rc0, (unsigned char)rc1, '0', '0' };
            write_all(fd, f, sizeof f);
            close(fd);
            return NULL;
        }
        case M_WRONG_CODE: frame(fd, hdr, "ZZ000123456789ABCDEF", 20); break;
        case M_NONDIGIT_ERR: { char r[4] = { rc0, rc1, 'A', '1' }; frame(fd, hdr, r, 4); break; }
        case M_SHORT: { char r[2] = { rc0, rc1 }; frame(fd, hdr, r, 2); break; }
        case M_ZERO_LENGTH: { unsigned char z[2] = { 0, 0 }; write_all(fd, z, 2); break; }
        case M_HUGE_FIELD: {
            /* every length-prefixed layout gets 9999 / FFFF where its length goes, then 8 bytes */
            int n = snprintf(out, sizeof out, "%c%c009999FFFF0123456789ABCDEF", rc0, rc1);
            frame(fd, hdr, out, (size_t)n);
            break;
        }
        case M_MISSING_FIELD: {
            /* e.g. A1 00 U + 32 hex and no KCV; for others: half a field */
            int n = snprintf(out, sizeof out, "%c%c00U0B7C6F68A38FA3C2CB42C2991576A986", rc0, rc1);
            frame(fd, hdr, out, (size_t)n);
            break;
        }
        case M_TRAILING: {
            unsigned char f[64];
            int n = snprintf((char *)f + 2, sizeof f - 2, "00%c%c00XYZ", rc0, rc1);
            f[0] = 0; f[1] = (unsigned char)n;
            memcpy(f + n + 2, "\x00\x05junk!", 7);
            write_all(fd, f, (size_t)n + 2 + 7);
            break;
        }
        case M_CLOSE: close(fd); return NULL;
        case M_SILENT:
            for (int i = 0; i < 100 && !g_stop; i++) usleep(50000);
            close(fd);
            return NULL;
        case M_BINARY: {
            out[0] = rc0; out[1] = rc1; out[2] = '0'; out[3] = '0';
            for (int i = 4; i < 304; i++) out[i] = (char)(i * 97 + 13);
            frame(fd, hdr, out, 304);
            break;
        }
        case M_HEADER_MISMATCH: {
            unsigned char h2[FAKE_HEADER] = { 'Z', 'Z' };
            int n = snprintf(out, sizeof out, "%c%c00", rc0, rc1);
            frame(fd, h2, out, (size_t)n);
            break;
        }
        }
    }
    close(fd);
    return NULL;
}

static void *fake_accept(void *arg) {
    (void)arg;
    while (!g_stop) {
        int fd = accept(g_listen, NULL, NULL);
        if (fd < 0) { if (errno == EINTR) continue; break; }
        pthread_t t;
        if (pthread_create(&t, NULL, serve_conn, (void *)(intptr_t)fd) == 0) pthread_detach(t); else close(fd);
    }
    return NULL;
}

static int fake_start(void) {
    int port = 0;
    if ((g_listen = h_listen_loopback(&port, 64)) < 0) return -1;
    pthread_t t;
    if (pthread_create(&t, NULL, fake_accept, NULL) != 0) return -1;
    pthread_detach(t);
    return port;
}


static void test_hostile_hsm(void) {
    int port = fake_start();
    if (port <= 0) { H_FAIL("fake HSM does not start"); return; }
    char cfg[1024];
    snprintf(cfg, sizeof cfg,
             "{[LOGGER];logsw=error,warn,info,debug,trace;logPath=%s;[HOST1];host=127.0.0.1;port=%d;linkNum=-1;"
             "connTimeout=2;readTimeout=1;msgheadlength=%d}", g_fake_dir, port, FAKE_HEADER);
    for (int m = 0; m < M_COUNT; m++) {
        g_mode = m;
        for (int i = 3; i < N_CALLS; i++) {
            if (i == 4) continue;   /* HostStatus does not talk to the HSM */
            if (m == M_SILENT && i % 4 != 3) continue;   /* each silent call waits the read timeout: a sample */
            if (m == M_OVERSIZE_PREFIX && i % 4 != 0) continue;
            /* a raw Transmit does not decode fields: a well-framed reply with odd fields is its caller's business */
            if (i == 3 && (m == M_HUGE_FIELD || m == M_MISSING_FIELD || m == M_BINARY)) continue;
            cacipher_t *h = NULL;
            if (CACipher_Open(cfg, &h) != CACIPHER_OK) { H_FAIL("open: %s", CACipher_LastError()); return; }
            mark();
            alarm(30);   /* a hang is a failure: SIGALRM ends the program */
            int rc = call_valid(h, i);
            alarm(0);
            const char *e = CACipher_LastError();
            int ok = rc < 0 && rc != CACIPHER_E_INTERNAL && rc != CACIPHER_E_INVALID_ARG && rc != CACIPHER_E_BUFFER_TOO_SMALL &&
                     e[0] != 0 && strcmp(e, MARK) != 0;
            /* an error code that parses (trailing bytes after a valid-looking reply) is not a success either */
            if (!ok) { H_FAIL("hostile HSM (%s): call %d = %d (%s)", mode_name[m], i, rc, e); }
            /* the frame-level modes must be named as such */
            if (ok && (m == M_WRONG_CODE || m == M_NONDIGIT_ERR || m == M_SHORT || m == M_HUGE_FIELD || m == M_MISSING_FIELD ||
                       m == M_BINARY || m == M_HEADER_MISMATCH) && rc != CACIPHER_E_BAD_FRAME) {
                H_FAIL("hostile HSM (%s): call %d = %d, expected CACIPHER_E_BAD_FRAME (%s)", mode_name[m], i, rc, e);
            }
            CACipher_Close(h);
        }
    }
    g_stop = 1;
}


/* ---------------------------------------------------------------- a hostile client against evsm itself */

static int g_evsm_port;

static int connect_evsm(void) { return h_connect_loopback(g_evsm_port, 5); }

/* Sends one frame (header "00" + body) and reads the reply: 1 if a reply frame with the
 * header echoed, a 2-letter code and a 2-digit error came back, 0 otherwise. */
static int evsm_exchange(int fd, const unsigned char *body, size_t n, char err[3]) {
    unsigned char f[70000];
    size_t len = 2 + n;
    f[0] = (unsigned char)(len >> 8); f[1] = (unsigned char)len; f[2] = '0'; f[3] = '0';
    memcpy(f + 4, body, n);
    if (write_all(fd, f, 2 + len) < 0) return 0;
    unsigned char p[2];
    if (read_all(fd, p, 2) < 0) return 0;
    size_t rl = (size_t)p[0] << 8 | p[1];
    if (rl < 6 || rl > sizeof f || read_all(fd, f, rl) < 0) return 0;
    if (f[0] != '0' || f[1] != '0') return 0;
    err[0] = (char)f[4]; err[1] = (char)f[5]; err[2] = 0;
    return f[4] >= '0' && f[4] <= '9' && f[5] >= '0' && f[5] <= '9';
}

static int evsm_alive(void) {
    int fd = connect_evsm();
    if (fd < 0) return 0;
    char e[3];
    int ok = evsm_exchange(fd, (const unsigned char *)"B20004ABCD", 10, e) && strcmp(e, "00") == 0;
    close(fd);
    return ok;
}

static void test_hostile_client(void) {
    static const char *codes[] = { "3C", "A0", "A4", "A6", "A8", "B2", "BA", "BU", "CA", "CC", "CR", "E1", "E2", "E3", "E4", "E5",
                                   "E6", "E7", "JE", "JG", "M0", "M2", "M6", "M8", "NC", "NG", "TI", "ZZ", "\x01\x02", "a0" };
    /* field patterns after the command code: nothing, huge 4N/4H lengths with little data,
     * a key field cut short, a K index out of range, printable junk, binary junk, 30000 bytes */
    static unsigned char big[30000];
    for (size_t i = 0; i < sizeof big; i++) big[i] = (unsigned char)('0' + i % 10);
    struct { const unsigned char *p; size_t n; } pats[8];
    static unsigned char bin[300], junk[200];
    for (size_t i = 0; i < sizeof bin; i++) bin[i] = (unsigned char)(i * 131 + 7);
    for (size_t i = 0; i < sizeof junk; i++) junk[i] = (unsigned char)(0x21 + (i * 37) % 94);
    pats[0].p = (const unsigned char *)""; pats[0].n = 0;
    pats[1].p = (const unsigned char *)"9999FFFF0123"; pats[1].n = 12;
    pats[2].p = (const unsigned char *)"U0B7C6F68A38FA3C2CB42C29"; pats[2].n = 24;
    pats[3].p = (const unsigned char *)"K0000K99999;;;;"; pats[3].n = 15;
    pats[4].p = junk; pats[4].n = sizeof junk;
    pats[5].p = bin; pats[5].n = sizeof bin;
    pats[6].p = big; pats[6].n = sizeof big;
    pats[7].p = (const unsigned char *)"01FFFF"; pats[7].n = 6;
    unsigned char body[30100];
    int fd = connect_evsm();
    if (fd < 0) { H_FAIL("cannot connect to evsm"); return; }
    for (size_t c = 0; c < sizeof codes / sizeof codes[0]; c++) {
        for (int k = 0; k < 8; k++) {
            memcpy(body, codes[c], 2);
            memcpy(body + 2, pats[k].p, pats[k].n);
            char e[3] = "";
            alarm(30);
            int ok = evsm_exchange(fd, body, 2 + pats[k].n, e);
            alarm(0);
            if (!ok) {
                H_FAIL("evsm: command %02X%02X pattern %d: no well-formed reply",
                                  (unsigned char)codes[c][0], (unsigned char)codes[c][1], k);
                close(fd);
                fd = connect_evsm();
                if (fd < 0) { H_FAIL("evsm is gone"); return; }
            } else if (strcmp(e, "00") == 0 && pats[k].n > 0 && k != 6 && strcmp(codes[c], "B2") != 0 && strcmp(codes[c], "NC") != 0) {
                /* a success from garbage would be a parser accepting nonsense */
                H_FAIL("evsm: command %s pattern %d answered 00", codes[c], k);
            }
        }
    }
    close(fd);
    /* frame-level abuse, each on its own connection; evsm must keep serving */
    unsigned char zero[2] = { 0, 0 };
    unsigned char oversize[6] = { 0xFF, 0xFF, '0', '0', 'B', '2' };
    unsigned char tiny[3] = { 0, 1, '0' };
    unsigned char trunc[8] = { 0, 40, '0', '0', 'B', '2', '0', '0' };
    struct { const unsigned char *p; size_t n; const char *what; } raw[] = {
        { zero, 2, "zero-length frame" }, { oversize, 6, "oversize prefix, then close" },
        { tiny, 3, "1-byte frame" }, { trunc, 8, "truncated frame, then close" },
    };
    for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++) {
        fd = connect_evsm();
        if (fd < 0) { H_FAIL("connect to evsm failed"); return; }
        write_all(fd, raw[i].p, raw[i].n);
        struct timeval one = { 1, 0 };
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &one, sizeof one);
        unsigned char sink[64];
        alarm(30);
        (void)recv(fd, sink, sizeof sink, 0);   /* an error 80/15 reply, a close, or the 1 s receive timeout */
        alarm(0);
        close(fd);
        if (!evsm_alive()) { H_FAIL("evsm stopped answering after: %s", raw[i].what); return; }
    }
    /* many connections opened and dropped mid-frame */
    for (int i = 0; i < 50; i++) {
        fd = connect_evsm();
        if (fd < 0) { H_FAIL("connect %d failed", i); return; }
        write_all(fd, oversize, 4);
        close(fd);
    }
    if (!evsm_alive()) { H_FAIL("evsm stopped answering after dropped connections"); }
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: hostile CONFIG FAKE_DIR\n"); return 2; }
    g_config = argv[1];
    g_fake_dir = argv[2];
    signal(SIGPIPE, SIG_IGN);
    mark_init();
    if (MARK[0] == 0) return h_abort("hostile", "CACipher_Close on a non-handle sets a last error");
    h_run("every call on the global instance before Init: NOT_INITIALIZED", test_not_initialized);
    h_run("lifecycle: NULL, unreadable and malformed configurations, bad handles", test_lifecycle_args);
    h_failures = 0;
    setup();
    if (h_failures) return h_abort("hostile", "setup against evsm");
    h_run("output buffers: size query, exact size, short capacities with guard bytes, len NULL", test_output_buffers);
    h_run("HostInfo / HostStatus / LogPath: NULL out, negative and huge indexes", test_info_args);
    h_run("Transmit: NULL, zero and huge lengths, frame limit, garbage commands", test_transmit_args);
    h_run("keys: NULL, bad enums, odd/non-hex/over-long key fields, indexes, labels", test_keys_args);
    h_run("PIN: NULL, bad formats, accounts, PIN blocks, max PIN length", test_pin_args);
    h_run("MAC and data: NULL, enums, IVs, zero and huge lengths", test_mac_data_args);
    h_run("device: Random, Hash, DeviceInfo, Echo argument errors", test_device_args);
    h_run("SM2: NULL, lengths, indexes, K fields, bad signatures and ciphertexts", test_sm2_args);
    h_run("error texts never carry PINs, PIN blocks, keys or data", test_no_secret_in_errors);
    h_run("every call on a closed handle and on a non-handle: INVALID_ARG", test_closed_handle);
    h_run("every call on the global instance after Finalize: NOT_INITIALIZED", test_global_after_finalize);
    CACipher_Close(H);
    {   /* evsm's port, from CONFIG */
        FILE *f = fopen(g_config, "r");
        char line[256];
        while (f && fgets(line, sizeof line, f)) if (strncmp(line, "port=", 5) == 0) g_evsm_port = atoi(line + 5);
        if (f) fclose(f);
    }
    h_run("hostile client against evsm: every command with empty, huge-length, cut, junk and binary fields; bad frames", test_hostile_client);
    h_run("hostile HSM: oversize, truncated, wrong codes, huge fields, silence -> clean errors", test_hostile_hsm);
    return h_summary("hostile");
}
