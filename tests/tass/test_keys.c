/* test_keys.c - A0, A6, A8, A4 through the Tass_* and HSM_RCL_* key functions. */
#include "harness.h"

#define ZPK_UNDER_ZMK "X7BC09407A015F72FC59C32147D2AAE57"
#define ZPK_UNDER_LMK "U0B7C6F68A38FA3C2CB42C2991576A986"

TASS_TEST(import_pik_known_answer, "Tass_ImportPik: published ZPK import, bare 32H taken as X, lower-case hex, errors") {
    char lmk[50] = {0}, kcv[17] = {0};
    CHECK_RC(Tass_ImportPik(g_session, 0, T_ZMK, 'U', ZPK_UNDER_ZMK, lmk, kcv), 0);
    CHECK_STR(lmk, ZPK_UNDER_LMK);
    CHECK(strncmp(kcv, "DA24FF", 6) == 0);
    CHECK_LEN(kcv, 16);
    CHECK(tass_is_upper_hex(kcv));
    memset(lmk, 0, sizeof lmk);
    CHECK_RC(Tass_ImportPik(g_session, 0, T_ZMK, 'U', "7BC09407A015F72FC59C32147D2AAE57", lmk, kcv), 0);
    CHECK_STR(lmk, ZPK_UNDER_LMK);
    CHECK_RC(Tass_ImportPik(g_session, 0, "Ue13d662b185f5f3b08594f89f1ff903a", 'U', "X7bc09407a015f72fc59c32147d2aae57", lmk, kcv), 0);
    CHECK_STR(lmk, ZPK_UNDER_LMK);
    /* errors: index, cryptogram length, scheme, NULLs, key of another type (HSM 10) */
    CHECK_RC(Tass_ImportPik(g_session, -1, T_ZMK, 'U', ZPK_UNDER_ZMK, lmk, kcv), HAR_PARAM_KEY_ID);
    CHECK_RC(Tass_ImportPik(g_session, 2049, T_ZMK, 'U', ZPK_UNDER_ZMK, lmk, kcv), HAR_PARAM_KEY_ID);
    /* rule 3 checks the pair first: index 0 without a cryptogram is one of a wrong length (spec 5.3) */
    CHECK_RC(Tass_ImportPik(g_session, 0, NULL, 'U', ZPK_UNDER_ZMK, lmk, kcv), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_ImportPik(g_session, 0, "", 'U', ZPK_UNDER_ZMK, lmk, kcv), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_ImportPik(g_session, 0, "UE13D662B185F5F3B08594F89F1FF90", 'U', ZPK_UNDER_ZMK, lmk, kcv), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_ImportPik(g_session, 0, "UE13D662B185F5F3B08594F89F1FF9G3A", 'U', ZPK_UNDER_ZMK, lmk, kcv), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_ImportPik(g_session, 0, T_ZMK, 'Q', ZPK_UNDER_ZMK, lmk, kcv), HAR_PARAM_KEY_SCHEME);
    CHECK_RC(Tass_ImportPik(g_session, 0, T_ZMK, 'U', NULL, lmk, kcv), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_ImportPik(g_session, 0, T_ZMK, 'U', "X7BC09407A015F72FC59C", lmk, kcv), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_ImportPik(g_session, 0, T_ZMK, 'U', ZPK_UNDER_ZMK, NULL, kcv), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_ImportPik(g_session, 0, T_ZMK, 'U', ZPK_UNDER_ZMK, lmk, NULL), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_ImportPik(g_session, 0, ZPK_UNDER_LMK, 'U', ZPK_UNDER_ZMK, lmk, kcv), 10);
    CHECK_RC(Tass_ImportPik(NULL, 0, T_ZMK, 'U', ZPK_UNDER_ZMK, lmk, kcv), HAR_SESSIONHANDLE_INVALID);
    CHECK_RC(Tass_ImportPik((void *)0x1234, 0, T_ZMK, 'U', ZPK_UNDER_ZMK, lmk, kcv), HAR_SESSIONHANDLE_INVALID);
}

/* Generates with fn, then imports the key under the ZMK back with Tass_AcceptKey of type. */
static void generate_round_trip(int (*fn)(void *, int, char *, char, char *, char *, char *), const char *type, char scheme) {
    char zmk_form[50] = {0}, lmk[50] = {0}, kcv[17] = {0}, back[50] = {0}, bkcv[17] = {0};
    CHECK_RC(fn(g_session, 0, T_ZMK, scheme, zmk_form, lmk, kcv), 0);
    CHECK(lmk[0] == scheme && zmk_form[0] == scheme);
    CHECK_LEN(lmk, 33);
    CHECK_LEN(zmk_form, 33);
    CHECK_LEN(kcv, 16);
    CHECK(tass_is_upper_hex(lmk + 1) && tass_is_upper_hex(zmk_form + 1) && tass_is_upper_hex(kcv));
    CHECK_RC(Tass_AcceptKey(g_session, 0, T_ZMK, zmk_form, (char *)type, scheme, back, bkcv), 0);
    CHECK_STR(back, lmk);
    CHECK_STR(bkcv, kcv);
}

