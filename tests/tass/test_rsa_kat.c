/* test_rsa_kat.c - known answers of the HSM_RSA_* and RSA Tass_* functions with a fixed key.
 *
 * The key: the RSA-1024 fixture of Tests/TestSupport/RSAFixture.swift; tests/common/rsa_fixture.h (made with
 * `openssl genrsa 1024`), imported with HSM_RSA_ImportByTk from its CRT components under the
 * harness ZMK (clear 8A7C04A1CD916464D6B361B05BBF6780; each component left-padded with zero
 * bytes to whole 8-byte blocks and encrypted with `openssl enc -des-ede-ecb -nopad -K <ZMK>`).
 * Every expected value was made by the openssl command line (OpenSSL 3.0) from that key:
 *   SHA-1 / SHA-256 PKCS#1 v1.5 signatures of "abc":  openssl dgst -sha1|-sha256 -sign k.pem
 *   SM3 signature of "abc": openssl pkeyutl -sign over DigestInfo(SM3 OID, SM3("abc"))
 *   PSS (SHA-256, salt 32) of "abc": openssl pkeyutl -sign -pkeyopt rsa_padding_mode:pss ...
 *   PKCS#1 v1.5 and OAEP ciphertexts of "secret-data-0123": openssl pkeyutl -encrypt -pubin
 *   raw (no padding) encryption of RAW_BLOCK: openssl pkeyutl -encrypt -pkeyopt rsa_padding_mode:none
 * PKCS#1 v1.5 signatures and raw encryption are deterministic: compared byte for byte; the
 * randomised ones (PSS, the ciphertexts) are verified / decrypted. */
#include "harness.h"
#include "../common/rsa_fixture.h"
#include <stdlib.h>

static const char *FX_D_ZMK =
    "191EFB028ACE27516BE8F83B19AEB5A441AA2512C36E5B566FBA55B17423B8753C56E60ABCD2BBFAAA0F4C39359FC92786CD"
    "0F842AE08287872AB7BBB433707945405E2E734CAADB74D65B1C6BF9F4E1AD302604E254AEA6576D0BD6AF58E765B652818B"
    "06C1FFCC7DDFA764E4AD1E72B012E653EDA22BBE9D156595E359B652";
static const char *FX_P_ZMK =
    "3EE446BAC0D78BC69356B67A493510BBEAD85AECD6E7992D47D0D65D79445B786D31717A0A9E20EE1FF94184F3E7013F8C70"
    "BC0028EE96C46D46CB6C106F926D";
static const char *FX_Q_ZMK =
    "E7A235CFF81F49C25A9580650861133A31AD95FE1822CBE3F8FE98FD60CEA6AF1E7A5F018E923516186146C43087345AAA3E"
    "329FA049D9A2BC9BEC9C3AACF8C4";
static const char *FX_DP_ZMK =
    "CD648FC1658FF2BEC86064AA3F6B0DC7D7EA133C41D22BF81D53F5B4F9262EDCFAB11DC3A2864168200913EB32548D872788"
    "4DBA8DD4B945A16409D78BC6E8BA";
static const char *FX_DQ_ZMK =
    "9CCB2E1585A9578B9DB89C99C841272A6C696BBEC6337E71C7DAF4CA9C483453B5F0680E01D2F5409845E5D41F9460E53CAD"
    "26BFF01B702C132A1A0D0D4064BD";
static const char *FX_QINV_ZMK =
    "EA4827A485550720963C9392F5318E2D3EBA797645C985FB9FA53FC34B81477AD8BCD47CEECF8DCBF3E1DDEEA1F0B21FD554"
    "5548D91AC4C59953EDDE1A915482";
static const char *FX_SIG_SHA1 =
    "55F9C8796B5065CCFBC6744EBD4D769BF0D562CCE953051E8F4D22493515057AA85EC124F539812A00226CB2E899FA3FB268"
    "C669FE2B9AC6A7F647FE23308BC71EBE1E086C6A0651B295A728BBE64AFEF943ABD1B7A9D665C5A9F9E5E7094318806C3ACD"
    "622A73CD811664F6F746E86CA014FA987DCF98DBA9EC90DF139FCB0C";
