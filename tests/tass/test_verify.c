/* test_verify.c - CW, CY, DG, DE, EA, JA through HSM_RCL_GenerateCVV, _VerifyCVV,
 * Tass_GenVerifyCvn, HSM_RCL_GeneratePVV, _GenerateIBMPinOffset,
 * _VerifyZonePinBlock_PinOffset and _GenerateRandomPin.
 *
 * Published values under the test LMK (each recomputed with openssl before it was pinned;
 * sources as in Tests/EVSMKitTests/PINVerifyTests.swift):
 *   [JPOS] jPOS JCESecurityModuleTest: CVK 402 U479D751977AA598CB481F548226DBF2B -> CVV 204 and
 *   CVK A/B 56FBB74CDEAD6949/69E636CF27A47EEE -> CVV 453 (account 123456789012, expiry 1108,
 *   service code 000); PVK 002 UE9F05D2F2DB8A8579CA3E806B35E336F -> PVV 1226 (PIN 1234,
 *   account 123456789012, PVKI 0).
 *   [LB] leachbj/hsm-emulator (MIT): PVK 002 T AF9958..58E, ZPK 001 T 971803..F7E1, PIN 14789 in
 *   the ISO 1 block F2B66A1070EADC47, account 000001000376, check length 5, table
 *   0123456789012345, validation data 1234567890NF -> offset 17702.
 */
#include "harness.h"

#define J_CVK   "U479D751977AA598CB481F548226DBF2B"
#define J_CVKAB "56FBB74CDEAD694969E636CF27A47EEE"
#define J_PVK   "UE9F05D2F2DB8A8579CA3E806B35E336F"
#define L_PVK   "TAF9958474101D950930D1FC86F99447E10B3BADFAA10458E"
#define L_ZPK   "T971803BA969012152827CC97A98D18D50BE6559CDFF6F7E1"
#define L_ACCT  "000001000376"
#define L_BLOCK "F2B66A1070EADC47"
#define DECTAB  "0123456789012345"
#define PVD     "1234567890NF"

TASS_TEST(cvv_functions, "HSM_RCL_GenerateCVV / _VerifyCVV / Tass_GenVerifyCvn (CW, CY): published CVVs, the CVK A+B form, errors") {
    char cvv[4] = {0}, cvn[4] = {0};
    CHECK_RC(HSM_RCL_GenerateCVV(0, J_CVK, "123456789012", "1108", "000", cvv), 0);
    CHECK_STR(cvv, "204");
    CHECK_RC(HSM_RCL_GenerateCVV(0, J_CVKAB, "123456789012", "1108", "000", cvv), 0);
    CHECK_STR(cvv, "453");
    CHECK_RC(HSM_RCL_VerifyCVV(0, J_CVK, "123456789012", "1108", "000", "204"), 0);
    CHECK_RC(HSM_RCL_VerifyCVV(0, J_CVKAB, "123456789012", "1108", "000", "453"), 0);
    CHECK_RC(HSM_RCL_VerifyCVV(0, J_CVK, "123456789012", "1108", "000", "205"), 1);
    CHECK_RC(Tass_GenVerifyCvn(0, J_CVK, 0, "123456789012", "1108", "000", cvn), 0);
    CHECK_STR(cvn, "204");
    CHECK_RC(Tass_GenVerifyCvn(0, J_CVK, 1, "123456789012", "1108", "000", "204"), 0);
    CHECK_RC(Tass_GenVerifyCvn(0, J_CVK, 1, "123456789012", "1108", "000", "999"), 1);
    char v[4] = "453";
    CHECK_RC(Tass_GenVerifyCvn(0, J_CVKAB, 1, "123456789012", "1108", "000", v), 0);
    /* errors before sending */
    CHECK_RC(Tass_GenVerifyCvn(0, J_CVK, 2, "123456789012", "1108", "000", cvn), HAR_PARAM_VALUE);
    CHECK_RC(Tass_GenVerifyCvn(2049, J_CVK, 0, "123456789012", "1108", "000", cvn), HAR_PARAM_KEY_ID);
    CHECK_RC(Tass_GenVerifyCvn(0, "56FBB74CDEAD6949", 0, "123456789012", "1108", "000", cvn), HAR_PARAM_KEY_CIPHER);
    CHECK_RC(Tass_GenVerifyCvn(0, J_CVK, 0, "123456789012", "1108", "000", NULL), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RCL_GenerateCVV(0, J_CVK, "1234567", "1108", "000", cvv), HAR_PARAM_LEN);
    CHECK_RC(HSM_RCL_GenerateCVV(0, J_CVK, "12345678901A", "1108", "000", cvv), HAR_PARAM_PAN);
    CHECK_RC(HSM_RCL_GenerateCVV(0, J_CVK, "123456789012", "110", "000", cvv), HAR_PARAM_LEN);
    CHECK_RC(HSM_RCL_GenerateCVV(0, J_CVK, "123456789012", "1108", "0A0", cvv), HAR_PARAM_VALUE);
    CHECK_RC(HSM_RCL_GenerateCVV(0, J_CVK, NULL, "1108", "000", cvv), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RCL_GenerateCVV(0, "", "123456789012", "1108", "000", cvv), HAR_PARAM_KEY_ID);
    CHECK_RC(HSM_RCL_GenerateCVV(0, J_CVK, "123456789012", "1108", "000", NULL), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RCL_VerifyCVV(0, J_CVK, "123456789012", "1108", "000", "20"), HAR_PARAM_LEN);
    /* the HSM's answers: a ZPK as the CVK (10), a single-length CVK (27), an index with nothing (12) */
    char zpk[50] = {0};
    tass_import_k(KEY_TYPE_ZPK, zpk);
    CHECK_RC(HSM_RCL_GenerateCVV(0, zpk, "123456789012", "1108", "000", cvv), 10);
    CHECK_RC(HSM_RCL_GenerateCVV(0, "56FBB74CDEAD6949", "123456789012", "1108", "000", cvv), 27);
    CHECK_RC(HSM_RCL_GenerateCVV(9876, NULL, "123456789012", "1108", "000", cvv), 12);
}