TASS_TEST(generate_working_keys, "Tass_Generate_Zmk/_Pik/_Mak/_Zek (and the older names): A0 mode 1, imported back equal") {
    generate_round_trip(Tass_Generate_Zmk, KEY_TYPE_KEKZMK, 'U');
    generate_round_trip(Tass_Generate_Pik, KEY_TYPE_ZPK, 'U');
    generate_round_trip(Tass_Generate_Mak, KEY_TYPE_ZAK, 'X');
    generate_round_trip(Tass_Generate_Zek, KEY_TYPE_DEKZEK, 'U');
    generate_round_trip(Tass_GenerateMak, KEY_TYPE_ZAK, 'U');
    generate_round_trip(Tass_GenerateZmk, KEY_TYPE_KEKZMK, 'U');
    generate_round_trip(Tass_GeneratePik, KEY_TYPE_ZPK, 'U');
    generate_round_trip(Tass_GenerateZek, KEY_TYPE_DEKZEK, 'U');
    char a[50], b[50], c[17];
    CHECK_RC(Tass_Generate_Pik(g_session, 0, T_ZMK, 'U', NULL, b, c), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_Generate_Pik(g_session, 0, T_ZMK, 'W', a, b, c), HAR_PARAM_KEY_SCHEME);
    /* the ZMK must be a ZMK: a ZPK in its place is refused by the HSM */
    CHECK_RC(Tass_Generate_Pik(g_session, 0, ZPK_UNDER_LMK, 'U', a, b, c), 10);
}

TASS_TEST(generate_and_export, "Tass_GenerateKey, Tass_ExportKey, Tass_AcceptKey: any type, round trips, type and length errors") {
    char z[50] = {0}, l[50] = {0}, k[17] = {0}, z2[50] = {0}, k2[17] = {0}, back[50] = {0}, bk[17] = {0};
    CHECK_RC(Tass_GenerateKey(g_session, 0, T_ZMK, KEY_TYPE_CVK, 'U', z, l, k), 0);
    CHECK(l[0] == 'U' && z[0] == 'U');
    /* export the LMK form under the ZMK (as X) and accept it back */
    CHECK_RC(Tass_ExportKey(0, T_ZMK, KEY_TYPE_CVK, 0, l, 'X', z2, k2), 0);
    CHECK(z2[0] == 'X');
    CHECK_STR(k2, k);
    CHECK_RC(Tass_AcceptKey(g_session, 0, T_ZMK, z2, KEY_TYPE_CVK, 'U', back, bk), 0);
    CHECK_STR(back, l);
    CHECK_STR(bk, k);
    /* an SM4 key type code in lower case hex is read; 309 (forgotten by the vendor) is a type */
    CHECK_RC(Tass_GenerateKey(g_session, 0, T_ZMK, "00a", 'U', z, l, k), 0);
    CHECK_RC(Tass_GenerateKey(g_session, 0, T_ZMK, "0G1", 'U', z, l, k), HAR_PARAM_KEY_TYPE);
    CHECK_RC(Tass_GenerateKey(g_session, 0, T_ZMK, "0011", 'U', z, l, k), HAR_PARAM_KEY_TYPE);
    CHECK_RC(Tass_GenerateKey(g_session, 0, T_ZMK, NULL, 'U', z, l, k), HAR_PARAM_ISNULL);
    /* rule 1: a 32-character ZMK is refused */
    CHECK_RC(Tass_GenerateKey(g_session, 0, "E13D662B185F5F3B08594F89F1FF903A", KEY_TYPE_ZPK, 'U', z, l, k), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_AcceptKey(g_session, 0, T_ZMK, "X7BC09407A015F72FC59C32147D2AAE5", KEY_TYPE_ZPK, 'U', back, bk), HAR_PARAM_LEN);
    /* NULL is no allowed length either: "16, 33 or 49 characters, else HAR_PARAM_LEN" (spec 10.1.9) */
    CHECK_RC(Tass_AcceptKey(g_session, 0, T_ZMK, NULL, KEY_TYPE_ZPK, 'U', back, bk), HAR_PARAM_LEN);
    CHECK_RC(Tass_ExportKey(0, T_ZMK, KEY_TYPE_ZPK, 0, NULL, 'X', z2, k2), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_ExportKey(0, T_ZMK, KEY_TYPE_ZPK, 0, ZPK_UNDER_LMK, 'X', NULL, k2), HAR_PARAM_ISNULL);
    /* a ZPK exported as a CVK: the HSM refuses the key (parity under the other variant) */
    CHECK_RC(Tass_ExportKey(0, T_ZMK, KEY_TYPE_CVK, 0, ZPK_UNDER_LMK, 'X', z2, k2), 11);
}

