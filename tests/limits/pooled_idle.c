/*
 * pooled_idle.c - a pooled libcacipher client against an evsm whose idle timeout closes
 * its connections between calls (tests/limits, limits.py): every call must still succeed,
 * with no transport failure counted and no ejection (the closed pooled connection is found
 * closed when it is taken from the pool and replaced).
 *
 *   pooled_idle CONFIG CALLS PAUSE_MS
 *
 * Prints one line per call and exits 0 when every call answered and the member's
 * failures and ejections stayed 0.
 */
#define _DEFAULT_SOURCE
#include <cacipher.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: %s CONFIG CALLS PAUSE_MS\n", argv[0]); return 2; }
    int calls = atoi(argv[2]), pause_ms = atoi(argv[3]);
    if (calls < 1 || calls > 100 || pause_ms < 0 || pause_ms > 10000) { fprintf(stderr, "bad CALLS or PAUSE_MS\n"); return 2; }
    if (CACipher_Init(argv[1]) != CACIPHER_OK) { fprintf(stderr, "CACipher_Init: %s\n", CACipher_LastError()); return 1; }
    int bad = 0;
    for (int i = 0; i < calls; i++) {
        unsigned char out[64];
        size_t n = sizeof out;
        int rc = CACipher_Echo(NULL, (const unsigned char *)"POOLIDLE", 8, out, &n);
        cacipher_host_status st;
        memset(&st, 0, sizeof st);
        CACipher_HostStatus(NULL, 0, &st);
        int ok = rc == CACIPHER_OK && n == 8 && memcmp(out, "POOLIDLE", 8) == 0 && st.failures == 0 && st.ejections == 0;
        printf("call %d: rc %d, state %d, failures %lld, ejections %lld%s%s\n", i, rc, st.state, st.failures, st.ejections,
               rc ? ": " : "", rc ? CACipher_LastError() : "");
        if (!ok) bad++;
        if (i + 1 < calls) usleep((useconds_t)pause_ms * 1000);
    }
    CACipher_Finalize();
    return bad ? 1 : 0;
}
