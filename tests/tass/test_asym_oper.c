/* test_asym_oper.c - Tass_PubKey_Oper / Tass_PRIVATE_Oper (3A/3B and E3/E4), as the vendor's
   test program uses them: a key pair from Tass_GenRSAKey / Tass_GenSm2Key, public-key
   encryption, private-key decryption back to the input. */
#include "harness.h"

TASS_TEST(pubkey_private_oper_rsa, "Tass_PubKey_Oper / Tass_PRIVATE_Oper (and Tass_PubkeyOper / Tass_DecryptOper), RSA: round trip, errors") {
    static char d[1100], p[600], q[600], dp[600], dq[600], qi[600], n[1100], e[16], lmk[6000];
    static char in[300], out[600], back[600];
    CHECK_RC(Tass_GenRSAKey(g_session, 1024, 0, T_ZMK, "", 0, d, p, q, dp, dq, qi, n, e, lmk), 0);
    CHECK_LEN(n, 256);
    /* raw RSA: the input as long as the modulus, numerically smaller (leading 00) */
    memset(in, 0, sizeof in);
    strcpy(in, "00");
    for (int i = 2; i < 256; i++) in[i] = "0123456789ABCDEF"[(i * 7) % 16];
    CHECK_RC(Tass_PubKey_Oper(g_session, 0, in, e, n, NULL, out), 0);
    CHECK_LEN(out, 256);
    CHECK(strcmp(out, in) != 0);
    CHECK_RC(Tass_PRIVATE_Oper(g_session, 0, lmk, NULL, out, back), 0);
    CHECK_STR(back, in);
    /* any keytype other than 1 is RSA; the older names are the same functions */
    memset(back, 0, sizeof back);
    CHECK_RC(Tass_PubkeyOper(g_session, 7, in, e, n, NULL, out), 0);
    CHECK_RC(Tass_DecryptOper(g_session, 2, lmk, NULL, out, back), 0);
    CHECK_STR(back, in);
    /* errors: input not the modulus length (the vendor returned 0), non-hex, NULLs, lengths */
    CHECK_RC(Tass_PubKey_Oper(g_session, 0, "0011223344", e, n, NULL, out), HAR_PARAM_LEN);
    CHECK_RC(Tass_PubKey_Oper(g_session, 0, "0G", e, n, NULL, out), HAR_HEX_TO_BYTE);
    CHECK_RC(Tass_PubKey_Oper(g_session, 0, in, e, n, NULL, NULL), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_PubKey_Oper(g_session, 0, in, NULL, n, NULL, out), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_PubKey_Oper(g_session, 0, in, e, "00FF", NULL, out), HAR_PARAM_LEN);
    CHECK_RC(Tass_PRIVATE_Oper(g_session, 0, lmk, NULL, "00112233", back), HAR_PARAM_LEN);
    CHECK_RC(Tass_PRIVATE_Oper(g_session, 0, NULL, NULL, out, back), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_PRIVATE_Oper(NULL, 0, lmk, NULL, out, back), HAR_SESSIONHANDLE_INVALID);
    /* an altered private key blob is refused by the HSM, never used */
    static char bad[6000];
    strcpy(bad, lmk);
    bad[40] = bad[40] == '0' ? '1' : '0';
    int rc = Tass_PRIVATE_Oper(g_session, 0, bad, NULL, out, back);
    CHECK(rc >= 1 && rc <= 99);
}

TASS_TEST(pubkey_private_oper_sm2, "Tass_PubKey_Oper / Tass_PRIVATE_Oper, SM2: round trip through E3/E4, DER and length errors") {
    char d_zmk[200] = {0}, pub[400] = {0}, lmk[4200] = {0};
    static char out[4000], back[4000];
    CHECK_RC(Tass_GenSm2Key(g_session, 0, T_ZMK, "", 0, d_zmk, pub, lmk), 0);
    CHECK_LEN(pub, 182);
    const char *msg = "00112233445566778899AABBCCDDEEFF0123";
    CHECK_RC(Tass_PubKey_Oper(g_session, 1, (char *)msg, NULL, NULL, pub, out), 0);
    CHECK_LEN(out, strlen(msg) + 2 * 97);
    CHECK_RC(Tass_PRIVATE_Oper(g_session, 1, NULL, lmk, out, back), 0);
    CHECK_STR(back, msg);
    /* encryption is randomised: a second ciphertext differs, and decrypts alike */
    static char out2[4000];
    CHECK_RC(Tass_PubKey_Oper(g_session, 1, (char *)msg, NULL, NULL, pub, out2), 0);
    CHECK(strcmp(out, out2) != 0);
    CHECK_RC(Tass_PubKey_Oper(g_session, 1, (char *)msg, NULL, NULL, "3059301306072A8648CE3D0201", out), HAR_DER_DECODE);
    CHECK_RC(Tass_PubKey_Oper(g_session, 1, (char *)msg, NULL, NULL, NULL, out), HAR_DER_DECODE);
    CHECK_RC(Tass_PRIVATE_Oper(g_session, 1, NULL, lmk, "00112233", back), HAR_PARAM_LEN);
    CHECK_RC(Tass_PRIVATE_Oper(g_session, 1, NULL, NULL, out2, back), HAR_PARAM_ISNULL);
}
