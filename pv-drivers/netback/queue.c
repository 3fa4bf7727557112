/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/netback/queue.c - what netfront offered at connect: one or
 * more queues (flat, or queue-N/ when it wrote multi-queue-num-queues),
 * each a tx and an rx ring page mapped through gntdev and one event
 * channel or two (event-channel-tx/-rx); the features it takes back on
 * rx; then the TAP's offloads and queues to match.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "netback.h"

static void *map_ring(struct nb_queue *q, const char *dir, const char *key,
                      struct ring_back *r, size_t entry)
{
    struct netback *nb = q->nb;
    unsigned long ref;
    uint32_t r32;
    void *p;

    if (bex_read_uint(&nb->x, dir, key, &ref) || ref > UINT32_MAX) {
        nb_log(nb, "%s/%s: missing or not a grant ref", dir, key);
        return NULL;
    }
    r32 = (uint32_t)ref;
    p = mica_gnttab_map(nb->gt, nb->x.domid, &r32, 1, PROT_READ | PROT_WRITE);
    if (!p) {
        nb_log(nb, "queue %u: mapping %s %u: %s", q->idx, key, r32, strerror(errno));
        return NULL;
    }
    ring_back_init(r, p, NET_PAGE, entry);
    return p;
}

static int bind_port(struct nb_queue *q, const char *dir, const char *key)
{
    struct netback *nb = q->nb;
    unsigned long port;
    int local;

    if (bex_read_uint(&nb->x, dir, key, &port) || port > UINT32_MAX)
        return -ENOENT;
    local = mica_evtchn_bind_interdomain(nb->ev, nb->x.domid, (uint32_t)port);
    if (local < 0)
        nb_log(nb, "queue %u: binding %s %lu: %s", q->idx, key, port, strerror(-local));
    return local;
}

