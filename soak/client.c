/*
 * client.c - the client process of `make soak` (soak/soak.py): the payment mix through
 * libcacipher's global instance in THREADS threads for SECONDS, while soak.py hurts the
 * group's members.
 *
 *   soak-client CONFIG SECONDS THREADS OUTDIR
 *
 * Mix (each thread cycles through it; every answer is checked):
 *   CC  PIN block translation ZPK -> ZPK through CACipher_Transmit, known answer under the
 *       public payShield test LMK (bench/common.h, from the evsm known-answer tests)
 *   B2  CACipher_Echo of 16 bytes that change per call: the same bytes must come back
 *   KCV CACipher_KeyCheckValue of the destination ZPK of CC: the value read at the start
 *   CR  CACipher_Random of 8 bytes: 8 bytes must come back
 * A call that returns an error is "failed"; one that returns OK with another answer is
 * "wrong".
 *
 * Results are kept in fixed memory allocated before the start figures are taken: per
 * 250 ms bucket calls, failed, wrong, max and a log histogram (1.08^i microseconds) summed
 * over the threads at the end. A sampler thread reads CACipher_HostStatus of every member
 * every 20 ms and records state changes (wall-clock time). SIGUSR1 asks for a client-side
 * fork: the workers park between calls (the library's rule: no fork while a thread is
 * inside a call), the process forks, the child makes 50 echo calls through the inherited
 * instance and exits 0 when all answered, the parent resumes at once and reaps the child.
 *
 * OUTDIR/ready is created when the load runs; OUTDIR/client.json is written at the end.
 * Exit status 0 when the run completed (whatever the counts: soak.py judges them).
 */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include <cacipher.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HB 240          /* histogram bins: 1.08^i microseconds, up to ~100 s */
#define BUCKET 0.25     /* seconds per bucket */
#define MAXT 64
#define MAXEV 8192
#define MAXFAIL 40

#define CC_REQUEST                                                                                                      \
    "CCT971803BA969012152827CC97A98D18D50BE6559CDFF6F7E1U247078713614BE11F819054C5FFB08FF06F2B66A1070EADC470501000001" \
    "000376"
#define CC_REPLY "CD0005DBEEBF06C9ED0A4801"
static const char *ZPK = "U247078713614BE11F819054C5FFB08FF";

typedef struct {
    unsigned calls, failed, wrong;
    float max;
    uint16_t hist[HB];
} bucket;

typedef struct {
    bucket *b;
    int id;
    unsigned long long calls, failed, wrong;
} worker;

typedef struct { double t; int member, state; } state_event;
typedef struct { double t; int op, rc; char msg[200]; } failure;

static double g_t0_mono, g_t0_wall, g_seconds;
static int g_nb, g_hosts;
static volatile int g_stop, g_pause;
static volatile sig_atomic_t g_fork_request;
static int g_parked;
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cv = PTHREAD_COND_INITIALIZER;
static char g_kcv_ref[CACIPHER_KCV_BUFSIZE];
static state_event g_events[MAXEV];
static int g_nevents;
static failure g_fail[MAXFAIL];
static int g_nfail;
static const char *g_opname[4] = {"CC", "B2", "KCV", "CR"};

static double mono(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}
static double wall(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long rss_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0) kb = strtol(line + 6, NULL, 10);
    fclose(f);
    return kb;
}
static int fd_count(void) {
    DIR *d = opendir("/proc/self/fd");
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) if (e->d_name[0] != '.') n++;
    closedir(d);
    return n - 1; /* the directory's own descriptor */
}

