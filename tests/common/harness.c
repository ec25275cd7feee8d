/* harness.c - the C test harness (harness.h). */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include "harness.h"
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

int h_failures;
int h_passed, h_failed;

void h_fail_at(const char *file, int line, const char *fmt, ...) {
    h_failures++;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "  %s:%d: ", file, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void h_test_at(int ok, const char *file, int line, const char *cond, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (ok) { h_passed++; printf("ok - "); } else { h_failed++; printf("FAIL - "); }
    vprintf(fmt, ap);
    va_end(ap);
    if (!ok) printf(" (%s:%d: %s)", file, line, cond);
    printf("\n");
    fflush(stdout);
}

void h_run(const char *name, void (*fn)(void)) {
    h_failures = 0;
    fn();
    if (h_failures == 0) { h_passed++; printf("ok - %s\n", name); }
    else { h_failed++; printf("FAIL - %s (%d failed checks)\n", name, h_failures); }
    fflush(stdout);
}

int h_summary(const char *suite) {
    printf("%s: %d passed, %d failed\n", suite, h_passed, h_failed);
    fflush(stdout);
    return h_failed == 0 ? 0 : 1;
}

int h_abort(const char *suite, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL - ");
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    h_failed++;
    h_summary(suite);
    return 1;
}

int h_listen_loopback(int *port, int backlog) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t al = sizeof a;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, backlog) < 0 ||
        getsockname(fd, (struct sockaddr *)&a, &al) < 0) {
        close(fd);
        return -1;
    }
    if (port) *port = ntohs(a.sin_port);
    return fd;
}

int h_connect_loopback(int port, int timeout_s) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct timeval tv = { timeout_s, 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons((unsigned short)port);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) { close(fd); return -1; }
    return fd;
}

int h_unhex(const char *h, unsigned char *out) {
    int n = 0;
    for (; h[0] && h[1]; h += 2) {
        unsigned v;
        if (sscanf(h, "%2x", &v) != 1) return -1;
        out[n++] = (unsigned char)v;
    }
    return n;
}

static char g_tmp[256];

static void remove_tree(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char p[1024];
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (e->d_type == DT_DIR) remove_tree(p); else unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static void remove_tmp(void) { if (g_tmp[0]) remove_tree(g_tmp); }

const char *h_tmp_dir(void) {
    if (!g_tmp[0]) {
        snprintf(g_tmp, sizeof g_tmp, "/tmp/cacipher-ctest-XXXXXX");
        if (!mkdtemp(g_tmp)) { perror("mkdtemp"); exit(2); }
        atexit(remove_tmp);
    }
    return g_tmp;
}

const char *h_write_file(const char *name, const char *text) {
    static char path[4][512];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, 512, "%s/%s", h_tmp_dir(), name);
    FILE *f = fopen(p, "wb");
    if (!f) { perror(p); exit(2); }
    fputs(text, f);
    fclose(f);
    return p;
}
