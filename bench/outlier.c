/*
 * outlier.c - the load of the "outlier" scenarios of `make bench` (bench/outlier.sh, issue 15
 * goals): closed-loop CC through libcacipher on a group of which one member is faulty
 * (wrong reply code, slow) or every member is blackholed.
 *
 *   outlier CONFIG THREADS SECONDS BOUND_MS
 *
 * THREADS threads send CC (the known-answer translation of common.h, test LMK) for SECONDS
 * and check every reply. Every call's time is recorded, those of failed calls also apart.
 * BOUND_MS: the time a failed call should take at most (readTimeout + 100 ms for the
 * blackhole goal; 0: not counted). Prints one JSON object: calls, failed, p50/p99/p99.9/max
 * of all calls, of failed calls p50/max and how many took longer than BOUND_MS, the first
 * distinct error messages (at most 6, with counts; they carry no secrets) and per member its
 * state, replies, failures and ejections (CACipher_HostStatus), and hedges sent
 * (cacipher_hedges_total from CACipher_MetricsText).
 */
#include "common.h"
#include <cacipher.h>
#include <pthread.h>
#include <unistd.h>

#define MAX_MSGS 6

static volatile int g_stop;
static const char *g_req, *g_rsp;
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static char g_msg[MAX_MSGS][160];
static long g_msg_n[MAX_MSGS];

typedef struct {
    bench_rec all, failed;
} rec2;

static void note_error(const char *m) {
    pthread_mutex_lock(&g_mu);
    for (int i = 0; i < MAX_MSGS; i++) {
        if (g_msg_n[i] == 0) { snprintf(g_msg[i], sizeof g_msg[i], "%s", m); g_msg_n[i] = 1; break; }
        if (strncmp(g_msg[i], m, sizeof g_msg[i] - 1) == 0) { g_msg_n[i]++; break; }
    }
    pthread_mutex_unlock(&g_mu);
}

static void *worker(void *arg) {
    rec2 *r = arg;
    size_t qlen = strlen(g_req), plen = strlen(g_rsp);
    unsigned char reply[1024];
    while (!g_stop) {
        size_t n = sizeof reply;
        double t = bench_now();
        int rc = CACipher_Transmit(NULL, (const unsigned char *)g_req, qlen, reply, &n);
        double us = (bench_now() - t) * 1e6;
        bench_add(&r->all, us);
        if (rc != CACIPHER_OK) {
            r->all.errors++;
            bench_add(&r->failed, us);
            /* Error messages keep their variable parts (member, times) out of the first
             * 60 characters mostly; group by that prefix. */
            char m[61];
            snprintf(m, sizeof m, "%s", CACipher_LastError());
            note_error(m);
        } else if (n != plen || memcmp(reply, g_rsp, plen) != 0) {
            r->all.wrong++;
            bench_add(&r->failed, us);
            note_error("reply differs from the known answer");
        }
    }
    return NULL;
}

static double pct(const float *v, size_t n, double p) {
    if (n == 0) return 0;
    size_t i = (size_t)(p * (double)n);
    if (i >= n) i = n - 1;
    return v[i];
}

static float *merge(rec2 *recs, int threads, int failed, size_t *total) {
    size_t t = 0, k = 0;
    for (int i = 0; i < threads; i++) t += failed ? recs[i].failed.n : recs[i].all.n;
    float *v = malloc((t ? t : 1) * sizeof *v);
    if (!v) exit(1);
    for (int i = 0; i < threads; i++) {
        bench_rec *b = failed ? &recs[i].failed : &recs[i].all;
        if (b->n) memcpy(v + k, b->us, b->n * sizeof *v);
        k += b->n;
    }
    qsort(v, t, sizeof *v, bench_cmp);
    *total = t;
    return v;
}

static void json_string(const char *s) {
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') printf("\\%c", *s);
        else if ((unsigned char)*s < 0x20) putchar(' ');
        else putchar(*s);
    }
    putchar('"');
}