TASS_TEST(rcl_key_functions, "HSM_RCL_GenWorkingKey (modes 0/1, stored at K), HSM_RCL_ImportKey_A6, HSM_RCL_ExportKey_A8") {
    char l[50] = {0}, z[50] = {0}, k[17] = {0}, z2[50] = {0}, k2[17] = {0}, l2[50] = {0}, k3[17] = {0};
    /* mode 0: under the LMK only; the ZMK output may be NULL */
    CHECK_RC(HSM_RCL_GenWorkingKey(g_session, 0, KEY_TYPE_ZAK, 'U', 0, NULL, 'U', '0', 0, NULL, l, NULL, k), 0);
    CHECK(l[0] == 'U');
    CHECK_LEN(k, 16);
    /* mode 1, stored at index 77 with a label: the stored key exports with the same KCV */
    CHECK_RC(HSM_RCL_GenWorkingKey(g_session, 1, KEY_TYPE_ZAK, 'U', 0, T_ZMK, 'X', 'K', 77, "conformance", l, z, k), 0);
    CHECK(z[0] == 'X');
    CHECK_RC(HSM_RCL_ExportKey_A8(KEY_TYPE_ZAK, 0, T_ZMK, 77, NULL, 'U', z2, k2), 0);
    CHECK_STR(k2, k);
    CHECK_RC(HSM_RCL_ImportKey_A6(g_session, KEY_TYPE_ZAK, 0, T_ZMK, z2, 'U', '0', 0, NULL, l2, k3), 0);
    CHECK_STR(l2, l);
    CHECK_STR(k3, k);
    /* the ZMK at an index works too (store it first) */
    CHECK_RC(HSM_RCL_ImportKey_A6(g_session, KEY_TYPE_ZPK, 0, T_ZMK, ZPK_UNDER_ZMK, 'U', 'K', 78, "zpk", l2, k3), 0);
    CHECK_STR(l2, ZPK_UNDER_LMK);
    /* the key at 78 exports as the key under the LMK does (the import set DES parity, so the
       export is not the published input; its check value is) */
    char z3[50] = {0};
    CHECK_RC(HSM_RCL_ExportKey_A8(KEY_TYPE_ZPK, 0, T_ZMK, 78, NULL, 'X', z2, k2), 0);
    CHECK_RC(HSM_RCL_ExportKey_A8(KEY_TYPE_ZPK, 0, T_ZMK, 0, ZPK_UNDER_LMK, 'X', z3, k3), 0);
    CHECK_STR(z2, z3);
    CHECK(strncmp(k2, "DA24FF", 6) == 0);
    /* errors */
    CHECK_RC(HSM_RCL_GenWorkingKey(g_session, 2, KEY_TYPE_ZAK, 'U', 0, NULL, 'U', '0', 0, NULL, l, z, k), HAR_PARAM_VALUE);
    CHECK_RC(HSM_RCL_GenWorkingKey(g_session, 1, KEY_TYPE_ZAK, 'U', 0, T_ZMK, 'U', '0', 0, NULL, l, NULL, k), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RCL_GenWorkingKey(g_session, 0, KEY_TYPE_ZAK, 'U', 0, NULL, 'U', 'K', 0, NULL, l, z, k), HAR_PARAM_KEY_ID);
    CHECK_RC(HSM_RCL_GenWorkingKey(g_session, 0, KEY_TYPE_ZAK, 'U', 0, NULL, 'U', 'K', 79, "a label longer than 16", l, z, k), HAR_PARAM_VALUE);
    CHECK_RC(HSM_RCL_ExportKey_A8(KEY_TYPE_ZAK, -3, T_ZMK, 77, NULL, 'U', z2, k2), HAR_PARAM_KEY_ID);
    CHECK_RC(HSM_RCL_ImportKey_A6(g_session, KEY_TYPE_ZAK, 0, T_ZMK, NULL, 'U', '0', 0, NULL, l2, k3), HAR_PARAM_KEY_CIPHER);
}

