/* SPDX-License-Identifier: MIT */
/*
 * tests/xenstore/raw.h - raw wire access for protocol and robustness
 * checks: hand-built headers, no client library in the way.
 */
#ifndef XS_TEST_RAW_H
#define XS_TEST_RAW_H

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "xs-wire.h"

static int failures;

static inline void report(const char *name, int ok, const char *why)
{
    if (ok) {
        printf("TEST xenstore/%s: PASS\n", name);
    } else {
        printf("TEST xenstore/%s: FAIL %s\n", name, why);
        failures++;
    }
    fflush(stdout);
}

static inline int raw_connect(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        perror("connect");
        exit(2);
    }
    return fd;
}

static int raw_send(int fd, uint32_t type, uint32_t req, uint32_t tx,
                    const void *data, uint32_t len)
{
    struct xsd_sockmsg h = { type, req, tx, len };

    if (send(fd, &h, sizeof(h), MSG_NOSIGNAL) != sizeof(h))
        return -1;
    if (len && send(fd, data, len, MSG_NOSIGNAL) != (ssize_t)len)
        return -1;
    return 0;
}

/* Reads exactly len bytes within 5 s; -1 on error, EOF or timeout. */
static int raw_read_full(int fd, void *buf, size_t len)
{
    char *p = buf;

    while (len) {
        struct pollfd pf = { .fd = fd, .events = POLLIN };
        ssize_t n;

        if (poll(&pf, 1, 5000) <= 0)
            return -1;
        n = read(fd, p, len);
        if (n <= 0)
            return -1;
        p += n;
        len -= n;
    }
    return 0;
}

static char raw_body[XENSTORE_PAYLOAD_MAX + 1];

static int raw_recv(int fd, struct xsd_sockmsg *h)
{
    if (raw_read_full(fd, h, sizeof(*h)) || h->len > XENSTORE_PAYLOAD_MAX ||
        raw_read_full(fd, raw_body, h->len))
        return -1;
    raw_body[h->len] = '\0';
    return 0;
}

/* Sends a request and returns the reply, skipping watch events. */
static int raw_call(int fd, uint32_t type, uint32_t tx, const void *data,
                    uint32_t len, struct xsd_sockmsg *h)
{
    if (raw_send(fd, type, 1234, tx, data, len))
        return -1;
    do {
        if (raw_recv(fd, h))
            return -1;
    } while (h->type == XS_WATCH_EVENT);
    return 0;
}

/* True if the reply to the request is the error 'name'. */
static inline int raw_is_error(int fd, uint32_t type, uint32_t tx, const void *data,
                        uint32_t len, const char *name)
{
    struct xsd_sockmsg h;

    return !raw_call(fd, type, tx, data, len, &h) && h.type == XS_ERROR &&
           !strcmp(raw_body, name);
}

static inline int raw_is_ok(int fd, uint32_t type, uint32_t tx, const void *data,
                     uint32_t len)
{
    struct xsd_sockmsg h;

    return !raw_call(fd, type, tx, data, len, &h) && h.type == type;
}

/* True if the peer closed the connection within 5 s. */
static inline int raw_closed(int fd)
{
    char b[256];
    struct pollfd pf = { .fd = fd, .events = POLLIN };

    for (;;) {
        ssize_t n;

        if (poll(&pf, 1, 5000) <= 0)
            return 0;
        n = read(fd, b, sizeof(b));
        if (n <= 0)
            return 1;
    }
}

#define S(lit) lit, sizeof(lit)

#endif