static long long metric(const char *text, const char *name) {
    const char *p = text;
    size_t n = strlen(name);
    while ((p = strstr(p, name)) != NULL) {
        if ((p == text || p[-1] == '\n') && p[n] == ' ') return atoll(p + n + 1);
        p += n;
    }
    return -1;
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: outlier CONFIG THREADS SECONDS BOUND_MS\n"); return 2; }
    int threads = atoi(argv[2]);
    double seconds = atof(argv[3]);
    double bound_us = atof(argv[4]) * 1000;
    if (threads < 1 || threads > 64 || seconds <= 0 || seconds > 600 || bound_us < 0) { fprintf(stderr, "outlier: bad arguments\n"); return 2; }
    bench_command("CC", &g_req, &g_rsp);
    int rc = CACipher_Init(argv[1]);
    if (rc != CACIPHER_OK) { fprintf(stderr, "outlier: %s: %s\n", CACipher_ErrorString(rc), CACipher_LastError()); return 1; }
    int members = CACipher_HostCount(NULL);
    rec2 *recs = calloc((size_t)threads, sizeof *recs);
    pthread_t *t = calloc((size_t)threads, sizeof *t);
    if (!recs || !t || members < 1) return 1;
    double t0 = bench_now();
    for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, worker, &recs[i]);
    while (bench_now() - t0 < seconds) usleep(20 * 1000);
    g_stop = 1;
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    double took = bench_now() - t0;

    size_t total, nfailed;
    float *all = merge(recs, threads, 0, &total);
    float *fl = merge(recs, threads, 1, &nfailed);
    size_t over = 0;
    for (size_t i = 0; i < nfailed; i++) if (bound_us > 0 && fl[i] > bound_us) over++;
    printf("{\"threads\": %d, \"members\": %d, \"seconds\": %.3f, \"command\": \"CC\", \"calls\": %zu, \"failed\": %zu, "
           "\"p50Micros\": %.1f, \"p99Micros\": %.1f, \"p999Micros\": %.1f, \"maxMicros\": %.1f, "
           "\"failedP50Micros\": %.1f, \"failedMaxMicros\": %.1f, \"boundMs\": %.0f, \"failedOverBound\": %zu, \"errors\": [",
           threads, members, took, total, nfailed, pct(all, total, 0.50), pct(all, total, 0.99), pct(all, total, 0.999),
           total ? all[total - 1] : 0.0, pct(fl, nfailed, 0.50), nfailed ? fl[nfailed - 1] : 0.0, bound_us / 1000, over);
    for (int i = 0; i < MAX_MSGS && g_msg_n[i]; i++) {
        printf("%s{\"count\": %ld, \"message\": ", i ? ", " : "", g_msg_n[i]);
        json_string(g_msg[i]);
        printf("}");
    }
    printf("], \"memberList\": [");
    for (int i = 0; i < members; i++) {
        cacipher_host_status st;
        memset(&st, 0, sizeof st);
        if (CACipher_HostStatus(NULL, i, &st) != CACIPHER_OK) st.state = -1;
        printf("%s{\"member\": \"HOST%d\", \"state\": %d, \"replies\": %lld, \"failures\": %lld, \"ejections\": %lld}", i ? ", " : "",
               i + 1, st.state, st.completed, st.failures, st.ejections);
    }
    long long hedges = -1;
    size_t len = 0;
    if (CACipher_MetricsText(NULL, NULL, &len) == CACIPHER_E_BUFFER_TOO_SMALL || len > 0) {
        len += 4096;
        char *text = malloc(len);
        if (text && CACipher_MetricsText(NULL, text, &len) == CACIPHER_OK) hedges = metric(text, "cacipher_hedges_total");
        free(text);
    }
    printf("], \"hedgesSent\": %lld}\n", hedges);
    CACipher_Finalize();
    return 0;
}
