/* test_sm2.c - the HSM_SM2_* functions (E7 E1 E2 E3 E4 E5 E6 TT TU TQ TX TY) and Tass_GenSm2Key.
 *
 * Fixtures: the GM/T 0003.5-2012 (GB/T 32918.5) Annex A sample key pair, d =
 * 3945208F...4DF7C5B8 and its DER public key (as `openssl pkey -pubout -outform DER` writes
 * it); d under the harness ZMK (clear 8A7C04A1CD916464D6B361B05BBF6780) with 3DES-ECB and
 * 3DES-CBC (zero IV), computed with `openssl enc -des-ede-ecb/-des-ede-cbc -nopad` and pinned.
 * Also TQ TX TY (public-key MAC, symmetric keys under SM2).
 */
#include "harness.h"

static const unsigned char SAMPLE_DER[91] = {
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01, 0x06, 0x08, 0x2A,
    0x81, 0x1C, 0xCF, 0x55, 0x01, 0x82, 0x2D, 0x03, 0x42, 0x00, 0x04,
    0x09, 0xF9, 0xDF, 0x31, 0x1E, 0x54, 0x21, 0xA1, 0x50, 0xDD, 0x7D, 0x16, 0x1E, 0x4B, 0xC5, 0xC6,
    0x72, 0x17, 0x9F, 0xAD, 0x18, 0x33, 0xFC, 0x07, 0x6B, 0xB0, 0x8F, 0xF3, 0x56, 0xF3, 0x50, 0x20,
    0xCC, 0xEA, 0x49, 0x0C, 0xE2, 0x67, 0x75, 0xA5, 0x2D, 0xC6, 0xEA, 0x71, 0x8C, 0xC1, 0xAA, 0x60,
    0x0A, 0xED, 0x05, 0xFB, 0xF3, 0x5E, 0x08, 0x4A, 0x66, 0x32, 0xF6, 0x07, 0x2D, 0xA9, 0xAD, 0x13,
};
static const unsigned char D_UNDER_ZMK_ECB[32] = {
    0x34, 0x2E, 0x39, 0xAF, 0xDE, 0x65, 0xDA, 0xE0, 0xBE, 0xC7, 0x27, 0x46, 0x39, 0x5B, 0x0C, 0x00,
    0xC9, 0xC7, 0xB5, 0xFA, 0x73, 0x39, 0x2D, 0x25, 0x1A, 0x93, 0xEE, 0xE8, 0x05, 0xCE, 0xC8, 0x5C,
};
static const unsigned char D_UNDER_ZMK_CBC[32] = {
    0x34, 0x2E, 0x39, 0xAF, 0xDE, 0x65, 0xDA, 0xE0, 0xB7, 0xE8, 0xB4, 0xAC, 0x2A, 0x37, 0xC6, 0xCC,
    0x4B, 0xD1, 0xE8, 0xF1, 0xB4, 0x3A, 0x7F, 0x8E, 0xAE, 0x21, 0xCE, 0x32, 0xCE, 0x89, 0x5A, 0xBF,
};

static int hexval(char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1; }
static int from_hex(const char *h, unsigned char *out, int max) {
    int n = (int)strlen(h) / 2;
    if (n > max) return -1;
    for (int i = 0; i < n; i++) out[i] = (unsigned char)(hexval(h[2 * i]) << 4 | hexval(h[2 * i + 1]));
    return n;
}

