/*
 * wire_layouts.c - the host command each vendor function sends, byte for byte, against the
 * field tables of the vendor specification (spec/vendor-c-api.md sections 10-15): a recording
 * HSM on 127.0.0.1 (an ephemeral port) answers NC (so SDF_OpenDevice opens) and every other
 * command with error 15, which the function returns; the test then compares the recorded
 * frame (after the 2-byte length, no header) with the one the spec's table gives.
 * evsm speaks the same codec as the library, so only a recording peer shows a layout
 * difference both sides would share.
 *
 *   wire_layouts LOGDIR
 *
 * Session-less functions reach the peer through Tass_HsmApiInitByContent, session functions
 * through a device opened on it. Prints `ok`/`FAIL` per test, ends with
 * `wire_layouts: N passed, M failed`. Bounded: every socket has a 5 s timeout, alarm(120).
 */
#define _POSIX_C_SOURCE 200809L
#include "../common/harness.h"
#include <hsmapi.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char g_frame[8192];
/* When set: the reply to the next recorded command (after its response code: error code and
   fields), used once. */
static const char *g_reply;
static size_t g_frame_len;
static int g_frames;
static void *g_session;

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
    unsigned char len[2], body[8192], out[128];
    for (;;) {
        if (read_full(fd, len, 2) != 0) break;
        size_t n = ((size_t)len[0] << 8) | len[1];
        if (n < 2 || n > sizeof body || read_full(fd, body, n) != 0) break;
        size_t m;
        if (body[0] == 'N' && body[1] == 'C') {
            static const char nd[] = "ND00" "08D7B4FB629D0885" "WIRE-LAYOUT-PEER        " "SERIAL000001";
            m = sizeof nd - 1;
            memcpy(out + 2, nd, m);
        } else {
            pthread_mutex_lock(&g_lock);
            memcpy(g_frame, body, n);
            g_frame_len = n;
            g_frames++;
            const char *reply = g_reply;
            g_reply = NULL;
            pthread_mutex_unlock(&g_lock);
            out[2] = body[0];
            out[3] = (unsigned char)(body[1] + 1);
            if (reply && strlen(reply) <= sizeof out - 4) {
                m = 2 + strlen(reply);
                memcpy(out + 4, reply, m - 2);
            } else {
                out[4] = '1';
                out[5] = '5';
                m = 4;
            }
        }
        out[0] = (unsigned char)(m >> 8);
        out[1] = (unsigned char)m;
        if (send(fd, out, m + 2, 0) != (ssize_t)(m + 2)) break;
    }
    close(fd);
    return NULL;
}

static void *accept_loop(void *arg) {
    int lfd = (int)(long)arg;
    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0) continue;
        pthread_t t;
        if (pthread_create(&t, NULL, serve, (void *)(long)fd) != 0) { close(fd); continue; }
        pthread_detach(t);
    }
    return NULL;
}

/* The call returns the peer's 15 and the last frame it recorded is `want` (n bytes). */
static void expect_frame(const char *what, int rc, const char *want, size_t n, int before) {
    pthread_mutex_lock(&g_lock);
    int frames = g_frames;
    size_t len = g_frame_len;
    unsigned char got[sizeof g_frame];
    memcpy(got, g_frame, len);
    pthread_mutex_unlock(&g_lock);
    if (rc != 15) { H_FAIL("%s returned 0x%08X, expected the peer's 15", what, (unsigned)rc); return; }
    if (frames == before) { H_FAIL("%s sent nothing", what); return; }
    if (len != n || memcmp(got, want, n) != 0) {
        char shown[600];
        size_t k = 0;
        for (size_t i = 0; i < len && k + 5 < sizeof shown; i++) {
            unsigned char ch = got[i];
            k += (size_t)snprintf(shown + k, sizeof shown - k, (ch >= 0x20 && ch < 0x7F) ? "%c" : "\\x%02X", ch);
        }
        H_FAIL("%s sent [%s] (%zu bytes), the spec's layout has %zu bytes", what, shown, len, n);
    }
}

static int frames_now(void) {
    pthread_mutex_lock(&g_lock);
    int f = g_frames;
    pthread_mutex_unlock(&g_lock);
    return f;
}

