/* test_emv.c - K6, K2, K4, KX through the Tass_* and HSM_IC_* EMV functions.
 *
 * MDK: the harness key K (0123456789ABCDEFFEDCBA9876543210) imported as type 109. PAN/PSN
 * 1234567890123445 (pyemv's PAN 99012345678901234, PSN 45: option A card key
 * 67F8292358083E5EA7AB7FDA58D53B6B, knovichikhin/pyemv, MIT), ATC 0001. The ARQC, ARPC,
 * script and PIN change values were computed with the openssl command line
 * (scripts/emv-known-answers.py), as in Tests/EVSMKitTests/EMVHandlerTests.swift. */
#include "harness.h"

#define E_PAN   "1234567890123445"
#define E_ATC   "0001"
#define E_DATA  "0123456789ABCDEF0123456789ABCDEF"
#define E_ARQC  "2C064758BA227276"
#define E_ARPC  "DCEEDD0B828A19A2"
#define E_DIAG  "7E572103ED70B2EC"
#define E_SCRIPT "842400000811223344556677"

TASS_TEST(emv_arqc_arpc, "Tass_VerifyARQC / _GenARPC / _VerifyARQC_GenARPC and HSM_IC_* (K6 modes 0-2): known answers, rv 1 with the diagnostic") {
    char mdk[50] = {0}, arqc[17], out[33] = {0};
    tass_import_k(KEY_TYPE_MDKMKAC, mdk);
    strcpy(arqc, E_ARQC);
    CHECK_RC(Tass_VerifyARQC(0, mdk, E_PAN, E_ATC, E_DATA, arqc), 0);
    CHECK_STR(arqc, E_ARQC);
    CHECK_RC(Tass_VerifyARQC(0, mdk, E_PAN, E_ATC, "0123456789abcdef0123456789abcdef", arqc), 0);
    CHECK_RC(Tass_GenARPC(0, mdk, E_PAN, E_ATC, E_ARQC, "3030", out), 0);
    CHECK_STR(out, E_ARPC);
    memset(out, 0, sizeof out);
    CHECK_RC(Tass_VerifyARQC_GenARPC(0, mdk, E_PAN, E_ATC, E_DATA, E_ARQC, "3030", out), 0);
    CHECK_STR(out, E_ARPC);
    /* mismatch: rv 1, the diagnostic copied back */
    strcpy(arqc, "2C064758BA227277");
    CHECK_RC(Tass_VerifyARQC(0, mdk, E_PAN, E_ATC, E_DATA, arqc), 1);
    CHECK_STR(arqc, E_DIAG);
    CHECK_RC(Tass_VerifyARQC_GenARPC(0, mdk, E_PAN, E_ATC, E_DATA, "2C064758BA227277", "3030", out), 1);
    CHECK_STR(out, E_DIAG);
    /* HSM_IC_* forms */
    strcpy(arqc, E_ARQC);
    CHECK_RC(HSM_IC_VerifyArqc(0, mdk, E_PAN, E_ATC, E_DATA, arqc), 0);
    strcpy(arqc, "0000000000000000");
    CHECK_RC(HSM_IC_VerifyArqc(0, mdk, E_PAN, E_ATC, E_DATA, arqc), 1);
    CHECK_STR(arqc, E_DIAG);
    memset(out, 0, sizeof out);
    CHECK_RC(HSM_IC_GenerateArpc(0, mdk, E_PAN, E_ATC, E_ARQC, "3030", out), 0);
    CHECK_STR(out, E_ARPC);
    memset(out, 0, sizeof out);
    CHECK_RC(HSM_IC_VerifyArqc_GenARPC(0, mdk, E_PAN, E_ATC, E_DATA, E_ARQC, "3030", out), 0);
    CHECK_STR(out, E_ARPC);
    /* the HSM_IC_ PAN form: the rightmost 16 digits of a longer PAN */
    memset(out, 0, sizeof out);
    CHECK_RC(HSM_IC_GenerateArpc(0, mdk, "99" E_PAN, E_ATC, E_ARQC, "3030", out), 0);
    CHECK_STR(out, E_ARPC);
}

