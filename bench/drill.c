/*
 * drill.c - the failure drill of `make bench`: steady load through libcacipher on a group
 * of evsm devices while bench/run.sh hurts one member after the other.
 *
 *   drill CONFIG THREADS SECONDS EVENTS READY
 *
 * THREADS threads send CC (the known-answer translation of common.h, test LMK) in a closed
 * loop for SECONDS and check every reply. The run is cut in 100 ms buckets (calls,
 * failures, mean / p99 / max latency); a sampler reads CACipher_HostStatus of every member
 * every 10 ms. READY is created when the load runs. run.sh appends to EVENTS one line per
 * action: "<unix time> <scenario> fault|recover <member index> <text>". At the end the
 * program prints one JSON document: the timeline, the events, and per scenario
 *   failedCalls        calls that failed from the fault to the next scenario
 *   worstLatencyMicros slowest call in that window
 *   ejectedAfter       seconds from the fault until the member's state is ejected
 *   rejoinedAfter      seconds from the recovery until its state is up again
 *   backInUseAfter     seconds from the recovery until its completed counter grows again
 */
#include "common.h"
#include <cacipher.h>
#include <math.h>
#include <pthread.h>
#include <unistd.h>

#define MAXB 1200 /* 100 ms buckets: 120 s */
#define HB 240    /* latency histogram: 1.08^i microseconds */
#define MAXM 8
#define MAXS 20000
#define MAXE 32

static double g_seconds, g_t0, g_t0_wall;
static volatile int g_stop;
static const char *g_req, *g_rsp;

typedef struct {
    unsigned calls[MAXB], failed[MAXB];
    float max[MAXB];
    double sum[MAXB];
    unsigned hist[MAXB][HB];
} tstats;

static int hbucket(double us) {
    int b = us < 1 ? 0 : (int)(log(us) / log(1.08));
    return b >= HB ? HB - 1 : b;
}

static void *worker(void *arg) {
    tstats *s = arg;
    size_t qlen = strlen(g_req), plen = strlen(g_rsp);
    unsigned char reply[1024];
    while (!g_stop) {
        size_t n = sizeof reply;
        double t = bench_now();
        int rc = CACipher_Transmit(NULL, (const unsigned char *)g_req, qlen, reply, &n);
        double done = bench_now();
        int b = (int)((done - g_t0) * 10);
        if (b < 0 || b >= MAXB) continue;
        double us = (done - t) * 1e6;
        s->calls[b]++;
        if (rc != CACIPHER_OK || n != plen || memcmp(reply, g_rsp, plen) != 0) s->failed[b]++;
        if (us > s->max[b]) s->max[b] = (float)us;
        s->sum[b] += us;
        s->hist[b][hbucket(us)]++;
    }
    return NULL;
}

typedef struct {
    double t;
    signed char state[MAXM];
    long long completed[MAXM];
} sample;
static sample *g_samples;
static int g_ns, g_members;