TASS_TEST(sm2_generate_encrypt_decrypt, "HSM_SM2_GenerateNewKeyPair -> EncryptData -> DecryptData (E7 E3 E4), carried keys") {
    unsigned char der[128] = {0}, priv[2048] = {0}, c[2100] = {0}, p[2100] = {0};
    int derLen = 0, privLen = 0, cLen = 0, pLen = 0;
    CHECK_RC(HSM_SM2_GenerateNewKeyPair(g_session, 0, NULL, der, &derLen, priv, &privLen), 0);
    CHECK(derLen == 91);
    CHECK(memcmp(der, SAMPLE_DER, 27) == 0);              /* the SubjectPublicKeyInfo prefix, then 04 */
    CHECK(privLen == 40);
    const unsigned char msg[] = "encrypt me, with a zero byte \0 inside";
    CHECK_RC(HSM_SM2_EncryptData(g_session, 0, der, derLen, (unsigned char *)msg, (int)sizeof msg, c, &cLen), 0);
    CHECK(cLen == (int)sizeof msg + 97 && c[0] == 0x04);
    CHECK_RC(HSM_SM2_DecryptData(g_session, 9999, priv, privLen, c, cLen, p, &pLen), 0);
    CHECK(pLen == (int)sizeof msg && memcmp(p, msg, sizeof msg) == 0);
    /* A tampered ciphertext is the HSM's 15. */
    c[70] ^= 1;
    CHECK_RC(HSM_SM2_DecryptData(g_session, 0, priv, privLen, c, cLen, p, &pLen), 15);
    /* Limits: 1...1900 bytes in, 98...1996 to decrypt. */
    static unsigned char big[2000];
    CHECK_RC(HSM_SM2_EncryptData(g_session, 0, der, derLen, big, 1900, c, &cLen), 0);
    CHECK(cLen == 1997);
    CHECK_RC(HSM_SM2_EncryptData(g_session, 0, der, derLen, big, 1901, c, &cLen), HAR_PARAM_LEN);
    CHECK_RC(HSM_SM2_EncryptData(g_session, 0, der, derLen, big, 0, c, &cLen), HAR_PARAM_LEN);
    CHECK_RC(HSM_SM2_DecryptData(g_session, 0, priv, privLen, big, 1997, p, &pLen), HAR_PARAM_LEN);
    CHECK_RC(HSM_SM2_DecryptData(g_session, 0, priv, privLen, big, 97, p, &pLen), HAR_PARAM_LEN);
    /* Bad DER, NULLs, another device's or an altered blob. */
    unsigned char bad[91];
    memcpy(bad, der, 91);
    bad[0] = 0x31;
    CHECK_RC(HSM_SM2_EncryptData(g_session, 0, bad, 91, (unsigned char *)msg, 4, c, &cLen), HAR_DER_DECODE);
    memcpy(bad, der, 91);
    bad[20] ^= 1;                                          /* another curve OID */
    CHECK_RC(HSM_SM2_EncryptData(g_session, 0, bad, 91, (unsigned char *)msg, 4, c, &cLen), HAR_DER_DECODE);
    CHECK_RC(HSM_SM2_EncryptData(g_session, 0, der, 90, (unsigned char *)msg, 4, c, &cLen), HAR_DER_DECODE);
    CHECK_RC(HSM_SM2_EncryptData(g_session, 0, NULL, 91, (unsigned char *)msg, 4, c, &cLen), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_SM2_EncryptData(g_session, 0, der, 91, NULL, 4, c, &cLen), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_SM2_EncryptData(g_session, 0, der, 91, (unsigned char *)msg, 4, NULL, &cLen), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_SM2_EncryptData(g_session, 0, der, 91, (unsigned char *)msg, 4, c, NULL), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_SM2_EncryptData(NULL, 0, der, 91, (unsigned char *)msg, 4, c, &cLen), HAR_SESSIONHANDLE_INVALID);
    CHECK_RC(HSM_SM2_DecryptData(g_session, 0, NULL, 40, c, 120, p, &pLen), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_SM2_EncryptData(g_session, 10000, der, 91, (unsigned char *)msg, 4, c, &cLen), HAR_PARAM_KEY_ID);
    unsigned char altered[2048];
    memcpy(altered, priv, (size_t)privLen);
    altered[35] ^= 1;
    CHECK_RC(HSM_SM2_EncryptData(g_session, 0, der, derLen, (unsigned char *)msg, 4, c, &cLen), 0);
    CHECK_RC(HSM_SM2_DecryptData(g_session, 0, altered, privLen, c, cLen, p, &pLen), 10);
}