static const char *FX_PSS_SHA256 =
    "5D53FA568EB2D88B0970BC16279A0880DE2F39A355F05C6C9B29CAA0FB0692A602E6BFC7116856E9D3B683B0569677B06F46"
    "9FF8E88070BD0EEBEEB2E8CC061758D5D479DDD8979FE1B9EBA49E31B48C3A67BB56660FA31FCDB6ABD49594BA25891D22BB"
    "837A0A797CD4536EBE9BBCA341D1FF65AAC5DA7BC7496E19967C3530";
static const char *FX_PKCS1_CIPHER =
    "21CABB30995562B11E317E0DCA46EBD192E128D3350ADD949EFF0D967919A7F3606AB48C428D90E2D4855B55479F3AD1AD2A"
    "210BDD693C542575C171B19E9C760292D7EC9885A02262092B3BFE71FAF7C9D765A66B3D914F7161CCA9E0703AAE1A1717AB"
    "3B0AC8941ECD014565A379B841E25FB5D575B26EE2DA077F89FCDD74";
static const char *FX_OAEP_CIPHER =
    "7A5E635E0DE41C7B65D40539963A157010C26AF48C176877C85B5D8A9BDA27A0A29F1233CCB022D349C6E25955A3C786EC9B"
    "6A26C8BEB9869B43109CA2EBCD6D853A281FD0A9A2D46A9CE2F022BB21232EF9EDBBE5BCDD227A97B3149E1BD861C805A250"
    "62277CD3FB7C5BE8E4A2987CDF645CCD257657F5CF5899E7E3E4FA2C";
static const char *FX_RAW_BLOCK =
    "000B30557A9FC4E90E33587DA2C7EC11365B80A5CAEF14395E83A8CDF2173C6186ABD0F51A3F6489AED3F81D42678CB1D6FB"
    "20456A8FB4D9FE23486D92B7DC01264B7095BADF04294E7398BDE2072C51769BC0E50A2F54799EC3E80D32577CA1C6EB1035"
    "5A7FA4C9EE13385D82A7CCF1163B6085AACFF4193E6388ADD2F71C41";
static const char *FX_RAW_CIPHER =
    "05336D395F9137BE8885240FCF76D7D66B7F6813494124492B09CC19DF29392640D8162DFE971476D3C0E9AF04C76DF316BB"
    "D20DA115D14BF10EC1A7981960EE3A90676F7133A185EDC21B14C986FAFF7ADDE1C412FAABC7367BF16C95219E583E8CD82B"
    "247E0DBB4E18575623D06C6D58F503940280BB9993CD8CA8D1AB44A5";
static const char *FX_N =
    "A47D7C96222FBC2C99FBDF0329B765980AA19D65AE97EFEEACACD6CF298E96078C7012E973D7CD00AA43818FF39EE8924828"
    "6AE842721546217D0DC31D8DE1AC21F9F2E92041488DE598C72E5D028F2D885FE7C2A376C015863315BC9EF0F49A60185D93"
    "E5C0DAFAD960668047F613B23050AEF73F56FB7185787E8481A26BF5";


static void kat_hex(const unsigned char *b, int n, char *out) {
    for (int i = 0; i < n; i++) sprintf(out + 2 * i, "%02X", b[i]);
    out[2 * n] = 0;
}

/* The fixture key imported under the ZMK: its blob under the LMK into blob (*bl), and stored
 * at index (0: not stored). */
