/*
 * init_variants.c - initialisation in one process per form (the first initialisation of a
 * process wins, so each form needs its own process).
 *
 *   init_variants MODE ARG PORT
 *
 * MODE: file (ARG a CfgTassHsmApi.ini or cacipher.ini naming the evsm: init, then a
 * session-less call must succeed), brace (ARG is a "{...}" string), content (ARG a log
 * directory: Tass_HsmApiInitByContent, twice, then a session-less call), expect-N (ARG a
 * file: SDF_HsmApiInit must return N, given in hex). Prints `ok - ...` or `FAIL - ...` and
 * exits 0 or 1.
 */
#include <hsmapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int session_less_works(void) {
    char cv[17] = {0};
    int rc = HSM_GetDeviceBaseInfo(cv, NULL, NULL);
    if (rc != 0 || strlen(cv) != 16) { printf("FAIL - HSM_GetDeviceBaseInfo after init returned 0x%08X\n", (unsigned)rc); return 0; }
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: init_variants MODE ARG PORT\n"); return 2; }
    const char *mode = argv[1];
    char *arg = argv[2];
    int port = atoi(argv[3]);
    if (strcmp(mode, "file") == 0 || strcmp(mode, "brace") == 0) {
        int rc = SDF_HsmApiInit(arg);
        if (rc != 0) { printf("FAIL - SDF_HsmApiInit (%s) returned 0x%08X\n", mode, (unsigned)rc); return 1; }
        if (!session_less_works()) return 1;
        /* a device of the configured group: served through it */
        void *d = NULL, *s = NULL;
        char r[17];
        if (SDF_OpenDevice(&d, "127.0.0.1", port) != 0 || SDF_OpenSession(d, &s) != 0 || SDF_GenerateRandom(s, 8, r) != 0) {
            printf("FAIL - device after SDF_HsmApiInit (%s)\n", mode); return 1;
        }
        SDF_CloseDevice(d);
        printf("ok - SDF_HsmApiInit with a %s configuration, then a session-less call and a device\n", mode);
        return 0;
    }
    if (strcmp(mode, "content") == 0) {
        int rc;
        if ((rc = Tass_HsmApiInitByContent(NULL, port, 5, arg)) != HAR_PARAM_ISNULL) { printf("FAIL - NULL ip: 0x%08X\n", (unsigned)rc); return 1; }
        if ((rc = Tass_HsmApiInitByContent("127.0.0.1", port, 5, NULL)) != HAR_PARAM_ISNULL) { printf("FAIL - NULL log path: 0x%08X\n", (unsigned)rc); return 1; }
        if ((rc = Tass_HsmApiInitByContent("localhost", port, 5, arg)) != HAR_CFGFILE_VALUE_INVALID) { printf("FAIL - host name: 0x%08X\n", (unsigned)rc); return 1; }
        /* the first names a closed port; the second call replaces it */
        if ((rc = Tass_HsmApiInitByContent("127.0.0.1", 1, 2, arg)) != 0) { printf("FAIL - first call: 0x%08X\n", (unsigned)rc); return 1; }
        char cv[17];
        if ((rc = HSM_GetDeviceBaseInfo(cv, NULL, NULL)) != HAR_SOCK_CONNECT) { printf("FAIL - closed port: 0x%08X\n", (unsigned)rc); return 1; }
        if ((rc = Tass_HsmApiInitByContent("127.0.0.1", port, 5, arg)) != 0) { printf("FAIL - second call: 0x%08X\n", (unsigned)rc); return 1; }
        if (!session_less_works()) return 1;
        printf("ok - Tass_HsmApiInitByContent: NULLs, host names refused, a later call replaces the HSM\n");
        return 0;
    }
    if (strncmp(mode, "expect-", 7) == 0) {
        int want = (int)strtol(mode + 7, NULL, 16);
        int rc = SDF_HsmApiInit(arg);
        if (rc != want) { printf("FAIL - SDF_HsmApiInit returned 0x%08X, expected 0x%08X\n", (unsigned)rc, (unsigned)want); return 1; }
        printf("ok - SDF_HsmApiInit refuses with 0x%08X\n", (unsigned)want);
        return 0;
    }
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
}
