/* The metrics suite's C program: CACipher_MetricsText (size query, short buffer, text),
 * CACipher_SetStateCallback (a dead standby reported ejected without traffic) and
 * CACipher_TransmitTimeout (a deadline shorter than readTimeout on a silent HSM).
 *
 *   metrics GOOD_INI SILENT_INI METRICS_OUT
 * GOOD_INI: HOST1 a live evsm, HOST2 a dead port, [GROUP] standbyCheckInterval=200.
 * SILENT_INI: HOST1 accepts connections and never answers (readTimeout 5 s).
 * Prints `ok - ...` / `FAIL - ...` lines and `metrics-c: N passed, M failed`. */
#include <cacipher.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../common/harness.h"


struct seen {
    pthread_mutex_t lock;
    int count;
    int member[64], from[64], to[64];
    int on_caller;
    pthread_t caller;
};

static void on_state(void *user, int member, int oldState, int newState) {
    struct seen *s = user;
    pthread_mutex_lock(&s->lock);
    if (pthread_equal(pthread_self(), s->caller)) s->on_caller = 1;
    if (s->count < 64) {
        s->member[s->count] = member;
        s->from[s->count] = oldState;
        s->to[s->count] = newState;
        s->count++;
    }
    pthread_mutex_unlock(&s->lock);
}