static void *sampler(void *arg) {
    (void)arg;
    while (!g_stop && g_ns < MAXS) {
        sample *s = &g_samples[g_ns];
        s->t = bench_now() - g_t0;
        for (int i = 0; i < g_members; i++) {
            cacipher_host_status st;
            if (CACipher_HostStatus(NULL, i, &st) == CACIPHER_OK) {
                s->state[i] = (signed char)st.state;
                s->completed[i] = st.completed;
            } else {
                s->state[i] = -1;
            }
        }
        g_ns++;
        usleep(10 * 1000);
    }
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

typedef struct {
    double t;
    char scenario[16], action[16], text[160];
    int member;
} event;
static event g_ev[MAXE];
static int g_ne;

static void jstr(const char *s) {
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') printf("\\%c", *s);
        else if ((unsigned char)*s < 0x20) printf("\\u%04x", (unsigned char)*s);
        else putchar(*s);
    }
    putchar('"');
}
static void jnum(double v) { /* null for "did not happen" */
    if (v < 0) printf("null");
    else printf("%.3f", v);
}

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: drill CONFIG THREADS SECONDS EVENTS READY\n"); return 2; }
    int threads = atoi(argv[2]);
    g_seconds = atof(argv[3]);
    if (threads < 1 || threads > 64 || g_seconds <= 0 || g_seconds > MAXB / 10.0 - 1) { fprintf(stderr, "drill: bad arguments\n"); return 2; }
    bench_command("CC", &g_req, &g_rsp);
    int rc = CACipher_Init(argv[1]);
    if (rc != CACIPHER_OK) { fprintf(stderr, "drill: %s: %s\n", CACipher_ErrorString(rc), CACipher_LastError()); return 1; }
    g_members = CACipher_HostCount(NULL);
    if (g_members < 1 || g_members > MAXM) return 1;
    g_samples = calloc(MAXS, sizeof *g_samples);
    tstats *ts = calloc((size_t)threads, sizeof *ts);
    pthread_t *t = calloc((size_t)threads, sizeof *t), samp;
    if (!g_samples || !ts || !t) return 1;

    struct timespec w;
    clock_gettime(CLOCK_REALTIME, &w);
    g_t0 = bench_now();
    g_t0_wall = (double)w.tv_sec + (double)w.tv_nsec / 1e9;
    pthread_create(&samp, NULL, sampler, NULL);
    for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, worker, &ts[i]);
    FILE *ready = fopen(argv[5], "w");
    if (ready) fclose(ready);
    while (bench_now() - g_t0 < g_seconds) usleep(20 * 1000);
    g_stop = 1;
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    pthread_join(samp, NULL);
    double took = bench_now() - g_t0;

    /* events */
    FILE *ef = fopen(argv[4], "r");
    char line[256];
    while (ef && g_ne < MAXE && fgets(line, sizeof line, ef)) {
        event *e = &g_ev[g_ne];
        int off = 0;
        double wt;
        if (sscanf(line, "%lf %15s %15s %d %n", &wt, e->scenario, e->action, &e->member, &off) < 4) continue;
        e->t = wt - g_t0_wall;
        snprintf(e->text, sizeof e->text, "%s", line + off);
        e->text[strcspn(e->text, "\r\n")] = 0;
        g_ne++;
    }
    if (ef) fclose(ef);

    /* merge buckets */
    int nb = (int)(took * 10); /* whole buckets only */
    if (nb > MAXB) nb = MAXB;
    static unsigned calls[MAXB], failed[MAXB], hist[HB];
    static double sum[MAXB], maxl[MAXB], p50[MAXB], p99[MAXB];
    long total = 0, total_failed = 0;
    for (int b = 0; b < nb; b++) {
        memset(hist, 0, sizeof hist);
        for (int i = 0; i < threads; i++) {
            calls[b] += ts[i].calls[b];
            failed[b] += ts[i].failed[b];
            sum[b] += ts[i].sum[b];
            if (ts[i].max[b] > maxl[b]) maxl[b] = ts[i].max[b];
            for (int h = 0; h < HB; h++) hist[h] += ts[i].hist[b][h];
        }
        unsigned seen = 0;
        p50[b] = p99[b] = 0;
        for (int h = 0; h < HB && calls[b]; h++) {
            seen += hist[h];
            double v = pow(1.08, h + 0.5);
            if (p50[b] == 0 && seen >= (calls[b] + 1) / 2) p50[b] = v;
            if (seen >= (unsigned)ceil(0.99 * calls[b])) { p99[b] = v; break; }
        }
        total += calls[b];
        total_failed += failed[b];
    }

    printf("{\"threads\": %d, \"members\": %d, \"seconds\": %.3f, \"calls\": %ld, \"failed\": %ld, \"command\": \"CC\",\n", threads,
           g_members, took, total, total_failed);
    printf(" \"events\": [");
    for (int i = 0; i < g_ne; i++) {
        printf("%s{\"t\": %.3f, \"scenario\": ", i ? ", " : "", g_ev[i].t);
        jstr(g_ev[i].scenario);
        printf(", \"action\": ");
        jstr(g_ev[i].action);
        printf(", \"member\": %d, \"text\": ", g_ev[i].member);
        jstr(g_ev[i].text);
        printf("}");
    }
    printf("],\n \"scenarios\": [");
    int first = 1;
    for (int i = 0; i < g_ne; i++) {
        if (strcmp(g_ev[i].action, "fault") != 0) continue;
        const event *f = &g_ev[i], *r = NULL;
        double until = took;
        for (int j = i + 1; j < g_ne; j++) {
            if (!r && !strcmp(g_ev[j].action, "recover") && !strcmp(g_ev[j].scenario, f->scenario)) r = &g_ev[j];
            if (!strcmp(g_ev[j].action, "fault")) { until = g_ev[j].t; break; }
        }
        int m = f->member;
        long fc = 0;
        double worst = 0;
        for (int b = (int)(f->t * 10); b < nb && b < (int)(until * 10); b++) {
            if (b < 0) continue;
            fc += failed[b];
            if (maxl[b] > worst) worst = maxl[b];
        }
        double ejected = -1, rejoined = -1, inuse = -1;
        for (int k = 0; k < g_ns && m >= 0 && m < g_members; k++) {
            const sample *s = &g_samples[k];
            if (ejected < 0 && s->t >= f->t && s->state[m] == CACIPHER_MEMBER_EJECTED) ejected = s->t - f->t;
            if (r && s->t >= r->t) {
                if (rejoined < 0 && s->state[m] == CACIPHER_MEMBER_UP) rejoined = s->t - r->t;
                if (rejoined >= 0 && inuse < 0 && k > 0 && s->completed[m] > g_samples[k - 1].completed[m]) inuse = s->t - r->t;
            }
        }
        printf("%s\n  {\"scenario\": ", first ? "" : ",");
        jstr(f->scenario);
        printf(", \"member\": %d, \"fault\": ", m);
        jstr(f->text);
        printf(", \"faultAt\": %.3f, \"recovery\": ", f->t);
        if (r) jstr(r->text);
        else printf("null");
        printf(", \"recoveryAt\": ");
        jnum(r ? r->t : -1);
        printf(", \"failedCalls\": %ld, \"worstLatencyMicros\": %.0f, \"ejectedAfter\": ", fc, worst);
        jnum(ejected);
        printf(", \"rejoinedAfter\": ");
        jnum(rejoined);
        printf(", \"backInUseAfter\": ");
        jnum(inuse);
        printf("}");
        first = 0;
    }
    printf("],\n \"timeline\": [");
    for (int b = 0; b < nb; b++) {
        /* member state at the end of the bucket (last sample in it) */
        int k = -1;
        for (int j = 0; j < g_ns; j++)
            if (g_samples[j].t < (b + 1) / 10.0) k = j;
        printf("%s\n  {\"t\": %.1f, \"calls\": %u, \"failed\": %u, \"callsPerSecond\": %u, \"meanMicros\": %.0f, \"p50Micros\": %.0f, "
               "\"p99Micros\": %.0f, \"maxMicros\": %.0f, \"states\": [",
               b ? "," : "", b / 10.0, calls[b], failed[b], calls[b] * 10, calls[b] ? sum[b] / calls[b] : 0, p50[b], p99[b], maxl[b]);
        for (int i = 0; i < g_members; i++) printf("%s\"%s\"", i ? ", " : "", k >= 0 ? state_name(g_samples[k].state[i]) : "unknown");
        printf("], \"completed\": [");
        for (int i = 0; i < g_members; i++) printf("%s%lld", i ? ", " : "", k >= 0 ? g_samples[k].completed[i] : 0);
        printf("]}");
    }
    printf("\n]}\n");
    CACipher_Finalize();
    free(g_samples);
    free(ts);
    free(t);
    return 0;
}
