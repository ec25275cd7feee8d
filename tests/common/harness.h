/*
 * harness.h - the one C test harness of the C suites (tests/c, tests/tass, tests/typed,
 * tests/hostile, tests/failover, tests/metrics, tests/tls): check macros that print
 * file:line and what was expected, the test runner, the summary line the suite runners
 * parse (`name: N passed, M failed`), loopback sockets and a temporary directory.
 * Compiled into each suite's program with tests/common/harness.c (see tests/common/suite.sh,
 * suite_cc). Depends on libc only, not on a library under test.
 *
 * Two ways to count:
 *   - test functions: h_run(name, fn) runs fn; every failed CHECK* inside it is printed to
 *     stderr ("  file:line: ...") and the test is one `ok - name` or `FAIL - name` line;
 *   - one check as one test: CHECK_TEST(cond, fmt, ...) prints `ok - MESSAGE` or
 *     `FAIL - MESSAGE (file:line: cond)`.
 * Both count into h_passed / h_failed; h_summary(name) prints the last line.
 */
#ifndef CACIPHER_TEST_COMMON_HARNESS_H
#define CACIPHER_TEST_COMMON_HARNESS_H

#include <stdio.h>
#include <string.h>

extern int h_failures;          /* failed checks in the running test (h_run resets it) */
extern int h_passed, h_failed;  /* tests that passed / failed so far */

/* A failed check at file:line: counts it and prints "  file:line: MESSAGE" to stderr. */
void h_fail_at(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define H_FAIL(...) h_fail_at(__FILE__, __LINE__, __VA_ARGS__)

#define CHECK(c) do { if (!(c)) H_FAIL("CHECK(%s) failed", #c); } while (0)

#define CHECK_INT(actual, expected) do { long long a_ = (long long)(actual), e_ = (long long)(expected); \
    if (a_ != e_) H_FAIL("%s = %lld, expected %lld (%s)", #actual, a_, e_, #expected); } while (0)

#define CHECK_STR(actual, expected) do { const char *a_ = (actual), *e_ = (expected); \
    if (a_ == NULL || strcmp(a_, e_) != 0) H_FAIL("%s = \"%s\", expected \"%s\"", #actual, a_ ? a_ : "(null)", e_); } while (0)

#define CHECK_PREFIX(actual, prefix) do { const char *a_ = (actual), *p_ = (prefix); \
    if (a_ == NULL || strncmp(a_, p_, strlen(p_)) != 0) \
        H_FAIL("%s = \"%s\", expected prefix \"%s\"", #actual, a_ ? a_ : "(null)", p_); } while (0)

#define CHECK_CONTAINS(hay, needle) do { const char *h_ = (hay), *n_ = (needle); \
    if (h_ == NULL || strstr(h_, n_) == NULL) H_FAIL("\"%s\" does not contain \"%s\"", h_ ? h_ : "(null)", n_); } while (0)

#define CHECK_LEN(s, n) do { size_t l_ = strlen(s); \
    if (l_ != (size_t)(n)) H_FAIL("strlen(%s) = %zu, expected %d", #s, l_, (int)(n)); } while (0)

/* One check counted as one test: `ok - MESSAGE` or `FAIL - MESSAGE (file:line: cond)`. */
void h_test_at(int ok, const char *file, int line, const char *cond, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
#define CHECK_TEST(cond, ...) h_test_at((cond) ? 1 : 0, __FILE__, __LINE__, #cond, __VA_ARGS__)

/* Runs one test function: `ok - NAME`, or `FAIL - NAME (N failed checks)`; stdout flushed. */
void h_run(const char *name, void (*fn)(void));

/* Prints `SUITE: N passed, M failed`; returns the exit status (0 when none failed). */
int h_summary(const char *suite);

/* A suite that cannot go on: `FAIL - MESSAGE`, then the summary with that failure counted;
 * returns 1 (for `return h_abort(...)` from main). */
int h_abort(const char *suite, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Loopback (127.0.0.1) sockets. h_listen_loopback: a listening socket on an ephemeral port
 * (the port in *port), or -1. h_connect_loopback: a connected socket whose reads and writes
 * time out after timeout_s seconds, or -1. */
int h_listen_loopback(int *port, int backlog);
int h_connect_loopback(int port, int timeout_s);

/* Decodes hex (pairs of digits, either case) into out; the byte count, or -1 on a bad digit. */
int h_unhex(const char *hex, unsigned char *out);

/* A temporary directory made on first use and removed (with what is in it) at exit. */
const char *h_tmp_dir(void);
/* Writes text to h_tmp_dir()/name; returns its path (one of 4 static buffers: copy it). */
const char *h_write_file(const char *name, const char *text);

#endif
