/*
 * quorum.c - one fresh client process of the "quorum" scenario of `make bench`
 * (bench/quorum.sh, issue 15 goal "DMK: 0 of 100 fresh client processes send anything to the
 * odd member"): what a new user's program does with a group whose configuration pins no
 * [GROUP] dmkCheckValue.
 *
 *   quorum CONFIG CALLS
 *
 * Initialises the global instance, sends CALLS x CC (the known-answer translation of
 * common.h, test LMK; a member with another LMK/DMK could not answer it correctly) and
 * checks every reply. Prints one JSON line: ok, failed, the first error message, and per
 * member its state and replies (CACipher_HostStatus). Exit 0 whatever the calls did (the
 * script counts), 1 when the library cannot start.
 */
#include "common.h"
#include <cacipher.h>

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: quorum CONFIG CALLS\n"); return 2; }
    int calls = atoi(argv[2]);
    if (calls < 1 || calls > 1000) { fprintf(stderr, "quorum: bad CALLS\n"); return 2; }
    const char *req, *rsp;
    bench_command("CC", &req, &rsp);
    int rc = CACipher_Init(argv[1]);
    if (rc != CACIPHER_OK) { fprintf(stderr, "quorum: %s: %s\n", CACipher_ErrorString(rc), CACipher_LastError()); return 1; }
    int ok = 0, failed = 0;
    char first[200] = "";
    size_t plen = strlen(rsp);
    for (int i = 0; i < calls; i++) {
        unsigned char reply[512];
        size_t n = sizeof reply;
        rc = CACipher_Transmit(NULL, (const unsigned char *)req, strlen(req), reply, &n);
        if (rc == CACIPHER_OK && n == plen && memcmp(reply, rsp, plen) == 0) { ok++; continue; }
        failed++;
        if (!first[0]) snprintf(first, sizeof first, "%s", rc == CACIPHER_OK ? "reply differs from the known answer" : CACipher_LastError());
    }
    for (char *p = first; *p; p++) if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20) *p = ' ';
    printf("{\"ok\": %d, \"failed\": %d, \"firstError\": \"%s\", \"members\": [", ok, failed, first);
    int members = CACipher_HostCount(NULL);
    for (int i = 0; i < members; i++) {
        cacipher_host_status st;
        memset(&st, 0, sizeof st);
        if (CACipher_HostStatus(NULL, i, &st) != CACIPHER_OK) st.state = -1;
        printf("%s{\"state\": %d, \"replies\": %lld, \"dmk\": \"%s\"}", i ? ", " : "", st.state, st.completed, st.dmkCheckValue);
    }
    printf("]}\n");
    CACipher_Finalize();
    return 0;
}
