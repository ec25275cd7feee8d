/* test_icdata.c - S0, S3, S4, S5 through the Tass_* and HSM_IC_* IC data and MAC functions.
 *
 * Known answers with K = 0123456789ABCDEFFEDCBA9876543210 imported under the test LMK:
 *   ISO/IEC 9797-1:2011 annex B, MAC algorithm 3, "Now is the time for all " -> A1C72E74EA3FA9B6,
 *   "Now is the time for it" -> 2E2B1428CC78254F (also /work/shared/vectors/public-kat.json);
 *   the others computed with the openssl command line (openssl enc -des-ede-ecb / -des-ede-cbc
 *   -nopad; DES parity set by hand), as in Tests/EVSMKitTests/ICDataTests.swift:
 *   factor F = 1234567890123456EDCBA98765432109 derives A82FD66425830BD0D03D4FFD6B4C1CE3, session
 *   mode 1 with X = 0000000000000012 gives 02319E3EF22CFE8A91ADC179326225D3.
 */
#include "harness.h"

/* "Now is the time for all " and "Now is the time for it" as hex. */
#define T_ALL "4E6F77206973207468652074696D6520666F7220616C6C20"
#define T_IT  "4E6F77206973207468652074696D6520666F72206974"
#define T_F   "1234567890123456EDCBA98765432109"
#define T_X   "0000000000000012"

