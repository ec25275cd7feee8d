/* test_rsa.c - EI ER 3A 3B EW EY through the HSM_RSA_* functions.
 *
 * Fixtures: a fixed RSA-1024 key (the one of Tests/TestSupport/RSAFixture.swift; tests/common/rsa_fixture.h) and
 * PKCS#1 v1.5 signatures of "abc" made with the OpenSSL command line
 * (openssl dgst -sha256 -sign k.pem; SM3: openssl pkeyutl -sign over the SM3 DigestInfo),
 * pinned here. */
#include "harness.h"
#include "../common/rsa_fixture.h"
#include <stdlib.h>


TASS_TEST(rsa_pinned_signatures, "HSM_RSA_VerifySignature: openssl-made SHA-256 and SM3 signatures verify; a changed message gives 1") {
    unsigned char pub[600], sig[512];
    int pl = h_unhex(RSA_FX_PUB, pub), sl = h_unhex(RSA_FX_SIG_SHA256, sig);
    CHECK(pl == 140 && sl == 128);
    CHECK_RC(HSM_RSA_VerifySignature(HASH_MODE_SHA256, PADDING_MODE_ASYM_PKCS1V1_5, 0, pub, pl, (unsigned char *)"abc", 3, sig, sl), 0);
    CHECK_RC(HSM_RSA_VerifySignature(HASH_MODE_SHA256, PADDING_MODE_ASYM_PKCS1V1_5, 0, pub, pl, (unsigned char *)"abd", 3, sig, sl), 1);
    CHECK_RC(HSM_RSA_VerifySignature(HASH_MODE_SHA1, PADDING_MODE_ASYM_PKCS1V1_5, 0, pub, pl, (unsigned char *)"abc", 3, sig, sl), 1);
    sl = h_unhex(RSA_FX_SIG_SM3, sig);
    CHECK_RC(HSM_RSA_VerifySignature(HASH_MODE_SM3, PADDING_MODE_ASYM_PKCS1V1_5, 9999, pub, pl, (unsigned char *)"abc", 3, sig, sl), 0);
    sig[5] ^= 1;
    CHECK_RC(HSM_RSA_VerifySignature(HASH_MODE_SM3, PADDING_MODE_ASYM_PKCS1V1_5, 0, pub, pl, (unsigned char *)"abc", 3, sig, sl), 1);
}

TASS_TEST(rsa_generate_encrypt_decrypt, "HSM_RSA_GenerateNewKeyPair, HSM_RSA_EncryptData / DecryptData round trips (PKCS#1, OAEP, none)") {
    unsigned char pub[600], priv[4000], c[512], p[512];
    int pl = 0, vl = 0, cl = 0, ol = 0;
    CHECK_RC(HSM_RSA_GenerateNewKeyPair(g_session, 0, "", 1024, 65537, pub, &pl, priv, &vl), 0);
    CHECK(pub[0] == 0x30 && pl > 130 && pl < 150 && vl > 600);
    for (int pad = 1; pad <= 2; pad++) {
        CHECK_RC(HSM_RSA_EncryptData(g_session, pad, 0, pub, pl, (unsigned char *)"hello rsa", 9, c, &cl), 0);
        CHECK(cl == 128);
        CHECK_RC(HSM_RSA_DecryptData(g_session, pad, 0, priv, vl, c, cl, p, &ol), 0);
        CHECK(ol == 9 && memcmp(p, "hello rsa", 9) == 0);
    }
    unsigned char block[128];
    memset(block, 0x33, sizeof block);
    block[0] = 0;
    CHECK_RC(HSM_RSA_EncryptData(g_session, PADDING_MODE_ASYM_NOPAD, 0, pub, pl, block, 128, c, &cl), 0);
    CHECK_RC(HSM_RSA_DecryptData(g_session, PADDING_MODE_ASYM_NOPAD, 0, priv, vl, c, cl, p, &ol), 0);
    CHECK(ol == 128 && memcmp(p, block, 128) == 0);
    /* exponent 3: the DER ends with INTEGER 3 */
    CHECK_RC(HSM_RSA_GenerateNewKeyPair(g_session, 0, NULL, 1024, 3, pub, &pl, priv, &vl), 0);
    CHECK(pub[pl - 3] == 0x02 && pub[pl - 2] == 0x01 && pub[pl - 1] == 0x03);
}

