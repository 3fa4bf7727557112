/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/netback/main.c - mica-netback DOMID DEVID: serve the vif the
 * toolstack described in /local/domain/0/backend/vif/DOMID/DEVID (bridge,
 * vifname, script) until the domain dies, the front end closes for good,
 * the device is taken offline or the directory disappears; then unmap,
 * run the hotplug script's offline, close the TAP (which removes it),
 * remove the directory and exit.  One poll loop: xenstore watches, the
 * event channels, the TAP queues, and a one-second tick that re-checks
 * the domain and publishes the counters.
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

#include "netback.h"

#define DROP_LOGS_PER_SEC 5

static volatile sig_atomic_t stop;

void nb_log_drop(struct netback *nb, const char *dir, const char *why)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    if ((uint64_t)ts.tv_sec != nb->drop_log_sec) {
        nb->drop_log_sec = (uint64_t)ts.tv_sec;
        nb->drop_log_n = 0;
    }
    if (nb->drop_log_n++ < DROP_LOGS_PER_SEC)
        nb_log(nb, "%s packet dropped: %s (drops so far: tx %llu, rx %llu)", dir, why,
               (unsigned long long)nb->st.tx_drops, (unsigned long long)nb->st.rx_drops);
}

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

/* Gone, dying, or not there: the back end's work is over. */
/* The TAP's name (vifname= or vifDOMID.DEVID) and its bridge. */
static int names(struct netback *nb)
{
    char *v = NULL;

    if (!bex_read(&nb->x, nb->x.be, "vifname", &v) && *v) {
        if (strlen(v) >= IFNAMSIZ || strpbrk(v, "/ :")) {
            nb_log(nb, "vifname %s: not a network interface name", v);
            free(v);
            return -EINVAL;
        }
        snprintf(nb->ifname, sizeof(nb->ifname), "%s", v);
    } else {
        snprintf(nb->ifname, sizeof(nb->ifname), "vif%u.%u", nb->x.domid, nb->x.devid);
    }
    free(v);
    if (!bex_read(&nb->x, nb->x.be, "bridge", &v) && *v)
        snprintf(nb->bridge, sizeof(nb->bridge), "%s", v);
    else
        snprintf(nb->bridge, sizeof(nb->bridge), "micabr0");
    free(v);
    return 0;
}

static int setup(struct netback *nb)
{
    int rc;

    nb->x.hv = mica_open();
    nb->x.xs = mxs_open(NULL);
    nb->ev = mica_evtchn_open();
    nb->gt = mica_gnttab_open();
    if (!nb->x.hv || !nb->x.xs || !nb->ev || !nb->gt) {
        nb_log(nb, "cannot open %s", !nb->x.hv ? "privcmd" : !nb->x.xs ? "xenstore" :
               !nb->ev ? "/dev/xen/evtchn" : "/dev/xen/gntdev");
        return -ENODEV;
    }
    nb->lim = (struct nettx_limits){ .gso_v4 = true, .gso_v6 = true };
    if ((rc = names(nb)) || (rc = nb_tap_open(nb)))
        return rc;
    if ((rc = nb_hotplug(nb, "online")))
        return rc;
    nb->online = true;
    bex_write(&nb->x, nb->x.be, "hotplug-status", "connected");
    if ((rc = nb_publish(nb))) {
        nb_log(nb, "writing the vif's keys: %s", strerror(-rc));
        return rc;
    }
    return bex_watch(&nb->x);
}

/* The driver's side of the front end's state machine (common/be-xs.h). */
static int op_connect(void *ctx)
{
    return nb_connect(ctx);
}

static void op_disconnect(void *ctx)
{
    nb_disconnect(ctx);
}

static int op_publish(void *ctx)
{
    return nb_publish(ctx);
}

static void op_kick(void *ctx)
{
    struct netback *nb = ctx;

    for (unsigned int i = 0; i < nb->nqueues; i++) {
        nb_tx_kick(&nb->q[i]);
        nb_rx_kick(&nb->q[i]);
    }
}

static const struct bex_ops ops = { op_connect, op_disconnect, op_publish, op_kick };

