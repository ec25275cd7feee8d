/*
 * vendor_style.c - a payment program written the way applications of the vendor's library
 * are: only <hsmapi.h>, SDF_HsmApiInit, SDF_OpenDevice(&h, ip, port) and a session per
 * thread, Tass_* calls with fixed-size buffers, return values compared with 0. Compiled
 * unchanged against include/tass and run over a group of three evsm with one killed and
 * restarted meanwhile (tests/tass/run.sh): no call may fail.
 *
 *   vendor_style CONFIG IP PORT SECONDS THREADS
 *
 * Ends with `calls=N failed=F`.
 */
#define _POSIX_C_SOURCE 200809L
#include <hsmapi.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *g_ip;
static int g_port, g_seconds;
static void *g_dev;
static long g_calls[64], g_failed[64];

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void *worker(void *arg) {
    int id = (int)(long)arg;
    void *ses = NULL;
    if (SDF_OpenSession(g_dev, &ses) != 0) { g_failed[id]++; return NULL; }
    char zpk_zmk[64] = {0}, zpk[64] = {0}, kcv[32] = {0};
    double end = now() + g_seconds;
    int rc;
    while (now() < end) {
        char blk[64] = {0}, pin[128] = {0}, rnd[64] = {0};
        rc = Tass_Generate_Pik(ses, 0, "UE13D662B185F5F3B08594F89F1FF903A", 'U', zpk_zmk, zpk, kcv);
        g_calls[id]++;
        if (rc != 0) { g_failed[id]++; fprintf(stderr, "Tass_Generate_Pik: %d\n", rc); continue; }
        rc = Tass_EncryptPIN(ses, 0, zpk, "123456", 1, "987654321098", blk);
        g_calls[id]++;
        if (rc != 0) { g_failed[id]++; fprintf(stderr, "Tass_EncryptPIN: %d\n", rc); continue; }
        rc = Tass_Decrypt_PIN(ses, 0, zpk, blk, 1, "987654321098", pin);
        g_calls[id]++;
        if (rc != 0 || strcmp(pin, "123456") != 0) { g_failed[id]++; fprintf(stderr, "Tass_Decrypt_PIN: %d\n", rc); continue; }
        rc = SDF_GenerateRandom(ses, 16, rnd);
        g_calls[id]++;
        if (rc != 0) { g_failed[id]++; fprintf(stderr, "SDF_GenerateRandom: %d\n", rc); }
    }
    SDF_CloseSession(ses);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: vendor_style CONFIG IP PORT SECONDS THREADS\n"); return 2; }
    g_ip = argv[2];
    g_port = atoi(argv[3]);
    g_seconds = atoi(argv[4]);
    int threads = atoi(argv[5]);
    if (threads < 1 || threads > 64) threads = 4;
    int rc = SDF_HsmApiInit(argv[1]);
    if (rc != 0) { printf("SDF_HsmApiInit failed: %d\ncalls=0 failed=1\n", rc); return 1; }
    rc = SDF_OpenDevice(&g_dev, g_ip, g_port);
    if (rc != 0) { printf("SDF_OpenDevice failed: %d\ncalls=0 failed=1\n", rc); return 1; }
    pthread_t t[64];
    for (long i = 0; i < threads; i++) pthread_create(&t[i], NULL, worker, (void *)i);
    long calls = 0, failed = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        calls += g_calls[i];
        failed += g_failed[i];
    }
    SDF_CloseDevice(g_dev);
    printf("calls=%ld failed=%ld\n", calls, failed);
    return failed == 0 && calls > 0 ? 0 : 1;
}