static int kat_import(int index, unsigned char *blob, int *bl) {
    static unsigned char pub[300], c[6][300];
    const char *h[6] = {FX_D_ZMK, FX_P_ZMK, FX_Q_ZMK, FX_DP_ZMK, FX_DQ_ZMK, FX_QINV_ZMK};
    int cl[6];
    int pl = h_unhex(RSA_FX_PUB, pub);
    for (int i = 0; i < 6; i++) cl[i] = h_unhex(h[i], c[i]);
    return HSM_RSA_ImportByTk(0, KEY_TYPE_KEKZMK, 0, T_ZMK, 0, "", index, (unsigned char *)(index ? "rsa-kat" : ""), index ? 7 : 0,
                              pub, pl, c[0], cl[0], c[1], cl[1], c[2], cl[2], c[3], cl[3], c[4], cl[4], c[5], cl[5], blob, bl);
}

TASS_TEST(rsa_kat_signatures, "HSM_RSA_GenerateSignature with an imported fixed key: SHA-1, SHA-256, SM3 PKCS#1 v1.5 signatures equal openssl's; its PSS verifies") {
    static unsigned char blob[3000], sig[512], want[512], pub[300];
    int bl = 0, sl = 0;
    CHECK_RC(kat_import(0, blob, &bl), 0);
    CHECK(bl > 600);
    int pl = h_unhex(RSA_FX_PUB, pub);
    struct { int hash; const char *want; } k[] = {{HASH_MODE_SHA1, FX_SIG_SHA1}, {HASH_MODE_SHA256, RSA_FX_SIG_SHA256}, {HASH_MODE_SM3, RSA_FX_SIG_SM3}};
    for (int i = 0; i < 3; i++) {
        sl = 0;
        CHECK_RC(HSM_RSA_GenerateSignature(k[i].hash, PADDING_MODE_ASYM_PKCS1V1_5, 0, blob, bl, (unsigned char *)"abc", 3, sig, &sl), 0);
        int wl = h_unhex(k[i].want, want);
        CHECK(sl == 128 && wl == 128 && memcmp(sig, want, 128) == 0);
    }
    /* stored at an index, the same signature */
    static unsigned char blob2[3000];
    int bl2 = 0;
    CHECK_RC(kat_import(240, blob2, &bl2), 0);
    sl = 0;
    CHECK_RC(HSM_RSA_GenerateSignature(HASH_MODE_SHA256, PADDING_MODE_ASYM_PKCS1V1_5, 240, NULL, 0, (unsigned char *)"abc", 3, sig, &sl), 0);
    h_unhex(RSA_FX_SIG_SHA256, want);
    CHECK(sl == 128 && memcmp(sig, want, 128) == 0);
    /* openssl's PSS signature verifies with the public key and with the stored pair */
    int wl = h_unhex(FX_PSS_SHA256, want);
    CHECK_RC(HSM_RSA_VerifySignature(HASH_MODE_SHA256, 2, 0, pub, pl, (unsigned char *)"abc", 3, want, wl), 0);
    CHECK_RC(HSM_RSA_VerifySignature(HASH_MODE_SHA256, 2, 240, NULL, 0, (unsigned char *)"abc", 3, want, wl), 0);
    CHECK_RC(HSM_RSA_VerifySignature(HASH_MODE_SHA256, 2, 0, pub, pl, (unsigned char *)"abd", 3, want, wl), 1);
    /* the HSM's own PSS signature (randomised) verifies, and is not the PKCS#1 one */
    sl = 0;
    CHECK_RC(HSM_RSA_GenerateSignature(HASH_MODE_SHA256, 2, 240, NULL, 0, (unsigned char *)"abc", 3, sig, &sl), 0);
    CHECK(sl == 128 && memcmp(sig, want, 128) != 0);
    CHECK_RC(HSM_RSA_VerifySignature(HASH_MODE_SHA256, 2, 0, pub, pl, (unsigned char *)"abc", 3, sig, sl), 0);
    /* the public key of the stored pair is the fixture's */
    static unsigned char back[300];
    int backl = 0;
    CHECK_RC(HSM_RSA_GetPublicKey(240, back, &backl), 0);
    CHECK(backl == pl && memcmp(back, pub, (size_t)pl) == 0);
}

