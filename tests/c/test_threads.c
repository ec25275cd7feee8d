/* CACipher_LastError is per thread: 8 threads x 1000 failing calls, each checking that the
 * message it reads is about its own call. */
#define _POSIX_C_SOURCE 200809L
#include "../common/harness.h"
#include <cacipher.h>
#include <pthread.h>
#include <stdio.h>

#define THREADS 8
#define ROUNDS 1000

struct worker { int id; int wrong_code; int wrong_text; int wrong_null; };

static void *last_error_worker(void *arg) {
    struct worker *w = arg;
    char config[128], expect[64];
    for (int i = 0; i < ROUNDS; i++) {
        snprintf(config, sizeof config, "{[HOST1];host=127.0.0.1;port=t%dr%d}", w->id, i);
        snprintf(expect, sizeof expect, "port=t%dr%d:", w->id, i);
        cacipher_t *h = NULL;
        int rc = CACipher_Open(config, &h);
        if (rc != CACIPHER_E_CONFIG || h != NULL) w->wrong_code++;
        const char *e = CACipher_LastError();
        if (e == NULL) { w->wrong_null++; continue; }
        if (strstr(e, expect) == NULL) w->wrong_text++;
        if (CACipher_ErrorString(rc) == NULL) w->wrong_null++;
    }
    return NULL;
}

static void *fresh_thread(void *arg) {
    const char **out = arg;
    *out = CACipher_LastError();
    return NULL;
}

void test_last_error_per_thread(void) {
    pthread_t t[THREADS];
    struct worker w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (struct worker){ .id = i };
        CHECK_INT(pthread_create(&t[i], NULL, last_error_worker, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        CHECK_INT(w[i].wrong_code, 0);
        CHECK_INT(w[i].wrong_text, 0);
        CHECK_INT(w[i].wrong_null, 0);
    }
    /* A thread that never failed sees "" (never NULL). */
    const char *seen = NULL;
    pthread_t f;
    CHECK_INT(pthread_create(&f, NULL, fresh_thread, &seen), 0);
    pthread_join(f, NULL);
    CHECK(seen != NULL && seen[0] == '\0');
    /* Success leaves the last failure in place. */
    CHECK_INT(CACipher_Close(NULL), CACIPHER_E_INVALID_ARG);
    CHECK_CONTAINS(CACipher_LastError(), "CACipher_Close");
    CHECK(CACipher_Version() != NULL);
    CHECK_CONTAINS(CACipher_LastError(), "CACipher_Close");
}