/* One call of the mix; 0 ok, 1 failed, 2 wrong. */
static int call(int op, unsigned long long seq, int *rc_out) {
    int rc;
    switch (op) {
    case 0: {
        unsigned char rsp[256];
        size_t n = sizeof rsp;
        rc = CACipher_Transmit(NULL, (const unsigned char *)CC_REQUEST, strlen(CC_REQUEST), rsp, &n);
        *rc_out = rc;
        if (rc != CACIPHER_OK) return 1;
        return (n == strlen(CC_REPLY) && memcmp(rsp, CC_REPLY, n) == 0) ? 0 : 2;
    }
    case 1: {
        unsigned char data[16], out[64];
        for (int i = 0; i < 16; i++) data[i] = (unsigned char)('A' + (seq + (unsigned long long)i * 7) % 26);
        size_t n = sizeof out;
        rc = CACipher_Echo(NULL, data, sizeof data, out, &n);
        *rc_out = rc;
        if (rc != CACIPHER_OK) return 1;
        return (n == sizeof data && memcmp(out, data, n) == 0) ? 0 : 2;
    }
    case 2: {
        char kcv[CACIPHER_KCV_BUFSIZE];
        size_t n = sizeof kcv;
        rc = CACipher_KeyCheckValue(NULL, CACIPHER_KEY_ZPK, ZPK, kcv, &n);
        *rc_out = rc;
        if (rc != CACIPHER_OK) return 1;
        return strcmp(kcv, g_kcv_ref) == 0 ? 0 : 2;
    }
    default: {
        unsigned char r[32];
        size_t n = sizeof r;
        rc = CACipher_Random(NULL, 8, r, &n);
        *rc_out = rc;
        if (rc != CACIPHER_OK) return 1;
        return n == 8 ? 0 : 2;
    }
    }
}

static int hbin(double us) {
    int b = us < 1 ? 0 : (int)(log(us) / log(1.08));
    return b >= HB ? HB - 1 : (b < 0 ? 0 : b);
}

static void park_if_asked(void) {
    if (!g_pause) return;
    pthread_mutex_lock(&g_mu);
    g_parked++;
    pthread_cond_broadcast(&g_cv);
    while (g_pause && !g_stop) pthread_cond_wait(&g_cv, &g_mu);
    g_parked--;
    pthread_mutex_unlock(&g_mu);
}

static void *work(void *arg) {
    worker *w = arg;
    unsigned long long seq = (unsigned long long)w->id * 1000003ULL;
    while (!g_stop) {
        park_if_asked();
        if (g_stop) break;
        int op = (int)((seq + (unsigned long long)w->id) % 4);
        double t = mono();
        int rc = 0;
        int r = call(op, seq, &rc);
        double done = mono();
        seq++;
        int bi = (int)((done - g_t0_mono) / BUCKET);
        if (bi < 0 || bi >= g_nb) continue;
        bucket *b = &w->b[bi];
        double us = (done - t) * 1e6;
        b->calls++;
        w->calls++;
        if (r == 1) { b->failed++; w->failed++; }
        if (r == 2) { b->wrong++; w->wrong++; }
        if (us > b->max) b->max = (float)us;
        int h = hbin(us);
        if (b->hist[h] < UINT16_MAX) b->hist[h]++;
        if (r != 0) {
            pthread_mutex_lock(&g_mu);
            if (g_nfail < MAXFAIL) {
                failure *f = &g_fail[g_nfail++];
                f->t = g_t0_wall + (done - g_t0_mono);
                f->op = op;
                f->rc = r == 2 ? 0 : rc;
                snprintf(f->msg, sizeof f->msg, "%s", r == 2 ? "wrong answer" : CACipher_LastError());
            }
            pthread_mutex_unlock(&g_mu);
        }
    }
    return NULL;
}

static void *sample(void *arg) {
    (void)arg;
    int last[16];
    for (int i = 0; i < 16; i++) last[i] = -1;
    while (!g_stop) {
        park_if_asked(); /* a fork waits for the sampler too: it calls into the library */
        {
            for (int m = 0; m < g_hosts && m < 16; m++) {
                cacipher_host_status st;
                if (CACipher_HostStatus(NULL, m, &st) != CACIPHER_OK) continue;
                if (st.state != last[m] && g_nevents < MAXEV) {
                    pthread_mutex_lock(&g_mu);
                    g_events[g_nevents++] = (state_event){wall(), m + 1, st.state};
                    pthread_mutex_unlock(&g_mu);
                    last[m] = st.state;
                }
            }
        }
        usleep(20000);
    }
    return NULL;
}

static void on_usr1(int sig) { (void)sig; g_fork_request = 1; }

typedef struct { double t, pause_ms; int child_ok; } fork_event;
static fork_event g_forks[32];
static int g_nforks;

