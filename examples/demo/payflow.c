/*
 * payflow.c - the C program of `make demo`: a small payment switch on libcacipher.
 *
 *   payflow CONFIG [--seconds S] [--threads N] [--json] [--events FILE] [--ceremony FILE]
 *                  [--ready FILE] [--extra S]
 *
 * It loads libcacipher with CONFIG (a cacipher.ini naming every HSM of the group, with
 * [GROUP] dmkCheckValue set), makes its working keys once (a ZMK; two ZPKs and a ZAK,
 * each generated and exported under the ZMK), then runs the payment flow in N threads
 * for S seconds. Every HSM call is a typed libcacipher call (one host command each);
 * one round of the flow, every result checked:
 *
 *   BA  CACipher_EncryptPIN: PIN (random, 4-6 digits) and account -> PIN under the LMK
 *   JG  CACipher_PINLMKToBlock: PIN block (ISO 0) under ZPK1
 *   CC  CACipher_TranslatePIN_ZPKtoZPK ZPK1 -> ZPK2; PIN length checked
 *   CC  and back ZPK2 -> ZPK1: must give the first PIN block again
 *   JE  CACipher_PINBlockToLMK of the ZPK2 block: must give the PIN under LMK of BA
 *   M6  CACipher_GenerateMAC (X9.19, 8 bytes) of 32 random bytes under the ZAK
 *   M8  CACipher_VerifyMAC of that MAC: must answer OK
 *   M8  the same over altered data: must answer 1 (verification failed)
 *   every 8th round: A0 a new ZPK exported under the ZMK, A6 import it back, A8 export
 *   it again; every KCV equal
 *
 * Meanwhile a sampler thread reads CACipher_HostStatus of every member every 100 ms.
 * When the time is up and a member was ejected, the load goes on (at most --extra
 * seconds, default 15) until that member is up again and has served calls: the rejoin.
 *
 * The script around it (scripts/demo.sh) kills one evsm in the middle and restarts it; it
 * appends those events to --events FILE ("<unix time> <text>" per line), which the summary
 * merges into the timeline. --ceremony FILE is a JSON object embedded as is in the JSON
 * output. --ready FILE is created once the load runs.
 *
 * Output: progress lines, then the summary (member table, timeline, events) on stdout,
 * ending with the line "calls=N failed=F bad=B ... transport=T" (T: the members'
 * socketProtocol as the library reports it, TCP or TLSv1.x). With --json the progress and summary
 * go to stderr and stdout gets one JSON document only. Exit status 0 only when no call
 * failed, every check held, a member was ejected and came back, and every member reports
 * the group's DMK check value.
 */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include <cacipher.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_MEMBERS 8
#define MAX_THREADS 64
#define MAX_SAMPLES 20000
#define MAX_EVENTS 64
#define SAMPLE_MS 100

/* ---------------------------------------------------------------- options and output */

static double opt_seconds = 20, opt_extra = 15;
static int opt_threads = 4, opt_json = 0;
static const char *opt_events, *opt_ceremony, *opt_config, *opt_ready;
static FILE *human; /* where progress and summary go: stdout, or stderr with --json */

static void say(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfprintf(human, fmt, ap);
    va_end(ap);
    fflush(human);
}

static double mono(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}
static double wall(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}
static double t0_mono, t0_wall; /* start of the load */
static double since_start(void) { return mono() - t0_mono; }

/* ---------------------------------------------------------------- counters */

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile long g_calls, g_failed, g_bad, g_rounds, g_checks;
static char g_first_failure[512], g_first_bad[512];
static volatile int g_stop;

/* Latency histogram: bucket i holds calls that took [1.05^i, 1.05^(i+1)) microseconds. */
#define HBUCKETS 400
static long g_hist[HBUCKETS];
static double g_lat_max;

static void record_latency(double us) {
    int b = us < 1 ? 0 : (int)(log(us) / log(1.05));
    if (b >= HBUCKETS) b = HBUCKETS - 1;
    pthread_mutex_lock(&g_lock);
    g_hist[b]++;
    if (us > g_lat_max) g_lat_max = us;
    pthread_mutex_unlock(&g_lock);
}

static double percentile(double p) {
    long total = 0, seen = 0;
    for (int i = 0; i < HBUCKETS; i++) total += g_hist[i];
    if (total == 0) return 0;
    long want = (long)ceil(p * (double)total);
    for (int i = 0; i < HBUCKETS; i++) {
        seen += g_hist[i];
        if (seen >= want) return pow(1.05, i + 0.5);
    }
    return g_lat_max;
}

