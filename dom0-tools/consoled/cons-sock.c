/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/consoled/cons-sock.c - the per-domain client socket,
 * DIR/DOMID.sock (DIR is /run/mica/console in dom0).
 *
 * The protocol is plain bytes both ways: on connect the client gets the
 * domain's whole kept history, then live output; what it sends is typed
 * into the guest.  A client that stops reading is only ever behind in
 * the history, never buffered for; if it falls behind by more than the
 * history holds, it resumes at the oldest byte kept.  The pty is the same
 * kind of reader, for tools that want console/tty.
 *
 * A client that went away is only marked dead while the main loop walks
 * its poll set (which may still name it), and freed by cons_reap_clients()
 * after the walk.
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
#include <poll.h>
#include "console.h"
#include "consoled.h"
#include "log.h"

/* A console with more clients than this refuses the next one. */
#define MAX_CLIENTS 16

static int sock_path(struct consoled *cd, unsigned int domid,
                     struct sockaddr_un *sa)
{
    int n;

    memset(sa, 0, sizeof(*sa));
    sa->sun_family = AF_UNIX;
    n = snprintf(sa->sun_path, sizeof(sa->sun_path), "%s/%u.sock",
                 cd->cd_sock_dir, domid);
    return n < 0 || (size_t)n >= sizeof(sa->sun_path) ? -ENAMETOOLONG : 0;
}

int cons_sock_open(struct consoled *cd, struct console *con)
{
    struct sockaddr_un sa;
    int fd, rc = sock_path(cd, con->con_domid, &sa);

    if (rc)
        return rc;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    unlink(sa.sun_path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        chmod(sa.sun_path, 0600) < 0 || listen(fd, 4) < 0) {
        rc = -errno;
        close(fd);
        return rc;
    }
    con->con_listen = fd;
    return 0;
}

static void client_free(struct console *con, struct cons_client *cl)
{
    struct cons_client **p = &con->con_clients;

    while (*p && *p != cl)
        p = &(*p)->cc_next;
    if (*p)
        *p = cl->cc_next;
    close(cl->cc_fd);
    free(cl);
}

void cons_sock_close(struct consoled *cd, struct console *con)
{
    struct sockaddr_un sa;

    while (con->con_clients)
        client_free(con, con->con_clients);
    if (con->con_listen < 0)
        return;
    close(con->con_listen);
    con->con_listen = -1;
    if (!sock_path(cd, con->con_domid, &sa))
        unlink(sa.sun_path);
}

void cons_sock_accept(struct console *con)
{
    struct cons_client *cl;
    unsigned int n = 0;
    int fd = accept4(con->con_listen, NULL, NULL,
                     SOCK_NONBLOCK | SOCK_CLOEXEC);

    if (fd < 0)
        return;
    for (cl = con->con_clients; cl; cl = cl->cc_next)
        n++;
    cl = n < MAX_CLIENTS ? calloc(1, sizeof(*cl)) : NULL;
    if (!cl) {
        cons_log("domain %u: client refused (%u attached)", con->con_domid,
                 n);
        close(fd);
        return;
    }
    cl->cc_fd = fd;
    cl->cc_off = backlog_oldest(&con->con_backlog);
    cl->cc_next = con->con_clients;
    con->con_clients = cl;
}

/*
 * Write what the reader at *off can take now.  Returns false when its fd
 * is gone for good.
 */
static bool flush_one(struct console *con, int fd, uint64_t *off,
                      uint64_t *lost, bool is_sock)
{
    const char *p;
    size_t n;
    ssize_t w;

    while ((n = backlog_peek(&con->con_backlog, off, &p, lost)) > 0) {
        w = is_sock ? send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT)
                    : write(fd, p, n);
        if (w < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
        *off += (uint64_t)w;
        if ((size_t)w < n)
            break;
    }
    return true;
}

void cons_flush_readers(struct console *con)
{
    struct cons_client *cl;

    if (con->con_master >= 0)
        flush_one(con, con->con_master, &con->con_pty_off, NULL, false);
    for (cl = con->con_clients; cl; cl = cl->cc_next)
        if (!cl->cc_dead &&
            !flush_one(con, cl->cc_fd, &cl->cc_off, &cl->cc_lost, true))
            cl->cc_dead = true;
}

void cons_reap_clients(struct console *con)
{
    struct cons_client *cl, *next;

    for (cl = con->con_clients; cl; cl = next) {
        next = cl->cc_next;
        if (cl->cc_dead)
            client_free(con, cl);
    }
}

void cons_client_ready(struct consoled *cd, struct console *con,
                       struct cons_client *cl, short revents)
{
    if (cl->cc_dead)
        return;
    if (revents & POLLIN) {
        /* On -EIO the console was dropped, and the client freed with it. */
        if (console_input_from(cd, con, cl->cc_fd) < 0 &&
            con->con_state == CON_LIVE)
            cl->cc_dead = true;
    } else if (revents & (POLLHUP | POLLERR | POLLNVAL)) {
        cl->cc_dead = true;
    }
}
