/*
 * field_patterns.c - the calling patterns of programs written for the vendor's library (its
 * own menu-driven test programs and the applications built the same way), run against a
 * local `evsm --test-lmk`. Written only against <hsmapi.h>; one process, because the first
 * successful SDF_HsmApiInit of a process wins.
 *
 *   field_patterns CONFIG PORT
 *
 * CONFIG is a vendor CfgTassHsmApi.ini naming 127.0.0.1:PORT, or "-": no initialisation at
 * all, as the vendor's own test programs run (devices and sessions only; the session-less
 * checks are left out, and failures are logged in ./TassHsmApi.log). The patterns (none of them
 * code from those programs; docs/vendor-compat.md, "Field patterns"):
 *   - initialisation retried after a failure (a missing file first), then a second one;
 *   - SDF_OpenDevice before the HSM is reachable, then again; close and reopen; a session of
 *     a closed device; a device and a session per thread;
 *   - the vendor test program's sequence: key generation into oversized buffers, a MAC over
 *     strlen(hex) characters (lower case, not a multiple of 8 bytes), CBC track data round
 *     trip with strlen lengths, Tass_Disper_Zmk with single-length keys and "" derivation,
 *     Tass_GenSm2Key with zmkIndex 9999 and a cryptogram, SM2 public / private operation,
 *     a malformed PIN block and a key index with no key behind it;
 *   - outputs into buffers of exactly the documented size, not zeroed (as malloc gives
 *     them), with guard bytes behind: NUL-terminated, nothing written past the size.
 * Prints `ok`/`FAIL` lines and ends with `field_patterns: N passed, M failed`.
 */
#define _POSIX_C_SOURCE 200809L
#include "../common/harness.h"
#include <hsmapi.h>
#include <hsmapi_tools.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHECK_RC(call, want) do { int rc_ = (call); int want_ = (want); if (rc_ != want_) \
    H_FAIL("%s returned 0x%08X (%d), expected 0x%08X (%d)", #call, (unsigned)rc_, rc_, (unsigned)want_, want_); } while (0)

/* The test LMK's ZMK (leachbj/hsm-emulator fixture, as tests/tass/harness.h). */
#define ZMK "UE13D662B185F5F3B08594F89F1FF903A"

static const char *g_config;
static int g_port;
static void *g_dev, *g_ses;

static int closed_port(void) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t l = sizeof a;
    if (bind(s, (struct sockaddr *)&a, sizeof a) != 0 || getsockname(s, (struct sockaddr *)&a, &l) != 0) { close(s); return 9; }
    close(s);
    return ntohs(a.sin_port);
}

static int is_upper_hex(const char *s, size_t n) {
    if (strlen(s) != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'F'))) return 0;
    return 1;
}

/* ---- initialisation and devices --------------------------------------------------- */

static void init_retried_after_failure(void) {
    /* A program that reads its config path from its own settings and retries. */
    char missing[512];
    snprintf(missing, sizeof missing, "%s/no-such-dir/CfgTassHsmApi.ini", h_tmp_dir());
    CHECK_RC(SDF_HsmApiInit(missing), HAR_CFGFILE_OPEN);
    CHECK_RC(SDF_HsmApiInit(NULL), HAR_CFGFILE_NOEXIST);
    CHECK_RC(SDF_HsmApiInit((char *)g_config), 0);
    /* a second initialisation (another module of the program) changes nothing */
    CHECK_RC(SDF_HsmApiInit((char *)h_write_file("other.ini", "logsw=error\nlogpath=./\ntimeout=1\nmsgheadlen=0\nhost1=127.0.0.1\nport1=9\n")), 0);
    char cv[17] = {0};
    CHECK_RC(HSM_GetDeviceBaseInfo(cv, NULL, NULL), 0);
    CHECK(is_upper_hex(cv, 16));
}