TASS_TEST(pvv_function, "HSM_RCL_GeneratePVV (DG): published PVV, PVKI range, errors") {
    char lmk[128] = {0}, pvv[5] = {0};
    CHECK_RC(HSM_RCL_EncryptPin_LMK("1234", "123456789012", lmk), 0);
    CHECK_RC(HSM_RCL_GeneratePVV(0, J_PVK, 0, lmk, "123456789012", pvv), 0);
    CHECK_STR(pvv, "1226");
    CHECK_RC(HSM_RCL_GeneratePVV(0, J_PVK, 15, lmk, "123456789012", pvv), 0);
    CHECK_LEN(pvv, 4);
    CHECK_RC(HSM_RCL_GeneratePVV(0, J_PVK, 16, lmk, "123456789012", pvv), HAR_PARAM_KEY_ID);
    CHECK_RC(HSM_RCL_GeneratePVV(0, J_PVK, -1, lmk, "123456789012", pvv), HAR_PARAM_KEY_ID);
    CHECK_RC(HSM_RCL_GeneratePVV(0, J_PVK, 0, lmk, "12345678901X", pvv), HAR_PARAM_PAN);
    CHECK_RC(HSM_RCL_GeneratePVV(0, J_PVK, 0, "C967C8198151A45Z", "123456789012", pvv), HAR_HEX_TO_BYTE);
    CHECK_RC(HSM_RCL_GeneratePVV(0, J_PVK, 0, lmk, "123456789012", NULL), HAR_PARAM_ISNULL);
    /* the HSM's answers: a CVK as the PVK (10), a PIN under LMK of another account (20) */
    CHECK_RC(HSM_RCL_GeneratePVV(0, J_CVK, 0, lmk, "123456789012", pvv), 10);
    CHECK_RC(HSM_RCL_GeneratePVV(0, J_PVK, 0, lmk, "123456789013", pvv), 20);
}