TASS_TEST(sm2_sign_verify, "HSM_SM2_GenerateSignature -> VerifySignature (E5 E6): a changed message is the HSM's 01") {
    unsigned char der[128] = {0}, priv[2048] = {0}, sig[64] = {0};
    int derLen = 0, privLen = 0, sigLen = 0;
    CHECK_RC(HSM_SM2_GenerateNewKeyPair(g_session, -1, "", der, &derLen, priv, &privLen), 0);
    unsigned char uid[] = "ALICE123@YAHOO.COM", msg[] = "message digest";
    CHECK_RC(HSM_SM2_GenerateSignature(0, der, derLen, priv, privLen, uid, 18, msg, 14, sig, &sigLen), 0);
    CHECK(sigLen == 64);
    CHECK_RC(HSM_SM2_VerifySignature(0, der, derLen, uid, 18, msg, 14, sig, sigLen), 0);
    msg[0] ^= 1;
    CHECK_RC(HSM_SM2_VerifySignature(0, der, derLen, uid, 18, msg, 14, sig, sigLen), 1);
    msg[0] ^= 1;
    CHECK_RC(HSM_SM2_VerifySignature(0, der, derLen, NULL, 0, msg, 14, sig, sigLen), 1);   /* the default user id */
    /* Empty user id: 1234567812345678 on both sides. */
    CHECK_RC(HSM_SM2_GenerateSignature(9999, der, derLen, priv, privLen, NULL, 0, msg, 14, sig, &sigLen), 0);
    CHECK_RC(HSM_SM2_VerifySignature(9999, der, derLen, (unsigned char *)"1234567812345678", 16, msg, 14, sig, sigLen), 0);
    /* The DER of another pair with this blob: the HSM's 15. */
    CHECK_RC(HSM_SM2_GenerateSignature(0, (unsigned char *)SAMPLE_DER, 91, priv, privLen, NULL, 0, msg, 14, sig, &sigLen), 15);
    /* Errors: lengths, NULLs, bad DER. */
    static unsigned char big[2000];
    CHECK_RC(HSM_SM2_GenerateSignature(0, der, derLen, priv, privLen, NULL, 0, big, 1985, sig, &sigLen), HAR_PARAM_LEN);
    CHECK_RC(HSM_SM2_GenerateSignature(0, der, derLen, priv, privLen, NULL, 0, big, 1984, sig, &sigLen), 0);
    CHECK_RC(HSM_SM2_VerifySignature(0, der, derLen, NULL, 0, msg, 14, sig, 63), HAR_PARAM_LEN);
    CHECK_RC(HSM_SM2_VerifySignature(0, der, derLen, NULL, 0, msg, 14, NULL, 64), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_SM2_GenerateSignature(0, der, derLen, priv, privLen, NULL, 0, msg, 14, NULL, &sigLen), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_SM2_GenerateSignature(0, der, derLen, NULL, 40, NULL, 0, msg, 14, sig, &sigLen), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_SM2_GenerateSignature(0, der, derLen, priv, 0, NULL, 0, msg, 14, sig, &sigLen), HAR_PARAM_LEN);
    unsigned char bad[91];
    memcpy(bad, der, 91);
    bad[1] = 0x83;
    CHECK_RC(HSM_SM2_VerifySignature(0, bad, 91, NULL, 0, msg, 14, sig, 64), HAR_DER_DECODE);
    CHECK_RC(HSM_SM2_GenerateSignature(0, bad, 91, priv, privLen, NULL, 0, msg, 14, sig, &sigLen), HAR_DER_DECODE);
}

