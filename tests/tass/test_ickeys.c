/* test_ickeys.c - KG, KR, KD, SH, SI, AN, AM through the HSM_IC_*, HSM_RCL_* and Tass_* IC key
 * functions (Tass_Disper_Zmk, Tass_KeyTypeConversion).
 *
 * Known answers: [EFT] EFTlab "Cryptographic Calculator - EMV menu" tutorial, option A UDK of
 * MDK 0123456789ABCDEF0123456789ABCDEF with PAN 43219876543210987 / PSN 00 (factor
 * 1987654321098700) = C8B507136D921FD05864C81F79F2D30B, KCV 0DA897 (0DA8977E00A27C78 with
 * openssl); [LB] the ZMK 8A7C04A1CD916464D6B361B05BBF6780 is T_ZMK under the test LMK
 * (KCV A1B67C6F5D44F23E, openssl). */
#include "harness.h"

#define MDK_CLEAR "0123456789ABCDEF0123456789ABCDEF"
#define ZMK_CLEAR "8A7C04A1CD916464D6B361B05BBF6780"

TASS_TEST(ic_put_plain_key_known_answer, "HSM_IC_PutPlainKey / HSM_RCL_SynthesisKeyByPlaintext: AM gives the published ZMK; errors") {
    char lmk[50] = {0}, kcv[17] = {0};
    CHECK_RC(HSM_IC_PutPlainKey(KEY_TYPE_KEKZMK, 'U', ZMK_CLEAR, 0, NULL, lmk, kcv), 0);
    CHECK_STR(lmk, T_ZMK);
    CHECK_STR(kcv, "A1B67C6F5D44F23E");
    /* lower-case hex is read */
    CHECK_RC(HSM_IC_PutPlainKey(KEY_TYPE_KEKZMK, 'U', "8a7c04a1cd916464d6b361b05bbf6780", 0, NULL, lmk, kcv), 0);
    CHECK_STR(lmk, T_ZMK);
    /* two components that XOR to the ZMK */
    CHECK_RC(HSM_RCL_SynthesisKeyByPlaintext(KEY_TYPE_KEKZMK, 'U', 2, "8A7C04A1CD916464D6B361B05BBF6780" "00000000000000000000000000000000", 0, NULL, lmk, kcv), 0);
    CHECK_STR(lmk, T_ZMK);
    CHECK_RC(HSM_RCL_SynthesisKeyByPlaintext(KEY_TYPE_KEKZMK, 'U', 3, "11111111111111111111111111111111" "9B6D15B0DC807575C7A270A14AAE7691" "00000000000000000000000000000000", 0, NULL, lmk, kcv), 0);
    CHECK_STR(lmk, T_ZMK);
    /* errors */
    CHECK_RC(HSM_IC_PutPlainKey(KEY_TYPE_KEKZMK, 'U', "8A7C04A1CD916464", 0, NULL, lmk, kcv), HAR_PARAM_LEN);
    CHECK_RC(HSM_IC_PutPlainKey(KEY_TYPE_KEKZMK, 'U', "8A7C04A1CD916464D6B361B05BBF678G", 0, NULL, lmk, kcv), HAR_HEX_TO_BYTE);
    CHECK_RC(HSM_IC_PutPlainKey(KEY_TYPE_KEKZMK, 'W', ZMK_CLEAR, 0, NULL, lmk, kcv), HAR_PARAM_KEY_SCHEME);
    CHECK_RC(HSM_IC_PutPlainKey("0G0", 'U', ZMK_CLEAR, 0, NULL, lmk, kcv), HAR_PARAM_KEY_TYPE);
    CHECK_RC(HSM_IC_PutPlainKey(KEY_TYPE_KEKZMK, 'U', NULL, 0, NULL, lmk, kcv), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_IC_PutPlainKey(KEY_TYPE_KEKZMK, 'U', ZMK_CLEAR, 0, NULL, NULL, kcv), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_IC_PutPlainKey(KEY_TYPE_KEKZMK, 'U', ZMK_CLEAR, 5, "a label of 17 chr", lmk, kcv), HAR_PARAM_VALUE);
    CHECK_RC(HSM_IC_PutPlainKey(KEY_TYPE_KEKZMK, 'U', ZMK_CLEAR, 10000, "x", lmk, kcv), HAR_PARAM_KEY_ID);
    CHECK_RC(HSM_IC_PutPlainKey(KEY_TYPE_KEKZMK, 'P', ZMK_CLEAR, 0, NULL, lmk, kcv), 26);
    CHECK_RC(HSM_RCL_SynthesisKeyByPlaintext(KEY_TYPE_KEKZMK, 'U', 0, "", 0, NULL, lmk, kcv), HAR_PARAM_ELEMENT_NUM);
    CHECK_RC(HSM_RCL_SynthesisKeyByPlaintext(KEY_TYPE_KEKZMK, 'U', 2, ZMK_CLEAR, 0, NULL, lmk, kcv), HAR_PARAM_LEN);
    CHECK_RC(HSM_RCL_SynthesisKeyByPlaintext(KEY_TYPE_KEKZMK, 'U', 1, "8A7C04A1CD916464D6B361B05BBF678Z", 0, NULL, lmk, kcv), HAR_HEX_TO_BYTE);
    CHECK_RC(HSM_RCL_SynthesisKeyByPlaintext(KEY_TYPE_KEKZMK, 'U', 1, ZMK_CLEAR, 0, NULL, NULL, kcv), HAR_PARAM_ISNULL);
}