TASS_TEST(rsa_kat_encryption, "HSM_RSA_DecryptData / EncryptData, Tass_PubKey_Oper / Tass_PRIVATE_Oper with the fixed key: openssl's PKCS#1, OAEP and raw values") {
    static unsigned char blob[3000], c[512], p[512], want[512], pub[300];
    int bl = 0, cl = 0, ol = 0;
    CHECK_RC(kat_import(0, blob, &bl), 0);
    int pl = h_unhex(RSA_FX_PUB, pub);
    cl = h_unhex(FX_PKCS1_CIPHER, c);
    CHECK_RC(HSM_RSA_DecryptData(g_session, PADDING_MODE_ASYM_PKCS1V1_5, 0, blob, bl, c, cl, p, &ol), 0);
    CHECK(ol == 16 && memcmp(p, "secret-data-0123", 16) == 0);
    cl = h_unhex(FX_OAEP_CIPHER, c);
    ol = 0;
    CHECK_RC(HSM_RSA_DecryptData(g_session, 2, 0, blob, bl, c, cl, p, &ol), 0);
    CHECK(ol == 16 && memcmp(p, "secret-data-0123", 16) == 0);
    /* a ciphertext of another key's padding does not decode: the HSM's 15, no plaintext */
    cl = h_unhex(FX_OAEP_CIPHER, c);
    ol = 0;
    CHECK_RC(HSM_RSA_DecryptData(g_session, PADDING_MODE_ASYM_PKCS1V1_5, 0, blob, bl, c, cl, p, &ol), 15);
    /* raw RSA is deterministic: the same block as openssl, both ways */
    static unsigned char block[200];
    int kl = h_unhex(FX_RAW_BLOCK, block);
    cl = 0;
    CHECK_RC(HSM_RSA_EncryptData(g_session, PADDING_MODE_ASYM_NOPAD, 0, pub, pl, block, kl, c, &cl), 0);
    int wl = h_unhex(FX_RAW_CIPHER, want);
    CHECK(cl == 128 && wl == 128 && memcmp(c, want, 128) == 0);
    ol = 0;
    CHECK_RC(HSM_RSA_DecryptData(g_session, PADDING_MODE_ASYM_NOPAD, 0, blob, bl, want, wl, p, &ol), 0);
    CHECK(ol == 128 && memcmp(p, block, 128) == 0);
    /* the Tass_* hex forms: Tass_PubKey_Oper (e, n) and Tass_PRIVATE_Oper (the blob as hex) */
    static char out[600], back[600], lmk[6000];
    CHECK_RC(Tass_PubKey_Oper(g_session, 0, (char *)FX_RAW_BLOCK, "010001", (char *)FX_N, NULL, out), 0);
    CHECK_STR(out, FX_RAW_CIPHER);
    kat_hex(blob, bl, lmk);
    CHECK_RC(Tass_PRIVATE_Oper(g_session, 0, lmk, NULL, (char *)FX_RAW_CIPHER, back), 0);
    CHECK_STR(back, FX_RAW_BLOCK);
}

