/*
 * main.c - runs the registered conformance tests (harness.h).
 *
 *   conformance CONFIG PORT PORT_HEADER8
 *
 * CONFIG is a vendor CfgTassHsmApi.ini naming 127.0.0.1:PORT. Before initialising, it checks
 * that a session-less call is refused with HAR_NOT_INITIALIZED. Prints one `ok`/`FAIL` line
 * per test and ends with `conformance: N passed, M failed`.
 */
#define _POSIX_C_SOURCE 200809L
#include "harness.h"
#include <stdlib.h>

int g_fail;
void *g_session;
void *g_device;
char g_ip[] = "127.0.0.1";
int g_port;
int g_port_header8;

#define MAX_TESTS 256
static struct { const char *name, *description; void (*fn)(void); } tests[MAX_TESTS];
static int ntests;

void tass_register(const char *name, const char *description, void (*fn)(void)) {
    if (ntests < MAX_TESTS) {
        tests[ntests].name = name;
        tests[ntests].description = description;
        tests[ntests].fn = fn;
        ntests++;
    }
}

int tass_is_upper_hex(const char *s) {
    if (!*s) return 0;
    for (; *s; s++) if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'F'))) return 0;
    return 1;
}

void tass_import_k(const char *type, char *out) {
    char kcv[17] = {0};
    CHECK_RC(Tass_AcceptKey(g_session, 0, T_ZMK, T_K_UNDER_ZMK, (char *)type, 'U', out, kcv), 0);
    CHECK_STR(kcv, T_K_KCV);
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: conformance CONFIG PORT PORT_HEADER8\n"); return 2; }
    g_port = atoi(argv[2]);
    g_port_header8 = atoi(argv[3]);
    int passed = 0, failed = 0;

    /* Before any initialisation a session-less function has no HSM. */
    char kz[50], kcv[17];
    int rc = Tass_ExportKey(0, T_ZMK, KEY_TYPE_ZPK, 0, "U0B7C6F68A38FA3C2CB42C2991576A986", 'X', kz, kcv);
    if (rc == HAR_NOT_INITIALIZED) { passed++; printf("ok - session-less call before initialisation: HAR_NOT_INITIALIZED\n"); }
    else { failed++; printf("FAIL - session-less call before initialisation returned 0x%08X\n", (unsigned)rc); }

    if ((rc = SDF_HsmApiInit(argv[1])) != 0 || (rc = SDF_OpenDevice(&g_device, g_ip, g_port)) != 0
        || (rc = SDF_OpenSession(g_device, &g_session)) != 0) {
        printf("FAIL - initialise, open device and session (0x%08X)\nconformance: %d passed, %d failed\n", (unsigned)rc, passed, failed + 1);
        return 1;
    }
    for (int i = 0; i < ntests; i++) {
        g_fail = 0;
        tests[i].fn();
        if (g_fail) { failed++; printf("FAIL - %s: %s\n", tests[i].name, tests[i].description); }
        else { passed++; printf("ok - %s: %s\n", tests[i].name, tests[i].description); }
    }
    SDF_CloseSession(g_session);
    SDF_CloseDevice(g_device);
    printf("conformance: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