TASS_TEST(ic_generate_store_info, "HSM_IC_GenerateNewKey, HSM_IC_GetKeyInfo: KR stores, KG reports type, scheme, KCV, label, time") {
    char lmk[50] = {0}, kcv[17] = {0}, type[4] = {0}, scheme[2] = {0}, kcv2[17] = {0}, label[17] = {0}, when[100] = {0};
    CHECK_RC(HSM_IC_GenerateNewKey(KEY_TYPE_ZAK, 'X', 1201, "mac key", lmk, kcv), 0);
    CHECK(lmk[0] == 'X');
    CHECK_LEN(lmk, 33);
    CHECK_LEN(kcv, 16);
    CHECK(tass_is_upper_hex(lmk + 1) && tass_is_upper_hex(kcv));
    CHECK_RC(HSM_IC_GetKeyInfo(1201, type, scheme, kcv2, label, when), 0);
    CHECK_STR(type, KEY_TYPE_ZAK);
    CHECK_STR(scheme, "X");
    CHECK_STR(kcv2, kcv);
    CHECK_STR(label, "mac key");
    CHECK_LEN(when, 14);
    /* a key stored by HSM_IC_PutPlainKey (AM) is reported too; NULL outputs are skipped */
    CHECK_RC(HSM_IC_PutPlainKey(KEY_TYPE_KEKZMK, 'U', ZMK_CLEAR, 1202, "zmk", lmk, kcv), 0);
    CHECK_RC(HSM_IC_GetKeyInfo(1202, NULL, scheme, kcv2, NULL, NULL), 0);
    CHECK_STR(kcv2, "A1B67C6F5D44F23E");
    /* 9999 is "not stored"; nothing at an index: HSM 12 */
    CHECK_RC(HSM_IC_GenerateNewKey(KEY_TYPE_ZAK, 'X', 9999, "", lmk, kcv), 0);
    CHECK_RC(HSM_IC_GetKeyInfo(9999, type, scheme, kcv2, label, when), 12);
    CHECK_RC(HSM_IC_GetKeyInfo(1203, type, scheme, kcv2, label, when), 12);
    CHECK_RC(HSM_IC_GetKeyInfo(0, type, scheme, kcv2, label, when), HAR_PARAM_KEY_ID);
    CHECK_RC(HSM_IC_GetKeyInfo(10000, type, scheme, kcv2, label, when), HAR_PARAM_KEY_ID);
    CHECK_RC(HSM_IC_GenerateNewKey(KEY_TYPE_ZAK, 'Q', 0, NULL, lmk, kcv), HAR_PARAM_KEY_SCHEME);
    CHECK_RC(HSM_IC_GenerateNewKey(KEY_TYPE_ZAK, 'X', 0, NULL, lmk, NULL), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_IC_GenerateNewKey("01", 'X', 0, NULL, lmk, kcv), HAR_PARAM_KEY_TYPE);
}

