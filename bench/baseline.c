/*
 * baseline.c - the smallest correct client of the host protocol, for comparison with
 * libcacipher in `make bench`: raw blocking sockets, one connection per thread, one
 * request in flight per connection, no pool, no failover, no logging.
 *
 *   baseline PORT B2|CC THREADS SECONDS
 *
 * Each thread connects to 127.0.0.1:PORT, then sends the command and reads the reply
 * (2-byte big-endian length + body) in a loop for SECONDS, timing every exchange and
 * comparing the reply with the expected one. Prints one JSON line (bench/common.h).
 */
#include "common.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

static int g_port;
static double g_seconds;
static const char *g_req, *g_rsp;

static int write_all(int fd, const unsigned char *b, size_t n) {
    while (n > 0) {
        ssize_t w = send(fd, b, n, MSG_NOSIGNAL);
        if (w <= 0) return 0;
        b += w;
        n -= (size_t)w;
    }
    return 1;
}

static int read_all(int fd, unsigned char *b, size_t n) {
    while (n > 0) {
        ssize_t r = recv(fd, b, n, 0);
        if (r <= 0) return 0;
        b += r;
        n -= (size_t)r;
    }
    return 1;
}

static void *worker(void *arg) {
    bench_rec *rec = arg;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) { rec->errors++; return NULL; }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)g_port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) { rec->errors++; close(fd); return NULL; }

    size_t qlen = strlen(g_req), plen = strlen(g_rsp);
    unsigned char frame[512], reply[65536];
    frame[0] = (unsigned char)(qlen >> 8);
    frame[1] = (unsigned char)qlen;
    memcpy(frame + 2, g_req, qlen);
    double end = bench_now() + g_seconds;
    while (bench_now() < end) {
        double t = bench_now();
        unsigned char hdr[2];
        if (!write_all(fd, frame, qlen + 2) || !read_all(fd, hdr, 2)) { rec->errors++; break; }
        size_t n = (size_t)hdr[0] << 8 | hdr[1];
        if (!read_all(fd, reply, n)) { rec->errors++; break; }
        bench_add(rec, (bench_now() - t) * 1e6);
        if (n != plen || memcmp(reply, g_rsp, plen) != 0) rec->wrong++;
    }
    close(fd);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: baseline PORT B2|CC THREADS SECONDS\n"); return 2; }
    g_port = atoi(argv[1]);
    int threads = atoi(argv[3]);
    g_seconds = atof(argv[4]);
    if (g_port < 1 || g_port > 65535 || threads < 1 || threads > 256 || g_seconds <= 0 || !bench_command(argv[2], &g_req, &g_rsp)) {
        fprintf(stderr, "baseline: bad arguments\n");
        return 2;
    }
    bench_rec *recs = calloc((size_t)threads, sizeof *recs);
    pthread_t *t = calloc((size_t)threads, sizeof *t);
    if (!recs || !t) return 1;
    double start = bench_now(), cpu0 = bench_cpu_seconds();
    for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, worker, &recs[i]);
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    double took = bench_now() - start, cpu = bench_cpu_seconds() - cpu0;
    bench_report("baseline", "TCP", argv[2], threads, threads, took, cpu, recs, threads);
    long bad = 0;
    for (int i = 0; i < threads; i++) { bad += recs[i].errors + recs[i].wrong; free(recs[i].us); }
    free(recs);
    free(t);
    return bad ? 1 : 0;
}
