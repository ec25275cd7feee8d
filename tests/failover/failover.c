/*
 * failover.c - drives CACipher_Transmit from several threads against a group of local
 * evsm processes while run.sh kills one member and later restarts it.
 *
 *   failover CONFIG SECONDS THREADS
 *
 * Every call sends B2 (echo) with data unique to the thread and call, and checks that the
 * reply echoes exactly that data. At the end it waits (bounded) for every member to be
 * UP again, prints the member status table, and the closing line
 *   failover: N passed, M failed
 * where each check (calls without failure, replies correct, ejection seen, rejoin seen,
 * equal DMK check values) counts once.
 *
 * FAILOVER_ODD_MEMBER=N (1-based): member N holds another DMK. It must end dmk-mismatch
 * with no command completed on it (the DMK guard, spec ha.md #12), the others up with one
 * DMK check value.
 */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include <cacipher.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "../common/harness.h"

static double g_seconds;
static long g_calls, g_failed, g_wrong;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static char g_first_error[512];

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void *worker(void *arg) {
    long id = (long)arg;
    unsigned char cmd[64], rsp[256];
    long calls = 0, failed = 0, wrong = 0;
    double end = now() + g_seconds;
    while (now() < end) {
        char data[32];
        int n = snprintf(data, sizeof data, "T%02ldC%08ld", id, calls);
        int len = snprintf((char *)cmd, sizeof cmd, "B2%04X%s", n, data);
        size_t rlen = sizeof rsp;
        int rc = CACipher_Transmit(NULL, cmd, (size_t)len, rsp, &rlen);
        calls++;
        if (rc != CACIPHER_OK) {
            failed++;
            pthread_mutex_lock(&g_lock);
            if (!g_first_error[0])
                snprintf(g_first_error, sizeof g_first_error, "rc %d: %s", rc, CACipher_LastError());
            pthread_mutex_unlock(&g_lock);
        } else if (rlen != 4 + (size_t)n || memcmp(rsp, "B300", 4) != 0 || memcmp(rsp + 4, data, (size_t)n) != 0) {
            wrong++;
        }
    }
    pthread_mutex_lock(&g_lock);
    g_calls += calls; g_failed += failed; g_wrong += wrong;
    pthread_mutex_unlock(&g_lock);
    return NULL;
}