#define EXPECT(call, frame) do { int before_ = frames_now(); int rc_ = (call); \
    expect_frame(#call, rc_, frame, sizeof(frame) - 1, before_); } while (0)

#define K   "U0B7C6F68A38FA3C2CB42C2991576A986"
#define ZMK "UE13D662B185F5F3B08594F89F1FF903A"
#define ACCT "987654321098"
#define BLK "C967C8198151A458"
#define PINLMK "1FE0323469648FCC"
#define Z16 "0000000000000000"

static void keys(void) {
    char a[100], b[100], c[100];
    /* 10.1.1: A0, mode 1, type, scheme under LMK, ZMK, scheme under ZMK; no storage field */
    EXPECT(Tass_Generate_Pik(g_session, 0, ZMK, 'X', a, b, c), "A0" "1" "001" "X" ZMK "X");
    EXPECT(Tass_Generate_Zmk(g_session, 12, NULL, 'U', a, b, c), "A0" "1" "000" "U" "K0012" "U");
    EXPECT(Tass_Generate_Mak(g_session, 0, ZMK + 1, 'X', a, b, c), "A0" "1" "008" "X" "X" "E13D662B185F5F3B08594F89F1FF903A" "X");
    EXPECT(Tass_Generate_Zek(g_session, 0, ZMK, 'U', a, b, c), "A0" "1" "00A" "U" ZMK "U");
    EXPECT(Tass_GenerateKey(g_session, 0, ZMK, KEY_TYPE_CVK, 'U', a, b, c), "A0" "1" "402" "U" ZMK "U");
    /* 11.16: storage 'K' + index %04d + label length %02d + label */
    EXPECT(HSM_RCL_GenWorkingKey(g_session, 1, KEY_TYPE_ZAK, 'U', 0, ZMK, 'X', 'K', 77, "lab", a, b, c),
           "A0" "1" "008" "U" ZMK "X" "K0077" "03" "lab");
    /* 10.1.7 / 10.1.9: A6 type, ZMK, key under ZMK (a bare 32H gets X), scheme */
    EXPECT(Tass_ImportPik(g_session, 0, ZMK, 'U', "7BC09407A015F72FC59C32147D2AAE57", a, b),
           "A6" "001" ZMK "X7BC09407A015F72FC59C32147D2AAE57" "U");
    EXPECT(Tass_ImportMak(g_session, 0, ZMK, 'X', "X7BC09407A015F72FC59C32147D2AAE57", a, b),
           "A6" "008" ZMK "X7BC09407A015F72FC59C32147D2AAE57" "X");
    EXPECT(Tass_AcceptKey(g_session, 3, NULL, "X7BC09407A015F72FC59C32147D2AAE57", KEY_TYPE_KEKZMK, 'U', a, b),
           "A6" "000" "K0003" "X7BC09407A015F72FC59C32147D2AAE57" "U");
    /* 10.1.10: A8 type, ZMK, key, scheme under ZMK */
    EXPECT(Tass_ExportKey(0, ZMK, KEY_TYPE_ZPK, 0, K, 'X', a, b), "A8" "001" ZMK K "X");
    /* 10.1.13 / 11.22: AN source type, key, destination type, the source's scheme */
    EXPECT(Tass_KeyTypeConversion(0, K, KEY_TYPE_ZAK, KEY_TYPE_TAK, a, b), "AN" "008" K "003" "U");
    /* 10.1.11: SH 00, 000, protecting key, 00, 00, 000, ZMK, derivation, header length 00 */
    EXPECT(Tass_Disper_Zmk(g_session, 0, ZMK, "0123456789ABCDEF0123456789ABCDEF", 0, ZMK, a, b, c),
           "SH" "00" "000" ZMK "00" "00" "000" ZMK "01" "0123456789ABCDEF0123456789ABCDEF" "00");
    /* 14.1: AM type, scheme, 00, 02, the clear key, as many zeros, storage */
    EXPECT(HSM_IC_PutPlainKey(KEY_TYPE_KEKZMK, 'U', "0123456789ABCDEFFEDCBA9876543210", 5, "lab", a, b),
           "AM" "000" "U" "00" "02" "0123456789ABCDEFFEDCBA9876543210" "00000000000000000000000000000000" "K0005" "03" "lab");
}

static void pins(void) {
    char a[200];
    /* 10.2.1 / 11.5: JE ZPK, PIN block, format 2N, PAN 12N */
    EXPECT(Tass_Decrypt_PIN(g_session, 0, K, BLK, 1, ACCT, a), "JE" K BLK "01" ACCT);
    /* 10.2.2 / 11.2: BA clear PIN + F, PAN 12N (first 12 digits of a longer one) */
    EXPECT(Tass_EncryptPIN(g_session, 0, K, "123456", 1, ACCT, a), "BA" "123456F" ACCT);
    EXPECT(HSM_RCL_EncryptPin_LMK("1234", "4987654321098769", a), "BA" "1234F" "498765432109");
    /* 11.3: NG PAN 12N, PIN under LMK */
    EXPECT(HSM_RCL_DecryptPin_LMK(g_session, PINLMK, ACCT, a), "NG" ACCT PINLMK);
    /* 11.4: JG ZPK, format, PAN, PIN under LMK */
    EXPECT(HSM_RCL_TransferCipherPin_Lmk2Zpk(g_session, 0, K, 1, ACCT, PINLMK, a), "JG" K "01" ACCT PINLMK);
    /* 10.2.3 / 11.6: TI 2, ZPK, 2, ZPK, 12, block, format, PAN, format, PAN */
    EXPECT(Tass_TranslatePin(0, K, 3, NULL, ACCT, ACCT, 1, 1, BLK, a), "TI" "2" K "2" "K0003" "12" BLK "01" ACCT "01" ACCT);
    /* 11.1: JA PAN 12N, PIN length %02d */
    EXPECT(HSM_RCL_GenerateRandomPin(ACCT, 6, a), "JA" ACCT "06");
    /* 11.9: DG PVK, PIN under LMK, PAN 12N, PVKI (10...15 as A...F) */
    EXPECT(HSM_RCL_GeneratePVV(0, K, 12, PINLMK, ACCT, a), "DG" K PINLMK ACCT "C");
    /* 11.10 / 11.11: CW CVK, full PAN, ';', expiry, service code; CY with the CVV first */
    EXPECT(Tass_GenVerifyCvn(0, K, 0, "4123456789012345", "1108", "101", a), "CW" K "4123456789012345" ";" "1108" "101");
    strcpy(a, "123");
    EXPECT(Tass_GenVerifyCvn(0, K, 1, "4123456789012345", "1108", "101", a), "CY" K "123" "4123456789012345" ";" "1108" "101");
}

static void macs_and_data(void) {
    char a[400];
    /* 10.3.1: S0 03, 08, 008, key, 00, 00, 02, length 4H, data (binary), IV zeros */
    EXPECT(Tass_Gen_ANSI_Mac(g_session, 0, K, 4, "ABCD", a), "S0" "03" "08" "008" K "00" "00" "02" "0002" "\xAB\xCD" Z16);
    /* 10.3.2: MAC mode 01 */
    EXPECT(Tass_GenUnionMac(g_session, 7, NULL, 4, "ABCD", a), "S0" "01" "08" "008" "K0007" "00" "00" "02" "0002" "\xAB\xCD" Z16);
    /* 10.3.3: 01, 10, ..., a 32H IV for an SM4 key */
    EXPECT(Tass_GenUnionMac_IV(0, "R0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", NULL, 4, "ABCD", a),
           "S0" "01" "10" "008" "R0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF" "00" "00" "02" "0002" "\xAB\xCD" Z16 Z16);
    /* 10.3.5: mode, MAC type 2 digits, 008, key, DERIVE, SESSION, padding, length, data, IV */
    EXPECT(Tass_GenerateICMac(0, K, 3, 8, 1, "0123456789ABCDEF0123456789ABCDEF", 1, "0001000200030004", 1, "ABCD", 4, Z16, a),
           "S0" "03" "08" "008" K "01" "0123456789ABCDEF0123456789ABCDEF" "01" "0001000200030004" "01" "0002" "\xAB\xCD" Z16);
    /* 10.3.4 / 11.14: UQ 0 (one block, no IV), ZPK, length 3H, data, MAC length 08 */
    EXPECT(Tass_GenZPKMac(0, K, 4, "ABCD", a), "UQ" "0" K "002" "\xAB\xCD" "08");
    /* 10.4.1: S3/S4 mode (as given), 00A, key, 00, 00, padding, length 4H, data, IV for CBC only */
    EXPECT(Tass_EncryptTrackData(g_session, 0, K, "0011223344556677", 16, 1, 0, Z16, a),
           "S3" "01" "00A" K "00" "00" "00" "0008" "\x00\x11\x22\x33\x44\x55\x66\x77" Z16);
    EXPECT(Tass_DecryptTrackData(g_session, 0, K, "0011223344556677", 16, 0, 5, NULL, a),
           "S4" "00" "00A" K "00" "00" "05" "0008" "\x00\x11\x22\x33\x44\x55\x66\x77");
    /* 10.4.4: DERIVE (levels, 32H each), SESSION (mode 2: 32H) */
    EXPECT(Tass_EncryptData(g_session, 0, K, 1, 1, "0123456789ABCDEF0123456789ABCDEF", 2, "FEDCBA9876543210FEDCBA9876543210", 4,
                            "8016", "1111111111111111", a),
           "S3" "01" "00A" K "01" "0123456789ABCDEF0123456789ABCDEF" "02" "FEDCBA9876543210FEDCBA9876543210" "04" "0002" "\x80\x16"
           "1111111111111111");
    EXPECT(Tass_DecryptData(g_session, 9, NULL, 0, 0, "", 0, NULL, 5, "0011223344556677", NULL, a),
           "S4" "00" "00A" "K0009" "00" "00" "05" "0008" "\x00\x11\x22\x33\x44\x55\x66\x77");
    /* 10.4.7: key type 109 */
    EXPECT(Tass_EncryptICData(g_session, 0, K, 0, 0, "", 0, NULL, 0, "8016", NULL, a), "S3" "00" "109" K "00" "00" "00" "0002" "\x80\x16");
    /* 10.4.8: S5 source (mode, 00A, key, DERIVE, SESSION, padding, IV for CBC), destination, length, data */
    EXPECT(Tass_TransferCipher(0, K, 1, 0, "", 0, NULL, 5, Z16, "0011223344556677", 4, NULL, 0, 0, "", 0, NULL, 5, NULL, a),
           "S5" "01" "00A" K "00" "00" "05" Z16 "00" "00A" "K0004" "00" "00" "05" "0008" "\x00\x11\x22\x33\x44\x55\x66\x77");
    /* 11.12: E0 block flag, 0, algorithm, 0, ZEK, 0, 0, 180000, IV (algorithm not 0), length 3H, data */
    unsigned char out[64];
    int n = 0;
    EXPECT(HSM_RCL_EncryptData(0, 1, 0, K, (unsigned char *)"IVIVIVIV", 8, (unsigned char *)"12345678", 8, out, &n),
           "E0" "0" "0" "1" "0" K "0" "0" "180000" "IVIVIVIV" "008" "12345678");
    /* 11.15: MS block flag, key type, key length, data type, key, IV, length 4H, data */
    EXPECT(HSM_RCL_ZakAndTakGenCbcMac(0, 1, 1, 0, 0, K, (unsigned char *)"IVIVIVIV", 8, (unsigned char *)"12345678", 8, out, &n),
           "MS" "0" "1" "1" "0" K "IVIVIVIV" "0008" "12345678");
    /* 15.3: CR length %04d; 9.6 SDF_GenerateRandom through it */
    EXPECT(HSM_GenerateRandomData(g_session, 8, out), "CR" "0008");
    EXPECT(SDF_GenerateRandom(g_session, 16, a), "CR" "0016");
}

static void emv(void) {
    char a[100], q[20];
    /* 10.5.1: K6 0, MDK, PAN 16N, ATC, data length 2H (bytes), data as hex characters, ';', ARQC */
    strcpy(q, "0123456789ABCDEF");
    EXPECT(Tass_VerifyARQC(0, K, "1234567890123456", "0001", "0011223344", q),
           "K6" "0" K "1234567890123456" "0001" "05" "0011223344" ";" "0123456789ABCDEF");
    /* 10.5.2: K6 2, MDK, PAN, ATC, ARQC, ARC */
    EXPECT(Tass_GenARPC(0, K, "1234567890123456", "0001", "0123456789ABCDEF", "3030", a),
           "K6" "2" K "1234567890123456" "0001" "0123456789ABCDEF" "3030");
    /* 10.5.3: K6 1, ..., ';', ARQC, ARC */
    EXPECT(Tass_VerifyARQC_GenARPC(0, K, "1234567890123456", "0001", "0011223344", "0123456789ABCDEF", "3030", a),
           "K6" "1" K "1234567890123456" "0001" "05" "0011223344" ";" "0123456789ABCDEF" "3030");
    /* 10.5.4 / 10.5.5: K2 / K4 MDK, PAN, ATC, length 3H, data as hex characters */
    EXPECT(Tass_ScriptEncrypt(0, K, "1234567890123456", "0001", "0011223344", a), "K2" K "1234567890123456" "0001" "005" "0011223344");
    EXPECT(Tass_ScriptMAC(0, K, "1234567890123456", "0001", "0011223344", a), "K4" K "1234567890123456" "0001" "005" "0011223344");
    /* 10.2.4: KX 9, 109, MDK, PAN, ATC, 41, 1, PIN, ';', account 000000000000 */
    EXPECT(Tass_Encrypt_OfflinePin(0, K, "1234567890123456", "0001", "1234", a),
           "KX" "9" "109" K "1234567890123456" "0001" "41" "1" "1234" ";" "000000000000");
}

/* An SM2 SubjectPublicKeyInfo (91 bytes) of the GB/T 32918 example key, and a tiny DER
   RSAPublicKey (n = C102030405060709, e = 3): the peer never reads them, the library only
   checks their DER form. */
#define SM2DER "\x30\x59\x30\x13\x06\x07\x2A\x86\x48\xCE\x3D\x02\x01\x06\x08\x2A\x81\x1C\xCF\x55\x01\x82\x2D\x03\x42\x00\x04\x09\xF9\xDF\x31\x1E\x54\x21\xA1\x50\xDD\x7D\x16\x1E\x4B\xC5\xC6\x72\x17\x9F\xAD\x18\x33\xFC\x07\x6B\xB0\x8F\xF3\x56\xF3\x50\x20\xCC\xEA\x49\x0C\xE2\x67\x75\xA5\x2D\xC6\xEA\x71\x8C\xC1\xAA\x60\x0A\xED\x05\xFB\xF3\x5E\x08\x4A\x66\x32\xF6\x07\x2D\xA9\xAD\x13"
#define C32 "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"
#define S32 "SSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSS"
#define RSADER "\x30\x0D\x02\x08\xC1\x02\x03\x04\x05\x06\x07\x09\x02\x01\x03"

static void device_and_asym(void) {
    unsigned char h[64];
    int n = 0;
    char a[3000], b[3000], c[3000], d[3000], e[3000], f[3000], g[3000], i[3000], j[3000];
    /* 15.2: 3C algorithm %02d, length %04d, data, ';', user ID length %04d, user ID,
       SM2 public key length %04d, key: the delimiter and both lengths are always sent */
    EXPECT(HSM_CalculateHash(HASH_MODE_SHA256, (unsigned char *)"abc", 3, NULL, 0, NULL, 0, h, &n), "3C" "06" "0003" "abc" ";" "0000" "0000");
    EXPECT(HSM_CalculateHash(HASH_MODE_SM3, (unsigned char *)"abc", 3, (unsigned char *)"ALICE", 5, NULL, 0, h, &n),
           "3C" "20" "0003" "abc" ";" "0005" "ALICE" "0000");
    /* the SM2 key goes out as the caller gave it: the DER SubjectPublicKeyInfo */
    EXPECT(HSM_CalculateHash(HASH_MODE_SM3, (unsigned char *)"abc", 3, (unsigned char *)"ALICE", 5, (unsigned char *)SM2DER, 91, h, &n),
           "3C" "20" "0003" "abc" ";" "0005" "ALICE" "0091" SM2DER);
    /* 10.7.1 / 13.1: EI 2, modulus bits 4N, 01 (no storage field) */
    EXPECT(Tass_GenRSAKey(g_session, 1024, 0, ZMK, "", 0, a, b, c, d, e, f, g, i, j), "EI" "2" "1024" "01");
    /* 10.7.2 / 12.1: E7 07, K9999 + 00 */
    EXPECT(Tass_GenSm2Key(g_session, 0, ZMK, "", 0, a, b, c), "E7" "07" "K9999" "00");
}


static void asymmetric(void) {
    unsigned char u[4096], v[4096], blob[] = "BLOBBLOBBL", ct[128], sc[100], sig[64];
    int n = 0, m = 0;
    char a[200], b[200];
    memset(ct, 'C', sizeof ct);
    memset(sc, 'S', sizeof sc);
    memset(sig, 'G', sizeof sig);
    /* 13.1: stored (SAVED-KEY); iPubE 65537 sends no exponent field */
    EXPECT(HSM_RSA_GenerateNewKeyPair(g_session, 5, "lab", 2048, 65537, u, &n, v, &m), "EI" "2" "2048" "01" "K0005" "03" "lab");
    /* 13.2, 13.3, 13.4: K%04d; K9999 with the key in the command */
    EXPECT(HSM_RSA_GetPublicKey(5, u, &n), "ER" "K0005");
    EXPECT(HSM_RSA_EncryptData(g_session, 1, 0, (unsigned char *)RSADER, 15, (unsigned char *)"abc", 3, u, &n),
           "3A" "01" "01" "0003" "abc" ";" "K9999" RSADER);
    EXPECT(HSM_RSA_DecryptData(g_session, 1, 0, blob, 10, ct, 128, u, &n), "3B" "01" "01" "0128" C32 C32 C32 C32 ";" "K9999" "0010" "BLOBBLOBBL");
    /* 13.5 / 13.6: hash, 01, padding, lengths 4N, ';' separators */
    EXPECT(HSM_RSA_GenerateSignature(6, 1, 0, blob, 10, (unsigned char *)"abc", 3, u, &n), "EW" "06" "01" "01" "0003" "abc" ";" "K9999" "0010" "BLOBBLOBBL");
    /* 13.9: expected KCV 16 zeros, cryptogram length 4H (0x80 = 128) */
    EXPECT(HSM_RSA_ImportSymmetricKey(KEY_TYPE_KEKZMK, 'U', 0, NULL, 0, blob, 10, ct, 128, a, b), "TW" "01" "000" "U" Z16 "0080"
           C32 C32 C32 C32 "K9999" "0010" "BLOBBLOBBL");
    /* 13.10: mode, TK type, TK, DERIVE, K9999 + blob, no extension for "" */
    EXPECT(HSM_RSA_ExportRSAKey(g_session, 0, KEY_TYPE_KEKZMK, 0, ZMK, 0, "", 0, blob, 10, "", "", 0, "", u, &n, u, &n, u, &n, u, &n,
                                u, &n, u, &n, u, &n, u, &n, u, &n), "TR" "00" "000" ZMK "00" "K9999" "0010" "BLOBBLOBBL");
    /* 12.1, 12.3, 12.4, 12.7, 12.8 */
    EXPECT(HSM_SM2_GenerateNewKeyPair(g_session, 6, "lab", u, &n, v, &m), "E7" "07" "K0006" "03" "lab");
    EXPECT(HSM_SM2_GetPublicKey(6, u, &n), "E2" "K0006");
    EXPECT(HSM_SM2_EncryptData(g_session, 0, (unsigned char *)SM2DER, 91, (unsigned char *)"abc", 3, u, &n),
           "E3" "07" "0003" "abc" ";" "K9999" SM2DER "0");
    EXPECT(HSM_SM2_VerifySignature(0, (unsigned char *)SM2DER, 91, (unsigned char *)"UID", 3, (unsigned char *)"abc", 3, sig, 64),
           "E6" "20" "07" "0003" "UID" ";" "0" "0064" "GGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGG" ";" "0003" "abc" ";" "K9999" SM2DER);
    EXPECT(HSM_SM2_ExportByTK(g_session, 0, KEY_TYPE_KEKZMK, 0, ZMK, 0, "", 0, (unsigned char *)SM2DER, 91, blob, 10, u, &n),
           "TT" "00" "000" ZMK "00" "07" "9999" SM2DER "0010" "BLOBBLOBBL");
    /* 12.12: cryptogram length 4H (0x64 = 100) */
    EXPECT(HSM_SM2_ImportSymmetricKey(KEY_TYPE_KEKZMK, 'U', 0, NULL, 0, blob, 10, sc, 100, a, b), "TY" "07" "000" "U" Z16 "0064"
           S32 S32 S32 "SSSS" "9999" "0010" "BLOBBLOBBL");
}

static void ic_keys_and_more(void) {
    char a[200], b[200], q[20];
    /* 14.5: SH with a session key (mode 1, 16H) and a 2-byte key header */
    EXPECT(HSM_IC_ExportCipherKey(g_session, 1, KEY_TYPE_KEKZMK, 0, ZMK, 0, "", 1, "0123456789ABCDEF", KEY_TYPE_ZPK, 0, K, 0, "", "AABB", a, b),
           "SH" "01" "000" ZMK "00" "01" "0123456789ABCDEF" "001" K "00" "02" "AABB");
    /* 14.6: SI, cryptogram length 4H (bytes), storage, header, extension P + pad (ECB: no IV) + KCV */
    EXPECT(HSM_IC_ImportCipherKey(0, KEY_TYPE_KEKZMK, 0, ZMK, 0, "", 0, NULL, KEY_TYPE_ZPK, 'U', "0011223344556677", 5, "lab", "AABB", 'P',
                                  "01", NULL, "0123456789ABCDEF", a, b),
           "SI" "00" "000" ZMK "00" "00" "001" "U" "0008" "0011223344556677" "K0005" "03" "lab" "02" "AABB" "P" "01" "0123456789ABCDEF");
    /* 14.4: KD mode 1, DERIVE 32H, storage */
    EXPECT(HSM_IC_DeriveNewKey(KEY_TYPE_MDKMKAC, 0, K, KEY_TYPE_MDKMKAC, 'U', 1, 1, "0123456789ABCDEF0123456789ABCDEF", 5, "lab", a, b),
           "KD" "109" K "109" "U" "1" "01" "0123456789ABCDEF0123456789ABCDEF" "K0005" "03" "lab");
    /* 14.3 / 14.2 */
    EXPECT(HSM_IC_GenerateNewKey(KEY_TYPE_KEKZMK, 'U', 5, "lab", a, b), "KR" "000" "U" "K0005" "03" "lab");
    EXPECT(HSM_IC_GetKeyInfo(5, a, b, a, a, b), "KG" "0005");
    /* 14.7: the HSM_* PAN is the right-most 16 digits */
    strcpy(q, "0123456789ABCDEF");
    EXPECT(HSM_IC_VerifyArqc(0, K, "12345678901234567", "0001", "0011", q), "K6" "0" K "2345678901234567" "0001" "02" "0011" ";" "0123456789ABCDEF");
    /* 14.19: KX 9, 109, MDK, PAN, ATC, destination format, input mode, source format, new and old blocks, PIN key, account */
    EXPECT(HSM_IC_OfflinePin_CipherPin(0, K, 4, NULL, "1234567890123456", "0001", "2", "01", "42", BLK, BLK, ACCT, a),
           "KX" "9" "109" "K0004" "1234567890123456" "0001" "42" "2" "01" BLK BLK K ACCT);
    /* 11.8: EA ZPK, PVK, 12, block, format, check length, PAN, table, data, offset */
    EXPECT(HSM_RCL_VerifyZonePinBlock_PinOffset(0, K, 0, K, BLK, 1, 4, ACCT, "0123456789012345", "12345678901N", "1234FFFFFFFF"),
           "EA" K K "12" BLK "01" "04" ACCT "0123456789012345" "12345678901N" "1234FFFFFFFF");
    /* 11.14: UQ block flag 2 carries the IV */
    EXPECT(HSM_RCL_ZpkGenCbcMac(2, 0, K, (unsigned char *)"IVIVIVIV", 8, (unsigned char *)"data", 4, 8, a), "UQ" "2" K "IVIVIVIV" "004" "data" "08");
    /* 11.21, 11.23 */
    EXPECT(HSM_RCL_SyntheticKey_KeyCipher(2, KEY_TYPE_KEKZMK, 'U', K K, a, b), "A4" "2" "000" "U" K K);
    EXPECT(HSM_RCL_SynthesisKeyByPlaintext(KEY_TYPE_KEKZMK, 'U', 2, "0123456789ABCDEFFEDCBA98765432100123456789ABCDEFFEDCBA9876543210", 0, NULL, a, b),
           "AM" "000" "U" "00" "02" "0123456789ABCDEFFEDCBA9876543210" "0123456789ABCDEFFEDCBA9876543210");
    /* 10.1.14 / 10.1.15, 11.20: printing */
    EXPECT(Tass_SetPrintFormat(">L^P"), "PA" ">L^P");
    EXPECT(HSM_RCL_GenAndPrintKeyElement(KEY_TYPE_KEKZMK, 'U', "fields", a, b), "A2" "000" "U" "fields");
    EXPECT(Tass_GenPrintRandkey(KEY_TYPE_KEKZMK, 'U', "mark", a, b), "A3" "0" "000" "U" "30" "10" "mark;");
}

#define CHECK_RC(call, want) do { int rc_ = (call); int want_ = (want); if (rc_ != want_) \
    H_FAIL("%s returned 0x%08X, expected 0x%08X", #call, (unsigned)rc_, (unsigned)want_); } while (0)

static void reply_with(const char *r) {
    pthread_mutex_lock(&g_lock);
    g_reply = r;
    pthread_mutex_unlock(&g_lock);
}

#define LMK1 "X1111111111111111111111111111111" "1"
#define ZMK2 "X2222222222222222222222222222222" "2"

/* Replies: the reply's fields land in the prototype's outputs (A1 sends the key under the
   LMK first, Tass_Generate_* returns the key under the ZMK first), the check value as the
   device sent it (16H as TASS devices answer, and 8H / 6H as the vendor's parsers copy "up to
   16H", spec 5.10 / Q7); a reply cut short, or with a check value of another length, is
   malformed, and nothing is written. */
static void replies(void) {
    char a[100] = {0}, b[100] = {0}, c[100] = {0};
    reply_with("00" LMK1 ZMK2 "1234567890ABCDEF");
    CHECK_RC(Tass_Generate_Pik(g_session, 0, ZMK, 'X', a, b, c), 0);
    CHECK_STR(a, ZMK2);
    CHECK_STR(b, LMK1);
    CHECK_STR(c, "1234567890ABCDEF");
    reply_with("00" ZMK2 "FEDCBA0987654321");
    CHECK_RC(Tass_ExportKey(0, ZMK, KEY_TYPE_ZPK, 0, K, 'X', a, b), 0);
    CHECK_STR(a, ZMK2);
    CHECK_STR(b, "FEDCBA0987654321");
    reply_with("00" "0010" "00112233445566778899AABBCCDDEEFF" "1234567890ABCDEF");
    CHECK_RC(HSM_IC_ExportCipherKey(g_session, 0, KEY_TYPE_KEKZMK, 0, ZMK, 0, "", 0, NULL, KEY_TYPE_ZPK, 0, K, 0, "", NULL, a, b), 0);
    CHECK_STR(a, "00112233445566778899AABBCCDDEEFF");
    CHECK_STR(b, "1234567890ABCDEF");
    /* K6 01: rv 1 and the 16H diagnostic copied back into pcARQC */
    char q[20] = "0123456789ABCDEF";
    reply_with("01" "ABCDEF0123456789");
    CHECK_RC(Tass_VerifyARQC(0, K, "1234567890123456", "0001", "0011223344", q), 1);
    CHECK_STR(q, "ABCDEF0123456789");
    /* the HSM's code comes back as the number; malformed replies are HAR_MSG_RSPCODE */
    reply_with("23");
    CHECK_RC(Tass_Decrypt_PIN(g_session, 0, K, BLK, 1, ACCT, a), 23);
    reply_with("00" LMK1);
    CHECK_RC(Tass_ImportPik(g_session, 0, ZMK, 'X', "X7BC09407A015F72FC59C32147D2AAE57", a, b), HAR_MSG_RSPCODE);
    reply_with("00" LMK1 "12345678");
    CHECK_RC(Tass_ImportPik(g_session, 0, ZMK, 'X', "X7BC09407A015F72FC59C32147D2AAE57", a, b), 0);
    CHECK_STR(a, LMK1);
    CHECK_STR(b, "12345678");
    reply_with("00" LMK1 "ABCDEF");
    CHECK_RC(Tass_ImportPik(g_session, 0, ZMK, 'X', "X7BC09407A015F72FC59C32147D2AAE57", a, b), 0);
    CHECK_STR(b, "ABCDEF");
    memset(b, '#', 20);
    b[20] = 0;
    reply_with("00" LMK1 "1234567890");
    CHECK_RC(Tass_ImportPik(g_session, 0, ZMK, 'X', "X7BC09407A015F72FC59C32147D2AAE57", a, b), HAR_MSG_RSPCODE);
    CHECK_STR(b, "####################");
    /* NG: the whole payload, as the vendor copies it (a payShield-style F and reference number) */
    reply_with("00" "1234F" "000000123456");
    CHECK_RC(HSM_RCL_DecryptPin_LMK(g_session, "0123456789ABCDEF", ACCT, a), 0);
    CHECK_STR(a, "1234F000000123456");
    /* JG, K6 ARPC, UQ: the whole payload too (5.1), a trailing field included; longer than
       the output's 5.11 buffer (ARPC 17): HAR_MEM_LENLESS and nothing written */
    reply_with("00" "0123456789ABCDEF" "000000123456");
    CHECK_RC(HSM_RCL_TransferCipherPin_Lmk2Zpk(g_session, 0, K, 1, ACCT, "0123456789ABCDEF", a), 0);
    CHECK_STR(a, "0123456789ABCDEF000000123456");
    reply_with("00" "0123" "4567");
    CHECK_RC(Tass_GenARPC(0, K, "1234567890123456", "0001", "0123456789ABCDEF", "3030", a), 0);
    CHECK_STR(a, "01234567");
    memset(b, '#', 20);
    b[20] = 0;
    reply_with("00" "0123456789ABCDEF" "0");
    CHECK_RC(Tass_GenARPC(0, K, "1234567890123456", "0001", "0123456789ABCDEF", "3030", b), HAR_MEM_LENLESS);
    CHECK_STR(b, "####################");
    reply_with("00" "1A2B3C4D" "00");
    CHECK_RC(Tass_GenZPKMac(0, K, 16, "0123456789ABCDEF", a), 0);
    CHECK_STR(a, "1A2B3C4D00");
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: wire_layouts LOGDIR\n"); return 2; }
    alarm(120);
    int port = 0;
    int lfd = h_listen_loopback(&port, 16);
    if (lfd < 0) return h_abort("wire_layouts", "cannot listen on 127.0.0.1");
    pthread_t t;
    if (pthread_create(&t, NULL, accept_loop, (void *)(long)lfd) != 0) return h_abort("wire_layouts", "cannot start the peer");
    void *device = NULL;
    int rc;
    if ((rc = Tass_HsmApiInitByContent("127.0.0.1", (unsigned)port, 5, argv[1])) != 0
        || (rc = SDF_OpenDevice(&device, "127.0.0.1", port)) != 0 || (rc = SDF_OpenSession(device, &g_session)) != 0)
        return h_abort("wire_layouts", "initialise and open the recording peer (0x%08X)", (unsigned)rc);
    h_run("keys: A0, A6, A8, AN, SH, AM as the spec's tables (10.1, 11.16-11.22, 14.1)", keys);
    h_run("PINs and card values: JE, BA, NG, JG, TI, JA, DG, CW, CY (10.2, 10.6, 11.1-11.11)", pins);
    h_run("MACs and data: S0, UQ, S3, S4, S5, E0, MS, CR (9.6, 10.3, 10.4, 11.12-11.15, 15.3)", macs_and_data);
    h_run("EMV: K6 modes 0/1/2, K2, K4, KX (10.5, 10.2.4)", emv);
    h_run("hash and key pairs: 3C with its delimiter and length fields, EI, E7 (15.2, 13.1, 12.1)", device_and_asym);
    h_run("RSA and SM2: EI, ER, 3A, 3B, EW, TW, TR, E7, E2, E3, E6, TT, TY (12, 13)", asymmetric);
    h_run("IC keys, offline PIN, verification, printing: SH, SI, KD, KR, KG, K6, KX, EA, UQ, A4, AM, PA, A2, A3 (10.1.14-15, 11, 14)",
          ic_keys_and_more);
    h_run("replies: fields into the prototype's outputs, K6 01 with its diagnostic, HSM codes, malformed replies, whole payloads (3, 4.5, 5.1, 5.10, 5.11)", replies);
    SDF_CloseSession(g_session);
    SDF_CloseDevice(device);
    return h_summary("wire_layouts");
}