static int saw(struct seen *s, int member, int to) {
    int r = 0;
    pthread_mutex_lock(&s->lock);
    for (int i = 0; i < s->count; i++) if (s->member[i] == member && s->to[i] == to) r = 1;
    pthread_mutex_unlock(&s->lock);
    return r;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: metrics GOOD_INI SILENT_INI METRICS_OUT\n"); return 2; }
    static struct seen s = { .lock = PTHREAD_MUTEX_INITIALIZER };
    s.caller = pthread_self();
    cacipher_t *h = NULL;
    int rc = CACipher_Open(argv[1], &h);
    CHECK_TEST(rc == CACIPHER_OK, "CACipher_Open with a live HOST1 and a dead standby HOST2");
    if (rc != CACIPHER_OK) { printf("  %s\n", CACipher_LastError()); goto done; }
    CHECK_TEST(CACipher_SetStateCallback(h, on_state, &s) == CACIPHER_OK, "CACipher_SetStateCallback");

    unsigned char rsp[512];
    for (int i = 0; i < 3; i++) {
        size_t n = sizeof rsp;
        rc = CACipher_Transmit(h, (const unsigned char *)"NC", 2, rsp, &n);
        if (rc != CACIPHER_OK || n < 4 || memcmp(rsp, "ND00", 4) != 0) break;
    }
    CHECK_TEST(rc == CACIPHER_OK, "3 NC through CACipher_Transmit");

    size_t n = sizeof rsp;
    rc = CACipher_TransmitTimeout(h, (const unsigned char *)"NC", 2, rsp, &n, 2000);
    CHECK_TEST(rc == CACIPHER_OK && n >= 4 && memcmp(rsp, "ND00", 4) == 0, "CACipher_TransmitTimeout answers within its deadline");
    n = sizeof rsp;
    CHECK_TEST(CACipher_TransmitTimeout(h, (const unsigned char *)"NC", 2, rsp, &n, 0) == CACIPHER_E_INVALID_ARG,
          "CACipher_TransmitTimeout refuses timeoutMs 0");

    /* The standby HOST2 carries no traffic; the background check finds it dead. */
    double end = now_s() + 10;
    while (!saw(&s, 1, CACIPHER_MEMBER_EJECTED) && now_s() < end) {
        struct timespec ts = { 0, 20 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    CHECK_TEST(saw(&s, 1, CACIPHER_MEMBER_EJECTED), "callback: the dead standby HOST2 (member 1) -> CACIPHER_MEMBER_EJECTED");
    CHECK_TEST(saw(&s, 0, CACIPHER_MEMBER_UP), "callback: HOST1 (member 0) -> CACIPHER_MEMBER_UP");
    pthread_mutex_lock(&s.lock);
    CHECK_TEST(!s.on_caller, "callbacks run on the library's notifier thread");
    pthread_mutex_unlock(&s.lock);
    cacipher_host_status st;
    CHECK_TEST(CACipher_HostStatus(h, 1, &st) == CACIPHER_OK && st.state == CACIPHER_MEMBER_EJECTED && st.completed == 0,
          "HostStatus: HOST2 ejected without a single call");

    size_t need = 0;
    CHECK_TEST(CACipher_MetricsText(h, NULL, &need) == CACIPHER_OK && need > 100, "CACipher_MetricsText size query");
    char *text = malloc(need + 256);
    size_t shortLen = 10;
    memset(text, 'x', 16);
    rc = CACipher_MetricsText(h, text, &shortLen);
    CHECK_TEST(rc == CACIPHER_E_BUFFER_TOO_SMALL && shortLen >= need && text[0] == 'x',
          "CACipher_MetricsText: short buffer -> BUFFER_TOO_SMALL, size needed, nothing written");
    CHECK_TEST(strstr(CACipher_LastError(), "too small") != NULL, "short buffer: LastError says so");
    size_t len = need + 256;
    rc = CACipher_MetricsText(h, text, &len);
    CHECK_TEST(rc == CACIPHER_OK && len == strlen(text) + 1, "CACipher_MetricsText: text with its NUL counted");
    CHECK_TEST(rc == CACIPHER_OK && strstr(text, "cacipher_calls_total 4\n") != NULL, "metrics text counts the 4 calls");
    FILE *f = fopen(argv[3], "w");
    if (f) { fputs(text, f); fclose(f); }
    free(text);
    CHECK_TEST(CACipher_MetricsText(h, NULL, NULL) == CACIPHER_E_INVALID_ARG, "CACipher_MetricsText: len NULL");
    CHECK_TEST(CACipher_SetStateCallback(h, NULL, NULL) == CACIPHER_OK, "CACipher_SetStateCallback(NULL) removes it");
    CHECK_TEST(CACipher_Close(h) == CACIPHER_OK, "CACipher_Close");

    /* Bad instances and arguments: a closed handle, the global instance before Init, NULLs. */
    cacipher_t *closed = h;
    n = sizeof rsp;
    len = 64;
    char small[64];
    CHECK_TEST(CACipher_TransmitTimeout(closed, (const unsigned char *)"NC", 2, rsp, &n, 1000) == CACIPHER_E_INVALID_ARG,
          "TransmitTimeout on a closed handle -> INVALID_ARG");
    CHECK_TEST(CACipher_MetricsText(closed, small, &len) == CACIPHER_E_INVALID_ARG, "MetricsText on a closed handle -> INVALID_ARG");
    CHECK_TEST(CACipher_SetStateCallback(closed, on_state, &s) == CACIPHER_E_INVALID_ARG, "SetStateCallback on a closed handle -> INVALID_ARG");
    n = sizeof rsp;
    len = 64;
    CHECK_TEST(CACipher_TransmitTimeout(NULL, (const unsigned char *)"NC", 2, rsp, &n, 1000) == CACIPHER_E_NOT_INITIALIZED,
          "TransmitTimeout on the global instance before Init -> NOT_INITIALIZED");
    CHECK_TEST(CACipher_MetricsText(NULL, small, &len) == CACIPHER_E_NOT_INITIALIZED, "MetricsText before Init -> NOT_INITIALIZED");
    CHECK_TEST(CACipher_SetStateCallback(NULL, on_state, &s) == CACIPHER_E_NOT_INITIALIZED, "SetStateCallback before Init -> NOT_INITIALIZED");
    n = sizeof rsp;
    CHECK_TEST(CACipher_TransmitTimeout(NULL, NULL, 2, rsp, &n, 1000) == CACIPHER_E_INVALID_ARG, "TransmitTimeout with cmd NULL -> INVALID_ARG");

    /* A deadline shorter than readTimeout on an HSM that never answers. */
    rc = CACipher_Open(argv[2], &h);
    CHECK_TEST(rc == CACIPHER_OK, "CACipher_Open on the silent HSM");
    if (rc == CACIPHER_OK) {
        double t0 = now_s();
        n = sizeof rsp;
        rc = CACipher_TransmitTimeout(h, (const unsigned char *)"NC", 2, rsp, &n, 300);
        double took = now_s() - t0;
        CHECK_TEST(rc == CACIPHER_E_TIMEOUT, "CACipher_TransmitTimeout on a silent HSM -> CACIPHER_E_TIMEOUT");
        CHECK_TEST(took < 3.0, "the 300 ms deadline ended the call before the 5 s readTimeout");
        printf("  (deadline 300 ms: returned after %.0f ms: %s)\n", took * 1000, CACipher_LastError());
        CACipher_Close(h);
    }
done:
    return h_summary("metrics-c");
}