TASS_TEST(rsa_sign_verify_stored, "HSM_RSA_GenerateSignature / VerifySignature, a pair stored at an index and HSM_RSA_GetPublicKey") {
    unsigned char pub[600], priv[4000], pub2[600], sig[512];
    int pl = 0, vl = 0, pl2 = 0, sl = 0;
    CHECK_RC(HSM_RSA_GenerateNewKeyPair(g_session, 210, "rsa-c", 1024, 65537, pub, &pl, priv, &vl), 0);
    CHECK_RC(HSM_RSA_GetPublicKey(210, pub2, &pl2), 0);
    CHECK(pl2 == pl && memcmp(pub, pub2, (size_t)pl) == 0);
    const unsigned char msg[] = "message to sign";
    int hashes[] = {HASH_MODE_SHA1, HASH_MODE_SHA224, HASH_MODE_SHA256, HASH_MODE_SHA384, HASH_MODE_SHA512, HASH_MODE_SM3};
    for (int i = 0; i < 6; i++) {
        CHECK_RC(HSM_RSA_GenerateSignature(hashes[i], PADDING_MODE_ASYM_PKCS1V1_5, 210, NULL, 0, (unsigned char *)msg, 15, sig, &sl), 0);
        CHECK(sl == 128);
        CHECK_RC(HSM_RSA_VerifySignature(hashes[i], PADDING_MODE_ASYM_PKCS1V1_5, 0, pub, pl, (unsigned char *)msg, 15, sig, sl), 0);
        CHECK_RC(HSM_RSA_VerifySignature(hashes[i], PADDING_MODE_ASYM_PKCS1V1_5, 210, NULL, 0, (unsigned char *)msg, 14, sig, sl), 1);
    }
    /* the blob form signs the same (PKCS#1 v1.5 is deterministic) */
    unsigned char sig2[512];
    int sl2 = 0;
    CHECK_RC(HSM_RSA_GenerateSignature(HASH_MODE_SHA256, PADDING_MODE_ASYM_PKCS1V1_5, 0, priv, vl, (unsigned char *)msg, 15, sig, &sl), 0);
    CHECK_RC(HSM_RSA_GenerateSignature(HASH_MODE_SHA256, PADDING_MODE_ASYM_PKCS1V1_5, 210, NULL, 0, (unsigned char *)msg, 15, sig2, &sl2), 0);
    CHECK(sl == sl2 && memcmp(sig, sig2, (size_t)sl) == 0);
    /* PSS */
    CHECK_RC(HSM_RSA_GenerateSignature(HASH_MODE_SHA256, 2, 0, priv, vl, (unsigned char *)msg, 15, sig, &sl), 0);
    CHECK_RC(HSM_RSA_VerifySignature(HASH_MODE_SHA256, 2, 0, pub, pl, (unsigned char *)msg, 15, sig, sl), 0);
    CHECK_RC(HSM_RSA_VerifySignature(HASH_MODE_SHA256, PADDING_MODE_ASYM_PKCS1V1_5, 0, pub, pl, (unsigned char *)msg, 15, sig, sl), 1);
}

