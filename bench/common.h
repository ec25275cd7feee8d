/*
 * common.h - what the benchmark clients share: the commands they send, the clock, the
 * latency record and the JSON line they print. Header-only (static functions).
 *
 * Commands (both answer 00 and are checked against the expected reply):
 *   B2  echo of 16 bytes            -> B300 + the same 16 bytes
 *   CC  PIN block translation ZPK (T) -> ZPK (U), ISO 1 -> ISO 0, under the public payShield
 *       test LMK (evsm --test-lmk). Keys and block from the evsm known-answer tests
 *       (Tests/EVSMKitTests/KnownAnswerTests.swift, testCCPublishedTranslation):
 *       expected reply CD00 + PIN length 05 + DBEEBF06C9ED0A48 + format 01.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define B2_REQUEST "B20010ABCDEFGHIJKLMNOP"
#define B2_REPLY "B300ABCDEFGHIJKLMNOP"
#define CC_REQUEST                                                                                                      \
    "CCT971803BA969012152827CC97A98D18D50BE6559CDFF6F7E1U247078713614BE11F819054C5FFB08FF06F2B66A1070EADC470501000001" \
    "000376"
#define CC_REPLY "CD0005DBEEBF06C9ED0A4801"

static inline int bench_command(const char *name, const char **req, const char **rsp) {
    if (!strcmp(name, "B2")) { *req = B2_REQUEST; *rsp = B2_REPLY; return 1; }
    if (!strcmp(name, "CC")) { *req = CC_REQUEST; *rsp = CC_REPLY; return 1; }
    return 0;
}

static inline double bench_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU time (user + system) of this whole process so far, seconds: the client's own cost,
 * whatever the server does. */
static inline double bench_cpu_seconds(void) {
    struct rusage u;
    if (getrusage(RUSAGE_SELF, &u) != 0) return 0;
    return (double)u.ru_utime.tv_sec + (double)u.ru_utime.tv_usec / 1e6 + (double)u.ru_stime.tv_sec +
           (double)u.ru_stime.tv_usec / 1e6;
}

/* Per-thread latency record (microseconds), grown as needed. */
typedef struct {
    float *us;
    size_t n, cap;
    long errors, wrong;
} bench_rec;

static inline void bench_add(bench_rec *r, double us) {
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 65536;
        float *p = realloc(r->us, cap * sizeof *p);
        if (!p) return;
        r->us = p;
        r->cap = cap;
    }
    r->us[r->n++] = (float)us;
}

static int bench_cmp(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Merges the threads' records and prints one JSON object on stdout. transport: "TCP" or
 * "TLSv1.3"; cpu_seconds: the client process's CPU time during the run (bench_cpu_seconds
 * differences), reported per call as clientCpuMicrosPerCall. */
static inline void bench_report(const char *client, const char *transport, const char *cmd, int threads, int connections,
                                double seconds, double cpu_seconds, bench_rec *recs, int nrec) {
    size_t total = 0;
    long errors = 0, wrong = 0;
    for (int i = 0; i < nrec; i++) { total += recs[i].n; errors += recs[i].errors; wrong += recs[i].wrong; }
    float *all = malloc((total ? total : 1) * sizeof *all);
    size_t k = 0;
    for (int i = 0; i < nrec; i++) {
        if (all && recs[i].n) memcpy(all + k, recs[i].us, recs[i].n * sizeof *all);
        k += recs[i].n;
    }
    double p50 = 0, p99 = 0, max = 0, mean = 0;
    if (all && total) {
        qsort(all, total, sizeof *all, bench_cmp);
        p50 = all[(size_t)(0.50 * (double)(total - 1))];
        p99 = all[(size_t)(0.99 * (double)(total - 1))];
        max = all[total - 1];
        for (size_t i = 0; i < total; i++) mean += all[i];
        mean /= (double)total;
    }
    printf("{\"client\": \"%s\", \"transport\": \"%s\", \"command\": \"%s\", \"threads\": %d, \"connections\": %d, \"seconds\": %.3f, "
           "\"calls\": %zu, \"errors\": %ld, \"wrong\": %ld, \"callsPerSecond\": %.1f, \"p50Micros\": %.1f, "
           "\"p99Micros\": %.1f, \"maxMicros\": %.1f, \"meanMicros\": %.1f, \"clientCpuMicrosPerCall\": %.2f}\n",
           client, transport, cmd, threads, connections, seconds, total, errors, wrong, seconds > 0 ? (double)total / seconds : 0.0, p50,
           p99, max, mean, total ? cpu_seconds * 1e6 / (double)total : 0.0);
    fflush(stdout);
    free(all);
}

#endif
