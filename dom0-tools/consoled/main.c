/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/consoled/main.c - mica-consoled: serves every domU's console
 * ring in dom0 (the part of xenconsoled Mica needs), one poll() loop over
 * xenstore, each console's event channel, pty and client sockets.
 *
 *   mica-consoled [-D] [--pid-file F] [--log-dir D] [--sock-dir D]
 *                 [--backlog BYTES] [--log-max BYTES] [--store SOCKET]
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "console.h"
#include "consoled.h"
#include "discover.h"
#include "libmica.h"
#include "log.h"
#include "micaxs.h"

/* A missed @releaseDomain (or one never raised) is caught by this rescan. */
#define RESCAN_MS 2000

enum pfd_kind { PFD_STORE, PFD_EVTCHN, PFD_PTY, PFD_LISTEN, PFD_CLIENT };

struct pfd_owner {
    enum pfd_kind kind;
    struct console *con;
    struct cons_client *cl;
};

struct pollset {
    struct pollfd *fds;
    struct pfd_owner *own;
    size_t n, cap;
};

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

static int ps_add(struct pollset *ps, int fd, short ev, enum pfd_kind kind,
                  struct console *con, struct cons_client *cl)
{
    if (ps->n == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 32;
        struct pollfd *f = realloc(ps->fds, cap * sizeof(*f));
        struct pfd_owner *o;

        if (!f)
            return -ENOMEM;
        ps->fds = f;
        o = realloc(ps->own, cap * sizeof(*o));
        if (!o)
            return -ENOMEM;
        ps->own = o;
        ps->cap = cap;
    }
    ps->fds[ps->n] = (struct pollfd){ .fd = fd, .events = ev };
    ps->own[ps->n] = (struct pfd_owner){ kind, con, cl };
    ps->n++;
    return 0;
}

/* Whether a reader at 'off' has bytes to take. */
static bool behind(const struct console *con, uint64_t off)
{
    return off < con->con_backlog.bl_head;
}

/* Builds the poll set; returns the poll timeout in ms. */
static int build(struct consoled *cd, struct pollset *ps, uint64_t now,
                 uint64_t next_scan)
{
    uint64_t wake = next_scan;
    struct console *con;
    struct cons_client *cl;

    ps->n = 0;
    ps_add(ps, mxs_fileno(cd->cd_xs), POLLIN, PFD_STORE, NULL, NULL);
    for (con = cd->cd_cons; con; con = con->con_next) {
        bool in;

        if (con->con_state != CON_LIVE)
            continue;
        in = console_wants_input(con);
        if (con->con_masked) {
            uint64_t at = ratelimit_resume_at(&con->con_rl);
            wake = at < wake ? at : wake;
        } else {
            ps_add(ps, mica_evtchn_fd(con->con_evtchn), POLLIN, PFD_EVTCHN,
                   con, NULL);
        }
        ps_add(ps, con->con_master, (in ? POLLIN : 0) |
               (behind(con, con->con_pty_off) ? POLLOUT : 0), PFD_PTY, con,
               NULL);
        ps_add(ps, con->con_listen, POLLIN, PFD_LISTEN, con, NULL);
        for (cl = con->con_clients; cl; cl = cl->cc_next)
            ps_add(ps, cl->cc_fd, (in ? POLLIN : 0) |
                   (behind(con, cl->cc_off) ? POLLOUT : 0), PFD_CLIENT,
                   con, cl);
    }
    return wake <= now ? 0 : (int)(wake - now);
}

/* A console dropped in this round must not be touched again. */
static bool still_live(struct console *con)
{
    return con->con_state == CON_LIVE;
}

static int dispatch(struct consoled *cd, struct pollset *ps, uint64_t now)
{
    for (size_t i = 0; i < ps->n; i++) {
        struct pfd_owner *o = &ps->own[i];
        short rev = ps->fds[i].revents;

        if (!rev)
            continue;
        if (o->kind == PFD_STORE) {
            if (discover_watch_events(cd))
                return -EPIPE;
            /* Watches may have freed consoles this set points at. */
            return 0;
        }
        if (!still_live(o->con))
            continue;
        if (o->kind == PFD_EVTCHN)
            console_event(cd, o->con, now);
        else if (o->kind == PFD_PTY)
            console_pty_ready(cd, o->con, rev);
        else if (o->kind == PFD_LISTEN)
            cons_sock_accept(o->con);
        else
            cons_client_ready(cd, o->con, o->cl, rev);
    }
    return 0;
}

static void after_poll(struct consoled *cd, uint64_t now)
{
    for (struct console *con = cd->cd_cons; con; con = con->con_next) {
        if (!still_live(con))
            continue;
        console_tick(cd, con, now);
        if (!still_live(con))
            continue;
        cons_flush_readers(con);
        cons_reap_clients(con);
    }
}