TASS_TEST(rsa_errors, "HSM_RSA_*: NULL outputs, lengths, padding, hash, DER, index, altered blob (HSM 10), empty index (HSM 12)") {
    unsigned char pub[600], priv[4000], c[600], big[600];
    int pl = 0, vl = 0, cl = 0;
    memset(big, 1, sizeof big);
    CHECK_RC(HSM_RSA_GenerateNewKeyPair(g_session, 0, "", 1024, 65537, pub, &pl, priv, &vl), 0);
    CHECK_RC(HSM_RSA_GenerateNewKeyPair(g_session, 0, "", 1024, 65537, NULL, &pl, priv, &vl), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RSA_GenerateNewKeyPair(g_session, 0, "", 1024, 65537, pub, &pl, priv, NULL), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RSA_GenerateNewKeyPair(g_session, 0, "", 512, 65537, pub, &pl, priv, &vl), HAR_PARAM_LEN);
    CHECK_RC(HSM_RSA_GenerateNewKeyPair(g_session, 0, "", 8192, 65537, pub, &pl, priv, &vl), HAR_PARAM_LEN);
    CHECK_RC(HSM_RSA_GenerateNewKeyPair(g_session, 0, "", 1024, 17, pub, &pl, priv, &vl), HAR_PARAM_VALUE);
    CHECK_RC(HSM_RSA_GenerateNewKeyPair(g_session, 5, "seventeen-chars-x", 1024, 65537, pub, &pl, priv, &vl), HAR_PARAM_VALUE);
    CHECK_RC(HSM_RSA_GenerateNewKeyPair(g_session, 10000, "", 1024, 65537, pub, &pl, priv, &vl), HAR_PARAM_KEY_ID);
    CHECK_RC(HSM_RSA_GenerateNewKeyPair(NULL, 0, "", 1024, 65537, pub, &pl, priv, &vl), HAR_SESSIONHANDLE_INVALID);
    CHECK_RC(HSM_RSA_GetPublicKey(0, pub, &pl), HAR_PARAM_KEY_ID);
    CHECK_RC(HSM_RSA_GetPublicKey(9876, c, &cl), 12);
    CHECK_RC(HSM_RSA_GetPublicKey(1, NULL, &cl), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RSA_EncryptData(g_session, 7, 0, pub, pl, big, 5, c, &cl), HAR_PARAM_PADDING_MODE);
    CHECK_RC(HSM_RSA_EncryptData(g_session, 1, 0, pub, pl, big, 513, c, &cl), HAR_PARAM_LEN);
    CHECK_RC(HSM_RSA_EncryptData(g_session, 1, 0, pub, pl - 1, big, 5, c, &cl), HAR_DER_DECODE);
    CHECK_RC(HSM_RSA_EncryptData(g_session, 1, 0, NULL, 0, big, 5, c, &cl), HAR_PARAM_LEN);
    CHECK_RC(HSM_RSA_EncryptData(g_session, 1, 0, pub, pl, big, 120, c, &cl), 80);
    CHECK_RC(HSM_RSA_EncryptData(g_session, 1, 0, pub, pl, big, 5, NULL, &cl), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RSA_DecryptData(g_session, 1, 0, priv, vl, big, 64, c, &cl), HAR_PARAM_LEN);
    CHECK_RC(HSM_RSA_DecryptData(g_session, 1, 0, priv, vl, big, 128, c, &cl), 15);
    CHECK_RC(HSM_RSA_GenerateSignature(2, 1, 0, priv, vl, big, 5, c, &cl), HAR_PARAM_VALUE);
    CHECK_RC(HSM_RSA_GenerateSignature(HASH_MODE_SHA256, 0, 0, priv, vl, big, 5, c, &cl), HAR_PARAM_PADDING_MODE);
    CHECK_RC(HSM_RSA_GenerateSignature(HASH_MODE_SHA256, 1, 0, priv, vl, big, 1985, c, &cl), HAR_PARAM_LEN);
    CHECK_RC(HSM_RSA_GenerateSignature(HASH_MODE_SHA256, 1, 0, priv, 0, big, 5, c, &cl), HAR_PARAM_LEN);
    priv[vl / 2] ^= 0x01;
    CHECK_RC(HSM_RSA_GenerateSignature(HASH_MODE_SHA256, 1, 0, priv, vl, big, 5, c, &cl), 10);
    CHECK_RC(HSM_RSA_VerifySignature(HASH_MODE_SHA256, 1, 0, pub, pl, big, 5, c, 0), HAR_PARAM_LEN);
}

/* The DER RSAPublicKey of a 1024-bit modulus (128 bytes, top bit set) and exponent 65537. */
static int der_1024(const unsigned char *n, unsigned char *out) {
    static const unsigned char head[] = {0x30, 0x81, 0x89, 0x02, 0x81, 0x81, 0x00};
    static const unsigned char e[] = {0x02, 0x03, 0x01, 0x00, 0x01};
    memcpy(out, head, sizeof head);
    memcpy(out + sizeof head, n, 128);
    memcpy(out + sizeof head + 128, e, sizeof e);
    return (int)(sizeof head + 128 + sizeof e);
}

