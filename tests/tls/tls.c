/*
 * tls.c - the installed libcacipher over TLS against local evsm TLS host ports.
 *
 *   tls check CERTDIR TCP_PORT TLS_PORT MTLS_PORT EXPIRED_PORT
 *       single calls: TLSv1.3 answers equal the plain-TCP answers (NC, BU, M6 under the
 *       payShield test LMK), unknown CA / wrong name / expired certificate refused with
 *       CACIPHER_E_TLS_VERIFY and OpenSSL's reason in CACipher_LastError, mutual TLS with
 *       and without a client certificate, bad CA file named in the error.
 *   tls load CONFIG SECONDS THREADS
 *       B2 calls from THREADS threads through CONFIG (run.sh kills a TLS member meanwhile);
 *       checks that no call failed. SIGPIPE keeps its default action (would kill us).
 *   tls bench CONFIG SECONDS THREADS
 *       prints "calls/s N" for B2 (16 bytes) through CONFIG (not a test).
 *
 * Each check prints "ok - ..." or "FAIL - ..."; run.sh counts them.
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


static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* One call on a fresh instance; returns the rc, the reply in rsp (NUL-terminated). */
static int call(const char *config, const char *cmd, char *rsp, size_t cap, char *err, size_t errcap) {
    cacipher_t *h = NULL;
    int rc = CACipher_Open(config, &h);
    rsp[0] = 0;
    if (err) err[0] = 0;
    if (rc != CACIPHER_OK) {
        if (err) snprintf(err, errcap, "%s", CACipher_LastError());
        return rc;
    }
    size_t len = cap - 1;
    rc = CACipher_Transmit(h, (const unsigned char *)cmd, strlen(cmd), (unsigned char *)rsp, &len);
    if (rc == CACIPHER_OK) rsp[len] = 0;
    else if (err) snprintf(err, errcap, "%s", CACipher_LastError());
    CACipher_Close(h);
    return rc;
}

static void config(char *out, size_t cap, int port, const char *proto, const char *certdir, const char *ca,
                   const char *client, const char *name) {
    int n = snprintf(out, cap, "{[LOGGER];logsw=;[HOST1];host=127.0.0.1;port=%d;linkNum=-2;connTimeout=2;readTimeout=2;"
                     "socketProtocol=%s;", port, proto);
    if (ca) n += snprintf(out + n, cap - (size_t)n, "tlsCAFile=%s/%s;", certdir, ca);
    if (client) n += snprintf(out + n, cap - (size_t)n, "tlsCertFile=%s/%s.pem;tlsKeyFile=%s/%s-key.pem;",
                              certdir, client, certdir, client);
    if (name) snprintf(out + n, cap - (size_t)n, "tlsServerName=%s;", name);
}

static int check(const char *certdir, int tcp, int tls, int mtls, int expired) {
    static const char *cmds[] = {
        "NC",
        "BU012T971803BA969012152827CC97A98D18D50BE6559CDFF6F7E1",
        "M600130003U90A17A99E4BA32475E692D7AAE177BBD00101234567887654321",
    };
    static const char *expect[] = { "ND0008D7B4FB629D0885", "BV006EC2A9AE788F", "M700934F05263310B6D3" };
    char c_tcp[2048], c_tls[2048], c[2048], a[4096], b[4096], err[1024];
    config(c_tcp, sizeof c_tcp, tcp, "TCP", certdir, NULL, NULL, NULL);
    config(c_tls, sizeof c_tls, tls, "TLSv1.3", certdir, "ca.pem", NULL, NULL);
    for (int i = 0; i < 3; i++) {
        int r1 = call(c_tcp, cmds[i], a, sizeof a, NULL, 0);
        int r2 = call(c_tls, cmds[i], b, sizeof b, err, sizeof err);
        CHECK_TEST(r1 == 0 && r2 == 0 && strcmp(a, b) == 0 && strncmp(b, expect[i], strlen(expect[i])) == 0,
              "%.2s over TLSv1.3 equals TCP (%s)%s%s", cmds[i], expect[i], r2 ? ": " : "", r2 ? err : "");
    }

    config(c, sizeof c, tls, "TLSv1.3", certdir, "other-ca.pem", NULL, NULL);
    int rc = call(c, "NC", a, sizeof a, err, sizeof err);
    CHECK_TEST(rc == CACIPHER_E_TLS_VERIFY && strstr(err, "local issuer"), "unknown CA -> CACIPHER_E_TLS_VERIFY (%d: %s)", rc, err);

    config(c, sizeof c, tls, "TLSv1.3", certdir, "ca.pem", NULL, "hsm.example.invalid");
    rc = call(c, "NC", a, sizeof a, err, sizeof err);
    CHECK_TEST(rc == CACIPHER_E_TLS_VERIFY && strstr(err, "mismatch"), "wrong server name -> CACIPHER_E_TLS_VERIFY (%d: %s)", rc, err);

    config(c, sizeof c, expired, "TLSv1.3", certdir, "ca.pem", NULL, NULL);
    rc = call(c, "NC", a, sizeof a, err, sizeof err);
    CHECK_TEST(rc == CACIPHER_E_TLS_VERIFY && strstr(err, "expired"), "expired certificate -> CACIPHER_E_TLS_VERIFY (%d: %s)", rc, err);

    config(c, sizeof c, mtls, "TLSv1.3", certdir, "ca.pem", "client", NULL);
    rc = call(c, "NC", a, sizeof a, err, sizeof err);
    CHECK_TEST(rc == 0 && strncmp(a, expect[0], strlen(expect[0])) == 0, "mutual TLS with a client certificate (%d %s)", rc, rc ? err : a);

    config(c, sizeof c, mtls, "TLSv1.3", certdir, "ca.pem", NULL, NULL);
    rc = call(c, "NC", a, sizeof a, err, sizeof err);
    CHECK_TEST(rc == CACIPHER_E_TLS || rc == CACIPHER_E_IO, "mutual TLS without a client certificate refused (%d: %s)", rc, err);

    config(c, sizeof c, tls, "TLSv1.3", certdir, "no-such-ca.pem", NULL, NULL);
    rc = call(c, "NC", a, sizeof a, err, sizeof err);
    CHECK_TEST(rc == CACIPHER_E_TLS && strstr(err, "no-such-ca.pem"), "missing CA file named in the error (%d: %s)", rc, err);
    return h_failed == 0 ? 0 : 1;
}