static void device_reconnect(void) {
    void *d = NULL, *s = NULL;
    char r[17];
    /* the HSM is not there yet: an error, and the handle stays unset */
    CHECK_RC(SDF_OpenDevice(&d, "127.0.0.1", closed_port()), HAR_SOCK_CONNECT);
    CHECK(d == NULL);
    /* retry on the right address */
    CHECK_RC(SDF_OpenDevice(&d, "127.0.0.1", g_port), 0);
    CHECK_RC(SDF_OpenSession(d, &s), 0);
    CHECK_RC(SDF_GenerateRandom(s, 8, r), 0);
    /* a program that drops and reopens the device after an error */
    CHECK_RC(SDF_CloseDevice(d), 0);
    CHECK_RC(SDF_GenerateRandom(s, 8, r), HAR_SESSIONHANDLE_INVALID);
    CHECK_RC(SDF_CloseSession(s), 0);
    d = NULL; s = NULL;
    CHECK_RC(SDF_OpenDevice(&d, "127.0.0.1", g_port), 0);
    CHECK_RC(SDF_OpenSession(d, &s), 0);
    CHECK_RC(SDF_GenerateRandom(s, 8, r), 0);
    CHECK(is_upper_hex(r, 16));
    CHECK_RC(SDF_CloseSession(s), 0);
    CHECK_RC(SDF_CloseDevice(d), 0);
    /* the address as read from a file with fgets (its newline kept), or with a blank after
       it: the vendor's connect (inet_addr) ended the address there; a short form too */
    const char *forms[] = { "127.0.0.1\n", "127.0.0.1 ", "127.0.0.1\r\n", "127.1" };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        d = NULL; s = NULL;
        char ip[32];
        snprintf(ip, sizeof ip, "%s", forms[i]);
        CHECK_RC(SDF_OpenDevice(&d, ip, g_port), 0);
        CHECK_RC(SDF_OpenSession(d, &s), 0);
        CHECK_RC(SDF_GenerateRandom(s, 8, r), 0);
        CHECK_RC(SDF_CloseDevice(d), 0);
    }
    CHECK_RC(SDF_OpenDevice(&d, "127.0.0.256", g_port), HAR_SOCK_CONNECT);
    /* closing twice, and NULL handles: no crash */
    CHECK_RC(SDF_CloseDevice(d), 0);
    CHECK_RC(SDF_CloseSession(s), 0);
    CHECK_RC(SDF_GenerateRandom(NULL, 8, r), HAR_SESSIONHANDLE_INVALID);
}

#define THREADS 6
#define ROUNDS 10
static int g_thread_failures[THREADS];

static void *device_per_thread(void *arg) {
    int id = (int)(long)arg;
    void *d = NULL, *s = NULL;
    if (SDF_OpenDevice(&d, "127.0.0.1", g_port) != 0 || SDF_OpenSession(d, &s) != 0) { g_thread_failures[id] = ROUNDS; return NULL; }
    for (int i = 0; i < ROUNDS; i++) {
        char zz[64] = {0}, zl[64] = {0}, cv[17] = {0}, blk[33] = {0}, pin[128] = {0};
        char clear[16];
        snprintf(clear, sizeof clear, "%04d%02d", (1000 + id * 37 + i) % 10000, i % 100);
        if (Tass_Generate_Pik(s, 0, ZMK, 'X', zz, zl, cv) != 0
            || Tass_EncryptPIN(s, 0, zl, clear, 1, "123456789012", blk) != 0
            || Tass_Decrypt_PIN(s, 0, zl, blk, 1, "123456789012", pin) != 0
            || strcmp(pin, clear) != 0)
            g_thread_failures[id]++;
    }
    SDF_CloseSession(s);
    SDF_CloseDevice(d);
    return NULL;
}

static void one_device_per_thread(void) {
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++) CHECK(pthread_create(&t[i], NULL, device_per_thread, (void *)i) == 0);
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        CHECK_INT(g_thread_failures[i], 0);
    }
}

/* ---- the vendor test program's sequence --------------------------------------------- */

static char g_zak[65], g_zek[65], g_zpk[512];