TASS_TEST(rsa_tass_genrsakey, "Tass_GenRSAKey (EI+TR): hex outputs; the components under the ZMK import back (HSM_RSA_ImportByTk) and sign alike") {
    static char d[1100], p[600], q[600], dp[600], dq[600], qi[600], n[1100], e[16], lmk[6000];
    CHECK_RC(Tass_GenRSAKey(g_session, 1024, 0, T_ZMK, "", 0, d, p, q, dp, dq, qi, n, e, lmk), 0);
    CHECK_LEN(d, 256);
    CHECK_LEN(p, 128);
    CHECK_LEN(n, 256);
    CHECK_STR(e, "010001");
    CHECK(strlen(lmk) > 1200 && tass_is_upper_hex(lmk) && tass_is_upper_hex(d) && tass_is_upper_hex(n));
    static unsigned char bn[600], bd[600], bp[300], bq[300], bdp[300], bdq[300], bqi[300], pub[300], blob[3000], back[3000], s1[200], s2[200];
    h_unhex(n, bn);
    int pl = der_1024(bn, pub);
    int ld = h_unhex(d, bd), lp = h_unhex(p, bp), lq = h_unhex(q, bq), ldp = h_unhex(dp, bdp), ldq = h_unhex(dq, bdq), lqi = h_unhex(qi, bqi);
    int bl = h_unhex(lmk, blob), kl = 0, l1 = 0, l2 = 0;
    CHECK_RC(HSM_RSA_ImportByTk(0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, 0, pub, pl, bd, ld, bp, lp, bq, lq, bdp, ldp, bdq, ldq,
                                bqi, lqi, back, &kl), 0);
    CHECK_RC(HSM_RSA_GenerateSignature(HASH_MODE_SHA256, 1, 0, blob, bl, (unsigned char *)"abc", 3, s1, &l1), 0);
    CHECK_RC(HSM_RSA_GenerateSignature(HASH_MODE_SHA256, 1, 0, back, kl, (unsigned char *)"abc", 3, s2, &l2), 0);
    CHECK(l1 == 128 && l1 == l2 && memcmp(s1, s2, 128) == 0);
    CHECK_RC(HSM_RSA_VerifySignature(HASH_MODE_SHA256, 1, 0, pub, pl, (unsigned char *)"abc", 3, s1, l1), 0);
    /* derived, CBC */
    const char *dd = "00112233445566778899AABBCCDDEEFF";
    CHECK_RC(Tass_GenRSAKey(g_session, 1024, 0, T_ZMK, (char *)dd, 1, d, p, q, dp, dq, qi, n, e, lmk), 0);
    h_unhex(n, bn);
    pl = der_1024(bn, pub);
    ld = h_unhex(d, bd); lp = h_unhex(p, bp); lq = h_unhex(q, bq); ldp = h_unhex(dp, bdp); ldq = h_unhex(dq, bdq); lqi = h_unhex(qi, bqi);
    CHECK_RC(HSM_RSA_ImportByTk(1, KEY_TYPE_KEKZMK, 0, T_ZMK, 1, (char *)dd, 0, NULL, 0, pub, pl, bd, ld, bp, lp, bq, lq, bdp, ldp, bdq, ldq,
                                bqi, lqi, back, &kl), 0);
    /* without the derivation the components do not form the key: HSM 15 */
    CHECK_RC(HSM_RSA_ImportByTk(1, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, 0, pub, pl, bd, ld, bp, lp, bq, lq, bdp, ldp, bdq, ldq,
                                bqi, lqi, back, &kl), 15);
    /* errors (the vendor returned 0 for the first two) */
    CHECK_RC(Tass_GenRSAKey(g_session, 512, 0, T_ZMK, "", 0, d, p, q, dp, dq, qi, n, e, lmk), HAR_PARAM_LEN);
    CHECK_RC(Tass_GenRSAKey(g_session, 1024, 0, T_ZMK, "0011", 0, d, p, q, dp, dq, qi, n, e, lmk), HAR_PARAM_DERIVE_DATA);
    CHECK_RC(Tass_GenRSAKey(g_session, 1024, 0, T_ZMK, NULL, 0, d, p, q, dp, dq, qi, n, e, lmk), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_GenRSAKey(g_session, 1024, 0, T_ZMK, "", 0, d, p, q, dp, dq, qi, n, NULL, lmk), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_GenRSAKey(g_session, 1024, 2049, T_ZMK, "", 0, d, p, q, dp, dq, qi, n, e, lmk), HAR_PARAM_KEY_ID);
    CHECK_RC(Tass_GenRSAKey(NULL, 1024, 0, T_ZMK, "", 0, d, p, q, dp, dq, qi, n, e, lmk), HAR_SESSIONHANDLE_INVALID);
    char zpk[50] = {0};
    tass_import_k(KEY_TYPE_ZPK, zpk);
    CHECK_RC(Tass_GenRSAKey(g_session, 1024, 0, zpk, "", 0, d, p, q, dp, dq, qi, n, e, lmk), 10);
}