static int serve(struct consoled *cd)
{
    struct pollset ps = { 0 };
    uint64_t next_scan = consoled_now() + RESCAN_MS;
    int rc = 0;

    while (!stopping) {
        uint64_t now = consoled_now();
        int timeout = build(cd, &ps, now, next_scan);

        if (poll(ps.fds, ps.n, timeout) < 0 && errno != EINTR) {
            rc = -errno;
            break;
        }
        now = consoled_now();
        if (stopping)
            break;
        if (dispatch(cd, &ps, now)) {
            cons_log("xenstore connection lost; exiting");
            rc = -EPIPE;
            break;
        }
        if (now >= next_scan) {
            discover_scan(cd);
            next_scan = now + RESCAN_MS;
        }
        after_poll(cd, now);
    }
    free(ps.fds);
    free(ps.own);
    return rc;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: mica-consoled [-D] [--pid-file FILE] [--log-dir DIR] "
            "[--sock-dir DIR]\n"
            "                     [--backlog BYTES] [--log-max BYTES] "
            "[--store SOCKET]\n");
}

static int parse_size(const char *s, uint64_t min, uint64_t max,
                      uint64_t *out)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || end == s || *end || *s == '-' || v < min || v > max)
        return -EINVAL;
    *out = v;
    return 0;
}

struct options {
    bool daemon;
    const char *pid_file, *store;
};

static int parse_args(int argc, char **argv, struct consoled *cd,
                      struct options *o)
{
    static const struct option longopts[] = {
        { "daemon", no_argument, NULL, 'D' },
        { "pid-file", required_argument, NULL, 'p' },
        { "log-dir", required_argument, NULL, 'l' },
        { "sock-dir", required_argument, NULL, 's' },
        { "backlog", required_argument, NULL, 'b' },
        { "log-max", required_argument, NULL, 'm' },
        { "store", required_argument, NULL, 'x' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    uint64_t v;
    int c;

    while ((c = getopt_long(argc, argv, "Dh", longopts, NULL)) != -1) {
        switch (c) {
        case 'D': o->daemon = true; break;
        case 'p': o->pid_file = optarg; break;
        case 'l': cd->cd_log_dir = optarg; break;
        case 's': cd->cd_sock_dir = optarg; break;
        case 'x': o->store = optarg; break;
        case 'b':
            if (parse_size(optarg, 4096, 64 << 20, &v))
                goto bad;
            cd->cd_backlog = (size_t)v;
            break;
        case 'm':
            if (parse_size(optarg, 4096, UINT64_MAX >> 1, &v))
                goto bad;
            cd->cd_log_max = v;
            break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); return -EINVAL;
        }
    }
    if (optind == argc)
        return 0;
    fprintf(stderr, "mica-consoled: unexpected argument '%s'\n", argv[optind]);
    return -EINVAL;
bad:
    fprintf(stderr, "mica-consoled: bad size '%s'\n", optarg);
    return -EINVAL;
}

static int daemonize(const char *pid_file)
{
    pid_t pid = fork();
    int fd;

    if (pid < 0)
        return -errno;
    if (pid > 0)
        _exit(0);
    setsid();
    fd = open("/dev/null", O_RDWR);
    if (fd >= 0) {
        dup2(fd, STDIN_FILENO);
        /* stderr stays: the init script sends it to the daemon's log. */
        dup2(fd, STDOUT_FILENO);
        if (fd > STDERR_FILENO)
            close(fd);
    }
    if (pid_file) {
        FILE *f = fopen(pid_file, "w");

        if (f) {
            fprintf(f, "%d\n", (int)getpid());
            fclose(f);
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct consoled cd = {
        .cd_log_dir = "/var/log/mica/console",
        .cd_sock_dir = "/run/mica/console",
        .cd_backlog = 256 << 10,
        .cd_log_max = 1 << 20,
    };
    struct options o = { 0 };
    struct sigaction sa = { .sa_handler = on_signal };
    int rc;

    if (parse_args(argc, argv, &cd, &o))
        return 1;
    cd.cd_mica = mica_open();
    if (!cd.cd_mica) {
        fprintf(stderr, "mica-consoled: cannot open /dev/xen/privcmd: %s\n",
                strerror(errno));
        return 1;
    }
    cd.cd_xs = mxs_open(o.store);
    if (!cd.cd_xs) {
        fprintf(stderr, "mica-consoled: cannot connect to xenstore: %s\n",
                strerror(errno));
        mica_close(cd.cd_mica);
        return 1;
    }
    cons_make_dirs(cd.cd_sock_dir);
    if (o.daemon && daemonize(o.pid_file))
        return 1;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    rc = discover_init(&cd);
    if (rc)
        cons_log("cannot watch the domain list: %s", strerror(-rc));
    else
        cons_log("serving consoles (history %zu bytes per domain)",
                 cd.cd_backlog);
    if (!rc)
        rc = serve(&cd);
    discover_fini(&cd);
    mxs_close(cd.cd_xs);
    mica_close(cd.cd_mica);
    cons_log("stopped");
    return rc ? 1 : 0;
}