static void vendor_menu_keys(void) {
    char zmk_zmk[64 + 1] = {0}, zmk_lmk[64 + 1] = {0}, cv[16 + 1] = {0};
    CHECK_RC(Tass_Generate_Zmk(g_ses, 0, ZMK, 'X', zmk_zmk, zmk_lmk, cv), 0);
    CHECK(zmk_lmk[0] == 'X' && strlen(zmk_lmk) == 33);
    CHECK(is_upper_hex(cv, 16));
    /* oversized buffers, as the program declares them */
    char pik_zmk[512] = {0}, pik_cv[64 + 1] = {0};
    CHECK_RC(Tass_Generate_Pik(g_ses, 0, ZMK, 'X', pik_zmk, g_zpk, pik_cv), 0);
    CHECK_LEN(g_zpk, 33);
    char mak_zmk[64 + 1] = {0}, mak_cv[16 + 1] = {0};
    CHECK_RC(Tass_Generate_Mak(g_ses, 0, ZMK, 'X', mak_zmk, g_zak, mak_cv), 0);
    CHECK_LEN(g_zak, 33);
    char zek_zmk[64 + 1] = {0}, zek_cv[16 + 1] = {0};
    CHECK_RC(Tass_Generate_Zek(g_ses, 0, ZMK, 'X', zek_zmk, g_zek, zek_cv), 0);
    CHECK_LEN(g_zek, 33);
    char rnd[128] = {0};
    CHECK_RC(SDF_GenerateRandom(g_ses, 8, rnd), 0);
    CHECK(is_upper_hex(rnd, 16));
}

static void vendor_menu_mac(void) {
    /* iInDataLen = strlen of the hex; 18 bytes, not a multiple of 8 (zero padding) */
    const char *data = "000102030405060708090A0B0C0D0E0F1011";
    char mac[32] = {0}, mac2[32] = {0}, mac3[32] = {0};
    CHECK_RC(Tass_Gen_ANSI_Mac(g_ses, 0, g_zak, (int)strlen(data), (char *)data, mac), 0);
    CHECK(is_upper_hex(mac, 16));
    /* the same data with the zero padding written out gives the same MAC */
    const char *padded = "000102030405060708090A0B0C0D0E0F1011000000000000";
    CHECK_RC(Tass_Gen_ANSI_Mac(g_ses, 0, g_zak, (int)strlen(padded), (char *)padded, mac2), 0);
    CHECK_STR(mac2, mac);
    /* lower-case hex is the same data as upper case */
    CHECK_RC(Tass_Gen_ANSI_Mac(g_ses, 0, g_zak, 20, "abcdefABCDEF12341234", mac2), 0);
    CHECK_RC(Tass_GenANSIMac(g_ses, 0, g_zak, 20, "ABCDEFABCDEF12341234", mac3), 0);
    CHECK(is_upper_hex(mac2, 16));
    CHECK_STR(mac3, mac2);
    /* the older program's call: a key index with no key stored behind it, "" cryptogram:
       the HSM's own error, nothing written */
    char none[32] = {0};
    int rc = Tass_GenANSIMac(g_ses, 32, "", 20, "abcdefABCDEF12341234", none);
    CHECK(rc >= 1 && rc <= 99);
    CHECK_STR(none, "");
}

static void vendor_menu_track(void) {
    char text[128] = "801617441513A2F135AB14EAAD1069DF";
    char iv[128] = "0000000000000000";
    char cipher[256] = {0}, back[128] = {0};
    CHECK_RC(Tass_EncryptTrackData(g_ses, 0, g_zek, text, (int)strlen(text), 1, 0, iv, cipher), 0);
    CHECK(strlen(cipher) >= 32 && strlen(cipher) % 16 == 0);
    CHECK(strcmp(cipher, text) != 0);
    CHECK_RC(Tass_DecryptTrackData(g_ses, 0, g_zek, cipher, (int)strlen(cipher), 1, 0, iv, back), 0);
    CHECK_PREFIX(back, text);
    /* the caller's IV is an input: not changed */
    CHECK_STR(iv, "0000000000000000");
}