TASS_TEST(emv_arqc_errors, "K6 argument rules (vendor §10.5) and HSM refusals") {
    char mdk[50] = {0}, zpk[50] = {0}, arqc[17] = E_ARQC, out[33] = {0};
    tass_import_k(KEY_TYPE_MDKMKAC, mdk);
    tass_import_k(KEY_TYPE_ZPK, zpk);
    CHECK_RC(Tass_VerifyARQC(0, mdk, "123456789012344", E_ATC, E_DATA, arqc), HAR_PARAM_LEN);
    CHECK_RC(Tass_VerifyARQC(0, mdk, "123456789012344A", E_ATC, E_DATA, arqc), HAR_PARAM_PAN);
    CHECK_RC(Tass_VerifyARQC(0, mdk, E_PAN, "001", E_DATA, arqc), HAR_PARAM_LEN);
    CHECK_RC(Tass_VerifyARQC(0, mdk, E_PAN, "00G1", E_DATA, arqc), HAR_HEX_TO_BYTE);
    CHECK_RC(Tass_VerifyARQC(0, mdk, E_PAN, E_ATC, "0", arqc), HAR_PARAM_LEN);
    CHECK_RC(Tass_VerifyARQC(0, mdk, E_PAN, E_ATC, "012", arqc), HAR_HEX_TO_BYTE);
    CHECK_RC(Tass_VerifyARQC(0, mdk, E_PAN, E_ATC, E_DATA, "2C064758BA2272"), HAR_PARAM_LEN);
    CHECK_RC(Tass_VerifyARQC(0, mdk, E_PAN, E_ATC, NULL, arqc), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_VerifyARQC(0, mdk, E_PAN, E_ATC, E_DATA, NULL), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_VerifyARQC(0, "U1234", E_PAN, E_ATC, E_DATA, arqc), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_VerifyARQC(0, NULL, E_PAN, E_ATC, E_DATA, arqc), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_VerifyARQC(2049, mdk, E_PAN, E_ATC, E_DATA, arqc), HAR_PARAM_KEY_ID);
    CHECK_RC(Tass_GenARPC(0, mdk, E_PAN, E_ATC, E_ARQC, "303", out), HAR_PARAM_LEN);
    CHECK_RC(Tass_GenARPC(0, mdk, E_PAN, E_ATC, E_ARQC, "3030", NULL), HAR_PARAM_ISNULL);
    {   /* 511 hex characters are too many for the 2H length */
        char big[514];
        memset(big, 'A', 512);
        big[512] = 0;
        CHECK_RC(Tass_VerifyARQC(0, mdk, E_PAN, E_ATC, big, arqc), HAR_PARAM_LEN);
    }
    /* a ZPK offered as the MDK: the HSM's 10; a ZPK index: not stored (12) */
    CHECK_RC(Tass_VerifyARQC(0, zpk, E_PAN, E_ATC, E_DATA, arqc), 10);
    CHECK_STR(arqc, E_ARQC);
    CHECK_RC(Tass_GenARPC(0, zpk, E_PAN, E_ATC, E_ARQC, "3030", out), 10);
}

TASS_TEST(emv_scripts, "Tass_ScriptEncrypt / Tass_ScriptMAC and HSM_IC_EncryptPbocScript / _GeneratePbocScriptMac (K2, K4): known answers, errors") {
    char mdk[50] = {0}, zpk[50] = {0}, out[64] = {0};
    tass_import_k(KEY_TYPE_MDKMKAC, mdk);
    tass_import_k(KEY_TYPE_ZPK, zpk);
    CHECK_RC(Tass_ScriptMAC(0, mdk, E_PAN, E_ATC, E_SCRIPT, out), 0);
    CHECK_STR(out, "0C09BA4F207F23BC");
    CHECK_RC(Tass_ScriptEncrypt(0, mdk, E_PAN, E_ATC, E_SCRIPT, out), 0);
    CHECK_STR(out, "38C365A7800B00CF71ED9BF920DD17CA");
    CHECK_RC(HSM_IC_GeneratePbocScriptMac(0, mdk, E_PAN, E_ATC, E_SCRIPT, out), 0);
    CHECK_STR(out, "0C09BA4F207F23BC");
    CHECK_RC(HSM_IC_EncryptPbocScript(0, mdk, E_PAN, E_ATC, "0011223344556677", out), 0);
    CHECK_STR(out, "8ACE538CBB81BC2F");
    CHECK_RC(Tass_ScriptMAC(0, mdk, E_PAN, E_ATC, "", out), HAR_PARAM_LEN);
    CHECK_RC(Tass_ScriptMAC(0, mdk, E_PAN, E_ATC, "84Z4", out), HAR_HEX_TO_BYTE);
    CHECK_RC(Tass_ScriptMAC(0, mdk, E_PAN, E_ATC, E_SCRIPT, NULL), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_ScriptEncrypt(0, mdk, "12345678901234", E_ATC, E_SCRIPT, out), HAR_PARAM_LEN);
    {   /* 1970 hex characters: over the Tass_* limit of 1968 */
        static char big[1972];
        memset(big, '0', 1970);
        big[1970] = 0;
        CHECK_RC(Tass_ScriptEncrypt(0, mdk, E_PAN, E_ATC, big, out), HAR_PARAM_LEN);
    }
    CHECK_RC(Tass_ScriptMAC(0, zpk, E_PAN, E_ATC, E_SCRIPT, out), 10);
}

