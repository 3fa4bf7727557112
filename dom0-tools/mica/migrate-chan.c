/* SPDX-License-Identifier: MIT */
/*
 * migrate-chan.c - the channel of a migration (migrate.h): an ssh child
 * or a TCP connection, xl's fixed messages sent and checked on it.
 * Everything the peer says is checked against what the protocol allows
 * at that point; anything else ends the migration with one line.
 */
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "migrate.h"
#include "save-file.h"

#define CONNECT_TRIES   50              /* 100 ms apart: the receiver may be starting */
#define REAP_WAIT_MS    2000

const char mig_banner[] = "xl migration receiver ready, send binary domain data.\n";
const char mig_received[] = "domain received, ready to unpause";
const char mig_go[] = "domain is yours, you are cleared to unpause";
const char mig_report[] = "my copy unpause results are as follows";

_Static_assert(sizeof(mig_banner) - 1 == MIG_BANNER_LEN, "banner without its NUL");
_Static_assert(sizeof(mig_received) == MIG_RECEIVED_LEN, "with its NUL");
_Static_assert(sizeof(mig_go) == MIG_GO_LEN, "with its NUL");
_Static_assert(sizeof(mig_report) == MIG_REPORT_LEN, "with its NUL");

double mig_now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int mig_spawn(struct mig_chan *ch, const char *rune)
{
    int to[2], from[2];

    if (pipe2(to, O_CLOEXEC) < 0)
        return -errno;
    if (pipe2(from, O_CLOEXEC) < 0) {
        close(to[0]);
        close(to[1]);
        return -errno;
    }
    ch->child = fork();
    if (ch->child < 0) {
        int rc = -errno;

        close(to[0]);
        close(to[1]);
        close(from[0]);
        close(from[1]);
        return rc;
    }
    if (!ch->child) {
        dup2(to[0], 0);
        dup2(from[1], 1);
        execl("/bin/sh", "sh", "-c", rune, (char *)NULL);
        _exit(127);
    }
    close(to[0]);
    close(from[1]);
    ch->out = to[1];
    ch->in = from[0];
    return 0;
}

static void nodelay(int fd)
{
    int one = 1;

    /* the handshake's small messages must not wait for more */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/*
 * A numeric address (or "localhost") and a port into 'sa': no resolver,
 * which a static binary in dom0 cannot load.  0 or -EINVAL.
 */
static int parse_addr(const char *host, const char *port, struct sockaddr_in *sa)
{
    char *end;
    unsigned long p = strtoul(port, &end, 10);

    memset(sa, 0, sizeof(*sa));
    sa->sin_family = AF_INET;
    if (!*port || *end || !p || p > 65535)
        return -EINVAL;
    sa->sin_port = htons((uint16_t)p);
    if (!host || !*host)
        sa->sin_addr.s_addr = htonl(INADDR_ANY);
    else if (!strcmp(host, "localhost"))
        sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    else if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return -EINVAL;
    return 0;
}

int mig_connect(struct mig_chan *ch, const char *host, const char *port)
{
    struct sockaddr_in sa;
    int rc = 0, fd = -1;

    if (parse_addr(host, port, &sa))
        return -EDESTADDRREQ;
    for (int t = 0; t < CONNECT_TRIES; t++) {
        fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || !connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
            break;
        rc = -errno;
        close(fd);
        fd = -1;
        if (rc != -ECONNREFUSED)
            break;
        usleep(100 * 1000);
    }
    if (fd < 0)
        return rc ? rc : -errno;
    nodelay(fd);
    ch->in = ch->out = fd;
    ch->child = 0;
    return 0;
}

int mig_accept(struct mig_chan *ch, const char *spec, char *why, size_t whylen)
{
    const char *colon = strrchr(spec, ':'), *port = colon ? colon + 1 : spec;
    char host[64] = "";
    struct sockaddr_in sa;
    int one = 1, lfd, fd, rc;

    if (colon && (size_t)(colon - spec) < sizeof(host))
        memcpy(host, spec, (size_t)(colon - spec));
    if ((colon && (size_t)(colon - spec) >= sizeof(host)) || parse_addr(host, port, &sa)) {
        snprintf(why, whylen, "cannot listen on \"%s\": not [ADDR:]PORT with a numeric "
                 "address", spec);
        return -EINVAL;
    }
    lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (lfd >= 0)
        setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 1)) {
        rc = -errno;
        snprintf(why, whylen, "cannot listen on %s: %s", spec, strerror(-rc));
        if (lfd >= 0)
            close(lfd);
        return rc;
    }
    fprintf(stderr, "migration target: listening on %s\n", spec);
    do
        fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    rc = fd < 0 ? -errno : 0;
    close(lfd);
    if (rc) {
        snprintf(why, whylen, "accept on %s: %s", spec, strerror(-rc));
        return rc;
    }
    nodelay(fd);
    ch->in = ch->out = fd;
    ch->child = 0;
    return 0;
}

void mig_close(struct mig_chan *ch)
{
    if (ch->in >= 0)
        close(ch->in);
    if (ch->out >= 0 && ch->out != ch->in)
        close(ch->out);
    ch->in = ch->out = -1;
    if (ch->child > 0) {
        int st, t;

        for (t = 0; t < REAP_WAIT_MS / 10 && !waitpid(ch->child, &st, WNOHANG); t++)
            usleep(10 * 1000);
        if (t == REAP_WAIT_MS / 10) {
            kill(ch->child, SIGTERM);
            waitpid(ch->child, &st, 0);
        }
        ch->child = 0;
    }
}

int mig_send(struct mig_chan *ch, const void *buf, size_t n)
{
    return stream_fd_write(&ch->out, buf, n);
}

int mig_expect(struct mig_chan *ch, const char *msg, size_t n)
{
    char got[64];
    int rc;

    if (n > sizeof(got))
        return -EINVAL;
    if ((rc = stream_fd_read(&ch->in, got, n)))
        return rc;
    return memcmp(got, msg, n) ? -EPROTO : 0;
}