static void vendor_menu_disper(void) {
    /* a single-length ZMK, as the program's second call passes (bare 16H, "" derivation) */
    char z_zmk[64] = {0}, z[64] = {0}, cv[17] = {0};
    CHECK_RC(Tass_Generate_Zmk(g_ses, 0, ZMK, 'Z', z_zmk, z, cv), 0);
    CHECK_LEN(z, 16);
    char out_zmk[128] = {0}, out_lmk[128] = {0}, out_cv[128] = {0};
    CHECK_RC(Tass_Disper_Zmk(g_ses, 0, z, "", 0, z, out_zmk, out_lmk, out_cv), 0);
    CHECK(strlen(out_zmk) >= 16);
    CHECK(strlen(out_lmk) >= 16);
    CHECK(is_upper_hex(out_cv, 16));
    /* the first call: double-length keys, one 32H derivation level */
    char x_lmk[128] = {0}, x_zmk[128] = {0}, x_cv[128] = {0};
    CHECK_RC(Tass_Disper_Zmk(g_ses, 0, ZMK, "00000000000000000000000000000000", 0, ZMK, x_zmk, x_lmk, x_cv), 0);
    CHECK_LEN(x_lmk, 33);
    CHECK(is_upper_hex(x_cv, 16));
}

static void vendor_menu_sm2(void) {
    char d_zmk[1024] = {0}, pub[1024] = {0}, lmk[1024] = {0};
    /* zmkIndex 9999 with a cryptogram: the cryptogram is used (vendor spec 10.7.2) */
    CHECK_RC(Tass_GenSm2Key(g_ses, 9999, ZMK, "00000000000000000000000000000000", 0, d_zmk, pub, lmk), 0);
    CHECK_LEN(pub, 182);
    CHECK_PREFIX(pub, "3059301306072A8648CE3D0201");
    CHECK(strlen(lmk) > 0 && strlen(d_zmk) > 0);
    /* keytype 1 = SM2; the RSA arguments are passed as well and not used */
    char in[] = "00C1309020BE8F9590B089422DD7A12B";
    char enc[2048] = {0}, dec[2048] = {0};
    CHECK_RC(Tass_PubKey_Oper(g_ses, 1, in, "010001", "A5C1309020BE8F95", pub, enc), 0);
    CHECK(strlen(enc) > strlen(in));
    CHECK_RC(Tass_PRIVATE_Oper(g_ses, 1, "0002027075A4E52F", lmk, enc, dec), 0);
    CHECK_STR(dec, in);
    /* a private key blob that is no blob: the HSM's error, no crash */
    char junk[2048] = {0};
    int rc = Tass_PRIVATE_Oper(g_ses, 1, "", "801617441513A2F135AB14EAAD1069DF", enc, junk);
    CHECK(rc != 0);
    CHECK_STR(junk, "");
}

static void vendor_menu_rsa(void) {
    static char d[1024], p[1024], q[1024], dp[1024], dq[1024], qi[1024], n[1024], e[1024], lmk[8192];
    /* the older program passes zmkIndex 9999 with the cryptogram, as to Tass_GenSm2Key */
    CHECK_RC(Tass_GenRSAKey(g_ses, 1024, 9999, ZMK, "00000000000000000000000000000000", 0, d, p, q, dp, dq, qi, n, e, lmk), 0);
    CHECK_LEN(n, 256);
    CHECK_STR(e, "010001");
    CHECK(strlen(lmk) > 0 && strlen(d) > 0 && strlen(qi) > 0);
    /* raw RSA with the new public key (keytype 0: E then N), back with the LMK blob */
    char in[257], enc[600] = {0}, dec[600] = {0};
    memset(in, '1', 256); in[0] = '0'; in[1] = '0'; in[256] = 0;
    CHECK_RC(Tass_PubKey_Oper(g_ses, 0, in, e, n, "", enc), 0);
    CHECK_LEN(enc, 256);
    CHECK_RC(Tass_PRIVATE_Oper(g_ses, 0, lmk, "", enc, dec), 0);
    CHECK_STR(dec, in);
    /* another index above 2048 is still no key */
    CHECK_RC(Tass_GenRSAKey(g_ses, 1024, 9998, ZMK, "", 0, d, p, q, dp, dq, qi, n, e, lmk), HAR_PARAM_KEY_ID);
}

