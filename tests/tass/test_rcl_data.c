/* test_rcl_data.c - E0, UQ, MS through HSM_RCL_EncryptData / HSM_RCL_DecryptData,
 * HSM_RCL_ZpkGenCbcMac, HSM_RCL_ZakAndTakGenCbcMac and Tass_GenZPKMac.
 *
 * Known answers (public): FIPS PUB 81 appendix B (DES ECB/CBC of "Now is the time for all "
 * under 0123456789ABCDEF, CBC IV 1234567890ABCDEF); ISO/IEC 9797-1 annex B X9.19 MACs under
 * K = 0123456789ABCDEFFEDCBA9876543210 and the X9.9 example under 0123456789ABCDEF; the China
 * UnionPay POS "ECB" MAC example of solo123/pgate (test/integration/pos_mac_test.rb): MAK
 * 2222222222222222 (parity-adjusted 2323232323232323, the same DES key), MAB
 * 1234567890ABCDEFABCDEF1234567890 -> E267B6E2 (E2 = E267B6E21913D339).
 * Single-length keys under the test ZMK (3DES-ECB, openssl enc -des-ede-ecb -nopad):
 * 0123456789ABCDEF -> F7EADC2F5D816B05, 2323232323232323 -> C3D2F45396B7AD62.
 */
#include "harness.h"

#define NOW_ALL "Now is the time for all "

static void import_single(const char *under_zmk, const char *type, char *out) {
    char kcv[17] = {0};
    CHECK_RC(Tass_AcceptKey(g_session, 0, T_ZMK, (char *)under_zmk, (char *)type, 'Z', out, kcv), 0);
}

static void to_hex(const unsigned char *b, int n, char *out) {
    static const char d[] = "0123456789ABCDEF";
    for (int i = 0; i < n; i++) { out[2 * i] = d[b[i] >> 4]; out[2 * i + 1] = d[b[i] & 15]; }
    out[2 * n] = 0;
}

