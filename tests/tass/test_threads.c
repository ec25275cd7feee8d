/* test_threads.c - 16 threads: 8 on the shared session, 8 on sessions (and devices) of their own. */
#include "harness.h"
#include <pthread.h>

#define THREADS 16
#define ROUNDS 40

static char g_zpk[50];
static int thread_failures[THREADS];

static void *worker(void *arg) {
    int id = (int)(long)arg;
    void *dev = NULL, *ses = g_session;
    if (id >= THREADS / 2) {
        if (SDF_OpenDevice(&dev, g_ip, g_port) != 0 || SDF_OpenSession(dev, &ses) != 0) { thread_failures[id]++; return NULL; }
    }
    for (int i = 0; i < ROUNDS; i++) {
        char blk[33] = {0}, pin[128] = {0}, r[17] = {0};
        char clear[16];
        snprintf(clear, sizeof clear, "%04d", (1000 + id * ROUNDS + i) % 10000);
        if (Tass_EncryptPIN(ses, 0, g_zpk, clear, 1, T_ACCT, blk) != 0) thread_failures[id]++;
        if (Tass_Decrypt_PIN(ses, 0, g_zpk, blk, 1, T_ACCT, pin) != 0 || strcmp(pin, clear) != 0) thread_failures[id]++;
        if (SDF_GenerateRandom(ses, 8, r) != 0 || strlen(r) != 16) thread_failures[id]++;
    }
    if (dev) { SDF_CloseSession(ses); SDF_CloseDevice(dev); }
    return NULL;
}

TASS_TEST(threads, "16 threads on shared and separate sessions: every PIN round trip and random call succeeds") {
    tass_import_k(KEY_TYPE_ZPK, g_zpk);
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, (void *)i);
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    int total = 0;
    for (int i = 0; i < THREADS; i++) total += thread_failures[i];
    CHECK(total == 0);
}