static void note(char *slot, const char *fmt, ...) {
    pthread_mutex_lock(&g_lock);
    if (!slot[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(slot, 512, fmt, ap);
        va_end(ap);
    }
    pthread_mutex_unlock(&g_lock);
}

/* ---------------------------------------------------------------- the HSM calls */

/* Every HSM call is one typed libcacipher call (one host command). call_end counts it:
 * a negative result (the library could not get an answer from any member) is a FAILED
 * call; an answer other than the expected one is a BAD result. Returns 1 when the call
 * answered as expected. Messages name the step, never keys, PINs or data. */
static int call_end(const char *what, double started, int rc, int expect) {
    double us = (mono() - started) * 1e6;
    __sync_fetch_and_add(&g_calls, 1);
    if (rc < 0) {
        __sync_fetch_and_add(&g_failed, 1);
        note(g_first_failure, "%s at %.1fs: %s (%d): %s", what, since_start(), CACipher_ErrorString(rc), rc,
             CACipher_LastError());
        return 0;
    }
    record_latency(us);
    __sync_fetch_and_add(&g_checks, 1);
    if (rc != expect) {
        __sync_fetch_and_add(&g_bad, 1);
        note(g_first_bad, "%s at %.1fs answered %d (%s), expected %d", what, since_start(), rc, CACipher_ErrorString(rc), expect);
        return 0;
    }
    return 1;
}

/* A check of a result: counted; a failed one is "bad" (first one kept, without values). */
static int check(int ok, const char *what) {
    __sync_fetch_and_add(&g_checks, 1);
    if (!ok) {
        __sync_fetch_and_add(&g_bad, 1);
        note(g_first_bad, "%s at %.1fs", what, since_start());
    }
    return ok;
}

typedef struct { char lmk[CACIPHER_KEY_BUFSIZE], zmk[CACIPHER_KEY_BUFSIZE], kcv[CACIPHER_KCV_BUFSIZE]; } key_t2;

/* A0: a double-length key of keyType under the LMK; with zmk also exported under it. */
static int generate_key(const char *what, int keyType, const char *zmk, key_t2 *k) {
    size_t l1 = sizeof k->lmk, l2 = sizeof k->zmk, l3 = sizeof k->kcv;
    double t = mono();
    int rc = CACipher_GenerateKey(NULL, keyType, CACIPHER_SCHEME_DOUBLE_VARIANT, zmk, CACIPHER_SCHEME_DOUBLE_VARIANT, 0, NULL,
                                  k->lmk, &l1, zmk ? k->zmk : NULL, zmk ? &l2 : NULL, k->kcv, &l3);
    return call_end(what, t, rc, CACIPHER_OK);
}

/* ---------------------------------------------------------------- the payment flow */

static key_t2 g_zmk, g_zpk1, g_zpk2, g_zak;

static void random_digits(unsigned *seed, char *out, int n) {
    for (int i = 0; i < n; i++) out[i] = (char)('0' + rand_r(seed) % 10);
    out[n] = 0;
}

/* One round; returns when a step fails (the failure is counted). */
static void round_once(unsigned *seed, long n) {
    char pin[CACIPHER_PIN_BUFSIZE], acct[13], pinlmk[CACIPHER_PIN_LMK_BUFSIZE], pinlmk2[CACIPHER_PIN_LMK_BUFSIZE];
    char blk1[CACIPHER_PIN_BLOCK_BUFSIZE], blk2[CACIPHER_PIN_BLOCK_BUFSIZE], back[CACIPHER_PIN_BLOCK_BUFSIZE];
    char mac[CACIPHER_MAC_BUFSIZE];
    unsigned char data[32];
    size_t l;
    int rc, plen = 4 + rand_r(seed) % 3, got = 0;
    double t;
    random_digits(seed, pin, plen);
    random_digits(seed, acct, 12);

    l = sizeof pinlmk;
    t = mono();
    rc = CACipher_EncryptPIN(NULL, pin, acct, pinlmk, &l);
    memset(pin, 0, sizeof pin);
    if (!call_end("BA encrypt PIN", t, rc, CACIPHER_OK)) goto out;

    l = sizeof blk1;
    t = mono();
    rc = CACipher_PINLMKToBlock(NULL, g_zpk1.lmk, CACIPHER_PIN_FORMAT_ISO0, acct, pinlmk, blk1, &l);
    if (!call_end("JG PIN block under ZPK1", t, rc, CACIPHER_OK)) goto out;

    l = sizeof blk2;
    t = mono();
    rc = CACipher_TranslatePIN_ZPKtoZPK(NULL, g_zpk1.lmk, g_zpk2.lmk, 12, blk1, CACIPHER_PIN_FORMAT_ISO0, CACIPHER_PIN_FORMAT_ISO0,
                                        acct, blk2, &l, &got);
    if (!call_end("CC translate ZPK1->ZPK2", t, rc, CACIPHER_OK)) goto out;
    if (!check(got == plen && strlen(blk2) == 16, "CC: PIN length and block size")) goto out;
    check(strcmp(blk2, blk1) != 0, "CC: the block under ZPK2 differs from the block under ZPK1");

    l = sizeof back;
    t = mono();
    rc = CACipher_TranslatePIN_ZPKtoZPK(NULL, g_zpk2.lmk, g_zpk1.lmk, 12, blk2, CACIPHER_PIN_FORMAT_ISO0, CACIPHER_PIN_FORMAT_ISO0,
                                        acct, back, &l, NULL);
    if (!call_end("CC translate ZPK2->ZPK1", t, rc, CACIPHER_OK)) goto out;
    if (!check(strcmp(back, blk1) == 0, "CC back to ZPK1 gives the original PIN block")) goto out;

    l = sizeof pinlmk2;
    t = mono();
    rc = CACipher_PINBlockToLMK(NULL, g_zpk2.lmk, blk2, CACIPHER_PIN_FORMAT_ISO0, acct, pinlmk2, &l);
    if (!call_end("JE PIN block under ZPK2 to LMK", t, rc, CACIPHER_OK)) goto out;
    if (!check(strcmp(pinlmk2, pinlmk) == 0, "JE: the translated block holds the same PIN")) goto out;

    for (size_t i = 0; i < sizeof data; i++) data[i] = (unsigned char)rand_r(seed);
    l = sizeof mac;
    t = mono();
    rc = CACipher_GenerateMAC(NULL, CACIPHER_MAC_ONLY, CACIPHER_MAC_ALG3, CACIPHER_MAC_PAD_METHOD2, CACIPHER_MAC_SIZE_8,
                              CACIPHER_KEY_ZAK, g_zak.lmk, NULL, data, sizeof data, mac, &l);
    if (!call_end("M6 generate MAC", t, rc, CACIPHER_OK)) goto out;
    if (!check(strlen(mac) == 16, "M6: an 8-byte MAC")) goto out;

    t = mono();
    rc = CACipher_VerifyMAC(NULL, CACIPHER_MAC_ONLY, CACIPHER_MAC_ALG3, CACIPHER_MAC_PAD_METHOD2, CACIPHER_MAC_SIZE_8,
                            CACIPHER_KEY_ZAK, g_zak.lmk, NULL, data, sizeof data, mac);
    if (!call_end("M8 verifies the MAC", t, rc, CACIPHER_OK)) goto out;
    data[0] ^= 0x01;
    t = mono();
    rc = CACipher_VerifyMAC(NULL, CACIPHER_MAC_ONLY, CACIPHER_MAC_ALG3, CACIPHER_MAC_PAD_METHOD2, CACIPHER_MAC_SIZE_8,
                            CACIPHER_KEY_ZAK, g_zak.lmk, NULL, data, sizeof data, mac);
    if (!call_end("M8 refuses the MAC over altered data", t, rc, CACIPHER_HSM_VERIFICATION_FAILED)) goto out;

    if (n % 8 == 0) { /* key exchange: a new ZPK under the ZMK, imported back, exported again */
        key_t2 k, imp;
        char kcv[CACIPHER_KCV_BUFSIZE];
        size_t l2 = sizeof imp.kcv;
        if (!generate_key("A0 new ZPK exported under the ZMK", CACIPHER_KEY_ZPK, g_zmk.lmk, &k)) goto out;
        l = sizeof imp.lmk;
        t = mono();
        rc = CACipher_ImportKey(NULL, CACIPHER_KEY_ZPK, g_zmk.lmk, k.zmk, CACIPHER_SCHEME_DOUBLE_VARIANT, 0, NULL, imp.lmk, &l,
                                imp.kcv, &l2);
        if (!call_end("A6 import the ZPK", t, rc, CACIPHER_OK)) goto out;
        if (!check(strcmp(imp.kcv, k.kcv) == 0, "A6: the imported ZPK has the generated KCV")) goto out;
        l = sizeof imp.zmk;
        l2 = sizeof kcv;
        t = mono();
        rc = CACipher_ExportKey(NULL, CACIPHER_KEY_ZPK, g_zmk.lmk, imp.lmk, CACIPHER_SCHEME_DOUBLE_VARIANT, imp.zmk, &l, kcv, &l2);
        if (!call_end("A8 export the ZPK under the ZMK", t, rc, CACIPHER_OK)) goto out;
        check(strcmp(kcv, k.kcv) == 0, "A8: the exported ZPK has the generated KCV");
    }
    __sync_fetch_and_add(&g_rounds, 1);
out:
    memset(pinlmk, 0, sizeof pinlmk);
    memset(pinlmk2, 0, sizeof pinlmk2);
    memset(blk1, 0, sizeof blk1);
    memset(blk2, 0, sizeof blk2);
    memset(back, 0, sizeof back);
}

static void *worker(void *arg) {
    unsigned seed = (unsigned)(long)arg * 2654435761u ^ (unsigned)getpid() ^ (unsigned)time(NULL);
    for (long n = 0; !g_stop; n++) round_once(&seed, n);
    return NULL;
}

/* ---------------------------------------------------------------- member status sampling */

static int g_members;
static char g_names[MAX_MEMBERS][32];
/* The transport, as the library reports it (cacipher_host_info.socketProtocol): "TCP",
 * "TLSv1.2" or "TLSv1.3" when every member uses the same, else "mixed". */
static char g_transport[16] = "?";
static int g_tls_verify = 1;
typedef struct {
    double t;
    long calls, failed;
    signed char state[MAX_MEMBERS];
    long long completed[MAX_MEMBERS];
    long long ejections[MAX_MEMBERS];
} sample_t;
static sample_t *g_samples;
static int g_nsamples;
static pthread_mutex_t g_sample_lock = PTHREAD_MUTEX_INITIALIZER;

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
static char state_char(int s) {
    switch (s) {
    case CACIPHER_MEMBER_UNKNOWN: return '.';
    case CACIPHER_MEMBER_UP: return '#';
    case CACIPHER_MEMBER_EJECTED: return 'x';
    case CACIPHER_MEMBER_DMK_MISMATCH: return 'D';
    case CACIPHER_MEMBER_NOT_INITIALISED: return 'N';
    default: return '?';
    }
}

static void take_sample(void) {
    if (g_nsamples >= MAX_SAMPLES) return;
    sample_t tmp, *s = &tmp;
    memset(s, 0, sizeof *s);
    s->t = since_start();
    s->calls = g_calls;
    s->failed = g_failed;
    for (int i = 0; i < g_members; i++) {
        cacipher_host_status st;
        if (CACipher_HostStatus(NULL, i, &st) == CACIPHER_OK) {
            s->state[i] = (signed char)st.state;
            s->completed[i] = st.completed;
            s->ejections[i] = st.ejections;
        } else {
            s->state[i] = -1;
        }
    }
    pthread_mutex_lock(&g_sample_lock);
    g_samples[g_nsamples++] = tmp;
    pthread_mutex_unlock(&g_sample_lock);
}

static volatile int g_sampler_stop;
static void *sampler(void *arg) {
    (void)arg;
    double next_progress = 1.0;
    long last_calls = 0;
    while (!g_sampler_stop) {
        take_sample();
        pthread_mutex_lock(&g_sample_lock);
        const sample_t *s = &g_samples[g_nsamples - 1];
        pthread_mutex_unlock(&g_sample_lock);
        if (s->t >= next_progress) {
            char states[256] = "";
            for (int i = 0; i < g_members; i++) {
                size_t l = strlen(states);
                snprintf(states + l, sizeof states - l, " %s=%s", g_names[i], state_name(s->state[i]));
            }
            say("  %5.1fs  calls %7ld  (%5ld/s)  failed %ld %s\n", s->t, s->calls, s->calls - last_calls, s->failed, states);
            last_calls = s->calls;
            next_progress += 1.0;
        }
        usleep(SAMPLE_MS * 1000);
    }
    take_sample();
    return NULL;
}

/* ---------------------------------------------------------------- events from the script */

typedef struct { double t; char text[160]; } event_t;
static event_t g_events[MAX_EVENTS];
static int g_nevents;

static void read_events(void) {
    if (!opt_events) return;
    FILE *f = fopen(opt_events, "r");
    if (!f) return;
    char line[256];
    while (g_nevents < MAX_EVENTS && fgets(line, sizeof line, f)) {
        char *rest = NULL;
        double t = strtod(line, &rest);
        if (rest == line) continue;
        while (*rest == ' ') rest++;
        rest[strcspn(rest, "\r\n")] = 0;
        g_events[g_nevents].t = t - t0_wall;
        snprintf(g_events[g_nevents].text, sizeof g_events[0].text, "%s", rest);
        g_nevents++;
    }
    fclose(f);
}

/* State changes of every member, from the samples. */
typedef struct { double t; int member, from, to; } change_t;
static change_t g_changes[1024];
static int g_nchanges;
static void find_changes(void) {
    for (int k = 1; k < g_nsamples && g_nchanges < 1024; k++)
        for (int i = 0; i < g_members; i++)
            if (g_samples[k].state[i] != g_samples[k - 1].state[i] && g_nchanges < 1024)
                g_changes[g_nchanges++] = (change_t){g_samples[k].t, i, g_samples[k - 1].state[i], g_samples[k].state[i]};
}

/* ---------------------------------------------------------------- JSON helpers */

static void json_str(FILE *o, const char *s) {
    fputc('"', o);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') fprintf(o, "\\%c", c);
        else if (c < 0x20) fprintf(o, "\\u%04x", c);
        else fputc(c, o);
    }
    fputc('"', o);
}

