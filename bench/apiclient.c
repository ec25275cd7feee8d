/*
 * apiclient.c - the vendor-API row of `make bench`: the same TI PIN translation (the
 * published CC known answer in the TASS layout, bench/common.h) through the typed call of
 * each library, on one [HOST1] with linkNum=-THREADS, logging off. Built twice:
 *   -DAPI_CACIPHER  CACipher_TranslatePIN                        (libcacipher, cacipher.h)
 *   -DAPI_TASS      HSM_RCL_TransferCipherPin_Zpk2Zpk, session-less   (libcacipher-tass, hsmapi.h)
 * so the difference is what the vendor-compatible layer costs over the native one.
 *
 *   apiclient PORT THREADS SECONDS
 *
 * Prints one JSON line (bench/common.h); every reply is compared with the known answer.
 */
#include "common.h"
#include <pthread.h>
#if defined(API_CACIPHER)
#include <cacipher.h>
#define CLIENT "cacipher-typed"
#elif defined(API_TASS)
#include <hsmapi.h>
#define CLIENT "tass-compat"
#else
#error "define API_CACIPHER or API_TASS"
#endif

#define SRC_ZPK "T971803BA969012152827CC97A98D18D50BE6559CDFF6F7E1"
#define DST_ZPK "U247078713614BE11F819054C5FFB08FF"
#define ACCOUNT "000001000376"
#define BLOCK_IN "F2B66A1070EADC47"
#define BLOCK_OUT "DBEEBF06C9ED0A48"

static double g_seconds;

static int translate(char *out, size_t cap) {
#if defined(API_CACIPHER)
    size_t n = cap;
    return CACipher_TranslatePIN(NULL, CACIPHER_PIN_KEY_ZPK, SRC_ZPK, CACIPHER_PIN_KEY_ZPK, DST_ZPK, 12, BLOCK_IN,
                                 CACIPHER_PIN_FORMAT_ISO1, ACCOUNT, CACIPHER_PIN_FORMAT_ISO0, ACCOUNT, out, &n);
#else
    (void)cap;
    return HSM_RCL_TransferCipherPin_Zpk2Zpk(0, SRC_ZPK, 0, DST_ZPK, 5, 1, ACCOUNT, ACCOUNT, BLOCK_IN, out);
#endif
}

static void *worker(void *arg) {
    bench_rec *rec = arg;
    char out[64];
    double end = bench_now() + g_seconds;
    while (bench_now() < end) {
        double t = bench_now();
        int rc = translate(out, sizeof out);
        if (rc != 0) { rec->errors++; continue; }
        bench_add(rec, (bench_now() - t) * 1e6);
        if (strcmp(out, BLOCK_OUT) != 0) rec->wrong++;
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: apiclient PORT THREADS SECONDS\n"); return 2; }
    int port = atoi(argv[1]), threads = atoi(argv[2]);
    g_seconds = atof(argv[3]);
    if (port < 1 || port > 65535 || threads < 1 || threads > 256 || g_seconds <= 0) { fprintf(stderr, "apiclient: bad arguments\n"); return 2; }
    char cfg[512];
    snprintf(cfg, sizeof cfg, "{[LOGGER];logsw=;[HOST1];host=127.0.0.1;port=%d;linkNum=-%d;timeout=5}", port, threads);
#if defined(API_CACIPHER)
    int rc = CACipher_Init(cfg);
#else
    int rc = SDF_HsmApiInit(cfg);
#endif
    if (rc != 0) { fprintf(stderr, "apiclient: init failed (%d)\n", rc); return 1; }
    bench_rec *recs = calloc((size_t)threads, sizeof *recs);
    pthread_t *t = calloc((size_t)threads, sizeof *t);
    if (!recs || !t) return 1;
    double start = bench_now(), cpu0 = bench_cpu_seconds();
    for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, worker, &recs[i]);
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    double took = bench_now() - start, cpu = bench_cpu_seconds() - cpu0;
    bench_report(CLIENT, "TCP", "TI", threads, threads, took, cpu, recs, threads);
    long bad = 0;
    for (int i = 0; i < threads; i++) { bad += recs[i].errors + recs[i].wrong; free(recs[i].us); }
    free(recs);
    free(t);
    return bad ? 1 : 0;
}