TASS_TEST(ic_tass_mac, "Tass_Gen_ANSI_Mac, Tass_GenUnionMac, Tass_GenUnionMac_IV, Tass_GenerateICMac (S0): known answers, errors") {
    char zak[50] = {0}, mac[33] = {0}, zek[50] = {0};
    tass_import_k(KEY_TYPE_ZAK, zak);
    CHECK_RC(Tass_Gen_ANSI_Mac(g_session, 0, zak, (int)strlen(T_ALL), T_ALL, mac), 0);
    CHECK_STR(mac, "A1C72E74EA3FA9B6");
    CHECK_RC(Tass_GenANSI_Mac(g_session, 0, zak, (int)strlen(T_IT), T_IT, mac), 0);
    CHECK_STR(mac, "2E2B1428CC78254F");
    CHECK_RC(Tass_GenANSIMac(g_session, 0, zak, (int)strlen(T_IT), "4e6f77206973207468652074696d6520666f72206974", mac), 0);
    CHECK_STR(mac, "2E2B1428CC78254F");
    /* algorithm 1 (3DES CBC-MAC), zero padding */
    CHECK_RC(Tass_GenUnionMac(g_session, 0, zak, (int)strlen(T_ALL), T_ALL, mac), 0);
    CHECK_STR(mac, "93462A6DB9B4A4D1");
    CHECK_RC(Tass_GenUnionMac_IV(0, zak, NULL, (int)strlen(T_IT), T_IT, mac), 0);
    CHECK_STR(mac, "9A23873ACC66738F");
    CHECK_RC(Tass_GenUnionMac_IV(0, zak, "0000000000000000", (int)strlen(T_IT), T_IT, mac), 0);
    CHECK_STR(mac, "9A23873ACC66738F");
    /* derived session key, algorithm 3, padding 1, an IV */
    CHECK_RC(Tass_GenerateICMac(0, zak, 3, 8, 1, T_F, 1, T_X, 1, T_ALL, (int)strlen(T_ALL), "0102030405060708", mac), 0);
    CHECK_STR(mac, "BAD0042FB39ABC8A");
    CHECK_RC(Tass_GenerateICMac(0, zak, 3, 4, 0, "", 0, NULL, 2, T_IT, (int)strlen(T_IT), "0000000000000000", mac), 0);
    CHECK_STR(mac, "2E2B1428");
    /* argument errors: nothing is sent */
    CHECK_RC(Tass_Gen_ANSI_Mac(g_session, 0, zak, 3, T_ALL, mac), HAR_PARAM_LEN);
    CHECK_RC(Tass_Gen_ANSI_Mac(g_session, 0, zak, 3, "ABC", mac), HAR_HEX_TO_BYTE);
    CHECK_RC(Tass_Gen_ANSI_Mac(g_session, 0, zak, 4, "ABCZ", mac), HAR_HEX_TO_BYTE);
    CHECK_RC(Tass_Gen_ANSI_Mac(g_session, 0, zak, 4, "ABCD", NULL), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_Gen_ANSI_Mac(g_session, 0, "U1234", 4, "ABCD", mac), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_Gen_ANSI_Mac(g_session, 2049, zak, 4, "ABCD", mac), HAR_PARAM_KEY_ID);
    CHECK_RC(Tass_Gen_ANSI_Mac(NULL, 0, zak, 4, "ABCD", mac), HAR_SESSIONHANDLE_INVALID);
    CHECK_RC(Tass_GenUnionMac_IV(2049, NULL, NULL, 4, "ABCD", mac), HAR_PARAM_KEY_ID);
    /* an empty index: KG's "no key stored at that index" (12) comes back */
    CHECK_RC(Tass_GenUnionMac_IV(2047, NULL, NULL, 4, "ABCD", mac), 12);
    CHECK_RC(Tass_GenUnionMac_IV(0, zak, "00000000000000000000000000000000", 4, "ABCD", mac), HAR_PARAM_IV);
    CHECK_RC(Tass_GenerateICMac(0, zak, 2, 8, 0, "", 0, NULL, 1, "ABCD", 4, "0000000000000000", mac), HAR_PARAM_MAC_MODE);
    CHECK_RC(Tass_GenerateICMac(0, zak, 1, 8, 4, T_F T_F T_F T_F, 0, NULL, 1, "ABCD", 4, "0000000000000000", mac), HAR_PARAM_DERIVE_NUM);
    CHECK_RC(Tass_GenerateICMac(0, zak, 1, 8, 2, T_F, 0, NULL, 1, "ABCD", 4, "0000000000000000", mac), HAR_PARAM_DERIVE_NUM);
    CHECK_RC(Tass_GenerateICMac(0, zak, 1, 8, 0, "", 6, NULL, 1, "ABCD", 4, "0000000000000000", mac), HAR_PARAM_SESSION_KEY_MODE);
    CHECK_RC(Tass_GenerateICMac(0, zak, 1, 8, 0, "", 1, "0012", 1, "ABCD", 4, "0000000000000000", mac), HAR_PARAM_SESSION_KEY_DATA);
    CHECK_RC(Tass_GenerateICMac(0, zak, 1, 8, 0, "", 0, NULL, 7, "ABCD", 4, "0000000000000000", mac), HAR_PARAM_PADDING_MODE);
    CHECK_RC(Tass_GenerateICMac(0, zak, 1, 8, 0, "", 0, NULL, 1, "ABCD", 4, "00000000", mac), HAR_PARAM_IV);
    CHECK_RC(Tass_GenerateICMac(0, zak, 1, 8, 0, "", 0, NULL, 1, "ABCD", 4000, "0000000000000000", mac), HAR_PARAM_LEN);
    /* HSM refusals come back as their number: a ZEK is not a MAC key (10), session mode 3 is
       not implemented by evsm (15), padding 10 has no meaning there (15) */
    tass_import_k(KEY_TYPE_DEKZEK, zek);
    CHECK_RC(Tass_Gen_ANSI_Mac(g_session, 0, zek, 4, "ABCD", mac), 10);
    CHECK_RC(Tass_GenerateICMac(0, zak, 1, 8, 0, "", 3, NULL, 1, "ABCD", 4, "0000000000000000", mac), 15);
    CHECK_RC(Tass_GenerateICMac(0, zak, 1, 8, 0, "", 0, NULL, 10, "ABCD", 4, "0000000000000000", mac), 15);
}