static void json_file(FILE *o, const char *path) {
    FILE *f = path ? fopen(path, "r") : NULL;
    if (!f) { fputs("null", o); return; }
    char buf[4096];
    size_t n;
    int any = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) { fwrite(buf, 1, n, o); any = 1; }
    fclose(f);
    if (!any) fputs("null", o);
}

/* ---------------------------------------------------------------- main */

static void usage(void) {
    fprintf(stderr, "usage: payflow CONFIG [--seconds S] [--threads N] [--json] [--events FILE] [--ceremony FILE] [--ready FILE] [--extra S]\n");
    exit(2);
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json")) opt_json = 1;
        else if (!strcmp(a, "--seconds") && i + 1 < argc) opt_seconds = atof(argv[++i]);
        else if (!strcmp(a, "--threads") && i + 1 < argc) opt_threads = atoi(argv[++i]);
        else if (!strcmp(a, "--extra") && i + 1 < argc) opt_extra = atof(argv[++i]);
        else if (!strcmp(a, "--events") && i + 1 < argc) opt_events = argv[++i];
        else if (!strcmp(a, "--ceremony") && i + 1 < argc) opt_ceremony = argv[++i];
        else if (!strcmp(a, "--ready") && i + 1 < argc) opt_ready = argv[++i];
        else if (a[0] != '-' && !opt_config) opt_config = a;
        else usage();
    }
    if (!opt_config || opt_seconds <= 0 || opt_seconds > 3600 || opt_threads < 1 || opt_threads > MAX_THREADS ||
        opt_extra < 0 || opt_extra > 600)
        usage();
    human = opt_json ? stderr : stdout;
    g_samples = calloc(MAX_SAMPLES, sizeof *g_samples);
    if (!g_samples) return 2;

    int rc = CACipher_Init(opt_config);
    if (rc != CACIPHER_OK) {
        say("CACipher_Init: %s (%d): %s\ncalls=0 failed=1 error=init\n", CACipher_ErrorString(rc), rc, CACipher_LastError());
        return 1;
    }
    g_members = CACipher_HostCount(NULL);
    if (g_members < 1 || g_members > MAX_MEMBERS) {
        say("unexpected member count %d\ncalls=0 failed=1 error=config\n", g_members);
        return 1;
    }
    for (int i = 0; i < g_members; i++) {
        cacipher_host_info h;
        if (CACipher_HostInfo(NULL, i, &h) == CACIPHER_OK) snprintf(g_names[i], sizeof g_names[i], "%s", h.section);
        else snprintf(g_names[i], sizeof g_names[i], "HOST%d", i + 1);
    }
    for (int i = 0; i < g_members; i++) {
        cacipher_host_info h;
        memset(&h, 0, sizeof h);
        if (CACipher_HostInfo(NULL, i, &h) != CACIPHER_OK) snprintf(h.socketProtocol, sizeof h.socketProtocol, "?");
        if (i == 0) snprintf(g_transport, sizeof g_transport, "%s", h.socketProtocol);
        else if (strcmp(g_transport, h.socketProtocol) != 0) snprintf(g_transport, sizeof g_transport, "mixed");
        if (strcmp(h.socketProtocol, "TCP") != 0 && !h.tlsVerify) g_tls_verify = 0;
    }
    say("libcacipher %s, %d members over %s:", CACipher_Version(), g_members, g_transport);
    for (int i = 0; i < g_members; i++) {
        cacipher_host_info h;
        if (CACipher_HostInfo(NULL, i, &h) == CACIPHER_OK) say(" %s=%s:%d", h.section, h.host, h.port);
    }
    say("\n");

    t0_mono = mono();
    t0_wall = wall();

    /* Working keys: a ZMK, then ZPK1, ZPK2 and a ZAK generated and exported under it. */
    int keys_ok = generate_key("A0 ZMK", CACIPHER_KEY_ZMK, NULL, &g_zmk) &&
                  generate_key("A0 ZPK1 also under the ZMK", CACIPHER_KEY_ZPK, g_zmk.lmk, &g_zpk1) &&
                  generate_key("A0 ZPK2 also under the ZMK", CACIPHER_KEY_ZPK, g_zmk.lmk, &g_zpk2) &&
                  generate_key("A0 ZAK also under the ZMK", CACIPHER_KEY_ZAK, g_zmk.lmk, &g_zak);
    if (keys_ok) {
        say("keys: ZMK kcv %.6s; ZPK1 kcv %.6s, ZPK2 kcv %.6s, ZAK kcv %.6s (each also exported under the ZMK)\n",
            g_zmk.kcv, g_zpk1.kcv, g_zpk2.kcv, g_zak.kcv);
        say("load: %d threads for %.0f s: BA, JG, CC ZPK1->ZPK2, CC back, JE, M6, M8 ok, M8 altered; A0+A6+A8 every 8th round\n",
            opt_threads, opt_seconds);
    } else {
        say("could not make the working keys: %s%s\n", g_first_failure, g_first_bad);
    }

    pthread_t samp, t[MAX_THREADS];
    pthread_create(&samp, NULL, sampler, NULL);
    int started = 0;
    if (keys_ok)
        for (long i = 0; i < opt_threads; i++)
            if (pthread_create(&t[i], NULL, worker, (void *)i) == 0) started++;
    if (opt_ready && started > 0) { /* tell the script the load is running */
        FILE *r = fopen(opt_ready, "w");
        if (r) fclose(r);
    }

    /* Run for the time asked; then, if a member is still out or has not served since it
     * came back, go on (bounded) until it has: that is the rejoin we want to show. */
    double end = opt_seconds, hard_end = opt_seconds + opt_extra;
    int extended = 0;
    while (keys_ok) {
        usleep(50 * 1000);
        double now = since_start();
        if (now < end) continue;
        int pending = 0;
        for (int i = 0; i < g_members; i++) {
            cacipher_host_status st;
            if (CACipher_HostStatus(NULL, i, &st) != CACIPHER_OK) continue;
            if (st.ejections > 0) {
                /* ejected at some point: must be up now and have completed calls since. */
                int served = st.state == CACIPHER_MEMBER_UP;
                pthread_mutex_lock(&g_sample_lock);
                for (int k = g_nsamples - 1; k >= 0; k--) {
                    if (g_samples[k].state[i] != CACIPHER_MEMBER_UP) {
                        served = served && st.completed > g_samples[k].completed[i];
                        break;
                    }
                }
                pthread_mutex_unlock(&g_sample_lock);
                if (!served) pending = 1;
            }
        }
        if (!pending || now >= hard_end) break;
        if (!extended) { say("  load continues until the ejected member is back in use (at most %.0f s more)\n", opt_extra); extended = 1; }
    }
    g_stop = 1;
    for (int i = 0; i < started; i++) pthread_join(t[i], NULL);
    double elapsed = since_start();
    g_sampler_stop = 1;
    pthread_join(samp, NULL);

    read_events();
    find_changes();

    /* ---- final member status */
    cacipher_host_status st[MAX_MEMBERS];
    memset(st, 0, sizeof st);
    long long ejections = 0;
    int all_up = 1, same_cv = 1;
    for (int i = 0; i < g_members; i++) {
        if (CACipher_HostStatus(NULL, i, &st[i]) != CACIPHER_OK) all_up = 0;
        if (st[i].state != CACIPHER_MEMBER_UP) all_up = 0;
        ejections += st[i].ejections;
        if (strcmp(st[i].dmkCheckValue, st[0].dmkCheckValue) != 0) same_cv = 0;
    }
    if (!st[0].dmkCheckValue[0]) same_cv = 0;

    /* rejoin: a member went from not-up to up after having been ejected, and served after */
    int rejoined = 0;
    double rejoin_t = -1, eject_t = -1;
    long long served_since = 0;
    const char *rejoin_member = "";
    for (int c = 0; c < g_nchanges; c++) {
        if (g_changes[c].to == CACIPHER_MEMBER_EJECTED && eject_t < 0) eject_t = g_changes[c].t;
        if (g_changes[c].to == CACIPHER_MEMBER_UP && g_changes[c].from == CACIPHER_MEMBER_EJECTED) {
            int m = g_changes[c].member;
            if (st[m].completed > 0) {
                /* completed after the change? */
                for (int k = 0; k < g_nsamples; k++)
                    if (g_samples[k].t >= g_changes[c].t && st[m].completed > g_samples[k].completed[m]) {
                        rejoined = 1;
                        rejoin_t = g_changes[c].t;
                        rejoin_member = g_names[m];
                        served_since = st[m].completed - g_samples[k].completed[m];
                        break;
                    }
            }
        }
    }

    double p50 = percentile(0.50), p99 = percentile(0.99);
    int ok = keys_ok && g_calls > 0 && g_failed == 0 && g_bad == 0 && ejections >= 1 && rejoined && all_up && same_cv;

    /* ---- human summary */
    say("\n== summary\n");
    say("run: %.1f s, %d threads, %ld payment rounds, %ld calls (%.0f calls/s), %ld checks\n", elapsed, started, g_rounds,
        g_calls, g_calls / (elapsed > 0 ? elapsed : 1), g_checks);
    if (!strcmp(g_transport, "TCP"))
        say("transport: TCP (plain sockets to every member)\n");
    else
        say("transport: %s to every member (certificates %s)\n", g_transport,
            g_tls_verify ? "verified: tlsVerify=1" : "NOT verified: tlsVerify=0");
    say("latency per call: p50 %.0f us, p99 %.0f us, max %.0f us\n", p50, p99, g_lat_max);
    say("calls failed: %ld%s%s\n", g_failed, g_failed ? "  first: " : "", g_first_failure);
    say("results wrong: %ld%s%s\n", g_bad, g_bad ? "  first: " : "", g_first_bad);
    say("\n%-7s %-9s %10s %9s %10s %12s  %s\n", "member", "state", "completed", "failures", "ejections", "latency(us)",
        "DMK check value");
    for (int i = 0; i < g_members; i++)
        say("%-7s %-9s %10lld %9lld %10lld %12.0f  %s\n", g_names[i], state_name(st[i].state), st[i].completed, st[i].failures,
            st[i].ejections, st[i].latencyMicros, st[i].dmkCheckValue);

    /* compact timeline: one column per slice of the run, '#' up, 'x' ejected, '.' unknown */
    int cols = 60;
    double slice = elapsed / cols;
    say("\ntimeline (%.2f s per column; # up, x ejected, . not used yet, D dmk-mismatch, N not initialised)\n", slice);
    for (int i = 0; i < g_members; i++) {
        char row[128];
        for (int c = 0; c < cols; c++) {
            int worst = -2;
            for (int k = 0; k < g_nsamples; k++) {
                if (g_samples[k].t < c * slice || g_samples[k].t >= (c + 1) * slice) continue;
                int s = g_samples[k].state[i];
                if (worst == -2 || s == CACIPHER_MEMBER_EJECTED || (worst == CACIPHER_MEMBER_UP && s != CACIPHER_MEMBER_UP)) worst = s;
            }
            row[c] = worst == -2 ? (c > 0 ? row[c - 1] : ' ') : state_char(worst);
        }
        row[cols] = 0;
        say("  %-6s |%s|\n", g_names[i], row);
    }
    say("  %-6s  0s%*s%.0fs\n", "", cols - 4, "", elapsed);
    say("\nevents\n");
    /* merge script events and state changes by time */
    int e = 0, c = 0;
    while (e < g_nevents || c < g_nchanges) {
        if (c >= g_nchanges || (e < g_nevents && g_events[e].t <= g_changes[c].t)) {
            say("  %6.2fs  %s\n", g_events[e].t, g_events[e].text);
            e++;
        } else {
            say("  %6.2fs  %s %s -> %s\n", g_changes[c].t, g_names[g_changes[c].member], state_name(g_changes[c].from),
                state_name(g_changes[c].to));
            c++;
        }
    }
    if (rejoined)
        say("\nrejoin: %s ejected at %.1f s, up again at %.1f s (background NC probe, no restart of the client), "
            "%lld calls served since\n", rejoin_member, eject_t, rejoin_t, served_since);
    say("checks: calls made %s, none failed %s, results right %s, ejection seen %s, rejoin seen %s, every member up %s, "
        "equal DMK check values %s\n",
        g_calls > 0 ? "yes" : "NO", g_failed == 0 ? "yes" : "NO", g_bad == 0 ? "yes" : "NO", ejections >= 1 ? "yes" : "NO",
        rejoined ? "yes" : "NO", all_up ? "yes" : "NO", same_cv ? "yes" : "NO");

    /* ---- JSON */
    if (opt_json) {
        FILE *o = stdout;
        fprintf(o, "{\n  \"ok\": %s,\n  \"library\": ", ok ? "true" : "false");
        json_str(o, CACipher_Version());
        fprintf(o, ",\n  \"transport\": ");
        json_str(o, g_transport);
        fprintf(o, ",\n  \"tlsVerify\": %s", strcmp(g_transport, "TCP") && g_tls_verify ? "true" : "false");
        fprintf(o, ",\n  \"ceremony\": ");
        json_file(o, opt_ceremony);
        fprintf(o, ",\n  \"load\": {\"seconds\": %.3f, \"threads\": %d, \"rounds\": %ld, \"calls\": %ld, \"failed\": %ld, "
                   "\"bad\": %ld, \"checks\": %ld, \"callsPerSecond\": %.1f, \"p50Micros\": %.0f, \"p99Micros\": %.0f, "
                   "\"maxMicros\": %.0f, \"firstFailure\": ",
                elapsed, started, g_rounds, g_calls, g_failed, g_bad, g_checks, g_calls / (elapsed > 0 ? elapsed : 1), p50, p99,
                g_lat_max);
        json_str(o, g_first_failure);
        fprintf(o, ", \"firstBad\": ");
        json_str(o, g_first_bad);
        fprintf(o, "},\n  \"members\": [");
        for (int i = 0; i < g_members; i++) {
            cacipher_host_info h;
            memset(&h, 0, sizeof h);
            CACipher_HostInfo(NULL, i, &h);
            fprintf(o, "%s\n    {\"name\": ", i ? "," : "");
            json_str(o, g_names[i]);
            fprintf(o, ", \"address\": \"%s:%d\", \"socketProtocol\": \"%s\", \"state\": \"%s\", \"completed\": %lld, "
                       "\"failures\": %lld, \"ejections\": %lld, \"latencyMicros\": %.0f, \"dmkCheckValue\": ",
                    h.host, h.port, h.socketProtocol, state_name(st[i].state), st[i].completed, st[i].failures, st[i].ejections,
                    st[i].latencyMicros);
            json_str(o, st[i].dmkCheckValue);
            fprintf(o, "}");
        }
        fprintf(o, "\n  ],\n  \"events\": [");
        for (int i = 0; i < g_nevents; i++) {
            fprintf(o, "%s\n    {\"t\": %.3f, \"text\": ", i ? "," : "", g_events[i].t);
            json_str(o, g_events[i].text);
            fprintf(o, "}");
        }
        fprintf(o, "\n  ],\n  \"stateChanges\": [");
        for (int i = 0; i < g_nchanges; i++)
            fprintf(o, "%s\n    {\"t\": %.3f, \"member\": \"%s\", \"from\": \"%s\", \"to\": \"%s\"}", i ? "," : "", g_changes[i].t,
                    g_names[g_changes[i].member], state_name(g_changes[i].from), state_name(g_changes[i].to));
        fprintf(o, "\n  ],\n  \"timeline\": [");
        for (int k = 0; k < g_nsamples; k++) {
            fprintf(o, "%s\n    {\"t\": %.2f, \"calls\": %ld, \"failed\": %ld, \"states\": [", k ? "," : "", g_samples[k].t,
                    g_samples[k].calls, g_samples[k].failed);
            for (int i = 0; i < g_members; i++) fprintf(o, "%s\"%s\"", i ? ", " : "", state_name(g_samples[k].state[i]));
            fprintf(o, "], \"completed\": [");
            for (int i = 0; i < g_members; i++) fprintf(o, "%s%lld", i ? ", " : "", g_samples[k].completed[i]);
            fprintf(o, "]}");
        }
        fprintf(o, "\n  ],\n  \"checks\": {\"ejectionSeen\": %s, \"rejoinSeen\": %s, \"rejoinMember\": ", ejections >= 1 ? "true" : "false",
                rejoined ? "true" : "false");
        json_str(o, rejoin_member);
        fprintf(o, ", \"ejectedAt\": %.3f, \"rejoinedAt\": %.3f, \"allUp\": %s, \"equalDMKCheckValues\": %s}\n}\n", eject_t, rejoin_t,
                all_up ? "true" : "false", same_cv ? "true" : "false");
        fflush(o);
    }

    CACipher_Finalize();
    say("calls=%ld failed=%ld bad=%ld checks=%ld ejections=%lld rejoined=%s transport=%s\n", g_calls, g_failed, g_bad, g_checks,
        ejections, rejoined ? "yes" : "no", g_transport);
    free(g_samples);
    return ok ? 0 : 1;
}