TASS_TEST(rsa_export_import_by_tk, "HSM_RSA_ExportRSAKey / HSM_RSA_ImportByTk: both public-key forms, a stored import, errors") {
    unsigned char pub[600], priv[3000], der[600], m[600], e[16], c[6][300], back[3000], s1[200], s2[200];
    int pl = 0, vl = 0, dl = 0, ml = 0, el = 0, cl[6] = {0}, kl = 0, l1 = 0, l2 = 0;
    CHECK_RC(HSM_RSA_GenerateNewKeyPair(g_session, 0, "", 1024, 65537, pub, &pl, priv, &vl), 0);
    CHECK_RC(HSM_RSA_ExportRSAKey(g_session, 0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, priv, vl, "", "", 0, "", der, &dl, m, &ml, e, &el,
                                  c[0], &cl[0], c[1], &cl[1], c[2], &cl[2], c[3], &cl[3], c[4], &cl[4], c[5], &cl[5]), 0);
    CHECK(dl == pl && memcmp(der, pub, (size_t)pl) == 0 && cl[0] == 128 && cl[1] == 64);
    CHECK_RC(HSM_RSA_ImportByTk(0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 220, (unsigned char *)"imported", 8, pub, pl, c[0], cl[0], c[1], cl[1],
                                c[2], cl[2], c[3], cl[3], c[4], cl[4], c[5], cl[5], back, &kl), 0);
    CHECK_RC(HSM_RSA_GenerateSignature(HASH_MODE_SHA1, 1, 220, NULL, 0, (unsigned char *)"x", 1, s1, &l1), 0);
    CHECK_RC(HSM_RSA_GenerateSignature(HASH_MODE_SHA1, 1, 0, priv, vl, (unsigned char *)"x", 1, s2, &l2), 0);
    CHECK(l1 == l2 && memcmp(s1, s2, (size_t)l1) == 0);
    /* the extension with modulus and exponent */
    CHECK_RC(HSM_RSA_ExportRSAKey(g_session, 1, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 220, NULL, 0, "P", "00", 1, "0000000000000000", NULL, NULL,
                                  m, &ml, e, &el, c[0], &cl[0], c[1], &cl[1], c[2], &cl[2], c[3], &cl[3], c[4], &cl[4], c[5], &cl[5]), 0);
    CHECK(ml == 128 && el == 3 && e[0] == 1 && e[1] == 0 && e[2] == 1);
    /* errors */
    CHECK_RC(HSM_RSA_ExportRSAKey(g_session, 0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 220, NULL, 0, NULL, "", 0, "", der, &dl, m, &ml, e, &el,
                                  c[0], &cl[0], c[1], &cl[1], c[2], &cl[2], c[3], &cl[3], c[4], &cl[4], c[5], &cl[5]), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RSA_ExportRSAKey(g_session, 0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 220, NULL, 0, "Q", "", 0, "", der, &dl, m, &ml, e, &el,
                                  c[0], &cl[0], c[1], &cl[1], c[2], &cl[2], c[3], &cl[3], c[4], &cl[4], c[5], &cl[5]), HAR_PARAM_VALUE);
    CHECK_RC(HSM_RSA_ExportRSAKey(g_session, 0, KEY_TYPE_KEKZMK, 0, T_ZMK, 1, "0011", 220, NULL, 0, "", "", 0, "", der, &dl, m, &ml, e, &el,
                                  c[0], &cl[0], c[1], &cl[1], c[2], &cl[2], c[3], &cl[3], c[4], &cl[4], c[5], &cl[5]), HAR_PARAM_DERIVE_DATA);
    CHECK_RC(HSM_RSA_ExportRSAKey(g_session, 5, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 220, NULL, 0, "", "", 0, "", der, &dl, m, &ml, e, &el,
                                  c[0], &cl[0], c[1], &cl[1], c[2], &cl[2], c[3], &cl[3], c[4], &cl[4], c[5], &cl[5]), HAR_PARAM_ENC_MODE);
    CHECK_RC(HSM_RSA_ExportRSAKey(g_session, 0, KEY_TYPE_ZPK, 0, T_ZMK, 0, "", 220, NULL, 0, "", "", 0, "", der, &dl, m, &ml, e, &el,
                                  c[0], &cl[0], c[1], &cl[1], c[2], &cl[2], c[3], &cl[3], c[4], &cl[4], c[5], &cl[5]), 27);
    CHECK_RC(HSM_RSA_ExportRSAKey(g_session, 0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 220, NULL, 0, "", "", 0, "", der, &dl, m, &ml, e, &el,
                                  NULL, &cl[0], c[1], &cl[1], c[2], &cl[2], c[3], &cl[3], c[4], &cl[4], c[5], &cl[5]), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RSA_ImportByTk(0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, 0, pub, pl - 1, c[0], cl[0], c[1], cl[1],
                                c[2], cl[2], c[3], cl[3], c[4], cl[4], c[5], cl[5], back, &kl), HAR_DER_DECODE);
    CHECK_RC(HSM_RSA_ImportByTk(0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, 0, pub, pl, c[0], 0, c[1], cl[1],
                                c[2], cl[2], c[3], cl[3], c[4], cl[4], c[5], cl[5], back, &kl), HAR_PARAM_LEN);
    CHECK_RC(HSM_RSA_ImportByTk(0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, 0, pub, pl, c[0], cl[0], c[1], cl[1],
                                c[2], cl[2], c[3], cl[3], c[4], cl[4], c[5], cl[5], NULL, &kl), HAR_PARAM_ISNULL);
}

