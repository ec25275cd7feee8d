/* A tiny test harness: TEST functions registered in main.c, CHECK macros that count
 * failures per test, one `ctest: N passed, M failed` line at the end. */
#ifndef CACIPHER_TEST_HARNESS_H
#define CACIPHER_TEST_HARNESS_H

#include <stdio.h>
#include <string.h>

extern int h_test_failures; /* failed checks in the running test */

#define CHECK(cond) do { if (!(cond)) { h_test_failures++; \
    fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); } } while (0)

#define CHECK_INT(actual, expected) do { long long a_ = (long long)(actual), e_ = (long long)(expected); \
    if (a_ != e_) { h_test_failures++; fprintf(stderr, "  %s:%d: %s = %lld, expected %lld (%s)\n", \
        __FILE__, __LINE__, #actual, a_, e_, #expected); } } while (0)

#define CHECK_STR(actual, expected) do { const char *a_ = (actual), *e_ = (expected); \
    if (a_ == NULL || strcmp(a_, e_) != 0) { h_test_failures++; fprintf(stderr, \
        "  %s:%d: %s = \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #actual, a_ ? a_ : "(null)", e_); } } while (0)

#define CHECK_CONTAINS(hay, needle) do { const char *h_ = (hay), *n_ = (needle); \
    if (h_ == NULL || strstr(h_, n_) == NULL) { h_test_failures++; fprintf(stderr, \
        "  %s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__, h_ ? h_ : "(null)", n_); } } while (0)

/* Shared helpers (main.c). */
const char *tmp_dir(void);                                   /* one per run, removed at exit */
const char *write_file(const char *name, const char *text);  /* returns its path (static buffer per call site: copy it) */

#endif