TASS_TEST(ic_hsm_mac, "HSM_IC_GeneralGenerateMac, HSM_IC_GenerateMac, HSM_IC_GenerateMac_SM4, Tass_GenUnionMac_IV by index (KG + S0): SM4 stored key, errors") {
    char zak[50] = {0}, mac[33] = {0}, mc[17] = "x", sm4[50] = {0}, kcv[17] = {0};
    unsigned char all[] = "Now is the time for all ", it[] = "Now is the time for it";
    tass_import_k(KEY_TYPE_ZAK, zak);
    CHECK_RC(HSM_IC_GeneralGenerateMac(3, 8, KEY_TYPE_ZAK, 0, zak, "", 0, NULL, 2, all, 24, "0000000000000000", mac, mc), 0);
    CHECK_STR(mac, "A1C72E74EA3FA9B6");
    CHECK_STR(mc, "");
    CHECK_RC(HSM_IC_GeneralGenerateMac(3, 4, KEY_TYPE_ZAK, 0, zak, "", 0, NULL, 2, it, 22, "0000000000000000", mac, NULL), 0);
    CHECK_STR(mac, "2E2B1428");
    CHECK_RC(HSM_IC_GenerateMac(g_session, 3, KEY_TYPE_ZAK, 0, zak, T_F, 1, T_X, 1, all, 24, "0102030405060708", mac), 0);
    CHECK_STR(mac, "BAD0042FB39ABC8A");
    /* type 10 under a DES key: the whole 8-byte block */
    CHECK_RC(HSM_IC_GenerateMac_SM4(3, KEY_TYPE_ZAK, 0, zak, NULL, 0, NULL, 2, all, 24, "0000000000000000", mac), 0);
    CHECK_STR(mac, "A1C72E74EA3FA9B6");
    /* an SM4 ZAK stored at index 301: 32H IV, 32H MAC; the same key as a cryptogram agrees */
    CHECK_RC(HSM_RCL_GenWorkingKey(g_session, 0, KEY_TYPE_ZAK, 'R', 0, NULL, 'R', 'K', 301, "ic sm4 zak", sm4, NULL, kcv), 0);
    char mac2[33] = {0};
    CHECK_RC(HSM_IC_GenerateMac_SM4(1, KEY_TYPE_ZAK, 301, NULL, T_F, 2, T_F, 1, it, 22, "000102030405060708090A0B0C0D0E0F", mac), 0);
    CHECK_LEN(mac, 32);
    CHECK(tass_is_upper_hex(mac));
    CHECK_RC(HSM_IC_GenerateMac_SM4(1, KEY_TYPE_ZAK, 0, sm4, T_F, 2, T_F, 1, it, 22, "000102030405060708090A0B0C0D0E0F", mac2), 0);
    CHECK_STR(mac2, mac);
    CHECK_RC(Tass_GenUnionMac_IV(0, sm4, NULL, (int)strlen(T_IT), T_IT, mac), 0);
    CHECK_LEN(mac, 32);
    /* the same key by its index: KG gives the scheme (R), so a 32H IV */
    CHECK_RC(Tass_GenUnionMac_IV(301, NULL, "00000000000000000000000000000000", (int)strlen(T_IT), T_IT, mac2), 0);
    CHECK_STR(mac2, mac);
    CHECK_RC(Tass_GenUnionMac_IV(301, NULL, "0000000000000000", (int)strlen(T_IT), T_IT, mac2), HAR_PARAM_IV);
    /* errors */
    CHECK_RC(HSM_IC_GeneralGenerateMac(3, 8, "0X8", 0, zak, "", 0, NULL, 2, all, 24, "0000000000000000", mac, NULL), HAR_PARAM_KEY_TYPE);
    CHECK_RC(HSM_IC_GeneralGenerateMac(3, 8, KEY_TYPE_ZAK, 0, zak, "1234", 0, NULL, 2, all, 24, "0000000000000000", mac, NULL), HAR_PARAM_DERIVE_DATA);
    CHECK_RC(HSM_IC_GeneralGenerateMac(3, 8, KEY_TYPE_ZAK, 0, zak, "", 0, NULL, 2, all, 24, "00000000000000", mac, NULL), HAR_PARAM_IV);
    CHECK_RC(HSM_IC_GeneralGenerateMac(3, 8, KEY_TYPE_ZAK, 0, zak, "", 0, NULL, 2, all, -1, "0000000000000000", mac, NULL), HAR_PARAM_LEN);
    CHECK_RC(HSM_IC_GeneralGenerateMac(3, 100, KEY_TYPE_ZAK, 0, zak, "", 0, NULL, 2, all, 24, "0000000000000000", mac, NULL), HAR_PARAM_VALUE);
    CHECK_RC(HSM_IC_GenerateMac(NULL, 3, KEY_TYPE_ZAK, 0, zak, "", 0, NULL, 2, all, 24, "0000000000000000", mac), HAR_SESSIONHANDLE_INVALID);
    /* the HSM: a ZPK type is not permitted (27), a ZAK presented as a TAK (10), algorithm 3
       with an SM4 key (15), an empty message (80) */
    CHECK_RC(HSM_IC_GeneralGenerateMac(3, 8, KEY_TYPE_ZPK, 0, zak, "", 0, NULL, 2, all, 24, "0000000000000000", mac, NULL), 27);
    CHECK_RC(HSM_IC_GeneralGenerateMac(3, 8, KEY_TYPE_TAK, 0, zak, "", 0, NULL, 2, all, 24, "0000000000000000", mac, NULL), 10);
    CHECK_RC(HSM_IC_GenerateMac_SM4(3, KEY_TYPE_ZAK, 301, NULL, "", 0, NULL, 2, all, 24, "000102030405060708090A0B0C0D0E0F", mac), 15);
    CHECK_RC(HSM_IC_GeneralGenerateMac(1, 8, KEY_TYPE_ZAK, 0, zak, "", 0, NULL, 2, all, 0, "0000000000000000", mac, NULL), 80);
}