TASS_TEST(ic_derive_known_answer, "HSM_IC_DeriveNewKey: PBOC / option A gives the published UDK (EFTlab); modes, lengths, types") {
    char mdk[50] = {0}, kcv[17] = {0}, udk[50] = {0}, ukcv[17] = {0}, k2[50] = {0}, k2cv[17] = {0};
    CHECK_RC(HSM_IC_PutPlainKey(KEY_TYPE_MDKMKAC, 'U', MDK_CLEAR, 0, NULL, mdk, kcv), 0);
    CHECK_RC(HSM_IC_DeriveNewKey(KEY_TYPE_MDKMKAC, 0, mdk, KEY_TYPE_MDKMKAC, 'U', 0, 1, "1987654321098700", 0, NULL, udk, ukcv), 0);
    CHECK_STR(ukcv, "0DA8977E00A27C78");
    /* mode 1 with F || ~F is the same key */
    CHECK_RC(HSM_IC_DeriveNewKey(KEY_TYPE_MDKMKAC, 0, mdk, KEY_TYPE_MDKMKAC, 'U', 1, 1, "1987654321098700E6789ABCDEF678FF", 1210, "udk", k2, k2cv), 0);
    CHECK_STR(k2, udk);
    CHECK_STR(k2cv, ukcv);
    CHECK_RC(HSM_IC_DeriveNewKey(KEY_TYPE_MDKMKAC, 1210, NULL, KEY_TYPE_ZPK, 'X', 0, 2, "0000000000000001" "0000000000000002", 0, NULL, k2, k2cv), 0);
    /* errors: data length, count, mode, NULL data, key type (HSM 27), wrong type of key (HSM 10) */
    CHECK_RC(HSM_IC_DeriveNewKey(KEY_TYPE_MDKMKAC, 0, mdk, KEY_TYPE_MDKMKAC, 'U', 0, 1, "19876543210987", 0, NULL, k2, k2cv), HAR_PARAM_DERIVE_DATA);
    CHECK_RC(HSM_IC_DeriveNewKey(KEY_TYPE_MDKMKAC, 0, mdk, KEY_TYPE_MDKMKAC, 'U', 1, 1, "1987654321098700", 0, NULL, k2, k2cv), HAR_PARAM_DERIVE_DATA);
    CHECK_RC(HSM_IC_DeriveNewKey(KEY_TYPE_MDKMKAC, 0, mdk, KEY_TYPE_MDKMKAC, 'U', 0, 1, "198765432109870G", 0, NULL, k2, k2cv), HAR_PARAM_DERIVE_DATA);
    CHECK_RC(HSM_IC_DeriveNewKey(KEY_TYPE_MDKMKAC, 0, mdk, KEY_TYPE_MDKMKAC, 'U', 0, 1, NULL, 0, NULL, k2, k2cv), HAR_PARAM_DERIVE_DATA);
    CHECK_RC(HSM_IC_DeriveNewKey(KEY_TYPE_MDKMKAC, 0, mdk, KEY_TYPE_MDKMKAC, 'U', 0, 0, "", 0, NULL, k2, k2cv), HAR_PARAM_DERIVE_NUM);
    CHECK_RC(HSM_IC_DeriveNewKey(KEY_TYPE_MDKMKAC, 0, mdk, KEY_TYPE_MDKMKAC, 'U', 0, -1, "", 0, NULL, k2, k2cv), HAR_PARAM_DERIVE_NUM);
    CHECK_RC(HSM_IC_DeriveNewKey(KEY_TYPE_MDKMKAC, 0, mdk, KEY_TYPE_MDKMKAC, 'U', 2, 1, "1987654321098700", 0, NULL, k2, k2cv), HAR_PARAM_VALUE);
    CHECK_RC(HSM_IC_DeriveNewKey(KEY_TYPE_ZPK, 0, mdk, KEY_TYPE_MDKMKAC, 'U', 0, 1, "1987654321098700", 0, NULL, k2, k2cv), 27);
    CHECK_RC(HSM_IC_DeriveNewKey(KEY_TYPE_KEKZMK, 0, mdk, KEY_TYPE_MDKMKAC, 'U', 0, 1, "1987654321098700", 0, NULL, k2, k2cv), 10);
    CHECK_RC(HSM_IC_DeriveNewKey(KEY_TYPE_MDKMKAC, 0, NULL, KEY_TYPE_MDKMKAC, 'U', 0, 1, "1987654321098700", 0, NULL, k2, k2cv), HAR_PARAM_KEY_ID);
    CHECK_RC(HSM_IC_DeriveNewKey(KEY_TYPE_MDKMKAC, 0, mdk, KEY_TYPE_MDKMKAC, 'U', 0, 1, "1987654321098700", 0, NULL, NULL, k2cv), HAR_PARAM_ISNULL);
}

