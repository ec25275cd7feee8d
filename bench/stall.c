/*
 * stall.c - the "stall" scenario of `make bench` (issue 15, item 4): closed-loop load of CC
 * through libcacipher on a group of evsm devices while bench/run.sh SIGSTOPs one member for
 * 5 s and continues it; run once with hedging off and once on (the ini's [GROUP] hedgeDelay).
 *
 *   stall CONFIG THREADS SECONDS READY
 *
 * THREADS threads send CC (the known-answer translation of common.h, test LMK) for SECONDS
 * and check every reply. READY is created when the load runs. Prints one JSON object:
 * calls, failed, p50/p99/p99.9/max latency (microseconds, exact: every call is recorded)
 * and the members' completed counters at the end. The extra requests sent by hedging are
 * read by run.sh from the library's log (its "hedged requests" line at CACipher_Finalize).
 */
#include "common.h"
#include <cacipher.h>
#include <pthread.h>
#include <unistd.h>

static volatile int g_stop;
static const char *g_req, *g_rsp;

static void *worker(void *arg) {
    bench_rec *r = arg;
    size_t qlen = strlen(g_req), plen = strlen(g_rsp);
    unsigned char reply[1024];
    while (!g_stop) {
        size_t n = sizeof reply;
        double t = bench_now();
        int rc = CACipher_Transmit(NULL, (const unsigned char *)g_req, qlen, reply, &n);
        double us = (bench_now() - t) * 1e6;
        if (rc != CACIPHER_OK) r->errors++;
        else if (n != plen || memcmp(reply, g_rsp, plen) != 0) r->wrong++;
        bench_add(r, us);
    }
    return NULL;
}

static double pct(const float *v, size_t n, double p) {
    if (n == 0) return 0;
    size_t i = (size_t)(p * (double)n);
    if (i >= n) i = n - 1;
    return v[i];
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: stall CONFIG THREADS SECONDS READY\n"); return 2; }
    int threads = atoi(argv[2]);
    double seconds = atof(argv[3]);
    if (threads < 1 || threads > 64 || seconds <= 0 || seconds > 600) { fprintf(stderr, "stall: bad arguments\n"); return 2; }
    bench_command("CC", &g_req, &g_rsp);
    int rc = CACipher_Init(argv[1]);
    if (rc != CACIPHER_OK) { fprintf(stderr, "stall: %s: %s\n", CACipher_ErrorString(rc), CACipher_LastError()); return 1; }
    int members = CACipher_HostCount(NULL);
    bench_rec *recs = calloc((size_t)threads, sizeof *recs);
    pthread_t *t = calloc((size_t)threads, sizeof *t);
    if (!recs || !t || members < 1) return 1;
    double t0 = bench_now();
    for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, worker, &recs[i]);
    FILE *ready = fopen(argv[4], "w");
    if (ready) fclose(ready);
    while (bench_now() - t0 < seconds) usleep(20 * 1000);
    g_stop = 1;
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    double took = bench_now() - t0;

    size_t total = 0;
    long failed = 0;
    for (int i = 0; i < threads; i++) { total += recs[i].n; failed += recs[i].errors + recs[i].wrong; }
    float *all = malloc((total ? total : 1) * sizeof *all);
    if (!all) return 1;
    size_t k = 0;
    for (int i = 0; i < threads; i++) { memcpy(all + k, recs[i].us, recs[i].n * sizeof *all); k += recs[i].n; }
    qsort(all, total, sizeof *all, bench_cmp);
    printf("{\"threads\": %d, \"members\": %d, \"seconds\": %.3f, \"command\": \"CC\", \"calls\": %zu, \"failed\": %ld, "
           "\"p50Micros\": %.1f, \"p99Micros\": %.1f, \"p999Micros\": %.1f, \"maxMicros\": %.1f, \"completed\": [",
           threads, members, took, total, failed, pct(all, total, 0.50), pct(all, total, 0.99), pct(all, total, 0.999),
           total ? all[total - 1] : 0.0);
    for (int i = 0; i < members; i++) {
        cacipher_host_status st;
        long long c = CACipher_HostStatus(NULL, i, &st) == CACIPHER_OK ? st.completed : -1;
        printf("%s%lld", i ? ", " : "", c);
    }
    printf("]}\n");
    CACipher_Finalize();
    return 0;
}
