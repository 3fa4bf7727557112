/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/netback/rx.c - frames for the guest: read from the TAP queue
 * (each behind its virtio_net_hdr) into a bounded backlog, then, while
 * the guest has posted enough rx buffers, grant-copied into them from
 * offset 0, a page a slot.  netfront takes response i from the slot of
 * request i (it ignores ids), so requests are consumed and answered in
 * ring order, one response each; a GSO frame's extra takes the second
 * slot.  When buffers run short, req_event asks the guest to tell us.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "netback.h"

/* The response for data slot 'k' of 'ndata' of a frame of 'len' bytes. */
static struct netif_rx_response data_rsp(uint16_t id, unsigned int k, unsigned int ndata,
                                         uint32_t len, uint16_t first_flags, bool ok)
{
    uint32_t left = len - k * NET_PAGE;
    struct netif_rx_response r = {
        .id = id, .offset = 0,
        .status = ok ? (int16_t)(left < NET_PAGE ? left : NET_PAGE) : NETIF_RSP_ERROR,
    };

    if (k == 0)
        r.flags = first_flags;
    if (k + 1 < ndata)
        r.flags |= NETRXF_more_data;
    return r;
}

/* Copy one frame into the guest's next 'need' buffers and answer them. */
static void deliver(struct nb_queue *q, const struct nb_frame *f, const struct netrx_meta *m,
                    unsigned int need)
{
    struct netback *nb = q->nb;
    struct mica_grant_copy c[XEN_NETIF_NR_SLOTS_MIN];
    uint16_t ids[XEN_NETIF_NR_SLOTS_MIN + 1];
    bool gso = m->gso_type != XEN_NETIF_GSO_TYPE_NONE, ok = true;
    unsigned int ndata = need - gso, k;
    uint16_t first = m->flags | (gso ? NETRXF_extra_info : 0);

    for (unsigned int i = 0; i < need; i++) {
        struct netif_rx_request rq;

        memcpy(&rq, ring_slot(&q->rx, q->rx.req_cons + i), sizeof(rq));
        ids[i] = rq.id;
        k = i == 0 ? 0 : i - gso;  /* slot 1 of a GSO frame is its extra */
        if (gso && i == 1)
            continue;
        c[k] = (struct mica_grant_copy){
            .local = f->buf + NB_VNET_LEN + k * NET_PAGE, .ref = rq.gref, .offset = 0,
            .len = (uint16_t)(f->len - k * NET_PAGE < NET_PAGE ? f->len - k * NET_PAGE
                                                                : NET_PAGE),
            .to_grant = true,
        };
    }
    if (mica_gnttab_copy(nb->gt, nb->x.domid, c, ndata))
        ok = false;
    for (k = 0; k < ndata && ok; k++)
        ok = c[k].status == GNTST_okay;
    for (unsigned int i = 0; i < need; i++) {
        void *slot = ring_slot(&q->rx, q->rx.rsp_prod_pvt++);

        if (gso && i == 1) {
            struct netif_extra_info x = { .type = XEN_NETIF_EXTRA_TYPE_GSO };

            x.u.gso.size = m->gso_size;
            x.u.gso.type = m->gso_type;
            memcpy(slot, &x, sizeof(x));
            continue;
        }
        k = i == 0 ? 0 : i - gso;
        struct netif_rx_response r = data_rsp(ids[i], k, ndata, f->len, first, ok);
        memcpy(slot, &r, sizeof(r));
    }
    q->rx.req_cons += need;
    if (ok) {
        nb->st.rx_packets++;
        nb->st.rx_bytes += f->len;
    } else {
        nb->st.rx_errors++;
        nb_log_drop(nb, "rx", "grant copy into the guest's buffer refused");
    }
}

/* Enough buffers posted for 'need' slots?  If not, ask to be told. */
static int room_for(struct nb_queue *q, unsigned int need)
{
    int ready = ring_requests_ready(&q->rx);

    if (ready < 0 || (unsigned int)ready >= need)
        return ready;
    __atomic_store_n(&q->rx.sh->req_event, q->rx.req_cons + need, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return ring_requests_ready(&q->rx);
}

void nb_rx_kick(struct nb_queue *q)
{
    struct netback *nb = q->nb;
    unsigned int delivered = 0;

    while (q->rxq_n && q->rx_map && !q->dead) {
        struct nb_frame *f = &q->rxq[q->rxq_head];
        struct netrx_meta m;
        unsigned int need = 0;
        int ready;

        if (!netrx_meta((const struct virtio_net_hdr *)f->buf, nb->fe_gso_v4, nb->fe_gso_v6,
                        &m))
            need = netrx_slots(f->len, m.gso_type != XEN_NETIF_GSO_TYPE_NONE);
        if (need && (ready = room_for(q, need)) < 0) {
            nb_log(nb, "queue %u: the front end broke the rx ring; queue stopped", q->idx);
            q->dead = true;
            break;
        }
        if (need && (unsigned int)ready < need)
            break;                  /* the guest's event brings us back */
        if (need)
            deliver(q, f, &m, need);
        else {
            nb->st.rx_drops++;
            nb_log_drop(nb, "rx", "a frame netfront cannot take");
        }
        q->rxq_head = (q->rxq_head + 1) % NB_RXQ_FRAMES;
        q->rxq_n--;
        if (++delivered % 32 == 0 && ring_push_responses(&q->rx))
            q->notify_rx = true;
    }
    if (q->rx_map && ring_push_responses(&q->rx))
        q->notify_rx = true;
}

/*
 * Read what the TAP queue holds into the backlog; with the backlog full
 * a frame is read and dropped, so a guest that stopped taking frames
 * costs a bounded amount of memory and the drops are counted.
 */
void nb_rx_read_tap(struct nb_queue *q)
{
    static uint8_t sink[NB_VNET_LEN + NB_FRAME_MAX];

    for (unsigned int reads = 0; reads < NB_RXQ_FRAMES && q->tap >= 0; reads++) {
        bool full = q->rxq_n == NB_RXQ_FRAMES;
        struct nb_frame *f = &q->rxq[(q->rxq_head + q->rxq_n) % NB_RXQ_FRAMES];
        ssize_t n = read(q->tap, full ? sink : f->buf, NB_VNET_LEN + NB_FRAME_MAX);

        if (n < 0)
            break;                  /* EAGAIN: drained */
        if ((size_t)n <= NB_VNET_LEN)
            continue;
        if (full) {
            q->nb->st.rx_drops++;
            nb_log_drop(q->nb, "rx", "the guest posts no buffers; backlog full");
            continue;
        }
        f->len = (uint32_t)(n - NB_VNET_LEN);
        q->rxq_n++;
        if (q->rxq_n >= 16)
            nb_rx_kick(q);          /* keep the backlog short while a burst comes in */
    }
    nb_rx_kick(q);
}

bool nb_rx_wants_tap(const struct nb_queue *q)
{
    return q->rx_map && q->tap >= 0 && !q->dead;
}