/* Frame buffers: reserved now, touched only as frames come. */
static int alloc_buffers(struct nb_queue *q)
{
    size_t per = NB_VNET_LEN + NB_FRAME_MAX;

    q->pool_bytes = per * (NB_RXQ_FRAMES + 1);
    q->pool = mmap(NULL, q->pool_bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (q->pool == MAP_FAILED) {
        q->pool = NULL;
        return -ENOMEM;
    }
    q->txbuf = q->pool;
    for (unsigned int i = 0; i < NB_RXQ_FRAMES; i++)
        q->rxq[i].buf = q->pool + per * (i + 1);
    return 0;
}

static int connect_queue(struct nb_queue *q, const char *dir)
{
    q->tx_map = map_ring(q, dir, "tx-ring-ref", &q->tx, sizeof(union netif_tx_sring_entry));
    q->rx_map = map_ring(q, dir, "rx-ring-ref", &q->rx, sizeof(union netif_rx_sring_entry));
    if (!q->tx_map || !q->rx_map)
        return -EINVAL;
    q->port_tx = bind_port(q, dir, "event-channel-tx");
    if (q->port_tx == -ENOENT) {
        q->port_tx = q->port_rx = bind_port(q, dir, "event-channel");
    } else if (q->port_tx >= 0) {
        q->port_rx = bind_port(q, dir, "event-channel-rx");
    }
    if (q->port_tx < 0 || q->port_rx < 0) {
        nb_log(q->nb, "%s: no usable event channel", dir);
        return -EINVAL;
    }
    q->tap = q->nb->tapq[q->idx];
    return alloc_buffers(q);
}

static bool fe_flag(struct netback *nb, const char *key)
{
    unsigned long v = 0;

    return !bex_read_uint(&nb->x, nb->x.fe, key, &v) && v;
}

static int read_features(struct netback *nb)
{
    unsigned long nq = 1;

    if (!fe_flag(nb, "request-rx-copy")) {
        nb_log(nb, "the front end did not ask for rx-copy, the only receive mode");
        return -EPROTO;
    }
    if (!bex_read_uint(&nb->x, nb->x.fe, "multi-queue-num-queues", &nq) &&
        (nq < 1 || nq > NB_MAX_QUEUES)) {
        nb_log(nb, "multi-queue-num-queues %lu: at most %u", nq, NB_MAX_QUEUES);
        return -EINVAL;
    }
    nb->nqueues = (unsigned int)nq;
    nb->fe_sg = fe_flag(nb, "feature-sg");
    nb->fe_gso_v4 = nb->fe_sg && fe_flag(nb, "feature-gso-tcpv4");
    nb->fe_gso_v6 = nb->fe_sg && fe_flag(nb, "feature-gso-tcpv6");
    nb->fe_rx_notify = fe_flag(nb, "feature-rx-notify");
    return 0;
}

int nb_connect(struct netback *nb)
{
    char dir[128];
    int rc = read_features(nb);
    /* netfront writes multi-queue-num-queues = 1 with the flat keys */
    bool multi = nb->nqueues > 1;

    for (unsigned int i = 0; i < nb->nqueues && !rc; i++) {
        struct nb_queue *q = &nb->q[i];

        memset(q, 0, sizeof(*q));
        q->nb = nb;
        q->idx = i;
        q->port_tx = q->port_rx = q->tap = -1;
        if (multi)
            snprintf(dir, sizeof(dir), "%s/queue-%u", nb->x.fe, i);
        else
            snprintf(dir, sizeof(dir), "%s", nb->x.fe);
        rc = connect_queue(q, dir);
    }
    if (!rc)
        rc = nb_tap_offloads(nb);
    if (rc) {
        nb_disconnect(nb);
        return rc;
    }
    nb_log(nb, "connected: %u queue(s), %s event channels, sg %d gso v4 %d v6 %d rx-notify %d",
           nb->nqueues, nb->q[0].port_tx == nb->q[0].port_rx ? "shared" : "split",
           nb->fe_sg, nb->fe_gso_v4, nb->fe_gso_v6, nb->fe_rx_notify);
    return 0;
}

void nb_disconnect(struct netback *nb)
{
    for (unsigned int i = 0; i < nb->nqueues; i++) {
        struct nb_queue *q = &nb->q[i];

        if (q->port_rx >= 0 && q->port_rx != q->port_tx)
            mica_evtchn_unbind(nb->ev, (uint32_t)q->port_rx);
        if (q->port_tx >= 0)
            mica_evtchn_unbind(nb->ev, (uint32_t)q->port_tx);
        if (q->tx_map)
            mica_gnttab_unmap(nb->gt, q->tx_map, 1);
        if (q->rx_map)
            mica_gnttab_unmap(nb->gt, q->rx_map, 1);
        if (q->pool)
            munmap(q->pool, q->pool_bytes);
        memset(q, 0, sizeof(*q));
        q->port_tx = q->port_rx = q->tap = -1;
    }
    nb->nqueues = 0;
}

void nb_port_fired(struct netback *nb, int port)
{
    for (unsigned int i = 0; i < nb->nqueues; i++) {
        struct nb_queue *q = &nb->q[i];

        if (q->port_tx == port)
            nb_tx_kick(q);
        if (q->port_rx == port)
            nb_rx_kick(q);
    }
}

/* One event per port whose ring's peer asked to hear about new responses. */
void nb_notify(struct netback *nb)
{
    for (unsigned int i = 0; i < nb->nqueues; i++) {
        struct nb_queue *q = &nb->q[i];
        bool rx_too = q->notify_rx && !(q->notify_tx && q->port_rx == q->port_tx);

        if (q->notify_tx && q->port_tx >= 0)
            mica_evtchn_notify(nb->ev, (uint32_t)q->port_tx);
        if (rx_too && q->port_rx >= 0)
            mica_evtchn_notify(nb->ev, (uint32_t)q->port_rx);
        q->notify_tx = q->notify_rx = false;
    }
}