static void vendor_menu_bad_pin_block(void) {
    /* the older program's PIN block: 22 characters, not hex */
    char blk[22 + 1] = "xa10221134657568426499";
    char pan[13 + 1] = "123456789012";
    char text[128 + 1] = {0};
    int rc = Tass_Decrypt_PIN(g_ses, 0, g_zpk, blk, 1, pan, text);
    CHECK(rc == HAR_PARAM_LEN || rc == HAR_HEX_TO_BYTE);
    CHECK_STR(text, "");
    CHECK_RC(Tass_Decrypt_PIN(g_ses, 0, g_zpk, "4AF71A4C12311DBZ", 1, pan, text), HAR_HEX_TO_BYTE);
    /* the inputs are not written to */
    CHECK_STR(blk, "xa10221134657568426499");
    CHECK_STR(pan, "123456789012");
}

/* One of the vendor's test programs declares an output as `char *Rsa_DP_ZMK = '0';` (the
   character, 0x30, as the pointer). An address in the first page is never valid: refused as
   NULL, nothing sent, no crash. */
static void first_page_pointers(void) {
    static char d[1024], p[1024], q[1024], dq[1024], qi[1024], n[1024], e[1024], lmk[8192];
    char *bad = (char *)(uintptr_t)'0';
    CHECK_RC(Tass_GenRSAKey(g_ses, 1024, 0, ZMK, "", 0, d, p, q, bad, dq, qi, n, e, lmk), HAR_PARAM_ISNULL);
    CHECK_STR(n, "");
    char mac[17] = {0};
    CHECK_RC(Tass_Gen_ANSI_Mac(g_ses, 0, g_zak, 16, (char *)(uintptr_t)0x10, mac), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_Gen_ANSI_Mac(g_ses, 0, g_zak, 16, "0123456789ABCDEF", (char *)(uintptr_t)0x20), HAR_PARAM_ISNULL);
    CHECK_RC(SDF_OpenDevice((void **)(uintptr_t)0x8, "127.0.0.1", g_port), HAR_PARAM_ISNULL);
    CHECK_RC(SDF_GenerateRandom(g_ses, 8, (char *)(uintptr_t)0xFFF), HAR_PARAM_ISNULL);
    unsigned char out[64];
    int outLen = 0;
    CHECK_RC(HSM_IC_SymmKeyEncryptData(g_ses, 0, KEY_TYPE_DEKZEK, 0, g_zek, "", 0, "", 5, "",
                                       (unsigned char *)(uintptr_t)0x40, 16, out, &outLen), HAR_PARAM_ISNULL);
}

/* The vendor's oldest test program builds an RSA public key with Tools_Der and dumps it with
   Tools_PrintBuf, helpers its library exports (hsmapi_tools.h). */