static pid_t g_children[32];

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: %s CONFIG SECONDS THREADS OUTDIR\n", argv[0]); return 2; }
    g_seconds = atof(argv[2]);
    int threads = atoi(argv[3]);
    const char *outdir = argv[4];
    if (g_seconds <= 0 || g_seconds > 3600 || threads < 1 || threads > MAXT) { fprintf(stderr, "bad SECONDS or THREADS\n"); return 2; }
    int rc = CACipher_Init(argv[1]);
    if (rc != CACIPHER_OK) { fprintf(stderr, "CACipher_Init: %d %s\n", rc, CACipher_LastError()); return 1; }
    g_hosts = CACipher_HostCount(NULL);
    size_t n = sizeof g_kcv_ref;
    rc = CACipher_KeyCheckValue(NULL, CACIPHER_KEY_ZPK, ZPK, g_kcv_ref, &n);
    if (rc != CACIPHER_OK) { fprintf(stderr, "reference KCV: %d %s\n", rc, CACipher_LastError()); return 1; }
    g_nb = (int)((g_seconds + 30) / BUCKET);
    worker ws[MAXT];
    for (int i = 0; i < threads; i++) {
        ws[i] = (worker){.b = calloc((size_t)g_nb, sizeof(bucket)), .id = i};
        if (!ws[i].b) { fprintf(stderr, "out of memory\n"); return 1; }
        memset(ws[i].b, 0, (size_t)g_nb * sizeof(bucket)); /* touch it now: the start RSS includes it */
    }
    /* Warm-up: every thread's connections, then the start figures. */
    for (int i = 0; i < 4 * threads; i++) { int r0; (void)call(i % 4, (unsigned long long)i, &r0); }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);

    pthread_t tid[MAXT], sampler;
    g_t0_mono = mono();
    g_t0_wall = wall();
    for (int i = 0; i < threads; i++) pthread_create(&tid[i], NULL, work, &ws[i]);
    pthread_create(&sampler, NULL, sample, NULL);
    usleep(200000);
    long rss0 = rss_kb();
    int fd0 = fd_count();
    char path[4096];
    snprintf(path, sizeof path, "%s/ready", outdir);
    FILE *rf = fopen(path, "w");
    if (rf) fclose(rf);

    while (mono() - g_t0_mono < g_seconds) {
        usleep(10000);
        if (g_fork_request && g_nforks < 32) {
            g_fork_request = 0;
            double t = mono();
            pthread_mutex_lock(&g_mu);
            g_pause = 1;
            /* Every worker and the sampler parked between two calls (bounded: a call
             * ends within the library's timeouts). */
            while (g_parked < threads + 1) pthread_cond_wait(&g_cv, &g_mu);
            pid_t pid = fork();
            if (pid == 0) {
                /* Child: only this thread exists here; the instance is inherited. */
                int ok = 0;
                for (int i = 0; i < 50; i++) {
                    unsigned char d[8] = "CHILDxx", o[32];
                    size_t on = sizeof o;
                    d[6] = (unsigned char)('0' + i % 10);
                    if (CACipher_Echo(NULL, d, 8, o, &on) == CACIPHER_OK && on == 8 && memcmp(o, d, 8) == 0) ok++;
                }
                _exit(ok == 50 ? 0 : 1);
            }
            g_pause = 0;
            pthread_cond_broadcast(&g_cv);
            pthread_mutex_unlock(&g_mu);
            fork_event *f = &g_forks[g_nforks];
            f->t = g_t0_wall + (t - g_t0_mono);
            f->pause_ms = (mono() - t) * 1e3;
            f->child_ok = -1;
            g_children[g_nforks++] = pid;
        }
        for (int i = 0; i < g_nforks; i++) {
            if (g_children[i] <= 0 || g_forks[i].child_ok != -1) continue;
            int status;
            if (waitpid(g_children[i], &status, WNOHANG) == g_children[i])
                g_forks[i].child_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        }
    }
    g_stop = 1;
    pthread_mutex_lock(&g_mu);
    pthread_cond_broadcast(&g_cv);
    pthread_mutex_unlock(&g_mu);
    for (int i = 0; i < threads; i++) pthread_join(tid[i], NULL);
    pthread_join(sampler, NULL);
    long rss1 = rss_kb();
    int fd1 = fd_count();
    /* Children still running: bounded wait (10 s), then killed and counted as failed. */
    for (int i = 0; i < g_nforks; i++) {
        if (g_children[i] <= 0 || g_forks[i].child_ok != -1) continue;
        int status = 0;
        for (int k = 0; k < 100 && waitpid(g_children[i], &status, WNOHANG) == 0; k++) usleep(100000);
        if (kill(g_children[i], 0) == 0) { kill(g_children[i], SIGKILL); waitpid(g_children[i], &status, 0); g_forks[i].child_ok = 0; }
        else g_forks[i].child_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }

    snprintf(path, sizeof path, "%s/client.json", outdir);
    FILE *o = fopen(path, "w");
    if (!o) { fprintf(stderr, "cannot write %s\n", path); return 1; }
    unsigned long long calls = 0, failed = 0, wrong = 0;
    for (int i = 0; i < threads; i++) { calls += ws[i].calls; failed += ws[i].failed; wrong += ws[i].wrong; }
    fprintf(o, "{\"t0\": %.6f, \"bucketSeconds\": %.3f, \"threads\": %d, \"hosts\": %d, \"calls\": %llu, \"failed\": %llu, \"wrong\": %llu,\n",
            g_t0_wall, BUCKET, threads, g_hosts, calls, failed, wrong);
    fprintf(o, " \"rssKbStart\": %ld, \"rssKbEnd\": %ld, \"fdsStart\": %d, \"fdsEnd\": %d,\n", rss0, rss1, fd0, fd1);
    fprintf(o, " \"buckets\": [\n");
    int last = g_nb - 1;
    while (last > 0) {
        unsigned c = 0;
        for (int i = 0; i < threads; i++) c += ws[i].b[last].calls;
        if (c) break;
        last--;
    }
    for (int bi = 0; bi <= last; bi++) {
        unsigned c = 0, f = 0, w = 0;
        float mx = 0;
        unsigned h[HB];
        memset(h, 0, sizeof h);
        for (int i = 0; i < threads; i++) {
            bucket *b = &ws[i].b[bi];
            c += b->calls; f += b->failed; w += b->wrong;
            if (b->max > mx) mx = b->max;
            for (int k = 0; k < HB; k++) h[k] += b->hist[k];
        }
        fprintf(o, "  {\"calls\": %u, \"failed\": %u, \"wrong\": %u, \"maxMicros\": %.0f, \"hist\": {", c, f, w, mx);
        int first = 1;
        for (int k = 0; k < HB; k++) if (h[k]) { fprintf(o, "%s\"%d\": %u", first ? "" : ", ", k, h[k]); first = 0; }
        fprintf(o, "}}%s\n", bi == last ? "" : ",");
    }
    fprintf(o, " ],\n \"memberStates\": [");
    for (int i = 0; i < g_nevents; i++)
        fprintf(o, "%s{\"t\": %.3f, \"member\": %d, \"state\": %d}", i ? ", " : "", g_events[i].t, g_events[i].member, g_events[i].state);
    fprintf(o, "],\n \"forks\": [");
    for (int i = 0; i < g_nforks; i++)
        fprintf(o, "%s{\"t\": %.3f, \"pauseMillis\": %.2f, \"childOk\": %s}", i ? ", " : "", g_forks[i].t, g_forks[i].pause_ms, g_forks[i].child_ok == 1 ? "true" : "false");
    fprintf(o, "],\n \"failures\": [");
    for (int i = 0; i < g_nfail; i++) {
        char esc[400];
        size_t k = 0;
        for (const char *p = g_fail[i].msg; *p && k + 2 < sizeof esc; p++) {
            if (*p == '"' || *p == '\\') esc[k++] = '\\';
            esc[k++] = (*p >= 32 && *p < 127) ? *p : '?';
        }
        esc[k] = 0;
        fprintf(o, "%s{\"t\": %.3f, \"op\": \"%s\", \"rc\": %d, \"message\": \"%s\"}", i ? ", " : "", g_fail[i].t, g_opname[g_fail[i].op], g_fail[i].rc, esc);
    }
    fprintf(o, "]}\n");
    fclose(o);
    for (int i = 0; i < threads; i++) free(ws[i].b);
    CACipher_Finalize();
    printf("soak-client: %llu calls, %llu failed, %llu wrong, rss %ld -> %ld kB, fds %d -> %d\n", calls, failed, wrong, rss0, rss1, fd0, fd1);
    return 0;
}