TASS_TEST(sm2_load_and_public_key_at_index, "HSM_SM2_LoadKeyPair / GetPublicKey / generate stored (E1 E2 E7 K...): keys at an index") {
    unsigned char der[128] = {0}, priv[2048] = {0}, got[128] = {0}, sig[64], c[200], p[200];
    int derLen = 0, privLen = 0, gotLen = 0, sigLen = 0, cLen = 0, pLen = 0;
    CHECK_RC(HSM_SM2_GenerateNewKeyPair(g_session, 0, NULL, der, &derLen, priv, &privLen), 0);
    CHECK_RC(HSM_SM2_LoadKeyPair(701, "loaded", der, derLen, priv, privLen), 0);
    CHECK_RC(HSM_SM2_GetPublicKey(701, got, &gotLen), 0);
    CHECK(gotLen == 91 && memcmp(got, der, 91) == 0);
    unsigned char msg[] = "at an index";
    CHECK_RC(HSM_SM2_GenerateSignature(701, NULL, 0, NULL, 0, NULL, 0, msg, 11, sig, &sigLen), 0);
    CHECK_RC(HSM_SM2_VerifySignature(0, der, derLen, NULL, 0, msg, 11, sig, sigLen), 0);
    CHECK_RC(HSM_SM2_VerifySignature(701, NULL, 0, NULL, 0, msg, 11, sig, sigLen), 0);
    CHECK_RC(HSM_SM2_EncryptData(g_session, 701, NULL, 0, msg, 11, c, &cLen), 0);
    CHECK_RC(HSM_SM2_DecryptData(g_session, 701, NULL, 0, c, cLen, p, &pLen), 0);
    CHECK(pLen == 11 && memcmp(p, msg, 11) == 0);
    /* Generated straight into an index (label of 16 is the maximum). */
    CHECK_RC(HSM_SM2_GenerateNewKeyPair(g_session, 702, "sixteen-chars-ok", der, &derLen, priv, &privLen), 0);
    CHECK_RC(HSM_SM2_GetPublicKey(702, got, &gotLen), 0);
    CHECK(memcmp(got, der, 91) == 0);
    CHECK_RC(HSM_SM2_GenerateNewKeyPair(g_session, 703, "seventeen-chars-x", der, &derLen, priv, &privLen), HAR_PARAM_VALUE);
    /* 9999: not stored. Nothing at 704: the HSM's 12. A symmetric key at an index: 27. */
    CHECK_RC(HSM_SM2_GenerateNewKeyPair(g_session, 9999, NULL, der, &derLen, priv, &privLen), 0);
    CHECK(derLen == 91);
    CHECK_RC(HSM_SM2_GetPublicKey(704, got, &gotLen), 12);
    char zpk[50] = {0}, zkcv[17] = {0};
    CHECK_RC(HSM_RCL_ImportKey_A6(g_session, (char *)KEY_TYPE_ZPK, 0, T_ZMK, "X7BC09407A015F72FC59C32147D2AAE57", 'U', 'K', 705, "zpk", zpk, zkcv), 0);
    CHECK_RC(HSM_SM2_GetPublicKey(705, got, &gotLen), 27);
    /* Index errors and NULLs. */
    CHECK_RC(HSM_SM2_GetPublicKey(0, got, &gotLen), HAR_PARAM_KEY_ID);
    CHECK_RC(HSM_SM2_GetPublicKey(9999, got, &gotLen), HAR_PARAM_KEY_ID);
    CHECK_RC(HSM_SM2_GetPublicKey(701, NULL, &gotLen), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_SM2_LoadKeyPair(0, NULL, der, derLen, priv, privLen), HAR_PARAM_KEY_ID);
    CHECK_RC(HSM_SM2_LoadKeyPair(706, NULL, NULL, 91, priv, privLen), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_SM2_LoadKeyPair(706, NULL, (unsigned char *)SAMPLE_DER, 91, priv, privLen), 15);   /* not this blob's key */
    CHECK_RC(HSM_SM2_GetPublicKey(706, got, &gotLen), 12);
}

