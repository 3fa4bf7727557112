/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/netback/tx.c - the guest's transmissions: each packet's
 * slots copied out of the ring (the guest may rewrite them while we look),
 * checked by nettx_parse, its data grant-copied into one linear frame
 * behind a virtio_net_hdr and written to the TAP queue; then exactly one
 * response per slot in ring order (NETIF_RSP_NULL for extras), published
 * once per batch, so netfront's count of free slots never leaks.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "netback.h"

static void respond(struct nb_queue *q, const struct nettx_pkt *p, int16_t status)
{
    for (unsigned int i = 0; i < p->nslots; i++) {
        struct netif_tx_response r = {
            .id = p->slot[i].id, .status = p->slot[i].extra ? NETIF_RSP_NULL : status,
        };

        memcpy(ring_slot(&q->tx, q->tx.rsp_prod_pvt++), &r, sizeof(r));
    }
}

/* Grant-copy the packet's data, add its vnet header, hand it to the TAP. */
static enum nettx_verdict send_packet(struct nb_queue *q, const struct nettx_pkt *p)
{
    struct netback *nb = q->nb;
    struct mica_grant_copy c[NETTX_MAX_DATA];
    uint8_t *frame = q->txbuf + NB_VNET_LEN;
    unsigned int n = 0;
    uint32_t at = 0;

    for (unsigned int i = 0; i < p->nslots; i++) {
        const struct nettx_slot *s = &p->slot[i];

        if (s->extra || !s->len)
            continue;
        c[n++] = (struct mica_grant_copy){ .local = frame + at, .ref = s->gref,
                                           .offset = s->offset, .len = s->len };
        at += s->len;
    }
    if (mica_gnttab_copy(nb->gt, nb->x.domid, c, n))
        return NETTX_BAD_GRANT;
    for (unsigned int i = 0; i < n; i++)
        if (c[i].status != GNTST_okay)
            return NETTX_BAD_GRANT;
    if (nettx_vnet_hdr(frame, p->total, p, (struct virtio_net_hdr *)q->txbuf))
        return NETTX_BAD_CSUM;
    if (write(q->tap, q->txbuf, NB_VNET_LEN + p->total) < 0) {
        nb->st.tx_errors++;         /* the TAP is down or full: not the guest's fault */
        return NETTX_OK;
    }
    nb->st.tx_packets++;
    nb->st.tx_bytes += p->total;
    return NETTX_OK;
}

/*
 * The chain is not complete yet: ask to be told when the slot after what
 * we have arrives.  True when it arrived meanwhile (look again).
 */
static bool wait_for_more(struct nb_queue *q, unsigned int have)
{
    __atomic_store_n(&q->tx.sh->req_event, q->tx.req_cons + have + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return ring_requests_ready(&q->tx) > (int)have;
}

/* One packet off the ring: 1 done, 0 nothing (more) to do, -EIO broken. */
static int one_packet(struct nb_queue *q, int ready)
{
    static struct netif_tx_request s[NETTX_FATAL_SLOTS];
    static struct nettx_pkt p;
    unsigned int n = (unsigned int)ready < NETTX_FATAL_SLOTS ? (unsigned int)ready
                                                              : NETTX_FATAL_SLOTS;
    enum nettx_verdict v;
    int rc;

    for (unsigned int i = 0; i < n; i++)
        memcpy(&s[i], ring_slot(&q->tx, q->tx.req_cons + i), sizeof(s[i]));
    rc = nettx_parse(s, n, &q->nb->lim, &p);
    if (rc == -EAGAIN)
        return wait_for_more(q, n) ? 1 : 0;
    if (rc)
        return rc;
    q->tx.req_cons += p.nslots;
    v = p.verdict ? p.verdict : send_packet(q, &p);
    if (v) {
        q->nb->st.tx_drops++;
        nb_log_drop(q->nb, "tx", nettx_verdict_name(v));
    }
    respond(q, &p, v ? NETIF_RSP_ERROR : NETIF_RSP_OKAY);
    return 1;
}

void nb_tx_kick(struct nb_queue *q)
{
    int ready, rc;
    unsigned int done = 0;

    if (!q->tx_map || q->dead)
        return;
    for (;;) {
        ready = ring_requests_ready(&q->tx);
        if (ready == 0 && (ready = ring_final_check(&q->tx)) == 0)
            break;
        rc = ready < 0 ? -EIO : one_packet(q, ready);
        if (rc < 0) {
            nb_log(q->nb, "queue %u: the front end broke the tx ring (%s); queue stopped",
                   q->idx, ready < 0 ? "more requests than slots" : "endless slot chain");
            q->dead = true;
            break;
        }
        if (!rc)
            break;
        /* give the guest its slots back as we go, not only at the end */
        if (++done % 32 == 0 && ring_push_responses(&q->tx))
            q->notify_tx = true;
    }
    if (ring_push_responses(&q->tx))
        q->notify_tx = true;
}
