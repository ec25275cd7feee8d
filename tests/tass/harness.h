/*
 * harness.h - the conformance suite of libcacipher-tass (the vendor's C API), written only
 * against include/tass/hsmapi.h, on the C test harness of tests/common/harness.h (CHECK,
 * CHECK_STR, CHECK_LEN, h_run, h_summary). Each test file registers its tests with TASS_TEST; main.c
 * initialises with a vendor CfgTassHsmApi.ini naming one local `evsm --test-lmk` (no
 * message header), opens a device and a session, and runs every registered test.
 *
 * Fixtures (public values, test LMK; the same as tests/typed/typed.c):
 *   ZMK under LMK 04-05 "UE13D662B185F5F3B08594F89F1FF903A" (clear 8A7C04A1CD916464D6B361B05BBF6780);
 *   ZPK import "X7BC09407A015F72FC59C32147D2AAE57" -> "U0B7C6F68A38FA3C2CB42C2991576A986", KCV DA24FF...
 *   (leachbj/hsm-emulator, MIT). K = 0123456789ABCDEFFEDCBA9876543210 under the ZMK (X9.17):
 *   XF7EADC2F5D816B05E754C72C084E2244, KCV 08D7B4FB629D0885; ISO 9564 format 0 block of PIN
 *   1234, account 987654321098, under K: C967C8198151A458 (openssl enc -des-ede-ecb -nopad).
 */
#ifndef TASS_HARNESS_H
#define TASS_HARNESS_H

#include "../common/harness.h"
#include <hsmapi.h>

/* The session every test may use: a device on the local evsm (header length 0). */
extern void *g_session;
extern void *g_device;
/* The evsm address, and a second evsm whose connections carry an 8-byte message header. */
extern char g_ip[];
extern int g_port;
extern int g_port_header8;

void tass_register(const char *name, const char *description, void (*fn)(void));

#define TASS_TEST(fn, description) \
    static void fn(void); \
    __attribute__((constructor)) static void register_##fn(void) { tass_register(#fn, description, fn); } \
    static void fn(void)

/* The vendor's return codes, in hex as its documentation writes them. */
#define CHECK_RC(call, want) do { int rc_ = (call); int want_ = (want); if (rc_ != want_) \
    H_FAIL("%s returned 0x%08X (%d), expected 0x%08X (%d)", #call, (unsigned)rc_, rc_, (unsigned)want_, want_); } while (0)

/* Shared fixtures */
#define T_ZMK        "UE13D662B185F5F3B08594F89F1FF903A"
#define T_K_UNDER_ZMK "XF7EADC2F5D816B05E754C72C084E2244"
#define T_K_KCV      "08D7B4FB629D0885"
#define T_ACCT       "987654321098"
#define T_PINBLOCK   "C967C8198151A458"

/* Imports K as a key of type (KEY_TYPE_*) under the test LMK (scheme U), into out (50 bytes). */
void tass_import_k(const char *type, char *out);
/* Whether every character of s is an upper-case hex digit. */
int tass_is_upper_hex(const char *s);

#endif
