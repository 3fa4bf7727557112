/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/consoled/client.c - the client side of a console socket
 * (see cons-sock.c for the daemon's side: plain bytes both ways).
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "client.h"

#define WAIT_MS 5000

static int connect_once(const struct sockaddr_un *sa)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), rc;

    if (fd < 0)
        return -errno;
    if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0)
        return fd;
    rc = -errno;
    close(fd);
    return rc;
}

static int connect_console(unsigned int domid)
{
    const char *dir = getenv("MICA_CONSOLE_DIR");
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int n, fd = -ENOENT;

    n = snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%u.sock",
                 dir && *dir ? dir : MICA_CONSOLE_DIR, domid);
    if (n < 0 || (size_t)n >= sizeof(sa.sun_path))
        return -ENAMETOOLONG;
    for (int waited = 0; waited <= WAIT_MS; waited += 50) {
        fd = connect_once(&sa);
        if (fd >= 0 || (fd != -ENOENT && fd != -ECONNREFUSED))
            break;
        usleep(50 * 1000);
    }
    return fd == -ECONNREFUSED ? -ENOENT : fd;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return w < 0 ? -errno : -EIO;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/*
 * One read of the user's input: forwards it up to any Ctrl-].  Returns 1
 * on detach, 0 to go on, -1 at end of input.
 */
static int pump_input(int in_fd, int sock)
{
    char buf[512], *esc;
    ssize_t n = read(in_fd, buf, sizeof(buf));

    if (n < 0)
        return errno == EINTR || errno == EAGAIN ? 0 : -1;
    if (n == 0)
        return -1;
    esc = memchr(buf, MICA_CONSOLE_ESCAPE, (size_t)n);
    if (write_all(sock, buf, esc ? (size_t)(esc - buf) : (size_t)n))
        return 1;
    return esc ? 1 : 0;
}

/* Returns false when the console is gone. */
static bool pump_output(int sock, int out_fd, int *rc)
{
    char buf[4096];
    ssize_t n = read(sock, buf, sizeof(buf));

    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return true;
    if (n <= 0)
        return false;
    *rc = write_all(out_fd, buf, (size_t)n);
    return *rc == 0;
}

static int copy_loop(int sock, int in_fd, int out_fd)
{
    struct pollfd p[2] = { { .fd = sock, .events = POLLIN },
                           { .fd = in_fd, .events = POLLIN } };
    int rc = 0;

    for (;;) {
        nfds_t n = p[1].fd >= 0 ? 2 : 1;

        if (poll(p, n, -1) < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (p[0].revents && !pump_output(sock, out_fd, &rc))
            return rc;
        if (n == 2 && p[1].revents) {
            int r = pump_input(in_fd, sock);

            if (r > 0)
                return 0;
            if (r < 0)
                p[1].fd = -1;   /* no more input; keep showing output */
        }
    }
}

int mica_console_attach(unsigned int domid, int in_fd, int out_fd)
{
    struct termios saved, raw;
    bool tty = isatty(in_fd) && tcgetattr(in_fd, &saved) == 0;
    int sock = connect_console(domid), rc;

    if (sock < 0)
        return sock;
    if (tty) {
        raw = saved;
        cfmakeraw(&raw);
        tcsetattr(in_fd, TCSANOW, &raw);
    }
    rc = copy_loop(sock, in_fd, out_fd);
    if (tty)
        tcsetattr(in_fd, TCSANOW, &saved);
    close(sock);
    return rc;
}
