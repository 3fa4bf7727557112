/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/blkback/main.c - mica-blkback DOMID DEVID: serve the virtual
 * disk the toolstack described in /local/domain/0/backend/vbd/DOMID/DEVID
 * (params = the file or device, mode = r|w) until the domain dies, the
 * front end closes for good or the toolstack removes the directory; then
 * answer what is in flight, unmap, close, remove the directory and exit.
 * One poll loop: xenstore watches, the event channels, io_uring's
 * eventfd, and a one-second tick that re-checks the domain in case a
 * watch event was lost.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "blkback.h"

static volatile sig_atomic_t stop, dump;

static void on_signal(int sig)
{
    if (sig == SIGUSR1)
        dump = 1;
    else
        stop = 1;
}

/* SIGUSR1: each ring's indices into the log, for a front end that hangs. */
static void log_counts(const struct blkback *bb)
{
    const struct bb_stats *st = &bb->st;

    bb_log(bb, "grants: %llu mapped for good, %llu pieces by memcpy, %llu grant-copy calls"
           " for %llu pieces; %llu events in, %llu notifications out",
           (unsigned long long)st->pg_maps, (unsigned long long)st->memcpy_segs,
           (unsigned long long)st->gcopy_calls, (unsigned long long)st->gcopy_segs,
           (unsigned long long)st->events, (unsigned long long)st->notifies);
}

static void dump_rings(struct blkback *bb)
{
    for (unsigned int i = 0; i < bb->nqueues; i++) {
        struct bb_queue *q = &bb->q[i];
        struct ring_shared *sh = q->ring.sh;

        if (!sh)
            continue;
        bb_log(bb, "queue %u: req_prod %u req_event %u req_cons %u rsp_prod %u rsp_event %u "
               "rsp_prod_pvt %u inflight %u port %d%s", i, sh->req_prod, sh->req_event,
               q->ring.req_cons, sh->rsp_prod, sh->rsp_event, q->ring.rsp_prod_pvt,
               q->inflight, q->port, q->dead ? " dead" : "");
    }
    log_counts(bb);
}

static int setup(struct blkback *bb)
{
    char *mode = NULL;
    int rc;

    bb->x.hv = mica_open();
    bb->x.xs = mxs_open(NULL);
    bb->ev = mica_evtchn_open();
    bb->gt = mica_gnttab_open();
    if (!bb->x.hv || !bb->x.xs || !bb->ev || !bb->gt) {
        bb_log(bb, "cannot open %s", !bb->x.hv ? "privcmd" : !bb->x.xs ? "xenstore" :
               !bb->ev ? "/dev/xen/evtchn" : "/dev/xen/gntdev");
        return -ENODEV;
    }
    if (bex_read(&bb->x, bb->x.be, "params", &bb->target) || !*bb->target) {
        bb_log(bb, "%s/params: no disk named", bb->x.be);
        return -ENOENT;
    }
    bex_read(&bb->x, bb->x.be, "mode", &mode);
    rc = bb_disk_open(bb, mode && mode[0] == 'r');
    free(mode);
    if (!rc)
        rc = bb_io_init(bb);
    if (!rc && (rc = bb_publish(bb)))
        bb_log(bb, "writing the disk's keys: %s", strerror(-rc));
    if (!rc)
        rc = bex_watch(&bb->x);
    return rc;
}

/* The driver's side of the front end's state machine (common/be-xs.h). */
static int op_connect(void *ctx)
{
    return bb_connect(ctx);
}

static void op_disconnect(void *ctx)
{
    bb_disconnect(ctx);
}

static int op_publish(void *ctx)
{
    return bb_publish(ctx);
}

static void op_kick(void *ctx)
{
    struct blkback *bb = ctx;

    for (unsigned int i = 0; i < bb->nqueues; i++)
        bb_kick(&bb->q[i]);
}

static const struct bex_ops ops = { op_connect, op_disconnect, op_publish, op_kick };

static void events(struct blkback *bb)
{
    int port;

    while ((port = mica_evtchn_pending(bb->ev)) >= 0) {
        bb_port_fired(bb, port);
        mica_evtchn_unmask(bb->ev, (uint32_t)port);
    }
}

/*
 * xenstore is looked at only when it has news or once a second: the data
 * path (event channels, completions) costs no xenstore round trips.
 */
static void serve(struct blkback *bb)
{
    struct pollfd p[3] = {
        { .fd = mxs_fileno(bb->x.xs), .events = POLLIN },
        { .fd = mica_evtchn_fd(bb->ev), .events = POLLIN },
        { .fd = bb->efd, .events = POLLIN },
    };
    bool control = true;
    time_t last = 0;
    int n;

    while (!stop) {
        struct timespec ts;

        if (dump) {
            dump_rings(bb);
            dump = 0;
        }

        clock_gettime(CLOCK_MONOTONIC, &ts);
        if (ts.tv_sec != last) {    /* counters once a second, busy or not */
            bb_publish_stats(bb);
            last = ts.tv_sec;
        }
        if (control) {
            bex_drain_watches(&bb->x);
            if (bex_domain_over(&bb->x) || bex_dir_gone(&bb->x))
                break;
            bex_follow_frontend(&bb->x, &ops, bb);
            if (bex_finished(&bb->x))
                break;
        }
        bb_notify(bb);
        n = poll(p, 3, 1000);
        if (n < 0 && errno != EINTR)
            break;
        control = n == 0 || p[0].revents;
        if (n > 0 && p[1].revents)
            events(bb);
        if (n > 0 && p[2].revents) {
            bb_io_reap(bb, false);
            op_kick(bb);
        }
    }
}

int main(int argc, char **argv)
{
    struct blkback bb = { .fd = -1, .efd = -1 };
    char *end;
    int rc;

    if (argc != 3) {
        fprintf(stderr, "usage: mica-blkback DOMID DEVID\n");
        return 2;
    }
    bb.want_persistent = bb_want_persistent();
    bex_init(&bb.x, "mica-blkback", "vbd", (uint32_t)strtoul(argv[1], &end, 10),
             (uint32_t)strtoul(argv[2], &end, 10));
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGUSR1, on_signal);
    signal(SIGPIPE, SIG_IGN);
    rc = setup(&bb);
    if (!rc && !(rc = bex_set_state(&bb.x, XB_INITWAIT)))
        serve(&bb);
    bb_disconnect(&bb);
    bex_close(&bb.x);
    bb_log(&bb, "done: %llu reads (%llu sectors), %llu writes (%llu sectors), "
           "%llu flushes, %llu discards, %llu refused", (unsigned long long)bb.st.rd_req,
           (unsigned long long)bb.st.rd_sect, (unsigned long long)bb.st.wr_req,
           (unsigned long long)bb.st.wr_sect, (unsigned long long)bb.st.fl_req,
           (unsigned long long)bb.st.ds_req, (unsigned long long)bb.st.oo_req);
    log_counts(&bb);
    if (bb.efd >= 0)
        bb_io_exit(&bb);
    if (bb.fd >= 0)
        close(bb.fd);
    mica_gnttab_close(bb.gt);
    mica_evtchn_close(bb.ev);
    if (bb.x.xs)
        mxs_close(bb.x.xs);
    if (bb.x.hv)
        mica_close(bb.x.hv);
    free(bb.target);
    return rc ? 1 : 0;
}
