/*
 * main.c - runs the registered conformance tests (harness.h).
 *
 *   conformance CONFIG PORT PORT_HEADER8
 *
 * CONFIG is a vendor CfgTassHsmApi.ini naming 127.0.0.1:PORT. Before initialising, it checks
 * that a session-less call is refused with HAR_NOT_INITIALIZED. Prints one `ok`/`FAIL` line
 * per test and ends with `conformance: N passed, M failed` (tests/common/harness.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "harness.h"
#include <stdlib.h>

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

    /* Before any initialisation a session-less function has no HSM. */
    char kz[50], kcv[17];
    int rc = Tass_ExportKey(0, T_ZMK, KEY_TYPE_ZPK, 0, "U0B7C6F68A38FA3C2CB42C2991576A986", 'X', kz, kcv);
    CHECK_TEST(rc == HAR_NOT_INITIALIZED, "session-less call before initialisation: HAR_NOT_INITIALIZED (0x%08X)", (unsigned)rc);

    if ((rc = SDF_HsmApiInit(argv[1])) != 0 || (rc = SDF_OpenDevice(&g_device, g_ip, g_port)) != 0
        || (rc = SDF_OpenSession(g_device, &g_session)) != 0)
        return h_abort("conformance", "initialise, open device and session (0x%08X)", (unsigned)rc);
    for (int i = 0; i < ntests; i++) {
        char name[512];
        snprintf(name, sizeof name, "%s: %s", tests[i].name, tests[i].description);
        h_run(name, tests[i].fn);
    }
    SDF_CloseSession(g_session);
    SDF_CloseDevice(g_device);
    return h_summary("conformance");
}
