/* SPDX-License-Identifier: MIT */
/*
 * xenbus/daemon.c - store state set-up/teardown and the poll() loop that
 * serves sockets and rings, with signals turned into loop events through a
 * self-pipe (SIGUSR1: dump, SIGTERM/SIGINT: dump and exit).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "conn.h"
#include "daemon.h"
#include "domain.h"
#include "dump.h"
#include "log.h"
#include "quota.h"
#include "ring.h"
#include "socket.h"
#include "tree.h"
#include "watch.h"

int xs_daemon_init(void)
{
    int rc;

    rc = xs_domain_init();
    if (!rc)
        rc = xs_tree_init(xs_domain_account);
    if (!rc)
        rc = xs_watch_init();
    return rc;
}

void xs_daemon_fini(void)
{
    xs_conn_free_all();
    xs_watch_fini();
    xs_tree_fini();
    xs_domain_fini();
}

/* Frees connections whose peer went away or whose domain was released. */
void xs_reap_dead(void)
{
    struct xs_list *pos, *tmp;

    xs_list_for_each_safe(pos, tmp, xs_conn_list()) {
        struct xs_conn *c = xs_container_of(pos, struct xs_conn, link);

        if (c->dead)
            xs_conn_free(c);
    }
}

static int sig_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
    int saved = errno;
    char b = sig;

    if (write(sig_pipe[1], &b, 1) < 0)
        (void)0;
    errno = saved;
}

static int setup_signals(void)
{
    struct sigaction sa;

    if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
        return -errno;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
    return 0;
}

static void do_dump(const char *file)
{
    int rc;

    if (!file)
        return;
    rc = xs_dump_write(file);
    if (rc)
        log_err("dump to %s failed: %s", file, strerror(-rc));
    else
        log_info("state dumped to %s", file);
}

/* Returns true when the loop should end. */
static bool handle_signals(const struct xs_loop_cfg *cfg)
{
    char sigs[16];
    bool stop = false;
    ssize_t n, i;

    while ((n = read(sig_pipe[0], sigs, sizeof(sigs))) > 0) {
        for (i = 0; i < n; i++) {
            if (sigs[i] == SIGUSR1)
                do_dump(cfg->dump_file);
            else
                stop = true;
        }
    }
    return stop;
}

static void serve(struct xs_conn *c, short revents)
{
    int rc = 0;

    if (c->ops->is_ring)
        xs_ring_conn_poll(c);
    if (revents & (POLLERR | POLLHUP | POLLNVAL) && !c->ops->is_ring)
        revents |= POLLIN;
    if (revents & POLLIN || c->ops->is_ring || xs_conn_has_input(c))
        rc = xs_conn_input(c);
    if (!rc && xs_conn_want_write(c))
        rc = xs_conn_output(c);
    if (rc && rc != -EAGAIN)
        c->dead = true;
}

int xs_loop_run(const struct xs_loop_cfg *cfg)
{
    struct pollfd *pfds = NULL;
    struct xs_conn **conns = NULL;
    size_t cap = 0;
    int rc;

    rc = setup_signals();
    if (rc)
        return rc;
    for (;;) {
        struct xs_list *pos, *tmp;
        size_t n = 0, i, want = 3, first;
        bool ready = false;

        xs_list_for_each_safe(pos, tmp, xs_conn_list())
            want++;
        if (want > cap) {
            cap = want * 2;
            free(pfds);
            free(conns);
            pfds = calloc(cap, sizeof(*pfds));
            conns = calloc(cap, sizeof(*conns));
            if (!pfds || !conns) {
                rc = -ENOMEM;
                break;
            }
        }
        pfds[n++] = (struct pollfd){ .fd = sig_pipe[0], .events = POLLIN };
        pfds[n++] = (struct pollfd){ .fd = cfg->listen_fd, .events = POLLIN };
        if (cfg->event_fd >= 0 && cfg->on_event)
            pfds[n++] = (struct pollfd){ .fd = cfg->event_fd, .events = POLLIN };
        first = n;
        xs_list_for_each_safe(pos, tmp, xs_conn_list()) {
            struct xs_conn *c = xs_container_of(pos, struct xs_conn, link);
            short ev = 0;

            if (xs_conn_can_read(c) || c->ops->is_ring)
                ev |= POLLIN;
            /* Read ahead while throttled: no event will say it is there. */
            if (xs_conn_can_read(c) && xs_conn_has_input(c))
                ready = true;
            if (xs_conn_want_write(c) && !c->ops->is_ring)
                ev |= POLLOUT;
            conns[n] = c;
            pfds[n++] = (struct pollfd){ .fd = c->fd, .events = ev };
        }
        if (poll(pfds, n, ready ? 0 : -1) < 0 && errno != EINTR) {
            rc = -errno;
            break;
        }
        if (pfds[0].revents && handle_signals(cfg))
            break;
        for (i = 0; (pfds[1].revents & POLLIN) && i < 16; i++)
            if (xs_socket_accept(cfg->listen_fd) <= 0)
                break;
        if (first == 3 && pfds[2].revents)
            cfg->on_event();
        for (i = first; i < n; i++)
            if (pfds[i].revents || conns[i]->ops->is_ring ||
                (xs_conn_can_read(conns[i]) && xs_conn_has_input(conns[i])))
                serve(conns[i], pfds[i].revents);
        /* Replies may also be due on connections that were not readable. */
        xs_list_for_each_safe(pos, tmp, xs_conn_list()) {
            struct xs_conn *c = xs_container_of(pos, struct xs_conn, link);

            if (!c->dead && xs_conn_want_write(c) && xs_conn_output(c) < 0)
                c->dead = true;
        }
        xs_reap_dead();
    }
    free(pfds);
    free(conns);
    do_dump(cfg->dump_file);
    return rc;
}
