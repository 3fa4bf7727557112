/* SPDX-License-Identifier: MIT */
/*
 * xenbus/socket.c - listening on the path libxenstore connects to
 * ($XENSTORED_RUNDIR/socket, /var/run/xenstored/socket by default) and the
 * non-blocking stream transport of accepted clients. Socket clients are
 * dom0 tools and privileged, as in 4.17.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "conn.h"
#include "log.h"
#include "socket.h"

static unsigned int nr_sockets;

int xs_socket_default_path(char *buf, size_t size)
{
    const char *dir = getenv("XENSTORED_RUNDIR");
    int n;

    if (!dir || !*dir)
        dir = XS_DEFAULT_RUNDIR;
    n = snprintf(buf, size, "%s/socket", dir);
    return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static ssize_t sock_read(struct xs_conn *c, void *buf, size_t len)
{
    ssize_t n = recv(c->fd, buf, len, MSG_DONTWAIT);

    if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR
               ? -EAGAIN : -errno;
    return n;
}

static ssize_t sock_write(struct xs_conn *c, const void *buf, size_t len)
{
    ssize_t n = send(c->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);

    if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR
               ? -EAGAIN : -errno;
    return n;
}

static void sock_release(struct xs_conn *c)
{
    close(c->fd);
    nr_sockets--;
}

static const struct xs_conn_ops socket_ops = {
    .name = "socket",
    .read = sock_read,
    .write = sock_write,
    .release = sock_release,
};

/* Creates the run directory if needed and replaces a stale socket. */
int xs_socket_listen(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    char dir[sizeof(sa.sun_path)];
    char *slash;
    int fd, rc;

    if (strlen(path) >= sizeof(sa.sun_path))
        return -ENAMETOOLONG;
    strcpy(sa.sun_path, path);
    strcpy(dir, path);
    slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
            return -errno;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -errno;
    unlink(path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        chmod(path, 0600) < 0 || listen(fd, 128) < 0) {
        rc = -errno;
        close(fd);
        return rc;
    }
    return fd;
}

int xs_socket_accept(int lfd)
{
    struct xs_conn *c;
    int fd;

    fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0)
        return errno == EAGAIN || errno == EINTR ? 0 : -errno;
    if (nr_sockets >= XS_MAX_SOCKET_CONNS) {
        log_warn("too many socket connections, refusing one");
        close(fd);
        return 1;
    }
    c = xs_conn_new(&socket_ops, NULL, fd, 0, true);
    if (!c) {
        close(fd);
        return -ENOMEM;
    }
    nr_sockets++;
    return 1;
}