TASS_TEST(ic_tass_data, "Tass_EncryptData/_DecryptData/_EncryptICData/_TransferCipher, track data (S3/S4/S5): known answers, return values, errors") {
    char zek[50] = {0}, mdk[50] = {0}, out[256] = {0}, back[256] = {0};
    tass_import_k(KEY_TYPE_DEKZEK, zek);
    tass_import_k(KEY_TYPE_MDKMKAC, mdk);
    /* ECB, PKCS#5: returns the hex length */
    CHECK_RC(Tass_EncryptData(g_session, 0, zek, 0, 0, "", 0, NULL, 4, T_IT, NULL, out), 48);
    CHECK_STR(out, "D80A0D8B2BAE5E4E6A0094171ABCFC27C76CDFA5085C1D7C");
    CHECK_RC(Tass_DecryptData(g_session, 0, zek, 0, 0, "", 0, NULL, 4, out, NULL, back), 0);
    CHECK_STR(back, T_IT);
    /* PBOC encryption padding and X9.23 */
    CHECK_RC(Tass_EncryptData(g_session, 0, zek, 0, 0, "", 0, NULL, 0, T_IT, NULL, out), 48);
    CHECK_STR(out, "CEE8C663777CE6B18F35666B0C1AE4DF3481B0C0164B05B7");
    CHECK_RC(Tass_EncryptData(g_session, 0, zek, 0, 0, "", 0, NULL, 3, T_IT, NULL, out), 48);
    CHECK_STR(out, "D80A0D8B2BAE5E4E6A0094171ABCFC2729A8B8E2C3295289");
    CHECK_RC(Tass_DecryptData(g_session, 0, zek, 0, 0, "", 0, NULL, 3, out, NULL, back), 0);
    CHECK_STR(back, T_IT);
    /* MDK: one derivation level and a session key (mode 1) */
    CHECK_RC(Tass_EncryptICData(g_session, 0, mdk, 0, 1, T_F, 1, T_X, 5, "0123456789ABCDEF0123456789ABCDEF", NULL, out), 32);
    CHECK_STR(out, "66E77B3EB1826A8C66E77B3EB1826A8C");
    /* track data, CBC with an IV */
    CHECK_RC(Tass_EncryptTrackData(g_session, 0, zek, T_IT, 0, 1, 4, "0102030405060708", out), 0);
    CHECK_STR(out, "DBABAB266E84CCE3F51C1D0E6C47A51CC262BF7B5FB4BAC8");
    CHECK_RC(Tass_DecryptTrackData(g_session, 0, zek, out, 0, 1, 4, "0102030405060708", back), 0);
    CHECK_STR(back, T_IT);
    /* S5: from K (ECB, PKCS#5) to K derived by F (ECB, PKCS#5) */
    CHECK_RC(Tass_EncryptData(g_session, 0, zek, 0, 0, "", 0, NULL, 4, T_IT, NULL, out), 48);
    CHECK_RC(Tass_TransferCipher(0, zek, 0, 0, "", 0, NULL, 4, NULL, out, 0, zek, 0, 1, T_F, 0, NULL, 4, NULL, back), 48);
    CHECK_STR(back, "B6A52C3EE5CC86FDE23DA9C2AFF89B8A4A950FF00B143C88");
    /* argument errors */
    CHECK_RC(Tass_EncryptData(g_session, 0, zek, 2, 0, "", 0, NULL, 4, T_IT, NULL, out), HAR_PARAM_ENC_MODE);
    CHECK_RC(Tass_EncryptData(g_session, 0, zek, 1, 0, "", 0, NULL, 4, T_IT, "0102", out), HAR_PARAM_VALUE);
    CHECK_RC(Tass_EncryptData(g_session, 0, zek, 0, 1, NULL, 0, NULL, 4, T_IT, NULL, out), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_EncryptData(g_session, 0, zek, 0, 1, "1234", 0, NULL, 4, T_IT, NULL, out), HAR_PARAM_LEN);
    CHECK_RC(Tass_DecryptData(g_session, 0, zek, 0, 1, "1234", 0, NULL, 4, T_IT, NULL, out), HAR_PARAM_DERIVE_NUM);
    CHECK_RC(Tass_EncryptData(g_session, 0, zek, 0, 4, T_F T_F T_F T_F, 0, NULL, 4, T_IT, NULL, out), HAR_PARAM_DERIVE_NUM);
    CHECK_RC(Tass_EncryptData(g_session, 0, zek, 0, 0, "", 2, "1234", 4, T_IT, NULL, out), HAR_PARAM_SESSION_KEY_DATA);
    CHECK_RC(Tass_EncryptData(g_session, 0, zek, 0, 0, "", 0, NULL, 9, T_IT, NULL, out), HAR_PARAM_PADDING_MODE);
    CHECK_RC(Tass_EncryptData(g_session, 0, zek, 0, 0, "", 0, NULL, 4, "ABC", NULL, out), HAR_HEX_TO_BYTE);
    CHECK_RC(Tass_EncryptData(g_session, 0, zek, 0, 0, "", 0, NULL, 4, T_IT, NULL, NULL), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_EncryptData(g_session, 0, "U1234", 0, 0, "", 0, NULL, 4, T_IT, NULL, out), HAR_PARAM_LEN);
    CHECK_RC(Tass_DecryptData(g_session, 0, "0123456789ABCDEF", 0, 0, "", 0, NULL, 4, T_IT, NULL, out), HAR_PARAM_LEN);
    CHECK_RC(Tass_EncryptICData(g_session, 0, mdk, 1, 0, "", 0, NULL, 4, T_IT, "0102", out), HAR_PARAM_LEN);
    CHECK_RC(Tass_EncryptTrackData(g_session, 0, zek, T_IT, 0, 1, 4, NULL, out), HAR_PARAM_VALUE);
    CHECK_RC(Tass_EncryptTrackData(g_session, 0, zek, T_IT, 0, 2, 4, "", out), HAR_PARAM_IV);
    CHECK_RC(Tass_TransferCipher(0, zek, 4, 0, "", 0, NULL, 4, NULL, out, 0, zek, 0, 0, "", 0, NULL, 4, NULL, back), HAR_PARAM_VALUE);
    CHECK_RC(Tass_TransferCipher(0, zek, 0, 9, "", 0, NULL, 4, NULL, out, 0, zek, 0, 0, "", 0, NULL, 4, NULL, back), HAR_PARAM_LEN);
    CHECK_RC(Tass_TransferCipher(0, zek, 1, 0, "", 0, NULL, 4, NULL, out, 0, zek, 0, 0, "", 0, NULL, 4, NULL, back), HAR_PARAM_VALUE);
    CHECK_RC(Tass_TransferCipher(0, "Z0123456789ABCDEF", 0, 0, "", 0, NULL, 4, NULL, out, 0, zek, 0, 0, "", 0, NULL, 4, NULL, back), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_TransferCipher(0, zek, 0, 0, "", 0, NULL, 4, NULL, "ABC", 0, zek, 0, 0, "", 0, NULL, 4, NULL, back), HAR_HEX_TO_BYTE);
    /* the HSM: a ZAK as the ZEK (10), bad padding after decryption (15), CFB (15), not whole blocks (80) */
    char zak[50] = {0};
    tass_import_k(KEY_TYPE_ZAK, zak);
    CHECK_RC(Tass_EncryptData(g_session, 0, zak, 0, 0, "", 0, NULL, 4, T_IT, NULL, out), 10);
    CHECK_RC(Tass_DecryptData(g_session, 0, zek, 0, 0, "", 0, NULL, 4, "0000000000000000", NULL, out), 15);
    CHECK_RC(Tass_EncryptTrackData(g_session, 0, zek, T_IT, 0, 2, 4, "0102030405060708", out), 15);
    CHECK_RC(Tass_DecryptData(g_session, 0, zek, 0, 0, "", 0, NULL, 4, "ABCD", NULL, out), 80);
    CHECK_RC(Tass_TransferCipher(0, zek, 0, 0, "", 0, NULL, 4, NULL, "0000000000000000", 0, zak, 0, 0, "", 0, NULL, 4, NULL, back), 15);
    CHECK_RC(Tass_TransferCipher(0, zek, 0, 0, "", 0, NULL, 5, NULL, "0000000000000000", 0, zak, 0, 0, "", 0, NULL, 4, NULL, back), 11);
}