static const char *g_config;
static double g_seconds;
static long g_calls, g_failed;
static char g_first[512];
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
    long id = (long)arg, calls = 0, bad = 0;
    unsigned char cmd[64], rsp[256];
    double end = now() + g_seconds;
    while (now() < end) {
        char data[32];
        snprintf(data, sizeof data, "T%02ldC%012ld", id % 100, calls % 1000000000000L);
        int len = snprintf((char *)cmd, sizeof cmd, "B20010%s", data);
        size_t rlen = sizeof rsp;
        int rc = CACipher_Transmit(NULL, cmd, (size_t)len, rsp, &rlen);
        calls++;
        if (rc != CACIPHER_OK || rlen != 20 || memcmp(rsp + 4, data, 16) != 0) {
            bad++;
            pthread_mutex_lock(&g_lock);
            if (!g_first[0]) snprintf(g_first, sizeof g_first, "rc %d: %s", rc, rc ? CACipher_LastError() : "wrong reply");
            pthread_mutex_unlock(&g_lock);
        }
    }
    pthread_mutex_lock(&g_lock);
    g_calls += calls; g_failed += bad;
    pthread_mutex_unlock(&g_lock);
    return NULL;
}

static int load(int bench, const char *cfg, double seconds, int threads) {
    g_config = cfg; g_seconds = seconds;
    int rc = CACipher_Init(g_config);
    if (rc != CACIPHER_OK) {
        printf("FAIL - CACipher_Init: %d %s\n", rc, CACipher_LastError());
        return 1;
    }
    /* Warm up: connections and the DMK check are not part of the figure. */
    unsigned char r[64]; size_t rl = sizeof r;
    (void)CACipher_Transmit(NULL, (const unsigned char *)"NC", 2, r, &rl);
    pthread_t t[64];
    double start = now();
    for (long i = 0; i < threads; i++) pthread_create(&t[i], NULL, worker, (void *)i);
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    double took = now() - start;
    if (bench) {
        printf("calls/s %.0f (%ld calls, %d threads, %.1f s, %ld failed)\n", g_calls / took, g_calls, threads, took, g_failed);
    } else {
        long ejections = 0;
        cacipher_host_status st;
        for (int i = 0; i < CACipher_HostCount(NULL); i++)
            if (CACipher_HostStatus(NULL, i, &st) == CACIPHER_OK) ejections += st.ejections;
        CHECK_TEST(g_calls > 0 && g_failed == 0, "%ld calls over TLS with a member killed: %ld failed%s%s", g_calls, g_failed,
              g_failed ? " - first: " : "", g_first);
        CHECK_TEST(ejections >= 1, "the killed TLS member was ejected (%ld ejections)", ejections);
    }
    CACipher_Finalize();
    return g_failed == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc == 7 && strcmp(argv[1], "check") == 0)
        return check(argv[2], atoi(argv[3]), atoi(argv[4]), atoi(argv[5]), atoi(argv[6]));
    if (argc == 5 && (strcmp(argv[1], "load") == 0 || strcmp(argv[1], "bench") == 0)) {
        double s = atof(argv[3]);
        int th = atoi(argv[4]);
        if (s <= 0 || s > 120 || th < 1 || th > 64) { fprintf(stderr, "bad arguments\n"); return 2; }
        return load(strcmp(argv[1], "bench") == 0, argv[2], s, th);
    }
    fprintf(stderr, "usage: tls check CERTDIR TCP TLS MTLS EXPIRED | tls load|bench CONFIG SECONDS THREADS\n");
    return 2;
}