static void vendor_tools(void) {
    unsigned char b[64];
    char hex[64];
    CHECK_INT(Tools_ConvertHexStr2Byte("0a1B7f", 6, b), 3);
    CHECK(b[0] == 0x0A && b[1] == 0x1B && b[2] == 0x7F);
    CHECK_INT(Tools_ConvertHexStr2Byte("0a1B7f", 4, b), 2);
    CHECK_INT(Tools_ConvertHexStr2Byte("0a1", 3, b), -1);
    CHECK_INT(Tools_ConvertHexStr2Byte("0g", 2, b), -1);
    CHECK_INT(Tools_ConvertHexStr2Byte("0a", 4, b), -1);
    CHECK_INT(Tools_ConvertHexStr2Byte(NULL, 2, b), -1);
    CHECK_INT(Tools_ConvertByte2HexStr(b, 2, hex), 4);
    CHECK_STR(hex, "0A1B");
    CHECK_INT(Tools_ConvertByte2HexStr(b, -1, hex), -1);
    /* DER RSAPublicKey: 30 0A | 02 03 00 A5 C1 (high bit: a 00 put in front) | 02 03 01 00 01 */
    unsigned char der[600];
    int derLen = 0;
    CHECK_RC(Tools_Der("A5C1", "010001", der, &derLen), 0);
    CHECK_INT(derLen, 12);
    CHECK_INT(Tools_ConvertByte2HexStr(der, derLen, hex), 24);
    CHECK_STR(hex, "300A020300A5C10203010001");
    /* a 1024-bit modulus given with its leading 00 (as the vendor's program does): 30 81 89 */
    char n[259];
    memset(n, 'C', 258); n[0] = '0'; n[1] = '0'; n[258] = 0;
    CHECK_RC(Tools_Der(n, "010001", der, &derLen), 0);
    CHECK_INT(derLen, 140);
    CHECK(der[0] == 0x30 && der[1] == 0x81 && der[2] == 0x89 && der[3] == 0x02 && der[4] == 0x81 && der[5] == 0x81 && der[6] == 0x00 && der[7] == 0xCC);
    CHECK_RC(Tools_Der("ABC", "010001", der, &derLen), HAR_HEX_TO_BYTE);
    CHECK_RC(Tools_Der("A5C1", "010001", NULL, &derLen), HAR_PARAM_ISNULL);
    /* the dump goes to stdout: capture it */
    const char *path = h_write_file("printbuf.txt", "");
    fflush(stdout);
    int saved = dup(1), fd = open(path, O_WRONLY | O_TRUNC);
    CHECK(saved >= 0 && fd >= 0);
    dup2(fd, 1);
    Tools_PrintBuf("public key", der, 20);
    Tools_PrintBuf("none", NULL, 5);
    fflush(stdout);
    dup2(saved, 1);
    close(fd); close(saved);
    char text[512] = {0};
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (f) { size_t r = fread(text, 1, sizeof text - 1, f); text[r] = 0; fclose(f); }
    CHECK_PREFIX(text, "public key\n0000: 30 81 89 02 81 81 00 CC ");
    CHECK_CONTAINS(text, "\n0010: CC CC CC CC ");
    CHECK_CONTAINS(text, "\nnone\n");
}

/* ---- exact-size, non-zeroed output buffers ------------------------------------------ */

#define GUARD 32
/* A buffer of n bytes, filled with 0xFF, followed by GUARD bytes of 0xA5. */
static char *guarded(size_t n) {
    char *p = malloc(n + GUARD);
    if (!p) abort();
    memset(p, 0xFF, n);
    memset(p + n, 0xA5, GUARD);
    return p;
}
/* Whether the output is a NUL-terminated string of len characters (any length when len is
   (size_t)-1) within the n bytes and the guard is intact; frees p. */
static int guarded_ok(char *p, size_t n, size_t len) {
    int ok = memchr(p, 0, n) != NULL && (len == (size_t)-1 || strlen(p) == len);
    for (size_t i = 0; i < GUARD; i++) if ((unsigned char)p[n + i] != 0xA5) ok = 0;
    free(p);
    return ok;
}

