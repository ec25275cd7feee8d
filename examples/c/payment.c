/*
 * payment.c - a small payment flow on libcacipher's typed C API.
 *
 *   make && ./app cacipher.ini
 *
 * 1. Keys: generate a zone master key (ZMK) shared with a partner, and two zone PIN keys:
 *    ZPK1 (ours) and ZPK2 (the partner's), and export ZPK1 under the ZMK for the partner.
 * 2. PIN: a customer's PIN block arrives under ZPK1; translate it to ZPK2 for the partner
 *    and check it by translating it back.
 * 3. MAC: protect a message with a retail MAC (ISO 9797-1 algorithm 3) and verify it; a
 *    changed message must fail.
 *
 * Every call returns CACIPHER_OK (0), an HSM error code (1...99) or a library error (< 0);
 * CACipher_LastError() explains the last failure of this thread. Keys are key-field text
 * ("U" + 32 hex: a double-length key under the LMK), outputs use caller buffers sized with
 * the CACIPHER_*_BUFSIZE constants.
 */
#include <cacipher.h>
#include <stdio.h>
#include <string.h>

/* Stops the example with the library's explanation when a call fails. */
#define CHECK(call) do { int rc_ = (call); if (rc_ != CACIPHER_OK) { \
    fprintf(stderr, "%s failed: %s (%d): %s\n", #call, CACipher_ErrorString(rc_), rc_, CACipher_LastError()); \
    CACipher_Finalize(); return 1; } } while (0)

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s cacipher.ini\n", argv[0]); return 2; }

    /* The global instance: the configuration names the HSMs; nothing connects yet. */
    CHECK(CACipher_Init(argv[1]));
    printf("libcacipher %s, %d HSM(s) configured\n", CACipher_Version(), CACipher_HostCount(NULL));

    /* ---- 1. keys ------------------------------------------------------------------ */
    char zmk[CACIPHER_KEY_BUFSIZE], zpk1[CACIPHER_KEY_BUFSIZE], zpk2[CACIPHER_KEY_BUFSIZE];
    char zmkKcv[CACIPHER_KCV_BUFSIZE], zpk1Kcv[CACIPHER_KCV_BUFSIZE], zpk2Kcv[CACIPHER_KCV_BUFSIZE];
    size_t n1 = sizeof zmk, k1 = sizeof zmkKcv;
    CHECK(CACipher_GenerateKey(NULL, CACIPHER_KEY_ZMK, CACIPHER_SCHEME_DOUBLE_VARIANT, NULL, 0, 0, NULL,
                               zmk, &n1, NULL, NULL, zmkKcv, &k1));
    printf("ZMK  %s  KCV %s\n", zmk, zmkKcv);

    size_t n2 = sizeof zpk1, k2 = sizeof zpk1Kcv;
    CHECK(CACipher_GenerateKey(NULL, CACIPHER_KEY_ZPK, CACIPHER_SCHEME_DOUBLE_VARIANT, NULL, 0, 0, NULL,
                               zpk1, &n2, NULL, NULL, zpk1Kcv, &k2));
    printf("ZPK1 %s  KCV %s\n", zpk1, zpk1Kcv);

    /* A8: ZPK1 under the ZMK, as it is sent to the partner; the KCV lets them check it. */
    char zpk1UnderZmk[CACIPHER_KEY_BUFSIZE], exportKcv[CACIPHER_KCV_BUFSIZE];
    size_t n3 = sizeof zpk1UnderZmk, k3 = sizeof exportKcv;
    CHECK(CACipher_ExportKey(NULL, CACIPHER_KEY_ZPK, zmk, zpk1, CACIPHER_SCHEME_DOUBLE_VARIANT,
                             zpk1UnderZmk, &n3, exportKcv, &k3));
    printf("ZPK1 under the ZMK %s  KCV %s\n", zpk1UnderZmk, exportKcv);
    if (strcmp(exportKcv, zpk1Kcv) != 0) { fprintf(stderr, "export changed the key\n"); CACipher_Finalize(); return 1; }

    /* A0 mode 1: ZPK2 generated under the LMK and at once under the ZMK. */
    char zpk2UnderZmk[CACIPHER_KEY_BUFSIZE];
    size_t n4 = sizeof zpk2, z4 = sizeof zpk2UnderZmk, k4 = sizeof zpk2Kcv;
    CHECK(CACipher_GenerateKey(NULL, CACIPHER_KEY_ZPK, CACIPHER_SCHEME_DOUBLE_VARIANT, zmk, 0, 0, NULL,
                               zpk2, &n4, zpk2UnderZmk, &z4, zpk2Kcv, &k4));
    printf("ZPK2 %s  KCV %s\n", zpk2, zpk2Kcv);

    /* ---- 2. PIN ------------------------------------------------------------------- */
    const char *account = "400000123456";   /* 12 rightmost PAN digits without the check digit */
    char pinLmk[CACIPHER_PIN_LMK_BUFSIZE], block1[CACIPHER_PIN_BLOCK_BUFSIZE];
    size_t pl = sizeof pinLmk, b1 = sizeof block1;
    /* For the demo, make the incoming block ourselves: PIN 1234 -> under the LMK -> ISO 0 under ZPK1. */
    CHECK(CACipher_EncryptPIN(NULL, "1234", account, pinLmk, &pl));
    CHECK(CACipher_PINLMKToBlock(NULL, zpk1, CACIPHER_PIN_FORMAT_ISO0, account, pinLmk, block1, &b1));
    printf("PIN block under ZPK1 %s\n", block1);

    /* CC: ZPK1 -> ZPK2 (what a switch does for every PIN transaction). */
    char block2[CACIPHER_PIN_BLOCK_BUFSIZE], back[CACIPHER_PIN_BLOCK_BUFSIZE];
    size_t b2 = sizeof block2, bb = sizeof back;
    int pinLength = 0;
    CHECK(CACipher_TranslatePIN_ZPKtoZPK(NULL, zpk1, zpk2, 12, block1, CACIPHER_PIN_FORMAT_ISO0,
                                         CACIPHER_PIN_FORMAT_ISO0, account, block2, &b2, &pinLength));
    printf("PIN block under ZPK2 %s (%d digits)\n", block2, pinLength);
    CHECK(CACipher_TranslatePIN_ZPKtoZPK(NULL, zpk2, zpk1, 12, block2, CACIPHER_PIN_FORMAT_ISO0,
                                         CACIPHER_PIN_FORMAT_ISO0, account, back, &bb, NULL));
    if (strcmp(back, block1) != 0 || pinLength != 4) {
        fprintf(stderr, "PIN translation does not round-trip\n");
        CACipher_Finalize();
        return 1;
    }
    printf("translated back to ZPK1: same block\n");

    /* ---- 3. MAC ------------------------------------------------------------------- */
    char tak[CACIPHER_KEY_BUFSIZE], takKcv[CACIPHER_KCV_BUFSIZE], mac[CACIPHER_MAC_BUFSIZE];
    size_t tn = sizeof tak, tk = sizeof takKcv, mn = sizeof mac;
    CHECK(CACipher_GenerateKey(NULL, CACIPHER_KEY_TAK, CACIPHER_SCHEME_DOUBLE_VARIANT, NULL, 0, 0, NULL,
                               tak, &tn, NULL, NULL, takKcv, &tk));
    const char *msg = "0200 PAN=4000001234567899 AMOUNT=000000012345 CUR=156";
    CHECK(CACipher_GenerateMAC(NULL, CACIPHER_MAC_ONLY, CACIPHER_MAC_ALG3, CACIPHER_MAC_PAD_METHOD2, CACIPHER_MAC_SIZE_8,
                               CACIPHER_KEY_TAK, tak, NULL, (const unsigned char *)msg, strlen(msg), mac, &mn));
    printf("MAC %s\n", mac);
    CHECK(CACipher_VerifyMAC(NULL, CACIPHER_MAC_ONLY, CACIPHER_MAC_ALG3, CACIPHER_MAC_PAD_METHOD2, CACIPHER_MAC_SIZE_8,
                             CACIPHER_KEY_TAK, tak, NULL, (const unsigned char *)msg, strlen(msg), mac));
    printf("MAC verified\n");
    const char *changed = "0200 PAN=4000001234567899 AMOUNT=000000099999 CUR=156";
    int rc = CACipher_VerifyMAC(NULL, CACIPHER_MAC_ONLY, CACIPHER_MAC_ALG3, CACIPHER_MAC_PAD_METHOD2, CACIPHER_MAC_SIZE_8,
                                CACIPHER_KEY_TAK, tak, NULL, (const unsigned char *)changed, strlen(changed), mac);
    if (rc != CACIPHER_HSM_VERIFICATION_FAILED) {
        fprintf(stderr, "a changed message was not refused (%d)\n", rc);
        CACipher_Finalize();
        return 1;
    }
    printf("changed message refused: %s (%d)\n", CACipher_ErrorString(rc), rc);

    CACipher_Finalize();
    printf("payment flow done\n");
    return 0;
}