static void events(struct netback *nb)
{
    int port;

    while ((port = mica_evtchn_pending(nb->ev)) >= 0) {
        nb_port_fired(nb, port);
        mica_evtchn_unmask(nb->ev, (uint32_t)port);
    }
}

/* xenstore, the event channels, and the TAP queues a connected guest reads. */
static unsigned int poll_set(struct netback *nb, struct pollfd *p, int *qof)
{
    unsigned int n = 2;

    p[0] = (struct pollfd){ .fd = mxs_fileno(nb->x.xs), .events = POLLIN };
    p[1] = (struct pollfd){ .fd = mica_evtchn_fd(nb->ev), .events = POLLIN };
    for (unsigned int i = 0; i < nb->nqueues; i++) {
        if (!nb_rx_wants_tap(&nb->q[i]))
            continue;
        qof[n] = (int)i;
        p[n++] = (struct pollfd){ .fd = nb->q[i].tap, .events = POLLIN };
    }
    return n;
}

static void serve(struct netback *nb)
{
    struct pollfd p[2 + NB_MAX_QUEUES];
    int qof[2 + NB_MAX_QUEUES];
    bool control = true;
    time_t last = 0;
    unsigned int np;
    int n;

    while (!stop) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        if (ts.tv_sec != last) {    /* counters once a second, busy or not */
            nb_publish_stats(nb);
            last = ts.tv_sec;
            control = true;         /* and a look at the domain, in case a watch was lost */
        }
        if (control) {
            bex_drain_watches(&nb->x);
            if (bex_domain_over(&nb->x) || bex_dir_gone(&nb->x))
                break;
            bex_follow_frontend(&nb->x, &ops, nb);
            if (bex_finished(&nb->x))
                break;
        }
        nb_notify(nb);
        np = poll_set(nb, p, qof);
        n = poll(p, np, 1000);
        if (n < 0 && errno != EINTR)
            break;
        control = n > 0 && p[0].revents;
        if (n > 0 && p[1].revents)
            events(nb);
        for (unsigned int i = 2; n > 0 && i < np; i++)
            if (p[i].revents)
                nb_rx_read_tap(&nb->q[qof[i]]);
    }
}

static void teardown(struct netback *nb)
{
    nb_disconnect(nb);
    if (nb->online)
        nb_hotplug(nb, "offline");
    nb_tap_close(nb);
    if (nb->x.xs)
        nb_publish_stats(nb);
    bex_close(&nb->x);
    nb_log(nb, "done: guest sent %llu packets (%llu bytes, %llu dropped, %llu errors), "
           "received %llu (%llu bytes, %llu dropped, %llu errors)",
           (unsigned long long)nb->st.tx_packets, (unsigned long long)nb->st.tx_bytes,
           (unsigned long long)nb->st.tx_drops, (unsigned long long)nb->st.tx_errors,
           (unsigned long long)nb->st.rx_packets, (unsigned long long)nb->st.rx_bytes,
           (unsigned long long)nb->st.rx_drops, (unsigned long long)nb->st.rx_errors);
    mica_gnttab_close(nb->gt);
    mica_evtchn_close(nb->ev);
    if (nb->x.xs)
        mxs_close(nb->x.xs);
    if (nb->x.hv)
        mica_close(nb->x.hv);
}

static int parse_id(const char *s, uint32_t *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);

    if (*s < '0' || *s > '9' || *end || v > 0x7fef)
        return -EINVAL;
    *out = (uint32_t)v;
    return 0;
}

int main(int argc, char **argv)
{
    static struct netback nb;
    uint32_t domid, devid;
    int rc;

    if (argc != 3 || parse_id(argv[1], &domid) || parse_id(argv[2], &devid)) {
        fprintf(stderr, "usage: mica-netback DOMID DEVID\n");
        return 2;
    }
    for (unsigned int i = 0; i < NB_MAX_QUEUES; i++)
        nb.tapq[i] = -1;
    bex_init(&nb.x, "mica-netback", "vif", domid, devid);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGPIPE, SIG_IGN);
    rc = setup(&nb);
    if (!rc && !(rc = bex_set_state(&nb.x, XB_INITWAIT)))
        serve(&nb);
    teardown(&nb);
    return rc ? 1 : 0;
}