TASS_TEST(sm2_export_import_under_tk, "HSM_SM2_ImportByTK / ExportByTK (TU TT): the sample key under the ZMK, ECB and CBC, known answers") {
    unsigned char blob[2048] = {0}, out[64] = {0}, blob2[2048] = {0};
    int blobLen = 0, outLen = 0, blob2Len = 0;
    CHECK_RC(HSM_SM2_ImportByTK(0, (char *)KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, (unsigned char *)SAMPLE_DER, 91,
                                (unsigned char *)D_UNDER_ZMK_ECB, 32, blob, &blobLen), 0);
    CHECK(blobLen == 40);
    CHECK_RC(HSM_SM2_ExportByTK(g_session, 0, (char *)KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, (unsigned char *)SAMPLE_DER, 91, blob, blobLen, out, &outLen), 0);
    CHECK(outLen == 32 && memcmp(out, D_UNDER_ZMK_ECB, 32) == 0);
    CHECK_RC(HSM_SM2_ExportByTK(g_session, 1, (char *)KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 9999, (unsigned char *)SAMPLE_DER, 91, blob, blobLen, out, &outLen), 0);
    CHECK(outLen == 32 && memcmp(out, D_UNDER_ZMK_CBC, 32) == 0);
    /* CBC back in, stored at 710: the same blob; the stored pair exports the same. */
    CHECK_RC(HSM_SM2_ImportByTK(1, (char *)KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 710, "tu", (unsigned char *)SAMPLE_DER, 91,
                                (unsigned char *)D_UNDER_ZMK_CBC, 32, blob2, &blob2Len), 0);
    CHECK(blob2Len == blobLen && memcmp(blob, blob2, (size_t)blobLen) == 0);
    CHECK_RC(HSM_SM2_ExportByTK(g_session, 0, (char *)KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 710, NULL, 0, NULL, 0, out, &outLen), 0);
    CHECK(memcmp(out, D_UNDER_ZMK_ECB, 32) == 0);
    /* One derivation level: a different result, and back to the same blob. */
    const char *factor = "00112233445566778899AABBCCDDEEFF";
    CHECK_RC(HSM_SM2_ExportByTK(g_session, 0, (char *)KEY_TYPE_KEKZMK, 0, T_ZMK, 1, (char *)factor, 710, NULL, 0, NULL, 0, out, &outLen), 0);
    CHECK(memcmp(out, D_UNDER_ZMK_ECB, 32) != 0);
    CHECK_RC(HSM_SM2_ImportByTK(0, (char *)KEY_TYPE_KEKZMK, 0, T_ZMK, 1, (char *)factor, 0, NULL, (unsigned char *)SAMPLE_DER, 91,
                                out, outLen, blob2, &blob2Len), 0);
    CHECK(memcmp(blob, blob2, (size_t)blobLen) == 0);
    /* Errors: mode, TK type, derive count/data, a key of another type as the TK, NULLs, bad DER. */
    CHECK_RC(HSM_SM2_ExportByTK(g_session, 2, (char *)KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 710, NULL, 0, NULL, 0, out, &outLen), HAR_PARAM_ENC_MODE);
    CHECK_RC(HSM_SM2_ExportByTK(g_session, 0, (char *)KEY_TYPE_ZPK, 0, T_ZMK, 0, "", 710, NULL, 0, NULL, 0, out, &outLen), HAR_PARAM_KEY_TYPE);
    CHECK_RC(HSM_SM2_ExportByTK(g_session, 0, (char *)KEY_TYPE_KEKZMK, 0, T_ZMK, 1, "", 710, NULL, 0, NULL, 0, out, &outLen), HAR_PARAM_DERIVE_DATA);
    CHECK_RC(HSM_SM2_ExportByTK(g_session, 0, (char *)KEY_TYPE_KEKZMK, 0, T_ZMK, 0, (char *)factor, 710, NULL, 0, NULL, 0, out, &outLen), HAR_PARAM_DERIVE_DATA);
    CHECK_RC(HSM_SM2_ExportByTK(g_session, 0, (char *)KEY_TYPE_KEKZMK, 0, T_ZMK, 0, NULL, 710, NULL, 0, NULL, 0, out, &outLen), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_SM2_ExportByTK(g_session, 0, (char *)KEY_TYPE_KEKZMK, 0, T_ZMK, 100, "", 710, NULL, 0, NULL, 0, out, &outLen), HAR_PARAM_DERIVE_NUM);
    CHECK_RC(HSM_SM2_ExportByTK(g_session, 0, (char *)KEY_TYPE_KEKZMK, 0, "U0B7C6F68A38FA3C2CB42C2991576A986", 0, "", 710, NULL, 0, NULL, 0, out, &outLen), 10);
    CHECK_RC(HSM_SM2_ExportByTK(g_session, 0, (char *)KEY_TYPE_KEKZMK, 0, NULL, 0, "", 710, NULL, 0, NULL, 0, out, &outLen), HAR_PARAM_KEY_ID);
    CHECK_RC(HSM_SM2_ExportByTK(g_session, 0, (char *)KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 710, NULL, 0, NULL, 0, NULL, &outLen), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_SM2_ExportByTK(g_session, 0, (char *)KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, 91, blob, blobLen, out, &outLen), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_SM2_ImportByTK(0, (char *)KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, (unsigned char *)SAMPLE_DER, 60,
                                (unsigned char *)D_UNDER_ZMK_ECB, 32, blob2, &blob2Len), HAR_DER_DECODE);
    /* Under the wrong TK mode, d does not match the public key: the HSM's 15, nothing stored. */
    CHECK_RC(HSM_SM2_ImportByTK(1, (char *)KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 711, NULL, (unsigned char *)SAMPLE_DER, 91,
                                (unsigned char *)D_UNDER_ZMK_ECB, 32, blob2, &blob2Len), 15);
    unsigned char got[128];
    int gotLen = 0;
    CHECK_RC(HSM_SM2_GetPublicKey(711, got, &gotLen), 12);
}