TASS_TEST(rcl_form_key, "HSM_RCL_SyntheticKey_KeyCipher: A4 of K, G, K gives G (8-character check value), count errors") {
    char k[50] = {0}, g[50] = {0}, gk[17] = {0}, parts[3 * 49 + 1], f[50] = {0}, fk[17] = {0}, zz[50];
    tass_import_k(KEY_TYPE_ZPK, k);
    CHECK_RC(HSM_RCL_GenWorkingKey(g_session, 0, KEY_TYPE_ZPK, 'U', 0, NULL, 'U', '0', 0, NULL, g, zz, gk), 0);
    snprintf(parts, sizeof parts, "%s%s%s", k, g, k);
    CHECK_RC(HSM_RCL_SyntheticKey_KeyCipher(3, KEY_TYPE_ZPK, 'U', parts, f, fk), 0);
    CHECK_LEN(fk, 8);
    CHECK(strncmp(fk, gk, 8) == 0);
    CHECK_RC(HSM_RCL_SyntheticKey_KeyCipher(1, KEY_TYPE_ZPK, 'U', parts, f, fk), HAR_PARAM_ELEMENT_NUM);
    CHECK_RC(HSM_RCL_SyntheticKey_KeyCipher(9, KEY_TYPE_ZPK, 'U', parts, f, fk), HAR_PARAM_ELEMENT_NUM);
    CHECK_RC(HSM_RCL_SyntheticKey_KeyCipher(2, KEY_TYPE_ZPK, 'U', parts, f, fk), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(HSM_RCL_SyntheticKey_KeyCipher(2, KEY_TYPE_ZPK, 'U', NULL, f, fk), HAR_PARAM_ISNULL);
}

TASS_TEST(missing_key_cryptogram, "index 0 without a cryptogram: the Tass_* rules refuse it as a wrong length (KEY_CIPHER / LEN, spec 5.3), a bare KEY field as no key (KEY_ID, 5.2)") {
    char a[200] = {0}, b[200] = {0}, c[200] = {0};
    /* rules A, 1, 2, 3: HAR_PARAM_KEY_CIPHER, for NULL and for "" */
    CHECK_RC(Tass_Generate_Zmk(g_session, 0, NULL, 'U', a, b, c), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_Generate_Pik(g_session, 0, "", 'U', a, b, c), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_GenerateKey(g_session, 0, NULL, KEY_TYPE_ZPK, 'U', a, b, c), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_AcceptKey(g_session, 0, "", T_K_UNDER_ZMK, KEY_TYPE_ZPK, 'U', a, b), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_ExportKey(0, NULL, KEY_TYPE_ZPK, 0, ZPK_UNDER_LMK, 'X', a, b), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_Decrypt_PIN(g_session, 0, NULL, T_PINBLOCK, 1, T_ACCT, a), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_EncryptPIN(g_session, 0, "", "1234", 1, T_ACCT, a), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_TranslatePin(0, ZPK_UNDER_LMK, 0, NULL, T_ACCT, T_ACCT, 1, 1, T_PINBLOCK, a), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_Gen_ANSI_Mac(g_session, 0, NULL, 4, "ABCD", a), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_GenUnionMac(g_session, 0, "", 4, "ABCD", a), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_GenZPKMac(0, NULL, 4, "ABCD", a), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_KeyTypeConversion(0, NULL, KEY_TYPE_ZAK, KEY_TYPE_TAK, a, b), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_GenVerifyCvn(0, NULL, 0, "4123456789012345", "1108", "101", a), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_GenARPC(0, NULL, "1234567890123456", "0001", "0123456789ABCDEF", "3030", a), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_EncryptICData(g_session, 0, "", 0, 0, "", 0, NULL, 5, "0011223344556677", NULL, a), HAR_PARAM_KEY_CIPHER);
    /* the functions whose length rule reports HAR_PARAM_LEN */
    CHECK_RC(Tass_EncryptData(g_session, 0, NULL, 0, 0, "", 0, NULL, 5, "0011223344556677", NULL, a), HAR_PARAM_LEN);
    CHECK_RC(Tass_DecryptData(g_session, 0, "", 0, 0, "", 0, NULL, 5, "0011223344556677", NULL, a), HAR_PARAM_LEN);
    /* a KEY field without a length rule: no key at all */
    CHECK_RC(Tass_Disper_Zmk(g_session, 0, NULL, "", 0, T_ZMK, a, b, c), HAR_PARAM_KEY_ID);
    CHECK_RC(Tass_EncryptTrackData(g_session, 0, NULL, "0011223344556677", 16, 0, 5, NULL, a), HAR_PARAM_KEY_ID);
    CHECK_RC(HSM_RCL_ExportKey_A8(KEY_TYPE_ZPK, 0, T_ZMK, 0, NULL, 'X', a, b), HAR_PARAM_KEY_ID);
    CHECK_RC(HSM_RCL_ImportKey_A6(g_session, KEY_TYPE_ZPK, 0, "", ZPK_UNDER_LMK, 'U', '0', 0, NULL, a, b), HAR_PARAM_KEY_ID);
    /* the index is checked first */
    CHECK_RC(Tass_Generate_Zmk(g_session, 2049, NULL, 'U', a, b, c), HAR_PARAM_KEY_ID);
    CHECK_RC(Tass_Decrypt_PIN(g_session, -1, NULL, T_PINBLOCK, 1, T_ACCT, a), HAR_PARAM_KEY_ID);
}
