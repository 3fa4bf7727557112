/* SPDX-License-Identifier: MIT */
/*
 * tests/domu/net-xfer.c - one TCP transfer with a checksum, for the
 * network tests in dom0 and in the domU (busybox nc drops what is still
 * in flight when its input ends, so it cannot carry a checked transfer):
 *   net-xfer recv PORT             accept one connection, read to EOF
 *   net-xfer send HOST PORT MIB    connect, send MIB MiB of a fixed
 *                                  pseudo-random stream, close
 *   net-xfer serve PORT MIB        accept one connection and send
 *   net-xfer fetch HOST PORT       connect and read to EOF
 * Each prints "NET-XFER bytes N sum S secs T" (S: FNV-1a over 64-bit
 * words of the stream, the same on both ends when the bytes are) or
 * "NET-XFER FAIL why".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (256 * 1024)

struct sum {
    uint64_t h, bytes;
    uint8_t part[8];
    unsigned int npart;
};

static void sum_add(struct sum *s, const uint8_t *p, size_t n)
{
    uint64_t w;

    s->bytes += n;
    while (n) {
        if (s->npart == 0 && n >= 8) {
            memcpy(&w, p, 8);
            p += 8, n -= 8;
        } else {
            s->part[s->npart++] = *p++, n--;
            if (s->npart < 8)
                continue;
            memcpy(&w, s->part, 8);
            s->npart = 0;
        }
        s->h = (s->h ^ w) * 0x100000001b3ull;
    }
}

static double now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int fail(const char *what)
{
    printf("NET-XFER FAIL %s: %s\n", what, strerror(errno));
    return 1;
}

static int listen_one(int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    int one = 1, s = socket(AF_INET, SOCK_STREAM, 0), c;

    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (s < 0 || bind(s, (void *)&a, sizeof(a)) || listen(s, 1))
        return -1;
    c = accept(s, NULL, NULL);
    close(s);
    return c;
}

static int connect_to(const char *host, int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };

    if (inet_pton(AF_INET, host, &a.sin_addr) != 1)
        return -1;
    for (int tries = 0; tries < 100; tries++) {   /* the listener may start late */
        int s = socket(AF_INET, SOCK_STREAM, 0);

        if (s >= 0 && !connect(s, (void *)&a, sizeof(a)))
            return s;
        close(s);
        usleep(100000);
    }
    return -1;
}

static int do_recv(int fd, double t0)
{
    static uint8_t buf[CHUNK];
    struct sum s = { .h = 0xcbf29ce484222325ull };
    ssize_t n;

    while ((n = read(fd, buf, sizeof(buf))) > 0)
        sum_add(&s, buf, (size_t)n);
    if (n < 0)
        return fail("read");
    printf("NET-XFER bytes %llu sum %016llx secs %.2f\n", (unsigned long long)s.bytes,
           (unsigned long long)s.h, now() - t0);
    return 0;
}

static int do_send(int fd, long mib, double t0)
{
    static uint8_t buf[CHUNK];
    struct sum s = { .h = 0xcbf29ce484222325ull };
    uint64_t x = 0x9e3779b97f4a7c15ull;

    for (long left = mib * 1024 * 1024; left > 0; left -= CHUNK) {
        for (size_t i = 0; i < CHUNK; i += 8) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            memcpy(buf + i, &x, 8);
        }
        sum_add(&s, buf, CHUNK);
        for (size_t off = 0; off < CHUNK;) {
            ssize_t n = write(fd, buf + off, CHUNK - off);

            if (n <= 0)
                return fail("write");
            off += (size_t)n;
        }
    }
    shutdown(fd, SHUT_WR);
    while (read(fd, buf, sizeof(buf)) > 0)   /* until the peer has it all */
        ;
    printf("NET-XFER bytes %llu sum %016llx secs %.2f\n", (unsigned long long)s.bytes,
           (unsigned long long)s.h, now() - t0);
    return 0;
}

int main(int argc, char **argv)
{
    int fd;

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 3 && !strcmp(argv[1], "recv")) {
        if ((fd = listen_one(atoi(argv[2]))) < 0)
            return fail("listen");
        return do_recv(fd, now());
    }
    if (argc == 5 && !strcmp(argv[1], "send")) {
        if ((fd = connect_to(argv[2], atoi(argv[3]))) < 0)
            return fail("connect");
        return do_send(fd, atol(argv[4]), now());
    }
    if (argc == 4 && !strcmp(argv[1], "serve")) {
        if ((fd = listen_one(atoi(argv[2]))) < 0)
            return fail("listen");
        return do_send(fd, atol(argv[3]), now());
    }
    if (argc == 4 && !strcmp(argv[1], "fetch")) {
        if ((fd = connect_to(argv[2], atoi(argv[3]))) < 0)
            return fail("connect");
        return do_recv(fd, now());
    }
    fprintf(stderr, "usage: net-xfer recv PORT | send HOST PORT MIB | serve PORT MIB | "
            "fetch HOST PORT\n");
    return 2;
}