TASS_TEST(tass_gen_sm2_key, "Tass_GenSm2Key: E7 then TT; hex outputs, whole blob, d under the ZMK imports back; errors") {
    char d_zmk[200] = {0}, pub[400] = {0}, lmk[4200] = {0};
    CHECK_RC(Tass_GenSm2Key(g_session, 0, T_ZMK, "", 0, d_zmk, pub, lmk), 0);
    CHECK_LEN(pub, 182);
    CHECK(strncmp(pub, "3059301306072A8648CE3D020106082A811CCF5501822D03420004", 54) == 0);
    CHECK_LEN(lmk, 80);
    CHECK_LEN(d_zmk, 64);
    CHECK(tass_is_upper_hex(pub) && tass_is_upper_hex(lmk) && tass_is_upper_hex(d_zmk));
    /* d under the ZMK comes back in with TU to the same blob; the pair signs and verifies. */
    unsigned char der[91], dz[32], blob[40], blob2[2048], sig[64];
    int blob2Len = 0, sigLen = 0;
    CHECK(from_hex(pub, der, 91) == 91 && from_hex(d_zmk, dz, 32) == 32 && from_hex(lmk, blob, 40) == 40);
    CHECK_RC(HSM_SM2_ImportByTK(0, (char *)KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, der, 91, dz, 32, blob2, &blob2Len), 0);
    CHECK(blob2Len == 40 && memcmp(blob, blob2, 40) == 0);
    CHECK_RC(HSM_SM2_GenerateSignature(0, der, 91, blob, 40, NULL, 0, (unsigned char *)"x", 1, sig, &sigLen), 0);
    CHECK_RC(HSM_SM2_VerifySignature(0, der, 91, NULL, 0, (unsigned char *)"x", 1, sig, sigLen), 0);
    /* CBC and one derivation level. */
    CHECK_RC(Tass_GenSm2Key(g_session, 0, T_ZMK, "00112233445566778899AABBCCDDEEFF", 1, d_zmk, pub, lmk), 0);
    CHECK_LEN(d_zmk, 64);
    /* A cryptogram of 16+ characters wins over the index (the vendor's rule). */
    CHECK_RC(Tass_GenSm2Key(g_session, 5, T_ZMK, "", 0, d_zmk, pub, lmk), 0);
    /* Errors: zmk_disData NULL or of a bad length, NULL outputs, a key of another type. */
    CHECK_RC(Tass_GenSm2Key(g_session, 0, T_ZMK, NULL, 0, d_zmk, pub, lmk), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_GenSm2Key(g_session, 0, T_ZMK, "0011", 0, d_zmk, pub, lmk), HAR_PARAM_DERIVE_DATA);
    CHECK_RC(Tass_GenSm2Key(g_session, 0, T_ZMK, "", 0, NULL, pub, lmk), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_GenSm2Key(g_session, 0, T_ZMK, "", 0, d_zmk, NULL, lmk), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_GenSm2Key(g_session, 0, T_ZMK, "", 0, d_zmk, pub, NULL), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_GenSm2Key(g_session, 0, "U0B7C6F68A38FA3C2CB42C2991576A986", "", 0, d_zmk, pub, lmk), 10);
    CHECK_RC(Tass_GenSm2Key(g_session, 0, NULL, "", 0, d_zmk, pub, lmk), HAR_PARAM_KEY_ID);
    CHECK_RC(Tass_GenSm2Key(NULL, 0, T_ZMK, "", 0, d_zmk, pub, lmk), HAR_SESSIONHANDLE_INVALID);
}

