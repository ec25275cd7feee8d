/* test_device.c - CR, NC, 3C: SDF_GenerateRandom, HSM_GenerateRandomData, HSM_GetDeviceBaseInfo,
   HSM_CalculateHash (SM3 GB/T 32905-2016 example 1; SHA-256 FIPS 180-2 "abc"). */
#include "harness.h"

TASS_TEST(random, "SDF_GenerateRandom (and Tass_GenerateRandom, Tass_GenRandData) / HSM_GenerateRandomData: hex, lengths, errors") {
    char a[4097] = {0}, b[4097] = {0};
    CHECK_RC(SDF_GenerateRandom(g_session, 8, a), 0);
    CHECK_LEN(a, 16);
    CHECK(tass_is_upper_hex(a));
    CHECK_RC(SDF_GenerateRandom(g_session, 8, b), 0);
    CHECK(strcmp(a, b) != 0);
    CHECK_RC(SDF_GenerateRandom(g_session, 2048, a), 0);
    CHECK_LEN(a, 4096);
    CHECK_RC(SDF_GenerateRandom(g_session, 0, a), 0);
    CHECK_LEN(a, 0);
    CHECK_RC(Tass_GenerateRandom(g_session, 4, a), 0);
    CHECK_LEN(a, 8);
    CHECK_RC(Tass_GenRandData(g_session, 5, a), 0);
    CHECK_LEN(a, 10);
    CHECK_RC(SDF_GenerateRandom(g_session, 2049, a), HAR_PARAM_VALUE);
    CHECK_RC(SDF_GenerateRandom(g_session, -1, a), HAR_PARAM_VALUE);
    CHECK_RC(SDF_GenerateRandom(g_session, 8, NULL), HAR_PARAM_ISNULL);
    CHECK_RC(SDF_GenerateRandom(NULL, 8, a), HAR_SESSIONHANDLE_INVALID);
    unsigned char r[32] = {0}, zero[32] = {0};
    CHECK_RC(HSM_GenerateRandomData(g_session, 32, r), 0);
    CHECK(memcmp(r, zero, 32) != 0);
    /* the vendor checks only the upper bound: 0 bytes is a success that writes nothing */
    memcpy(r, zero, sizeof r);
    CHECK_RC(HSM_GenerateRandomData(g_session, 0, r), 0);
    CHECK(memcmp(r, zero, 32) == 0);
    CHECK_RC(HSM_GenerateRandomData(NULL, 0, r), HAR_SESSIONHANDLE_INVALID);
    CHECK_RC(HSM_GenerateRandomData(g_session, -1, r), HAR_PARAM_LEN);
    CHECK_RC(HSM_GenerateRandomData(g_session, 2049, r), HAR_PARAM_LEN);
    CHECK_RC(HSM_GenerateRandomData(g_session, 8, NULL), HAR_PARAM_ISNULL);
}

TASS_TEST(device_info, "HSM_GetDeviceBaseInfo (NC): 16H check value, version, serial; NULL outputs skipped") {
    char cv[17] = {0}, ver[25] = {0}, ser[13] = {0};
    CHECK_RC(HSM_GetDeviceBaseInfo(cv, ver, ser), 0);
    CHECK_LEN(cv, 16);
    CHECK(tass_is_upper_hex(cv));
    CHECK(strlen(ver) > 0 && strlen(ver) <= 24);
    CHECK(strlen(ser) > 0 && strlen(ser) <= 12);
    char cv2[17] = {0};
    CHECK_RC(HSM_GetDeviceBaseInfo(cv2, NULL, NULL), 0);
    CHECK_STR(cv2, cv);
    CHECK_RC(HSM_GetDeviceBaseInfo(NULL, NULL, NULL), 0);
}

static void hex(const unsigned char *b, int n, char *out) {
    for (int i = 0; i < n; i++) sprintf(out + 2 * i, "%02X", b[i]);
    out[2 * n] = 0;
}

TASS_TEST(hash, "HSM_CalculateHash (3C): SM3 and SHA-256 known answers, lengths, errors") {
    unsigned char h[64];
    char hx[129];
    int n = 0;
    CHECK_RC(HSM_CalculateHash(HASH_MODE_SM3, (unsigned char *)"abc", 3, NULL, 0, NULL, 0, h, &n), 0);
    CHECK(n == 32);
    hex(h, n, hx);
    CHECK_STR(hx, "66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0");
    CHECK_RC(HSM_CalculateHash(HASH_MODE_SHA256, (unsigned char *)"abc", 3, NULL, 0, NULL, 0, h, &n), 0);
    hex(h, n, hx);
    CHECK_STR(hx, "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
    static unsigned char big[4097];
    CHECK_RC(HSM_CalculateHash(HASH_MODE_SHA256, big, 4097, NULL, 0, NULL, 0, h, &n), HAR_PARAM_LEN);
    CHECK_RC(HSM_CalculateHash(HASH_MODE_SHA256, big, -1, NULL, 0, NULL, 0, h, &n), HAR_PARAM_LEN);
    CHECK_RC(HSM_CalculateHash(HASH_MODE_SHA256, NULL, 3, NULL, 0, NULL, 0, h, &n), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_CalculateHash(9, big, 3, NULL, 0, NULL, 0, h, &n), HAR_PARAM_VALUE);
    CHECK_RC(HSM_CalculateHash(HASH_MODE_SHA256, big, 3, NULL, 0, NULL, 0, NULL, &n), HAR_PARAM_ISNULL);
    CHECK_RC(HSM_CalculateHash(HASH_MODE_SM3, big, 3, (unsigned char *)"1234567812345678", 16, big, 10, h, &n), HAR_DER_DECODE);
}
