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

void nb_log(const struct netback *nb, const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fprintf(stderr, "mica-netback %u/%u: %s\n", nb->domid, nb->devid, msg);
}

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
static bool domain_over(struct netback *nb)
{
    struct xen_domctl_getdomaininfo info;
    int rc = mica_domain_getinfo(nb->hv, nb->domid, &info);

    if (rc)
        return rc == -ESRCH || rc == -ENOENT || rc == -EINVAL;
    return info.domain != nb->domid || (info.flags & XEN_DOMINF_dying);
}

/* The TAP's name (vifname= or vifDOMID.DEVID) and its bridge. */
static int names(struct netback *nb)
{
    char *v = NULL;

    if (!nb_xs_read(nb, nb->be, "vifname", &v) && *v) {
        if (strlen(v) >= IFNAMSIZ || strpbrk(v, "/ :")) {
            nb_log(nb, "vifname %s: not a network interface name", v);
            free(v);
            return -EINVAL;
        }
        snprintf(nb->ifname, sizeof(nb->ifname), "%s", v);
    } else {
        snprintf(nb->ifname, sizeof(nb->ifname), "vif%u.%u", nb->domid, nb->devid);
    }
    free(v);
    if (!nb_xs_read(nb, nb->be, "bridge", &v) && *v)
        snprintf(nb->bridge, sizeof(nb->bridge), "%s", v);
    else
        snprintf(nb->bridge, sizeof(nb->bridge), "micabr0");
    free(v);
    return 0;
}

static int setup(struct netback *nb)
{
    char fe_state[128];
    int rc;

    nb->hv = mica_open();
    nb->xs = mxs_open(NULL);
    nb->ev = mica_evtchn_open();
    nb->gt = mica_gnttab_open();
    if (!nb->hv || !nb->xs || !nb->ev || !nb->gt) {
        nb_log(nb, "cannot open %s", !nb->hv ? "privcmd" : !nb->xs ? "xenstore" :
               !nb->ev ? "/dev/xen/evtchn" : "/dev/xen/gntdev");
        return -ENODEV;
    }
    nb->lim = (struct nettx_limits){ .gso_v4 = true, .gso_v6 = true };
    if ((rc = names(nb)) || (rc = nb_tap_open(nb)))
        return rc;
    if ((rc = nb_hotplug(nb, "online")))
        return rc;
    nb->online = true;
    nb_xs_write(nb, nb->be, "hotplug-status", "connected");
    if ((rc = nb_publish(nb))) {
        nb_log(nb, "writing the vif's keys: %s", strerror(-rc));
        return rc;
    }
    snprintf(fe_state, sizeof(fe_state), "%s/state", nb->fe);
    rc = mxs_watch(nb->xs, fe_state, "fe");
    if (!rc)
        rc = mxs_watch(nb->xs, nb->be, "be");
    if (!rc)
        rc = mxs_watch(nb->xs, "@releaseDomain", "dom");
    return rc;
}

/* `mica network-detach` took the device offline: close it with the guest. */
static bool offline(struct netback *nb)
{
    char *v;
    bool off = false;

    if (!nb_xs_read(nb, nb->be, "online", &v)) {
        off = !strcmp(v, "0");
        free(v);
    }
    return off;
}

/* The state machine's verdict on the front end's state, carried out. */
static void follow_frontend(struct netback *nb)
{
    int fe = nb_frontend_state(nb);
    struct xbe_step s = xbe_on_frontend(nb->state, fe);

    if (offline(nb) && nb->state != XB_CLOSING && nb->state != XB_CLOSED) {
        nb_disconnect(nb);
        nb_set_state(nb, XB_CLOSING);
        return;
    }
    switch (s.action) {
    case XBE_CONNECT:
        if (nb_connect(nb)) {
            nb_set_state(nb, xbe_connect_failed());
            return;
        }
        break;
    case XBE_DISCONNECT:
        nb_disconnect(nb);
        break;
    case XBE_REINIT:
        nb_publish(nb);
        break;
    case XBE_NONE:
        break;
    }
    if (s.next != nb->state)
        nb_set_state(nb, s.next);
    for (unsigned int i = 0; i < nb->nqueues; i++) {
        nb_tx_kick(&nb->q[i]);
        nb_rx_kick(&nb->q[i]);
    }
}

static bool dir_gone(struct netback *nb)
{
    char *v;

    if (nb_xs_read(nb, nb->be, "state", &v))
        return true;
    free(v);
    return false;
}

static void drain_watches(struct netback *nb)
{
    char *path, *token;

    while (!mxs_read_watch(nb->xs, 0, &path, &token)) {
        free(path);
        free(token);
    }
}

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

    p[0] = (struct pollfd){ .fd = mxs_fileno(nb->xs), .events = POLLIN };
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
            drain_watches(nb);
            if (domain_over(nb) || dir_gone(nb))
                break;
            follow_frontend(nb);
            if (xbe_finished(nb->state, nb_frontend_state(nb)))
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
    if (nb->xs) {
        nb_publish_stats(nb);
        if (!domain_over(nb) && !dir_gone(nb))
            nb_set_state(nb, XB_CLOSED);
        nb_xs_remove(nb);
    }
    nb_log(nb, "done: guest sent %llu packets (%llu bytes, %llu dropped, %llu errors), "
           "received %llu (%llu bytes, %llu dropped, %llu errors)",
           (unsigned long long)nb->st.tx_packets, (unsigned long long)nb->st.tx_bytes,
           (unsigned long long)nb->st.tx_drops, (unsigned long long)nb->st.tx_errors,
           (unsigned long long)nb->st.rx_packets, (unsigned long long)nb->st.rx_bytes,
           (unsigned long long)nb->st.rx_drops, (unsigned long long)nb->st.rx_errors);
    mica_gnttab_close(nb->gt);
    mica_evtchn_close(nb->ev);
    if (nb->xs)
        mxs_close(nb->xs);
    if (nb->hv)
        mica_close(nb->hv);
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
    static struct netback nb = { .state = XB_INITIALISING };
    int rc;

    if (argc != 3 || parse_id(argv[1], &nb.domid) || parse_id(argv[2], &nb.devid)) {
        fprintf(stderr, "usage: mica-netback DOMID DEVID\n");
        return 2;
    }
    for (unsigned int i = 0; i < NB_MAX_QUEUES; i++)
        nb.tapq[i] = -1;
    snprintf(nb.be, sizeof(nb.be), "/local/domain/0/backend/vif/%u/%u", nb.domid, nb.devid);
    snprintf(nb.fe, sizeof(nb.fe), "/local/domain/%u/device/vif/%u", nb.domid, nb.devid);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGPIPE, SIG_IGN);
    rc = setup(&nb);
    if (!rc && !(rc = nb_set_state(&nb, XB_INITWAIT)))
        serve(&nb);
    teardown(&nb);
    return rc ? 1 : 0;
}
