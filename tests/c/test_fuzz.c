/* Random and mutated configuration strings through the C entry points: no crash, every
 * result a documented code, a message for every failure. Fixed seed (printed). */
#include "../common/harness.h"
#include <cacipher.h>
#include <stdint.h>
#include <stdlib.h>

static uint64_t rng_state;
static uint64_t rng(void) { /* xorshift64* */
    rng_state ^= rng_state >> 12; rng_state ^= rng_state << 25; rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

void test_fuzz_open(void) {
    const uint64_t seed = 0x5EEDCAC1F3E2ULL;
    rng_state = seed;
    printf("  fuzz seed 0x%llx, 2000 iterations\n", (unsigned long long)seed);
    /* No logPath in the corpus: an instance that opens logs to the default ./ (the suite's
     * scratch directory), never to a path a mutation made up. */
    const char *corpus[] = {
        "{logsw=;[HOST1];hsmModel=SJJ1310;host=127.0.0.1;port=8018;connTimeout=5;[HOST2];host=127.0.0.2;port=8018;}",
        "{[HOST 1];host=127.0.0.1;port=1;linkNum=-3;timeout=0.5;msgheadlength=8",
    };
    const char alphabet[] = "{}[];=,#\r\n \tHOSThostport0123456789-.LOGGERlogsw";
    char buf[512];
    int ok = 0, failed_ok = 0, bad = 0;
    for (int i = 0; i < 2000; i++) {
        const char *base = corpus[rng() % 2];
        size_t n = strlen(base);
        if (n >= sizeof buf) n = sizeof buf - 1;
        memcpy(buf, base, n);
        buf[n] = 0;
        int edits = 1 + (int)(rng() % 6);
        for (int e = 0; e < edits; e++) {
            size_t len = strlen(buf);
            size_t at = len ? (size_t)(rng() % len) : 0;
            switch (rng() % 3) {
            case 0: if (len) buf[at] = alphabet[rng() % (sizeof alphabet - 1)]; break;
            case 1: if (len) buf[at] = (char)(1 + rng() % 255); break;
            default: buf[at] = 0; break; /* truncate */
            }
        }
        buf[0] = '{'; /* keep it content, never a path */
        cacipher_t *h = NULL;
        int rc = CACipher_Open(buf, &h);
        if (rc == CACIPHER_OK) {
            ok++;
            if (CACipher_HostCount(h) < 1) bad++;
            if (CACipher_Close(h) != CACIPHER_OK) bad++;
        } else if (rc == CACIPHER_E_CONFIG || rc == CACIPHER_E_LOG) {
            failed_ok++;
            if (h != NULL || CACipher_LastError()[0] == '\0') bad++;
        } else {
            bad++;
            fprintf(stderr, "  iteration %d: unexpected code %d\n", i, rc);
        }
    }
    printf("  fuzz: %d opened, %d rejected\n", ok, failed_ok);
    CHECK_INT(bad, 0);
    CHECK(ok > 0);
    CHECK(failed_ok > 0);
}