TASS_TEST(rcl_encrypt_decrypt_data, "HSM_RCL_EncryptData / HSM_RCL_DecryptData (E0): FIPS 81 ECB and CBC, 180000 padding, parts, IV forms, errors") {
    char zek[50] = {0}, hex[200];
    unsigned char out[128], back[128], iv[32];
    int n = 0, m = 0;
    import_single("F7EADC2F5D816B05", KEY_TYPE_DEKZEK, zek);
    /* ECB: 24 bytes + one pad block; the first 24 are FIPS 81's. */
    CHECK_RC(HSM_RCL_EncryptData(0, 0, 0, zek, NULL, 0, (unsigned char *)NOW_ALL, 24, out, &n), 0);
    CHECK(n == 32);
    to_hex(out, 24, hex);
    CHECK_STR(hex, "3FA40E8A984D48156A271787AB8883F9893D51EC4B563B53");
    CHECK_RC(HSM_RCL_DecryptData(0, 0, 0, zek, NULL, 0, out, n, back, &m), 0);
    CHECK(m == 24 && memcmp(back, NOW_ALL, 24) == 0);
    /* CBC, IV as 16 hex characters and as 8 binary bytes: the same cipher text. */
    memcpy(iv, "1234567890ABCDEF", 16);
    CHECK_RC(HSM_RCL_EncryptData(0, 1, 0, zek, iv, 16, (unsigned char *)NOW_ALL, 24, out, &n), 0);
    CHECK(n == 32);
    to_hex(out, 24, hex);
    CHECK_STR(hex, "E5C7CDDE872BF27C43E934008C389C0F683788499A7C05F6");
    unsigned char biv[8] = {0x12, 0x34, 0x56, 0x78, 0x90, 0xAB, 0xCD, 0xEF};
    CHECK_RC(HSM_RCL_EncryptData(0, 1, 0, zek, biv, 8, (unsigned char *)NOW_ALL, 24, back, &m), 0);
    CHECK(m == n && memcmp(back, out, (size_t)n) == 0);
    CHECK_RC(HSM_RCL_DecryptData(0, 1, 0, zek, biv, 8, out, n, back, &m), 0);
    CHECK(m == 24 && memcmp(back, NOW_ALL, 24) == 0);
    /* Parts: first (16 bytes) then last; the IV comes back in pucIv (hex form kept). */
    unsigned char p1[32], p2[32];
    int n1 = 0, n2 = 0;
    memcpy(iv, "1234567890ABCDEF", 16);
    CHECK_RC(HSM_RCL_EncryptData(1, 1, 0, zek, iv, 16, (unsigned char *)NOW_ALL, 16, p1, &n1), 0);
    CHECK(n1 == 16);
    CHECK(memcmp(iv, "43E934008C389C0F", 16) == 0);
    CHECK_RC(HSM_RCL_EncryptData(3, 1, 0, zek, iv, 16, (unsigned char *)NOW_ALL + 16, 8, p2, &n2), 0);
    CHECK(n1 + n2 == n && memcmp(p1, out, 16) == 0 && memcmp(p2, out + 16, (size_t)n2) == 0);
    /* Errors: argument checks (nothing sent), then the HSM's. */
    CHECK_RC(HSM_RCL_EncryptData(0, 0, 0, zek, NULL, 0, (unsigned char *)NOW_ALL, 24, NULL, &n), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RCL_EncryptData(0, 0, 0, zek, NULL, 0, (unsigned char *)NOW_ALL, 24, out, NULL), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RCL_EncryptData(0, 1, 0, zek, NULL, 16, (unsigned char *)NOW_ALL, 24, out, &n), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RCL_EncryptData(0, 1, 0, zek, iv, 12, (unsigned char *)NOW_ALL, 24, out, &n), HAR_PARAM_LEN);
    CHECK_RC(HSM_RCL_EncryptData(4, 0, 0, zek, NULL, 0, (unsigned char *)NOW_ALL, 24, out, &n), HAR_PARAM_VALUE);
    CHECK_RC(HSM_RCL_EncryptData(0, 10, 0, zek, iv, 16, (unsigned char *)NOW_ALL, 24, out, &n), HAR_PARAM_VALUE);
    CHECK_RC(HSM_RCL_EncryptData(0, 0, 0, zek, NULL, 0, (unsigned char *)NOW_ALL, 1969, out, &n), HAR_PARAM_LEN);
    CHECK_RC(HSM_RCL_EncryptData(0, 0, 0, zek, NULL, 0, (unsigned char *)NOW_ALL, 0, out, &n), HAR_PARAM_LEN);
    CHECK_RC(HSM_RCL_EncryptData(0, 0, 0, zek, NULL, 0, NULL, 8, out, &n), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RCL_DecryptData(0, 0, 0, zek, NULL, 0, out, 1985, back, &m), HAR_PARAM_LEN);
    CHECK_RC(HSM_RCL_EncryptData(0, 0, -1, zek, NULL, 0, (unsigned char *)NOW_ALL, 24, out, &n), HAR_PARAM_KEY_ID);
    CHECK_RC(HSM_RCL_EncryptData(0, 0, 0, NULL, NULL, 0, (unsigned char *)NOW_ALL, 24, out, &n), HAR_PARAM_KEY_ID);
    CHECK_RC(HSM_RCL_EncryptData(0, 0, 0, "U0123", NULL, 0, (unsigned char *)NOW_ALL, 24, out, &n), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(HSM_RCL_EncryptData(0, 2, 0, zek, iv, 16, (unsigned char *)NOW_ALL, 24, out, &n), 15);   /* algorithm 2 (Q6) */
    CHECK_RC(HSM_RCL_EncryptData(0, 1, 0, zek, (unsigned char *)"123456789OABCDEF", 16, (unsigned char *)NOW_ALL, 24, out, &n), 15);
    CHECK_RC(HSM_RCL_DecryptData(0, 0, 0, zek, NULL, 0, (unsigned char *)NOW_ALL, 5, back, &m), 80);
    CHECK_RC(HSM_RCL_DecryptData(0, 0, 0, zek, NULL, 0, out, 8, back, &m), 15);                       /* no 80 00.. padding */
    char zpk[50] = {0};
    tass_import_k(KEY_TYPE_ZPK, zpk);
    CHECK_RC(HSM_RCL_EncryptData(0, 0, 0, zpk, NULL, 0, (unsigned char *)NOW_ALL, 24, out, &n), 10);  /* not a ZEK */
    CHECK_RC(HSM_RCL_EncryptData(0, 0, 9998, NULL, NULL, 0, (unsigned char *)NOW_ALL, 24, out, &n), 12);
}

TASS_TEST(rcl_zpk_cbc_mac, "Tass_GenZPKMac / HSM_RCL_ZpkGenCbcMac (UQ): UnionPay POS MAC known answer, parts, errors") {
    char zpk[50] = {0}, mac[40] = {0}, cv[40] = {0};
    static const unsigned char mab[16] = {0x12, 0x34, 0x56, 0x78, 0x90, 0xAB, 0xCD, 0xEF, 0xAB, 0xCD, 0xEF, 0x12, 0x34, 0x56, 0x78, 0x90};
    import_single("C3D2F45396B7AD62", KEY_TYPE_ZPK, zpk);
    CHECK_RC(Tass_GenZPKMac(0, zpk, 0, "1234567890ABCDEFABCDEF1234567890", mac), 0);
    CHECK_STR(mac, "E267B6E2");
    CHECK_RC(Tass_GenZPKMac(0, zpk, 999, "1234567890abcdefabcdef1234567890", mac), 0);   /* iInDataLen ignored, lower case */
    CHECK_STR(mac, "E267B6E2");
    CHECK_RC(HSM_RCL_ZpkGenCbcMac(0, 0, zpk, NULL, 0, (unsigned char *)mab, 16, 8, mac), 0);
    CHECK_STR(mac, "E267B6E2");
    CHECK_RC(HSM_RCL_ZpkGenCbcMac(0, 0, zpk, NULL, 0, (unsigned char *)mab, 16, 16, mac), 0);
    CHECK_STR(mac, "E267B6E21913D339");
    /* First part: the chaining value (the XOR so far); last part with it as the IV. */
    CHECK_RC(HSM_RCL_ZpkGenCbcMac(1, 0, zpk, NULL, 0, (unsigned char *)mab, 8, 8, cv), 0);
    CHECK_STR(cv, "1234567890ABCDEF");
    CHECK_RC(HSM_RCL_ZpkGenCbcMac(3, 0, zpk, (unsigned char *)cv, 16, (unsigned char *)mab + 8, 8, 8, mac), 0);
    CHECK_STR(mac, "E267B6E2");
    CHECK_RC(HSM_RCL_ZpkGenCbcMac(3, 0, zpk, (unsigned char *)mab, 8, (unsigned char *)mab + 8, 8, 8, mac), 0);  /* binary IV */
    CHECK_STR(mac, "E267B6E2");
    /* Errors */
    CHECK_RC(Tass_GenZPKMac(0, zpk, 0, "1234567890ABCDEFABCDEF123456789", mac), HAR_HEX_TO_BYTE);
    CHECK_RC(Tass_GenZPKMac(0, zpk, 0, "1234567890ABCDEFABCDEF123456789G", mac), HAR_HEX_TO_BYTE);
    CHECK_RC(Tass_GenZPKMac(0, zpk, 0, "", mac), HAR_PARAM_LEN);
    CHECK_RC(Tass_GenZPKMac(0, zpk, 0, NULL, mac), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_GenZPKMac(0, zpk, 0, "1234", NULL), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_GenZPKMac(2049, zpk, 0, "1234", mac), HAR_PARAM_KEY_ID);
    CHECK_RC(Tass_GenZPKMac(0, "Z2323232323232323", 0, "1234", mac), HAR_PARAM_KEY_CIPHER);   /* 17 characters: rule 1 */
    CHECK_RC(HSM_RCL_ZpkGenCbcMac(2, 0, zpk, NULL, 16, (unsigned char *)mab, 8, 8, mac), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RCL_ZpkGenCbcMac(3, 0, zpk, (unsigned char *)cv, 15, (unsigned char *)mab, 8, 8, mac), HAR_PARAM_LEN);
    CHECK_RC(HSM_RCL_ZpkGenCbcMac(0, 0, zpk, NULL, 0, (unsigned char *)mab, 4096, 8, mac), HAR_PARAM_LEN);
    CHECK_RC(HSM_RCL_ZpkGenCbcMac(5, 0, zpk, NULL, 0, (unsigned char *)mab, 16, 8, mac), HAR_PARAM_VALUE);
    CHECK_RC(HSM_RCL_ZpkGenCbcMac(0, 0, zpk, NULL, 0, (unsigned char *)mab, 16, 256, mac), HAR_PARAM_VALUE);
    CHECK_RC(HSM_RCL_ZpkGenCbcMac(0, 0, zpk, NULL, 0, (unsigned char *)mab, 16, 8, NULL), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RCL_ZpkGenCbcMac(0, 0, zpk, NULL, 0, (unsigned char *)mab, 16, 7, mac), 15);   /* MAC length */
    CHECK_RC(HSM_RCL_ZpkGenCbcMac(1, 0, zpk, NULL, 0, (unsigned char *)mab, 5, 8, mac), 80);    /* not whole blocks */
    char zak[50] = {0};
    tass_import_k(KEY_TYPE_ZAK, zak);
    CHECK_RC(Tass_GenZPKMac(0, zak, 0, "1234567890ABCDEF", mac), 10);                          /* not a ZPK */
}

TASS_TEST(rcl_zak_tak_cbc_mac, "HSM_RCL_ZakAndTakGenCbcMac (MS): ISO 9797-1 X9.19 and X9.9 known answers, parts, errors") {
    char tak[50] = {0}, zak[50] = {0}, single[50] = {0};
    unsigned char out[64];
    int n = 0;
    unsigned char zero[8] = {0};
    tass_import_k(KEY_TYPE_TAK, tak);
    tass_import_k(KEY_TYPE_ZAK, zak);
    import_single("F7EADC2F5D816B05", KEY_TYPE_ZAK, single);
    CHECK_RC(HSM_RCL_ZakAndTakGenCbcMac(0, 0, 1, 0, 0, tak, zero, 8, (unsigned char *)NOW_ALL, 24, out, &n), 0);
    CHECK(n == 16 && memcmp(out, "A1C72E74EA3FA9B6", 16) == 0);
    CHECK_RC(HSM_RCL_ZakAndTakGenCbcMac(0, 1, 1, 0, 0, zak, (unsigned char *)"0000000000000000", 16,
                                        (unsigned char *)"Now is the time for it", 22, out, &n), 0);
    CHECK(n == 16 && memcmp(out, "2E2B1428CC78254F", 16) == 0);
    CHECK_RC(HSM_RCL_ZakAndTakGenCbcMac(0, 1, 0, 0, 0, single, zero, 8, (unsigned char *)"7654321 Now is the time for ", 28, out, &n), 0);
    CHECK(n == 16 && memcmp(out, "F1D30F6849312CA4", 16) == 0);
    /* Data type 1: the same message as hex. */
    CHECK_RC(HSM_RCL_ZakAndTakGenCbcMac(0, 0, 1, 1, 0, tak, zero, 8, (unsigned char *)"4E6F77206973207468652074696D6520666F7220616C6C20", 48, out, &n), 0);
    CHECK(n == 16 && memcmp(out, "A1C72E74EA3FA9B6", 16) == 0);
    /* Parts: first, middle, last through the chaining value (hex, as returned). */
    unsigned char c1[16], c2[16];
    CHECK_RC(HSM_RCL_ZakAndTakGenCbcMac(1, 0, 1, 0, 0, tak, zero, 8, (unsigned char *)NOW_ALL, 8, c1, &n), 0);
    CHECK(n == 16);
    CHECK_RC(HSM_RCL_ZakAndTakGenCbcMac(2, 0, 1, 0, 0, tak, c1, 16, (unsigned char *)NOW_ALL + 8, 8, c2, &n), 0);
    CHECK_RC(HSM_RCL_ZakAndTakGenCbcMac(3, 0, 1, 0, 0, tak, c2, 16, (unsigned char *)NOW_ALL + 16, 8, out, &n), 0);
    CHECK(n == 16 && memcmp(out, "A1C72E74EA3FA9B6", 16) == 0);
    /* Errors */
    CHECK_RC(HSM_RCL_ZakAndTakGenCbcMac(0, 0, 1, 0, 0, tak, NULL, 8, (unsigned char *)NOW_ALL, 24, out, &n), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RCL_ZakAndTakGenCbcMac(0, 0, 1, 0, 0, tak, zero, 7, (unsigned char *)NOW_ALL, 24, out, &n), HAR_PARAM_LEN);
    CHECK_RC(HSM_RCL_ZakAndTakGenCbcMac(0, 0, 1, 0, 0, tak, zero, 8, (unsigned char *)NOW_ALL, 4097, out, &n), HAR_PARAM_LEN);
    CHECK_RC(HSM_RCL_ZakAndTakGenCbcMac(0, 0, 1, 0, 0, tak, zero, 8, (unsigned char *)NOW_ALL, 24, NULL, &n), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RCL_ZakAndTakGenCbcMac(0, 0, 1, 0, 0, tak, zero, 8, (unsigned char *)NOW_ALL, 24, out, NULL), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RCL_ZakAndTakGenCbcMac(0, 0, 3, 0, 0, tak, zero, 8, (unsigned char *)NOW_ALL, 24, out, &n), HAR_PARAM_VALUE);
    CHECK_RC(HSM_RCL_ZakAndTakGenCbcMac(0, 0, 1, 2, 0, tak, zero, 8, (unsigned char *)NOW_ALL, 24, out, &n), HAR_PARAM_VALUE);
    CHECK_RC(HSM_RCL_ZakAndTakGenCbcMac(0, 0, 1, 0, 10000, tak, zero, 8, (unsigned char *)NOW_ALL, 24, out, &n), HAR_PARAM_KEY_ID);
    CHECK_RC(HSM_RCL_ZakAndTakGenCbcMac(0, 1, 1, 0, 0, tak, zero, 8, (unsigned char *)NOW_ALL, 24, out, &n), 10);   /* a TAK as a ZAK */
    CHECK_RC(HSM_RCL_ZakAndTakGenCbcMac(0, 2, 1, 0, 0, tak, zero, 8, (unsigned char *)NOW_ALL, 24, out, &n), 27);   /* key type 2 */
    CHECK_RC(HSM_RCL_ZakAndTakGenCbcMac(0, 0, 0, 0, 0, tak, zero, 8, (unsigned char *)NOW_ALL, 24, out, &n), 15);   /* length flag */
    CHECK_RC(HSM_RCL_ZakAndTakGenCbcMac(0, 0, 1, 1, 0, tak, zero, 8, (unsigned char *)"0G", 2, out, &n), 15);       /* not hex */
    CHECK_RC(HSM_RCL_ZakAndTakGenCbcMac(1, 0, 1, 0, 0, tak, zero, 8, (unsigned char *)NOW_ALL, 5, out, &n), 80);    /* not whole blocks */
    char zpk[50] = {0};
    tass_import_k(KEY_TYPE_ZPK, zpk);
    CHECK_RC(HSM_RCL_ZakAndTakGenCbcMac(0, 1, 1, 0, 0, zpk, zero, 8, (unsigned char *)NOW_ALL, 24, out, &n), 10);   /* a ZPK */
}