TASS_TEST(rsa_kat_refusals, "HSM_RSA_* with the fixed key: an SM2 blob and a symmetric key as the RSA key (10), an SM2 index (27), data over the modulus (80), bad DER, hash ids") {
    static unsigned char blob[3000], sig[512], pub[300], c[512], p[512], big[200];
    int bl = 0, sl = 0, cl = 0, ol = 0;
    CHECK_RC(kat_import(0, blob, &bl), 0);
    int pl = h_unhex(RSA_FX_PUB, pub);
    /* an SM2 private key blob (under the LMK, HSM_SM2_GenerateNewKeyPair's) passed as the RSA
     * key; the pair is also stored at 241 */
    static unsigned char spki[200], sblob[2100];
    int spl = 0, sbl = 0;
    CHECK_RC(HSM_SM2_GenerateNewKeyPair(g_session, 241, "kat-sm2", spki, &spl, sblob, &sbl), 0);
    CHECK(spl > 0 && sbl > 0);
    CHECK_RC(HSM_RSA_GenerateSignature(HASH_MODE_SHA256, 1, 0, sblob, sbl, (unsigned char *)"abc", 3, sig, &sl), 10);
    CHECK_RC(HSM_RSA_DecryptData(g_session, 1, 0, sblob, sbl, c, 128, p, &ol), 10);
    /* a symmetric key (the ZMK's LMK form as bytes) as the RSA key */
    static unsigned char zmk[16];
    h_unhex(T_ZMK + 1, zmk);
    CHECK_RC(HSM_RSA_GenerateSignature(HASH_MODE_SHA256, 1, 0, zmk, 16, (unsigned char *)"abc", 3, sig, &sl), 10);
    /* the same key as a blob of another device (another DMK): 10 */
    static unsigned char other[3000];
    int ol2 = h_unhex(RSA_FX_FOREIGN_BLOB, other);
    CHECK(ol2 > 600);
    CHECK_RC(HSM_RSA_GenerateSignature(HASH_MODE_SHA256, 1, 0, other, ol2, (unsigned char *)"abc", 3, sig, &sl), 10);
    CHECK_RC(HSM_RSA_DecryptData(g_session, 1, 0, other, ol2, c, 128, p, &ol), 10);
    /* our own blob with its authenticator altered: 10 */
    memcpy(other, blob, (size_t)bl);
    for (int i = bl - 32; i < bl; i++) other[i] ^= 0x5A;
    CHECK_RC(HSM_RSA_GenerateSignature(HASH_MODE_SHA256, 1, 0, other, bl, (unsigned char *)"abc", 3, sig, &sl), 10);
    /* the SM2 pair stored at an index used as an RSA key: 27 */
    CHECK_RC(HSM_RSA_GenerateSignature(HASH_MODE_SHA256, 1, 241, NULL, 0, (unsigned char *)"abc", 3, sig, &sl), 27);
    /* data over the modulus and padding limit (1024 bits: PKCS#1 117, OAEP 86): the HSM's 80 */
    memset(big, 0x41, sizeof big);
    CHECK_RC(HSM_RSA_EncryptData(g_session, 1, 0, pub, pl, big, 117, c, &cl), 0);
    CHECK_RC(HSM_RSA_EncryptData(g_session, 1, 0, pub, pl, big, 118, c, &cl), 80);
    CHECK_RC(HSM_RSA_EncryptData(g_session, 2, 0, pub, pl, big, 86, c, &cl), 0);
    CHECK_RC(HSM_RSA_EncryptData(g_session, 2, 0, pub, pl, big, 87, c, &cl), 80);
    CHECK_RC(Tass_PubKey_Oper(g_session, 0, (char *)FX_N, "010001", (char *)FX_N, NULL, (char *)c), 15);  /* n itself is not below n */
    /* bad DER: a truncated key, an SM2 SubjectPublicKeyInfo */
    CHECK_RC(HSM_RSA_VerifySignature(HASH_MODE_SHA256, 1, 0, pub, pl - 3, (unsigned char *)"abc", 3, sig, 128), HAR_DER_DECODE);
    int rc = HSM_RSA_VerifySignature(HASH_MODE_SHA256, 1, 0, spki, spl, (unsigned char *)"abc", 3, sig, 128);
    CHECK(rc == HAR_DER_DECODE || rc == 15);
    /* hash ids the HSM does not have */
    CHECK_RC(HSM_RSA_GenerateSignature(3, 1, 0, blob, bl, (unsigned char *)"abc", 3, sig, &sl), HAR_PARAM_VALUE);
    CHECK_RC(HSM_RSA_VerifySignature(99, 1, 0, pub, pl, (unsigned char *)"abc", 3, sig, 128), HAR_PARAM_VALUE);
    /* SM3 with PSS: the HSM refuses (15) */
    CHECK_RC(HSM_RSA_GenerateSignature(HASH_MODE_SM3, 2, 0, blob, bl, (unsigned char *)"abc", 3, sig, &sl), 15);
}