static const char *state_name(int s) {
    switch (s) {
    case CACIPHER_MEMBER_UNKNOWN: return "unknown";
    case CACIPHER_MEMBER_UP: return "up";
    case CACIPHER_MEMBER_EJECTED: return "ejected";
    case CACIPHER_MEMBER_DMK_MISMATCH: return "dmk-mismatch";
    case CACIPHER_MEMBER_NOT_INITIALISED: return "not-initialised";
    default: return "?";
    }
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: failover CONFIG SECONDS THREADS\n"); return 2; }
    g_seconds = atof(argv[2]);
    int threads = atoi(argv[3]);
    if (threads < 1 || threads > 64 || g_seconds <= 0 || g_seconds > 120) { fprintf(stderr, "bad arguments\n"); return 2; }

    int rc = CACipher_Init(argv[1]);
    if (rc != CACIPHER_OK) return h_abort("failover", "CACipher_Init: %d %s", rc, CACipher_LastError());
    int hosts = CACipher_HostCount(NULL);
    printf("load: %d threads for %.1f s over %d members\n", threads, g_seconds, hosts);
    fflush(stdout);

    pthread_t t[64];
    for (long i = 0; i < threads; i++) pthread_create(&t[i], NULL, worker, (void *)i);
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);

    CHECK_TEST(g_calls > 0, "calls made: %ld", g_calls);
    CHECK_TEST(g_failed == 0, "calls failed: %ld%s%s", g_failed, g_failed ? " - first: " : "", g_first_error);
    CHECK_TEST(g_wrong == 0, "replies not answering their own request: %ld", g_wrong);

    /* The killed member must have been ejected, and must come back without application
     * traffic (background probes), within a bounded wait. */
    const char *odd_env = getenv("FAILOVER_ODD_MEMBER");
    int odd = odd_env ? atoi(odd_env) - 1 : -1;  /* 0-based, -1 = none */
    long ejections = 0;
    int all_up = 0;
    double until = now() + 15.0;
    cacipher_host_status st[16];
    while (now() < until) {
        all_up = 1;
        ejections = 0;
        for (int i = 0; i < hosts && i < 16; i++) {
            if (CACipher_HostStatus(NULL, i, &st[i]) != CACIPHER_OK) all_up = 0;
            if (st[i].state != (i == odd ? CACIPHER_MEMBER_DMK_MISMATCH : CACIPHER_MEMBER_UP)) all_up = 0;
            if (i != odd) ejections += st[i].ejections;
        }
        if (all_up) break;
        usleep(100 * 1000);
    }
    printf("%-6s %-14s %10s %9s %10s %12s  %s\n", "member", "state", "completed", "failures", "ejections", "latency(us)", "DMK check value");
    for (int i = 0; i < hosts && i < 16; i++)
        printf("%-6d %-14s %10lld %9lld %10lld %12.0f  %s\n", i + 1, state_name(st[i].state), st[i].completed,
               st[i].failures, st[i].ejections, st[i].latencyMicros, st[i].dmkCheckValue);
    CHECK_TEST(ejections >= 1, "a member was ejected (%ld ejections)", ejections);
    CHECK_TEST(all_up, "every member is up again (rejoined through background probes)%s", odd >= 0 ? ", the odd one kept out" : "");
    int ref = odd == 0 ? 1 : 0, same = 1;
    for (int i = 0; i < hosts && i < 16; i++)
        if (i != odd) same &= strcmp(st[i].dmkCheckValue, st[ref].dmkCheckValue) == 0;
    CHECK_TEST(same && st[ref].dmkCheckValue[0], "every member%s reports DMK check value %s", odd >= 0 ? " but the odd one" : "",
               st[ref].dmkCheckValue);
    if (odd >= 0 && odd < hosts && odd < 16) {
        CHECK_TEST(st[odd].state == CACIPHER_MEMBER_DMK_MISMATCH, "member %d (another DMK) is dmk-mismatch: %s", odd + 1,
                   state_name(st[odd].state));
        CHECK_TEST(st[odd].completed == 0, "member %d (another DMK) completed no command: %lld", odd + 1, st[odd].completed);
        CHECK_TEST(strcmp(st[odd].dmkCheckValue, st[ref].dmkCheckValue) != 0 && st[odd].dmkCheckValue[0],
                   "member %d reports its other DMK check value %s", odd + 1, st[odd].dmkCheckValue);
    }

    /* Bad arguments get codes, not crashes. */
    size_t small = 2;
    unsigned char b[2];
    CHECK_TEST(CACipher_Transmit(NULL, NULL, 4, b, &small) == CACIPHER_E_INVALID_ARG, "NULL cmd -> CACIPHER_E_INVALID_ARG");
    CHECK_TEST(CACipher_Transmit(NULL, (const unsigned char *)"B2", 1, b, &small) == CACIPHER_E_INVALID_ARG, "cmdLen 1 -> CACIPHER_E_INVALID_ARG");
    rc = CACipher_Transmit(NULL, (const unsigned char *)"B20002AB", 8, b, &small);
    CHECK_TEST(rc == CACIPHER_E_BUFFER_TOO_SMALL && small == 6, "short reply buffer -> CACIPHER_E_BUFFER_TOO_SMALL, needed %zu", small);
    CHECK_TEST(CACipher_HostStatus(NULL, hosts, &st[0]) == CACIPHER_E_INVALID_ARG, "status index out of range -> CACIPHER_E_INVALID_ARG");

    CACipher_Finalize();
    printf("calls=%ld failed=%ld\n", g_calls, g_failed);
    return h_summary("failover");
}