TASS_TEST(ic_hsm_data, "HSM_IC_SymmKeyEncryptData/_DecryptData/_TransferCipher (S3/S4/S5): binary round trips, SM4, stored keys, errors") {
    char zek[50] = {0}, sm4[50] = {0}, kcv[17] = {0};
    unsigned char plain[] = "6222020200112233445=2512101", c[64] = {0}, t[64] = {0}, back[64] = {0};
    int n = 0, m = 0, k = 0;
    tass_import_k(KEY_TYPE_DEKZEK, zek);
    CHECK_RC(HSM_RCL_GenWorkingKey(g_session, 0, KEY_TYPE_DEKZEK, 'R', 0, NULL, 'R', 'K', 302, "ic sm4 zek", sm4, NULL, kcv), 0);
    /* K: CBC, PKCS#5, one derivation level */
    CHECK_RC(HSM_IC_SymmKeyEncryptData(g_session, 1, KEY_TYPE_DEKZEK, 0, zek, T_F, 0, NULL, 4, "0102030405060708", plain, 27, c, &n), 0);
    CHECK(n == 32);
    CHECK_RC(HSM_IC_SymmKeyDecryptData(g_session, 1, KEY_TYPE_DEKZEK, 0, zek, T_F, 0, NULL, 4, "0102030405060708", c, n, back, &k), 0);
    CHECK(k == 27 && memcmp(back, plain, 27) == 0);
    /* S5 to the SM4 key at index 302 (ECB, X9.23, session mode 2), then back through S4 */
    CHECK_RC(HSM_IC_SymmKeyTransferCipher(1, KEY_TYPE_DEKZEK, 0, zek, T_F, 0, NULL, 4, "0102030405060708",
                                          0, KEY_TYPE_DEKZEK, 302, NULL, "", 2, T_F, 3, NULL, c, n, t, &m), 0);
    CHECK(m == 32);
    memset(back, 0, sizeof back);
    CHECK_RC(HSM_IC_SymmKeyDecryptData(g_session, 0, KEY_TYPE_DEKZEK, 302, NULL, "", 2, T_F, 3, NULL, t, m, back, &k), 0);
    CHECK(k == 27 && memcmp(back, plain, 27) == 0);
    /* the same SM4 key as a cryptogram with CBC: a 32H IV */
    CHECK_RC(HSM_IC_SymmKeyEncryptData(g_session, 1, KEY_TYPE_DEKZEK, 0, sm4, "", 0, NULL, 1, "000102030405060708090A0B0C0D0E0F", plain, 27, c, &n), 0);
    CHECK(n == 32);
    CHECK_RC(HSM_IC_SymmKeyDecryptData(g_session, 1, KEY_TYPE_DEKZEK, 302, NULL, "", 0, NULL, 1, "000102030405060708090A0B0C0D0E0F", c, n, back, &k), 0);
    CHECK(k == 27 && memcmp(back, plain, 27) == 0);
    /* errors */
    CHECK_RC(HSM_IC_SymmKeyEncryptData(g_session, 1, KEY_TYPE_DEKZEK, 0, zek, "", 0, NULL, 4, NULL, plain, 27, c, &n), HAR_PARAM_VALUE);
    CHECK_RC(HSM_IC_SymmKeyEncryptData(g_session, 0, KEY_TYPE_DEKZEK, 0, zek, "", 0, NULL, 4, NULL, plain, 1969, c, &n), HAR_PARAM_LEN);
    CHECK_RC(HSM_IC_SymmKeyEncryptData(g_session, 0, KEY_TYPE_DEKZEK, 0, zek, "", 0, NULL, 4, NULL, NULL, 27, c, &n), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_IC_SymmKeyEncryptData(g_session, 0, KEY_TYPE_DEKZEK, 0, zek, "", 0, NULL, 4, NULL, plain, 27, c, NULL), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_IC_SymmKeyEncryptData(g_session, 0, "00Z", 0, zek, "", 0, NULL, 4, NULL, plain, 27, c, &n), HAR_PARAM_KEY_TYPE);
    CHECK_RC(HSM_IC_SymmKeyEncryptData(g_session, 0, KEY_TYPE_DEKZEK, 0, zek, "", 7, NULL, 4, NULL, plain, 27, c, &n), HAR_PARAM_SESSION_KEY_MODE);
    CHECK_RC(HSM_IC_SymmKeyDecryptData(NULL, 0, KEY_TYPE_DEKZEK, 0, zek, "", 0, NULL, 4, NULL, c, 8, back, &k), HAR_SESSIONHANDLE_INVALID);
    /* the HSM: a ZPK type (27), the SM4 index as a ZAK (27), an empty message (80) */
    CHECK_RC(HSM_IC_SymmKeyEncryptData(g_session, 0, KEY_TYPE_ZPK, 0, zek, "", 0, NULL, 4, NULL, plain, 27, c, &n), 27);
    CHECK_RC(HSM_IC_SymmKeyEncryptData(g_session, 0, KEY_TYPE_ZAK, 302, NULL, "", 0, NULL, 4, NULL, plain, 27, c, &n), 27);
    CHECK_RC(HSM_IC_SymmKeyEncryptData(g_session, 0, KEY_TYPE_DEKZEK, 0, zek, "", 0, NULL, 4, NULL, plain, 0, c, &n), 80);
}