TASS_TEST(rsa_symmetric_keys, "HSM_RSA_GeneratePublicKeyMac / ExportSymmetricKey / ImportSymmetricKey: K round trip keeps its KCV; MAC and usage refusals") {
    unsigned char pub[600], priv[3000], mac[8], c[600];
    int pl = 0, vl = 0, ml = 0, cl = 0;
    char zpk[50] = {0}, kcv[17] = {0}, back[50] = {0}, bkcv[17] = {0};
    tass_import_k(KEY_TYPE_ZPK, zpk);
    CHECK_RC(HSM_RSA_GenerateNewKeyPair(g_session, 0, "", 1024, 65537, pub, &pl, priv, &vl), 0);
    CHECK_RC(HSM_RSA_GeneratePublicKeyMac(pub, pl, (unsigned char *)"id", 2, mac, &ml), 0);
    CHECK(ml == 4);
    CHECK_RC(HSM_RSA_ExportSymmetricKey(KEY_TYPE_ZPK, 0, zpk, 0, "", 0, pub, pl, (unsigned char *)"id", 2, mac, c, &cl, kcv), 0);
    CHECK(cl == 128);
    CHECK_STR(kcv, T_K_KCV);
    CHECK_RC(HSM_RSA_ImportSymmetricKey(KEY_TYPE_ZPK, 'U', 0, NULL, 0, priv, vl, c, cl, back, bkcv), 0);
    CHECK_STR(back, zpk);
    CHECK_STR(bkcv, T_K_KCV);
    /* errors */
    CHECK_RC(HSM_RSA_ExportSymmetricKey(KEY_TYPE_ZPK, 0, zpk, 0, "", 0, pub, pl, (unsigned char *)"ie", 2, mac, c, &cl, kcv), 1);
    CHECK_RC(HSM_RSA_ExportSymmetricKey(KEY_TYPE_ZPK, 0, zpk, 0, "", 0, pub, pl, (unsigned char *)"id", 2, NULL, c, &cl, kcv), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RSA_ExportSymmetricKey(KEY_TYPE_ZAK, 0, zpk, 0, "", 0, pub, pl, (unsigned char *)"id", 2, mac, c, &cl, kcv), 10);
    CHECK_RC(HSM_RSA_ExportSymmetricKey(KEY_TYPE_ZPK, 0, zpk, 1, "00", 0, pub, pl, (unsigned char *)"id", 2, mac, c, &cl, kcv), HAR_PARAM_DERIVE_DATA);
    CHECK_RC(HSM_RSA_GeneratePublicKeyMac(pub, pl, (unsigned char *)"a;b", 3, mac, &ml), HAR_PARAM_VALUE);
    CHECK_RC(HSM_RSA_GeneratePublicKeyMac(pub, pl, (unsigned char *)"id", 2, NULL, &ml), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RSA_ImportSymmetricKey(KEY_TYPE_ZPK, 'U', 0, NULL, 0, priv, vl, c, 64, back, bkcv), HAR_PARAM_LEN);
    CHECK_RC(HSM_RSA_ImportSymmetricKey(KEY_TYPE_ZPK, 'Q', 0, NULL, 0, priv, vl, c, cl, back, bkcv), HAR_PARAM_KEY_SCHEME);
    CHECK_RC(HSM_RSA_ImportSymmetricKey(KEY_TYPE_ZPK, 'U', 0, NULL, 0, priv, vl, c, cl, NULL, bkcv), HAR_PARAM_ISNULL);
    unsigned char spub[600], spriv[3000];
    int spl = 0, svl = 0;
    /* a pair stored by EI is usage 2; a sign-only blob comes only from evsm's own tests */
    CHECK_RC(HSM_RSA_GenerateNewKeyPair(g_session, 230, "kx", 1024, 65537, spub, &spl, spriv, &svl), 0);
    CHECK_RC(HSM_RSA_ExportSymmetricKey(KEY_TYPE_ZPK, 0, zpk, 0, "", 230, NULL, 0, NULL, 0, NULL, c, &cl, kcv), 0);
    CHECK_RC(HSM_RSA_ImportSymmetricKey(KEY_TYPE_ZPK, 'U', 240, "k240", 230, NULL, 0, c, cl, back, bkcv), 0);
    CHECK_STR(back, zpk);
}