static void exact_output_buffers(void) {
    /* key 1A+32H + NUL = 34, check value 16H + NUL = 17 */
    char *kz = guarded(34), *kl = guarded(34), *cv = guarded(17);
    CHECK_RC(Tass_Generate_Pik(g_ses, 0, ZMK, 'X', kz, kl, cv), 0);
    char zpk[34];
    memcpy(zpk, kl, 33); zpk[33] = 0;
    CHECK(guarded_ok(kz, 34, 33));
    CHECK(guarded_ok(kl, 34, 33));
    CHECK(guarded_ok(cv, 17, 16));
    /* random: 2n + 1 */
    char *r = guarded(2 * 24 + 1);
    CHECK_RC(SDF_GenerateRandom(g_ses, 24, r), 0);
    CHECK(guarded_ok(r, 2 * 24 + 1, 48));
    /* MAC 16H + NUL */
    char *mac = guarded(17);
    CHECK_RC(Tass_Gen_ANSI_Mac(g_ses, 0, g_zak, 16, "0123456789ABCDEF", mac), 0);
    CHECK(guarded_ok(mac, 17, 16));
    /* PIN block 16H + NUL, PIN 6 digits + NUL in a 13-byte buffer (12 digits at most) */
    char *blk = guarded(17);
    CHECK_RC(Tass_EncryptPIN(g_ses, 0, zpk, "135790", 1, "123456789012", blk), 0);
    char b[17];
    memcpy(b, blk, 16); b[16] = 0;
    CHECK(guarded_ok(blk, 17, 16));
    char *pin = guarded(13);
    CHECK_RC(Tass_Decrypt_PIN(g_ses, 0, zpk, b, 1, "123456789012", pin), 0);
    CHECK(strncmp(pin, "135790", 7) == 0);
    CHECK(guarded_ok(pin, 13, 6));
    /* device information 17 / 25 / 13 (session-less: after an initialisation) */
    if (g_config) {
        char *dcv = guarded(17), *ver = guarded(25), *ser = guarded(13);
        CHECK_RC(HSM_GetDeviceBaseInfo(dcv, ver, ser), 0);
        CHECK(guarded_ok(dcv, 17, 16));
        CHECK(guarded_ok(ver, 25, (size_t)-1));
        CHECK(guarded_ok(ser, 13, (size_t)-1));
    }
    /* track data: 16 bytes in, 2 x 16 hex + NUL out (ECB, no padding) */
    char *tc = guarded(33);
    CHECK_RC(Tass_EncryptTrackData(g_ses, 0, g_zek, "00112233445566778899AABBCCDDEEFF", 32, 0, 5, "", tc), 0);
    CHECK(guarded_ok(tc, 33, 32));
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: field_patterns CONFIG PORT\n"); return 2; }
    g_config = strcmp(argv[1], "-") == 0 ? NULL : argv[1];
    g_port = atoi(argv[2]);
    if (g_config)
        h_run("initialisation retried after a failed one; a second initialisation changes nothing", init_retried_after_failure);
    else
        printf("# no initialisation (the vendor test programs' flow)\n");
    h_run("SDF_OpenDevice before the HSM answers, then again; close and reopen; the address with fgets' newline; closed and NULL handles", device_reconnect);
    if (SDF_OpenDevice(&g_dev, "127.0.0.1", g_port) != 0 || SDF_OpenSession(g_dev, &g_ses) != 0)
        return h_abort("field_patterns", "open the device and a session");
    h_run("one device and one session per thread (6 threads x 10 PIN round trips)", one_device_per_thread);
    h_run("vendor test sequence: Tass_Generate_Zmk/Pik/Mak/Zek into the program's buffers, SDF_GenerateRandom", vendor_menu_keys);
    h_run("vendor test sequence: Tass_Gen_ANSI_Mac over strlen(hex), 18 bytes, lower-case hex; an index without a key", vendor_menu_mac);
    h_run("vendor test sequence: CBC track data with strlen lengths, encrypt and decrypt", vendor_menu_track);
    h_run("vendor test sequence: Tass_Disper_Zmk with bare 16H keys and \"\", and with 1A+32H and one level", vendor_menu_disper);
    h_run("vendor test sequence: Tass_GenSm2Key with zmkIndex 9999, SM2 Tass_PubKey_Oper / Tass_PRIVATE_Oper", vendor_menu_sm2);
    h_run("vendor test sequence: Tass_GenRSAKey with zmkIndex 9999 and a cryptogram; RSA Tass_PubKey_Oper / Tass_PRIVATE_Oper", vendor_menu_rsa);
    h_run("vendor test sequence: a malformed PIN block is an error code; inputs are not written", vendor_menu_bad_pin_block);
    h_run("outputs into exact-size buffers full of 0xFF: NUL-terminated, nothing written past them", exact_output_buffers);
    h_run("pointers into the first page ('0' stored in a char *): HAR_PARAM_ISNULL, no crash", first_page_pointers);
    h_run("the vendor's helpers its test programs call: Tools_ConvertHexStr2Byte / Byte2HexStr, Tools_Der, Tools_PrintBuf", vendor_tools);
    SDF_CloseSession(g_ses);
    SDF_CloseDevice(g_dev);
    return h_summary("field_patterns");
}
