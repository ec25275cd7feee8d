/*
 * libclient.c - the libcacipher side of the comparison in `make bench`: the same commands
 * as baseline.c, through CACipher_Transmit on one [HOST1] with linkNum=-THREADS (a pool of
 * exactly THREADS connections, as many as baseline.c opens), logging off.
 *
 *   libclient PORT B2|CC THREADS SECONDS [CERTDIR]
 *
 * With CERTDIR (made by scripts/make-test-certs.sh) PORT is an evsm TLS host port and the
 * section gets socketProtocol=TLSv1.3, tlsCAFile=CERTDIR/ca.pem (verified, tlsVerify=1) and
 * the client certificate CERTDIR/client.pem + client-key.pem (mutual TLS): the same pool,
 * the same calls, over TLS.
 *
 * Prints one JSON line (bench/common.h). The first call of each run also pays for the
 * connection and the group's NC check; the run is long enough for that not to matter.
 */
#include "common.h"
#include <cacipher.h>
#include <pthread.h>

static double g_seconds;
static const char *g_req, *g_rsp;

static void *worker(void *arg) {
    bench_rec *rec = arg;
    size_t qlen = strlen(g_req), plen = strlen(g_rsp);
    unsigned char reply[65536];
    double end = bench_now() + g_seconds;
    while (bench_now() < end) {
        size_t n = sizeof reply;
        double t = bench_now();
        int rc = CACipher_Transmit(NULL, (const unsigned char *)g_req, qlen, reply, &n);
        if (rc != CACIPHER_OK) { rec->errors++; continue; }
        bench_add(rec, (bench_now() - t) * 1e6);
        if (n != plen || memcmp(reply, g_rsp, plen) != 0) rec->wrong++;
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 5 && argc != 6) { fprintf(stderr, "usage: libclient PORT B2|CC THREADS SECONDS [CERTDIR]\n"); return 2; }
    const char *certs = argc == 6 ? argv[5] : NULL;
    int port = atoi(argv[1]);
    int threads = atoi(argv[3]);
    g_seconds = atof(argv[4]);
    if (port < 1 || port > 65535 || threads < 1 || threads > 256 || g_seconds <= 0 || !bench_command(argv[2], &g_req, &g_rsp) ||
        (certs && (strlen(certs) > 900 || strchr(certs, ';') || strchr(certs, '}')))) {
        fprintf(stderr, "libclient: bad arguments\n");
        return 2;
    }
    char cfg[4096];
    if (certs)
        snprintf(cfg, sizeof cfg,
                 "{[LOGGER];logsw=;[HOST1];host=127.0.0.1;port=%d;linkNum=-%d;timeout=5;socketProtocol=TLSv1.3;"
                 "tlsCAFile=%s/ca.pem;tlsCertFile=%s/client.pem;tlsKeyFile=%s/client-key.pem;tlsVerify=1}",
                 port, threads, certs, certs, certs);
    else
        snprintf(cfg, sizeof cfg, "{[LOGGER];logsw=;[HOST1];host=127.0.0.1;port=%d;linkNum=-%d;timeout=5}", port, threads);
    int rc = CACipher_Init(cfg);
    if (rc != CACIPHER_OK) { fprintf(stderr, "libclient: %s: %s\n", CACipher_ErrorString(rc), CACipher_LastError()); return 1; }
    bench_rec *recs = calloc((size_t)threads, sizeof *recs);
    pthread_t *t = calloc((size_t)threads, sizeof *t);
    if (!recs || !t) return 1;
    double start = bench_now(), cpu0 = bench_cpu_seconds();
    for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, worker, &recs[i]);
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    double took = bench_now() - start, cpu = bench_cpu_seconds() - cpu0;
    bench_report("libcacipher", certs ? "TLSv1.3" : "TCP", argv[2], threads, threads, took, cpu, recs, threads);
    long bad = 0;
    for (int i = 0; i < threads; i++) { bad += recs[i].errors + recs[i].wrong; free(recs[i].us); }
    free(recs);
    free(t);
    CACipher_Finalize();
    return bad ? 1 : 0;
}