TASS_TEST(rsa_derive_key_exported_by_rsa, "Tass_DeriveKeyExportedByRsa: published ZMK, D = 1122334455667788: KCV pinned (openssl), the RSA form imports to the LMK form") {
    unsigned char pub[600], priv[3000], c[600];
    int pl = 0, vl = 0;
    static char hexpub[1300], tk[1100], lmk[50], cv[17], back[50], bcv[17];
    CHECK_RC(HSM_RSA_GenerateNewKeyPair(g_session, 0, "", 1024, 65537, pub, &pl, priv, &vl), 0);
    for (int i = 0; i < pl; i++) sprintf(hexpub + 2 * i, "%02X", pub[i]);
    CHECK_RC(Tass_DeriveKeyExportedByRsa(g_session, T_ZMK, hexpub, "1122334455667788", tk, lmk, cv), 0);
    CHECK_STR(cv, "0662C52557FE9E21");
    CHECK_LEN(tk, 256);
    CHECK_LEN(lmk, 33);
    int cl = h_unhex(tk, c);
    CHECK_RC(HSM_RSA_ImportSymmetricKey(KEY_TYPE_KEKZMK, 'U', 0, NULL, 0, priv, vl, c, cl, back, bcv), 0);
    CHECK_STR(back, lmk);
    CHECK_STR(bcv, cv);
    CHECK_RC(Tass_DeriveKeyExportedByRsa(g_session, T_ZMK, hexpub, "11223344556677", tk, lmk, cv), HAR_PARAM_DERIVE_DATA);
    CHECK_RC(Tass_DeriveKeyExportedByRsa(g_session, T_ZMK, hexpub, NULL, tk, lmk, cv), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_DeriveKeyExportedByRsa(g_session, T_ZMK, "3003020101", "1122334455667788", tk, lmk, cv), HAR_DER_DECODE);
    CHECK_RC(Tass_DeriveKeyExportedByRsa(g_session, T_ZMK, "30ZZ", "1122334455667788", tk, lmk, cv), HAR_HEX_TO_BYTE);
    CHECK_RC(Tass_DeriveKeyExportedByRsa(g_session, T_ZMK, hexpub, "1122334455667788", NULL, lmk, cv), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_DeriveKeyExportedByRsa(NULL, T_ZMK, hexpub, "1122334455667788", tk, lmk, cv), HAR_SESSIONHANDLE_INVALID);
}