TASS_TEST(sm2_symmetric_keys, "HSM_SM2_GeneratePublicKeyMac / ExportSymmetricKey / ImportSymmetricKey (TQ TX TY): the ZMK out and back") {
    /* The sample pair, imported under the ZMK; the harness ZMK (KCV A1B67C6F5D44F23E, from
       openssl enc -des-ede-ecb of zeros under its clear value) travels under its public key. */
    unsigned char blob[2048] = {0}, mac[4] = {0}, ck[512] = {0};
    int blobLen = 0, macLen = 0, ckLen = 0;
    char kcv[17] = {0}, lmk[50] = {0}, kcv2[17] = {0};
    CHECK_RC(HSM_SM2_ImportByTK(0, (char *)KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, (unsigned char *)SAMPLE_DER, 91,
                                (unsigned char *)D_UNDER_ZMK_ECB, 32, blob, &blobLen), 0);
    unsigned char auth[] = "partner-7";
    CHECK_RC(HSM_SM2_GeneratePublicKeyMac((unsigned char *)SAMPLE_DER, 91, auth, 9, mac, &macLen), 0);
    CHECK(macLen == 4);
    CHECK_RC(HSM_SM2_ExportSymmetricKey((char *)KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, (unsigned char *)SAMPLE_DER, 91, auth, 9, mac, ck, &ckLen, kcv), 0);
    CHECK(ckLen == 16 + 97);
    CHECK_STR(kcv, "A1B67C6F5D44F23E");
    CHECK_RC(HSM_SM2_ImportSymmetricKey((char *)KEY_TYPE_KEKZMK, 'U', 0, NULL, 0, blob, blobLen, ck, ckLen, lmk, kcv2), 0);
    CHECK_STR(lmk, T_ZMK);
    CHECK_STR(kcv2, "A1B67C6F5D44F23E");
    /* Stored at 720, then exported under the pair stored at 721 (no MAC needed). */
    CHECK_RC(HSM_SM2_ImportSymmetricKey((char *)KEY_TYPE_KEKZMK, 'U', 720, "zmk", 0, blob, blobLen, ck, ckLen, lmk, kcv2), 0);
    CHECK_RC(HSM_SM2_LoadKeyPair(721, NULL, (unsigned char *)SAMPLE_DER, 91, blob, blobLen), 0);
    CHECK_RC(HSM_SM2_ExportSymmetricKey((char *)KEY_TYPE_KEKZMK, 720, NULL, 0, "", 721, NULL, 0, NULL, 0, NULL, ck, &ckLen, kcv), 0);
    CHECK_STR(kcv, "A1B67C6F5D44F23E");
    CHECK_RC(HSM_SM2_ImportSymmetricKey((char *)KEY_TYPE_KEKZMK, 'U', 0, NULL, 721, NULL, 0, ck, ckLen, lmk, kcv2), 0);
    CHECK_STR(lmk, T_ZMK);
    /* Errors: a wrong MAC (the HSM's 1), ';' in the authentication data, key types, NULLs. */
    mac[0] ^= 1;
    CHECK_RC(HSM_SM2_ExportSymmetricKey((char *)KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, (unsigned char *)SAMPLE_DER, 91, auth, 9, mac, ck, &ckLen, kcv), 1);
    CHECK_RC(HSM_SM2_GeneratePublicKeyMac((unsigned char *)SAMPLE_DER, 91, (unsigned char *)"a;b", 3, mac, &macLen), HAR_PARAM_VALUE);
    CHECK_RC(HSM_SM2_GeneratePublicKeyMac((unsigned char *)SAMPLE_DER, 91, auth, 0, mac, &macLen), HAR_PARAM_LEN);
    CHECK_RC(HSM_SM2_GeneratePublicKeyMac(NULL, 91, auth, 9, mac, &macLen), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_SM2_GeneratePublicKeyMac((unsigned char *)SAMPLE_DER, 91, auth, 9, NULL, &macLen), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_SM2_ExportSymmetricKey((char *)KEY_TYPE_ZPK, 0, T_ZMK, 0, "", 721, NULL, 0, NULL, 0, NULL, ck, &ckLen, kcv), HAR_PARAM_KEY_TYPE);
    CHECK_RC(HSM_SM2_ExportSymmetricKey((char *)KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, (unsigned char *)SAMPLE_DER, 91, auth, 9, NULL, ck, &ckLen, kcv), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_SM2_ExportSymmetricKey((char *)KEY_TYPE_DEKZEK, 0, T_ZMK, 0, "", 721, NULL, 0, NULL, 0, NULL, ck, &ckLen, kcv), 10);
    CHECK_RC(HSM_SM2_ImportSymmetricKey((char *)KEY_TYPE_KEKZMK, 'Q', 0, NULL, 721, NULL, 0, ck, ckLen, lmk, kcv2), HAR_PARAM_KEY_SCHEME);
    CHECK_RC(HSM_SM2_ImportSymmetricKey((char *)KEY_TYPE_KEKZMK, 'U', 0, NULL, 721, NULL, 0, ck, 0, lmk, kcv2), HAR_PARAM_LEN);
    CHECK_RC(HSM_SM2_ImportSymmetricKey((char *)KEY_TYPE_KEKZMK, 'U', 0, NULL, 721, NULL, 0, ck, ckLen, NULL, kcv2), HAR_PARAM_ISNULL);
    ck[70] ^= 1;
    CHECK_RC(HSM_SM2_ImportSymmetricKey((char *)KEY_TYPE_KEKZMK, 'U', 0, NULL, 721, NULL, 0, ck, ckLen, lmk, kcv2), 15);
}