TASS_TEST(emv_offline_pin, "Tass_Encrypt_OfflinePin and HSM_IC_OfflinePin_PlaintextPin / _CipherPin (KX): known answers, errors") {
    char mdk[50] = {0}, zpk[50] = {0}, out[64] = {0};
    tass_import_k(KEY_TYPE_MDKMKAC, mdk);
    tass_import_k(KEY_TYPE_ZPK, zpk);
    CHECK_RC(Tass_Encrypt_OfflinePin(0, mdk, E_PAN, E_ATC, "1234", out), 0);
    CHECK_STR(out, "7B53BA0118A692DDA3EA3A7C1C85E24A");
    memset(out, 0, sizeof out);
    CHECK_RC(HSM_IC_OfflinePin_PlaintextPin(0, mdk, E_PAN, E_ATC, "42", "1234", "9876", "000000000000", out), 0);
    CHECK_STR(out, "CFCA41E649D98BACA3EA3A7C1C85E24A");
    memset(out, 0, sizeof out);
    /* the same PIN as the harness ISO 0 block under a ZPK (account 987654321098) */
    CHECK_RC(HSM_IC_OfflinePin_CipherPin(0, zpk, 0, mdk, E_PAN, E_ATC, "2", "01", "41", T_PINBLOCK, NULL, T_ACCT, out), 0);
    CHECK_STR(out, "7B53BA0118A692DDA3EA3A7C1C85E24A");
    /* errors */
    CHECK_RC(Tass_Encrypt_OfflinePin(0, mdk, E_PAN, E_ATC, "123", out), HAR_PARAM_VALUE);
    CHECK_RC(Tass_Encrypt_OfflinePin(0, mdk, E_PAN, E_ATC, "12a4", out), HAR_PARAM_VALUE);
    CHECK_RC(Tass_Encrypt_OfflinePin(0, mdk, E_PAN, "01", "1234", out), HAR_PARAM_LEN);
    CHECK_RC(Tass_Encrypt_OfflinePin(0, mdk, E_PAN, E_ATC, "1234", NULL), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_Encrypt_OfflinePin(0, "Z0123456789ABCDEF", E_PAN, E_ATC, "1234", out), HAR_PARAM_KEY_CIPHER);   /* rule 1: no 17 */
    CHECK_RC(HSM_IC_OfflinePin_PlaintextPin(0, mdk, E_PAN, E_ATC, "43", "1234", NULL, "000000000000", out), HAR_PARAM_VALUE);
    CHECK_RC(HSM_IC_OfflinePin_PlaintextPin(0, mdk, E_PAN, E_ATC, "42", "1234", NULL, "000000000000", out), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_IC_OfflinePin_PlaintextPin(0, mdk, E_PAN, E_ATC, "41", "1234", NULL, "00000000000", out), HAR_PARAM_LEN);
    CHECK_RC(HSM_IC_OfflinePin_CipherPin(0, zpk, 0, mdk, E_PAN, E_ATC, "4", "01", "41", T_PINBLOCK, NULL, T_ACCT, out), HAR_PARAM_VALUE);
    CHECK_RC(HSM_IC_OfflinePin_CipherPin(0, zpk, 0, mdk, E_PAN, E_ATC, "2", "02", "41", T_PINBLOCK, NULL, T_ACCT, out), HAR_PARAM_VALUE);
    CHECK_RC(HSM_IC_OfflinePin_CipherPin(0, zpk, 0, mdk, E_PAN, E_ATC, "2", "01", "41", "C967C8198151A45", NULL, T_ACCT, out), HAR_PARAM_LEN);
    /* HSM refusals: the MDK as the PIN key (10), the ZPK as the MDK (11), a TPK-kind with a ZPK (10) */
    CHECK_RC(HSM_IC_OfflinePin_CipherPin(0, mdk, 0, mdk, E_PAN, E_ATC, "2", "01", "41", T_PINBLOCK, NULL, T_ACCT, out), 10);
    CHECK_RC(HSM_IC_OfflinePin_CipherPin(0, zpk, 0, zpk, E_PAN, E_ATC, "2", "01", "41", T_PINBLOCK, NULL, T_ACCT, out), 11);
    CHECK_RC(HSM_IC_OfflinePin_CipherPin(0, zpk, 0, mdk, E_PAN, E_ATC, "3", "01", "41", T_PINBLOCK, NULL, T_ACCT, out), 10);
}