TASS_TEST(ibm_offset_functions, "HSM_RCL_GenerateIBMPinOffset (DE) / _VerifyZonePinBlock_PinOffset (EA): published offset, errors") {
    char lmk[128] = {0}, off[13] = {0};
    CHECK_RC(HSM_RCL_EncryptPin_LMK("14789", L_ACCT, lmk), 0);
    CHECK_RC(HSM_RCL_GenerateIBMPinOffset(0, L_PVK, lmk, 5, L_ACCT, DECTAB, PVD, off), 0);
    CHECK_STR(off, "17702FFFFFFF");
    CHECK_RC(HSM_RCL_VerifyZonePinBlock_PinOffset(0, L_ZPK, 0, L_PVK, L_BLOCK, 5, 5, L_ACCT, DECTAB, PVD, "17702FFFFFFF"), 0);
    CHECK_RC(HSM_RCL_VerifyZonePinBlock_PinOffset(0, L_ZPK, 0, L_PVK, L_BLOCK, 5, 5, L_ACCT, DECTAB, PVD, "17702"), 0);
    CHECK_RC(HSM_RCL_VerifyZonePinBlock_PinOffset(0, L_ZPK, 0, L_PVK, L_BLOCK, 5, 5, L_ACCT, DECTAB, PVD, "17703FFFFFFF"), 1);
    /* errors before sending */
    CHECK_RC(HSM_RCL_GenerateIBMPinOffset(0, L_PVK, lmk, 3, L_ACCT, DECTAB, PVD, off), HAR_PARAM_VALUE);
    CHECK_RC(HSM_RCL_GenerateIBMPinOffset(0, L_PVK, lmk, 5, L_ACCT, "012345678901234", PVD, off), HAR_PARAM_LEN);
    CHECK_RC(HSM_RCL_GenerateIBMPinOffset(0, L_PVK, lmk, 5, L_ACCT, "012345678901234A", PVD, off), HAR_PARAM_VALUE);
    CHECK_RC(HSM_RCL_GenerateIBMPinOffset(0, L_PVK, lmk, 5, L_ACCT, DECTAB, "1234567890AF", off), HAR_PARAM_VALUE);
    CHECK_RC(HSM_RCL_GenerateIBMPinOffset(0, L_PVK, lmk, 5, L_ACCT, DECTAB, "1234567890N", off), HAR_PARAM_LEN);
    CHECK_RC(HSM_RCL_GenerateIBMPinOffset(0, L_PVK, lmk, 5, L_ACCT, DECTAB, PVD, NULL), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RCL_VerifyZonePinBlock_PinOffset(0, L_ZPK, 0, L_PVK, L_BLOCK, 5, 5, L_ACCT, DECTAB, PVD, "1770"), HAR_PARAM_VALUE);
    CHECK_RC(HSM_RCL_VerifyZonePinBlock_PinOffset(0, L_ZPK, 0, L_PVK, L_BLOCK, 5, 5, L_ACCT, DECTAB, PVD, "17702FFFFFF2"), HAR_PARAM_VALUE);
    CHECK_RC(HSM_RCL_VerifyZonePinBlock_PinOffset(0, L_ZPK, 0, L_PVK, "F2B66A1070EADC4", 5, 5, L_ACCT, DECTAB, PVD, "17702"), HAR_PARAM_LEN);
    CHECK_RC(HSM_RCL_VerifyZonePinBlock_PinOffset(0, L_ZPK, 0, L_PVK, L_BLOCK, 2, 5, L_ACCT, DECTAB, PVD, "17702"), HAR_PARAM_VALUE);
    /* the HSM's answers: the PIN is shorter than the check length (24), keys swapped (10, 11) */
    CHECK_RC(HSM_RCL_GenerateIBMPinOffset(0, L_PVK, lmk, 6, L_ACCT, DECTAB, PVD, off), 24);
    CHECK_RC(HSM_RCL_VerifyZonePinBlock_PinOffset(0, L_PVK, 0, L_ZPK, L_BLOCK, 5, 5, L_ACCT, DECTAB, PVD, "17702"), 10);
    CHECK_RC(HSM_RCL_VerifyZonePinBlock_PinOffset(0, L_ZPK, 0, L_ZPK, L_BLOCK, 5, 5, L_ACCT, DECTAB, PVD, "17702"), 11);
}

TASS_TEST(random_pin_function, "HSM_RCL_GenerateRandomPin (JA): a PIN under the LMK that NG opens, errors") {
    char lmk[128] = {0}, pin[128] = {0};
    CHECK_RC(HSM_RCL_GenerateRandomPin(T_ACCT, 6, lmk), 0);
    CHECK_LEN(lmk, 16);
    CHECK(tass_is_upper_hex(lmk));
    CHECK_RC(HSM_RCL_DecryptPin_LMK(g_session, lmk, T_ACCT, pin), 0);
    CHECK_LEN(pin, 6);
    CHECK_RC(HSM_RCL_GenerateRandomPin(T_ACCT, 3, lmk), HAR_PARAM_VALUE);
    CHECK_RC(HSM_RCL_GenerateRandomPin(T_ACCT, 13, lmk), HAR_PARAM_VALUE);
    CHECK_RC(HSM_RCL_GenerateRandomPin("98765432109X", 6, lmk), HAR_PARAM_PAN);
    CHECK_RC(HSM_RCL_GenerateRandomPin(NULL, 6, lmk), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RCL_GenerateRandomPin(T_ACCT, 6, NULL), HAR_PARAM_ISNULL);
}
