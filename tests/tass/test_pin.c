/* test_pin.c - JE, NG, BA, JG, TI through the Tass_* and HSM_RCL_* PIN functions. */
#include "harness.h"

TASS_TEST(decrypt_encrypt_pin, "Tass_Decrypt_PIN (JE+NG) and Tass_EncryptPIN (BA+JG): ISO 0 known answer, PAN forms, errors") {
    char zpk[50] = {0}, pin[128] = {0}, blk[33] = {0};
    tass_import_k(KEY_TYPE_ZPK, zpk);
    CHECK_RC(Tass_Decrypt_PIN(g_session, 0, zpk, T_PINBLOCK, 1, T_ACCT, pin), 0);
    CHECK_STR(pin, "1234");
    memset(pin, 0, sizeof pin);
    CHECK_RC(Tass_DecryptPIN(g_session, 0, zpk, "c967c8198151a458", 1, "987654321098123456", pin), 0);
    CHECK_STR(pin, "1234");
    CHECK_RC(Tass_EncryptPIN(g_session, 0, zpk, "1234", 1, T_ACCT, blk), 0);
    CHECK_STR(blk, T_PINBLOCK);
    /* 4...12 digits round-trip */
    CHECK_RC(Tass_EncryptPIN(g_session, 0, zpk, "123456789012", 1, T_ACCT, blk), 0);
    CHECK_RC(Tass_Decrypt_PIN(g_session, 0, zpk, blk, 1, T_ACCT, pin), 0);
    CHECK_STR(pin, "123456789012");
    /* errors */
    CHECK_RC(Tass_Decrypt_PIN(g_session, 0, zpk, T_PINBLOCK, 1, "98765432109", pin), HAR_PARAM_LEN);
    CHECK_RC(Tass_Decrypt_PIN(g_session, 0, zpk, T_PINBLOCK, 1, "98765432109A", pin), HAR_PARAM_PAN);
    CHECK_RC(Tass_Decrypt_PIN(g_session, 0, zpk, "C967C8198151A45", 1, T_ACCT, pin), HAR_PARAM_LEN);
    CHECK_RC(Tass_Decrypt_PIN(g_session, 0, zpk, "C967C8198151A45Z", 1, T_ACCT, pin), HAR_HEX_TO_BYTE);
    CHECK_RC(Tass_Decrypt_PIN(g_session, 0, zpk, NULL, 1, T_ACCT, pin), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_Decrypt_PIN(g_session, 0, zpk, T_PINBLOCK, 2, T_ACCT, pin), HAR_PARAM_VALUE);
    CHECK_RC(Tass_Decrypt_PIN(g_session, 0, zpk, T_PINBLOCK, 1, T_ACCT, NULL), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_EncryptPIN(g_session, 0, zpk, "123", 1, T_ACCT, blk), HAR_PARAM_VALUE);
    CHECK_RC(Tass_EncryptPIN(g_session, 0, zpk, "12a4", 1, T_ACCT, blk), HAR_PARAM_VALUE);
    CHECK_RC(Tass_EncryptPIN(g_session, 0, zpk, "1234567890123", 1, T_ACCT, blk), HAR_PARAM_VALUE);
    CHECK_RC(Tass_EncryptPIN(g_session, 0, zpk, "1234", 1, "1234", blk), HAR_PARAM_LEN);
    /* a TAK offered as the ZPK: the HSM's key parity error 10 */
    char tak[50] = {0};
    tass_import_k(KEY_TYPE_TAK, tak);
    CHECK_RC(Tass_Decrypt_PIN(g_session, 0, tak, T_PINBLOCK, 1, T_ACCT, pin), 10);
}

TASS_TEST(translate_pin, "Tass_TranslatePin / HSM_RCL_TransferCipherPin_Zpk2Zpk (TI): published CC result, same-key identity, errors") {
    char out[33] = {0}, zpk[50] = {0};
    /* [LB] ISO 1 -> ISO 0 between a triple and a double ZPK */
    CHECK_RC(Tass_TranslatePin(0, "T971803BA969012152827CC97A98D18D50BE6559CDFF6F7E1", 0, "U247078713614BE11F819054C5FFB08FF",
                               "000001000376", "000001000376", 5, 1, "F2B66A1070EADC47", out), 0);
    CHECK_STR(out, "DBEEBF06C9ED0A48");
    tass_import_k(KEY_TYPE_ZPK, zpk);
    memset(out, 0, sizeof out);
    CHECK_RC(HSM_RCL_TransferCipherPin_Zpk2Zpk(0, zpk, 0, zpk, 1, 1, T_ACCT, T_ACCT, T_PINBLOCK, out), 0);
    CHECK_STR(out, T_PINBLOCK);
    CHECK_RC(Tass_TranslatePin(0, zpk, 0, zpk, T_ACCT, "12345", 1, 1, T_PINBLOCK, out), HAR_PARAM_LEN);
    CHECK_RC(Tass_TranslatePin(0, zpk, 0, zpk, T_ACCT, T_ACCT, 1, 1, T_PINBLOCK, NULL), HAR_PARAM_ISNULL);
    CHECK_RC(Tass_TranslatePin(0, zpk, 0, "U1234", T_ACCT, T_ACCT, 1, 1, T_PINBLOCK, out), HAR_PARAM_KEY_CIPHER);
}

TASS_TEST(rcl_pin_functions, "HSM_RCL_EncryptPin_LMK (BA), _DecryptPin_LMK (NG), _Lmk2Zpk (JG), _Zpk2Lmk (JE): round trips, errors") {
    char lmk[128] = {0}, lmk2[128] = {0}, pin[128] = {0}, blk[33] = {0}, zpk[50] = {0};
    tass_import_k(KEY_TYPE_ZPK, zpk);
    CHECK_RC(HSM_RCL_EncryptPin_LMK("1234", T_ACCT, lmk), 0);
    CHECK_LEN(lmk, 16);
    CHECK(tass_is_upper_hex(lmk));
    CHECK_RC(HSM_RCL_DecryptPin_LMK(g_session, lmk, T_ACCT, pin), 0);
    CHECK_STR(pin, "1234");
    CHECK_RC(HSM_RCL_TransferCipherPin_Lmk2Zpk(g_session, 0, zpk, 1, T_ACCT, lmk, blk), 0);
    CHECK_STR(blk, T_PINBLOCK);
    CHECK_RC(HSM_RCL_TransferCipherPin_Zpk2Lmk(g_session, 0, zpk, 1, T_ACCT, T_PINBLOCK, lmk2), 0);
    CHECK_STR(lmk2, lmk);
    /* another account does not decrypt: the HSM's PIN block error 20 */
    CHECK_RC(HSM_RCL_DecryptPin_LMK(g_session, lmk, "000000000001", pin), 20);
    CHECK_RC(HSM_RCL_EncryptPin_LMK(NULL, T_ACCT, lmk), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_RCL_EncryptPin_LMK("1234", "98765432109X", lmk), HAR_PARAM_PAN);
    CHECK_RC(HSM_RCL_DecryptPin_LMK(g_session, "C967C8198151A45Z", T_ACCT, pin), HAR_HEX_TO_BYTE);
    CHECK_RC(HSM_RCL_DecryptPin_LMK(NULL, lmk, T_ACCT, pin), HAR_SESSIONHANDLE_INVALID);
}