TASS_TEST(ic_export_import_protected, "HSM_IC_ExportCipherKey / HSM_IC_ImportCipherKey: SH then SI round trips (ECB, CBC, header, derivation, P extension); errors") {
    char zpk[50] = {0}, cipher[129] = {0}, ecv[17] = {0}, back[50] = {0}, bcv[17] = {0};
    tass_import_k(KEY_TYPE_ZPK, zpk);
    /* ECB, no derivation: the cryptogram is K under the ZMK, as A8 gives it in X form */
    CHECK_RC(HSM_IC_ExportCipherKey(g_session, 0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, KEY_TYPE_ZPK, 0, zpk, 0, "", "", cipher, ecv), 0);
    CHECK_STR(cipher, T_K_UNDER_ZMK + 1);
    CHECK_STR(ecv, T_K_KCV);
    CHECK_RC(HSM_IC_ImportCipherKey(0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, KEY_TYPE_ZPK, 'U', cipher, 0, NULL, "", 'N', NULL, NULL, NULL, back, bcv), 0);
    CHECK_STR(back, zpk);
    CHECK_STR(bcv, T_K_KCV);
    /* CBC, a header, a derived protection key and exported key, the P extension with the KCV */
    const char *f = "00112233445566778899AABBCCDDEEFF";
    CHECK_RC(HSM_IC_ExportCipherKey(g_session, 1, KEY_TYPE_KEKZMK, 0, T_ZMK, 1, (char *)f, 0, "", KEY_TYPE_ZPK, 0, zpk, 1, (char *)f, "A1A2A3A4A5A6A7A8", cipher, ecv), 0);
    CHECK_LEN(cipher, 48);
    CHECK(tass_is_upper_hex(cipher));
    CHECK_RC(HSM_IC_ImportCipherKey(1, KEY_TYPE_KEKZMK, 0, T_ZMK, 1, (char *)f, 0, NULL, KEY_TYPE_ZPK, 'X', cipher, 1220, "derived", "a1a2a3a4a5a6a7a8",
                                    'P', "00", "0000000000000000", ecv, back, bcv), 0);
    CHECK_STR(bcv, ecv);
    /* errors */
    CHECK_RC(HSM_IC_ExportCipherKey(g_session, 2, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, KEY_TYPE_ZPK, 0, zpk, 0, "", "", cipher, ecv), HAR_PARAM_ENC_MODE);
    CHECK_RC(HSM_IC_ExportCipherKey(g_session, 0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 6, NULL, KEY_TYPE_ZPK, 0, zpk, 0, "", "", cipher, ecv), HAR_PARAM_SESSION_KEY_MODE);
    CHECK_RC(HSM_IC_ExportCipherKey(g_session, 0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 1, "0011", KEY_TYPE_ZPK, 0, zpk, 0, "", "", cipher, ecv), HAR_PARAM_SESSION_KEY_DATA);
    CHECK_RC(HSM_IC_ExportCipherKey(g_session, 0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 1, "0011223344556677", KEY_TYPE_ZPK, 0, zpk, 0, "", "", cipher, ecv), 15);
    CHECK_RC(HSM_IC_ExportCipherKey(g_session, 0, KEY_TYPE_KEKZMK, 0, T_ZMK, 1, "0011", 0, NULL, KEY_TYPE_ZPK, 0, zpk, 0, "", "", cipher, ecv), HAR_PARAM_DERIVE_DATA);
    CHECK_RC(HSM_IC_ExportCipherKey(g_session, 0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, KEY_TYPE_ZPK, 0, zpk, 0, "",
                                    "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF00", cipher, ecv), HAR_PARAM_KEY_HEADER);
    CHECK_RC(HSM_IC_ExportCipherKey(g_session, 0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, KEY_TYPE_ZPK, 0, zpk, 0, "", "ABC", cipher, ecv), HAR_PARAM_KEY_HEADER);
    CHECK_RC(HSM_IC_ExportCipherKey(g_session, 0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, KEY_TYPE_ZPK, 0, zpk, 0, "", "AB", cipher, ecv), 80);
    CHECK_RC(HSM_IC_ExportCipherKey(g_session, 0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, KEY_TYPE_ZAK, 0, zpk, 0, "", "", cipher, ecv), 11);
    CHECK_RC(HSM_IC_ExportCipherKey(g_session, 0, KEY_TYPE_ZPK, 0, zpk, 0, "", 0, NULL, KEY_TYPE_ZPK, 0, zpk, 0, "", "", cipher, ecv), 27);
    CHECK_RC(HSM_IC_ExportCipherKey(NULL, 0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, KEY_TYPE_ZPK, 0, zpk, 0, "", "", cipher, ecv), HAR_SESSIONHANDLE_INVALID);
    CHECK_RC(HSM_IC_ExportCipherKey(g_session, 0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, KEY_TYPE_ZPK, 0, zpk, 0, "", "", NULL, ecv), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_IC_ImportCipherKey(0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, KEY_TYPE_ZPK, 'U', "F7EADC2F5D816B05E754C72C084E22", 0, NULL, "", 'N', NULL, NULL, NULL, back, bcv), 80);
    CHECK_RC(HSM_IC_ImportCipherKey(0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, KEY_TYPE_ZPK, 'U', "F7EADC2F5D816B05E754C72C084E224G", 0, NULL, "", 'N', NULL, NULL, NULL, back, bcv), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(HSM_IC_ImportCipherKey(0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, KEY_TYPE_ZPK, 'U', NULL, 0, NULL, "", 'N', NULL, NULL, NULL, back, bcv), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(HSM_IC_ImportCipherKey(0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, KEY_TYPE_ZPK, 'U', T_K_UNDER_ZMK + 1, 0, NULL, "", 'P', "0", NULL, T_K_KCV, back, bcv), HAR_PARAM_PADDING_MODE);
    CHECK_RC(HSM_IC_ImportCipherKey(1, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, KEY_TYPE_ZPK, 'U', T_K_UNDER_ZMK + 1, 0, NULL, "", 'P', "00", "00", T_K_KCV, back, bcv), HAR_PARAM_IV);
    CHECK_RC(HSM_IC_ImportCipherKey(0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, KEY_TYPE_ZPK, 'U', T_K_UNDER_ZMK + 1, 0, NULL, "", 'P', "00", NULL, "0000000000000000", back, bcv), 1);
    CHECK_RC(HSM_IC_ImportCipherKey(0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", 0, NULL, KEY_TYPE_ZPK, 'U', T_K_UNDER_ZMK + 1, 0, NULL, "", 'P', "00", NULL, T_K_KCV, back, bcv), 0);
    CHECK_STR(back, zpk);
}

TASS_TEST(ic_disper_zmk, "Tass_Disper_Zmk: SH (a derived sub-ZMK under the protecting ZMK) then A6; the outputs agree; errors") {
    char zmk_lmk[50] = {0}, kcv[17] = {0}, sub_zmk[50] = {0}, sub_lmk[50] = {0}, sub_cv[17] = {0}, again[50] = {0}, again_cv[17] = {0};
    CHECK_RC(HSM_IC_GenerateNewKey(KEY_TYPE_KEKZMK, 'U', 0, NULL, zmk_lmk, kcv), 0);
    CHECK_RC(Tass_Disper_Zmk(g_session, 0, T_ZMK, "0123456789ABCDEF0123456789ABCDEF", 0, zmk_lmk, sub_zmk, sub_lmk, sub_cv), 0);
    CHECK_LEN(sub_zmk, 32);
    CHECK(sub_lmk[0] == 'X');
    CHECK_LEN(sub_cv, 16);
    /* the sub-key under the protecting ZMK imports to the same key */
    char xform[34] = "X";
    strcat(xform, sub_zmk);
    CHECK_RC(Tass_AcceptKey(g_session, 0, T_ZMK, xform, KEY_TYPE_KEKZMK, 'X', again, again_cv), 0);
    CHECK_STR(again, sub_lmk);
    CHECK_STR(again_cv, sub_cv);
    /* the older name is the same function */
    char old_zmk[50] = {0}, old_lmk[50] = {0}, old_cv[17] = {0};
    CHECK_RC(Tass_DisperZmk(g_session, 0, T_ZMK, "0123456789ABCDEF0123456789ABCDEF", 0, zmk_lmk, old_zmk, old_lmk, old_cv), 0);
    CHECK_STR(old_lmk, sub_lmk);
    CHECK_STR(old_cv, sub_cv);
    /* no derivation: the ZMK itself; MANUAL's 16H data is HAR_PARAM_DERIVE_DATA */
    CHECK_RC(Tass_Disper_Zmk(g_session, 0, T_ZMK, "", 0, zmk_lmk, sub_zmk, sub_lmk, sub_cv), 0);
    CHECK_STR(sub_cv, kcv);
    CHECK_RC(Tass_Disper_Zmk(g_session, 0, T_ZMK, "0123456789ABCDEF", 0, zmk_lmk, sub_zmk, sub_lmk, sub_cv), HAR_PARAM_DERIVE_DATA);
    CHECK_RC(Tass_Disper_Zmk(g_session, 0, T_ZMK, NULL, 0, zmk_lmk, sub_zmk, sub_lmk, sub_cv), HAR_PARAM_DERIVE_DATA);
    CHECK_RC(Tass_Disper_Zmk(g_session, 2049, T_ZMK, "", 0, zmk_lmk, sub_zmk, sub_lmk, sub_cv), HAR_PARAM_KEY_ID);
    CHECK_RC(Tass_Disper_Zmk(g_session, 0, T_ZMK, "", 0, NULL, sub_zmk, sub_lmk, sub_cv), HAR_PARAM_KEY_ID);
    CHECK_RC(Tass_Disper_Zmk(g_session, 0, T_ZMK, "", 0, zmk_lmk, NULL, sub_lmk, sub_cv), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_Disper_Zmk(NULL, 0, T_ZMK, "", 0, zmk_lmk, sub_zmk, sub_lmk, sub_cv), HAR_SESSIONHANDLE_INVALID);
    /* the protecting key must be a ZMK: K as a ZPK is refused by the HSM (10) */
    char zpk[50] = {0};
    tass_import_k(KEY_TYPE_ZPK, zpk);
    CHECK_RC(Tass_Disper_Zmk(g_session, 0, zpk, "", 0, zmk_lmk, sub_zmk, sub_lmk, sub_cv), 10);
}

TASS_TEST(ic_key_type_conversion, "HSM_RCL_KeyTypeConversion, Tass_KeyTypeConversion: AN (KG first for an index); key separation refusals") {
    char zak[50] = {0}, kcv[17] = {0}, tak[50] = {0}, tcv[17] = {0}, x[50] = {0}, xcv[17] = {0};
    tass_import_k(KEY_TYPE_ZAK, zak);
    CHECK_RC(HSM_RCL_KeyTypeConversion(KEY_TYPE_ZAK, 0, zak, KEY_TYPE_TAK, 'U', tak, tcv), 0);
    CHECK_STR(tcv, T_K_KCV);
    CHECK(strcmp(tak, zak) != 0);
    CHECK_RC(HSM_RCL_KeyTypeConversion(KEY_TYPE_ZAK, 0, zak, KEY_TYPE_ZAK, 'X', x, xcv), 0);
    CHECK(x[0] == 'X');
    CHECK_STR(xcv, T_K_KCV);
    CHECK_RC(Tass_KeyTypeConversion(0, zak, KEY_TYPE_ZAK, KEY_TYPE_TAK, x, xcv), 0);
    CHECK_STR(x, tak);
    /* a stored key: the scheme comes from KG */
    CHECK_RC(HSM_IC_GenerateNewKey(KEY_TYPE_DEKZEK, 'X', 1230, "zek", zak, kcv), 0);
    CHECK_RC(Tass_KeyTypeConversion(1230, NULL, KEY_TYPE_DEKZEK, KEY_TYPE_TEK, x, xcv), 0);
    CHECK(x[0] == 'X');
    CHECK_STR(xcv, kcv);
    /* key separation: nothing into a ZMK, a ZMK into nothing, PIN key into MAC key (HSM 27) */
    CHECK_RC(HSM_RCL_KeyTypeConversion(KEY_TYPE_TAK, 0, tak, KEY_TYPE_KEKZMK, 'U', x, xcv), 27);
    CHECK_RC(HSM_RCL_KeyTypeConversion(KEY_TYPE_KEKZMK, 0, T_ZMK, KEY_TYPE_ZPK, 'U', x, xcv), 27);
    CHECK_RC(Tass_KeyTypeConversion(0, T_ZMK, KEY_TYPE_KEKZMK, KEY_TYPE_ZPK, x, xcv), 27);
    CHECK_RC(HSM_RCL_KeyTypeConversion(KEY_TYPE_TAK, 0, tak, KEY_TYPE_ZPK, 'U', x, xcv), 27);
    /* the key is not of the declared type: 10 */
    CHECK_RC(HSM_RCL_KeyTypeConversion(KEY_TYPE_ZAK, 0, tak, KEY_TYPE_TAK, 'U', x, xcv), 10);
    /* argument errors */
    CHECK_RC(Tass_KeyTypeConversion(0, "0123456789ABCDEF", KEY_TYPE_ZAK, KEY_TYPE_TAK, x, xcv), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_KeyTypeConversion(2049, NULL, KEY_TYPE_ZAK, KEY_TYPE_TAK, x, xcv), HAR_PARAM_KEY_ID);
    CHECK_RC(Tass_KeyTypeConversion(0, tak, "0Z3", KEY_TYPE_TAK, x, xcv), HAR_PARAM_KEY_TYPE);
    CHECK_RC(Tass_KeyTypeConversion(0, tak, KEY_TYPE_TAK, KEY_TYPE_ZAK, NULL, xcv), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RCL_KeyTypeConversion(KEY_TYPE_ZAK, 0, zak, KEY_TYPE_TAK, 'W', x, xcv), HAR_PARAM_KEY_SCHEME);
    CHECK_RC(HSM_RCL_KeyTypeConversion(KEY_TYPE_ZAK, -1, zak, KEY_TYPE_TAK, 'U', x, xcv), HAR_PARAM_KEY_ID);
}
