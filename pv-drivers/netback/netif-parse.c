/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/netback/netif-parse.c - see netif-parse.h.  The order of a
 * packet's slots is netfront's (xennet_start_xmit): the first request,
 * then its extra-info slots chained by XEN_NETIF_EXTRA_FLAG_MORE, then
 * the fragments chained by NETTXF_more_data.  The chain's shape is found
 * first, so that even a packet we refuse is answered slot by slot and the
 * front end's accounting of free slots stays right.
 */
#include <errno.h>
#include <string.h>

#include "netif-parse.h"

/* Walk the chain: how many slots, which of them are extras. */
static int chain_shape(const struct netif_tx_request *s, unsigned int avail,
                       struct nettx_pkt *p)
{
    unsigned int n = 1;
    bool more_extra = s[0].flags & NETTXF_extra_info;
    uint16_t more_data = s[0].flags & NETTXF_more_data;

    p->slot[0] = (struct nettx_slot){ s[0].gref, s[0].offset, 0, s[0].id, false };
    while (more_extra || more_data) {
        if (n >= NETTX_FATAL_SLOTS)
            return -EIO;
        if (n >= avail)
            return -EAGAIN;
        if (more_extra) {
            const struct netif_extra_info *x = (const void *)&s[n];

            p->slot[n] = (struct nettx_slot){ 0, 0, 0, 0, true };
            more_extra = x->flags & XEN_NETIF_EXTRA_FLAG_MORE;
        } else {
            p->slot[n] = (struct nettx_slot){ s[n].gref, s[n].offset, s[n].size, s[n].id,
                                              false };
            more_data = s[n].flags & NETTXF_more_data;
        }
        n++;
    }
    p->nslots = n;
    return 0;
}

static enum nettx_verdict check_extra(const struct netif_extra_info *x,
                                      const struct nettx_limits *lim, struct nettx_pkt *p,
                                      unsigned int *seen)
{
    if (x->type == XEN_NETIF_EXTRA_TYPE_NONE || x->type >= XEN_NETIF_EXTRA_TYPE_MAX ||
        (*seen & (1u << x->type)))
        return NETTX_BAD_EXTRA;
    *seen |= 1u << x->type;
    if (x->type != XEN_NETIF_EXTRA_TYPE_GSO)
        return NETTX_OK;            /* multicast and hash hints: not offered, ignored */
    if (!x->u.gso.size)
        return NETTX_BAD_GSO;
    if (!(x->u.gso.type == XEN_NETIF_GSO_TYPE_TCPV4 && lim->gso_v4) &&
        !(x->u.gso.type == XEN_NETIF_GSO_TYPE_TCPV6 && lim->gso_v6))
        return NETTX_BAD_GSO;
    p->gso_type = x->u.gso.type;
    p->gso_size = x->u.gso.size;
    return NETTX_OK;
}

/* Sizes, pages and extras, once the chain's shape is known. */
static enum nettx_verdict check_packet(const struct netif_tx_request *s,
                                       const struct nettx_limits *lim, struct nettx_pkt *p)
{
    uint32_t rest = 0;
    unsigned int data = 0, seen = 0;
    enum nettx_verdict v;

    for (unsigned int i = 1; i < p->nslots; i++) {
        const struct nettx_slot *d = &p->slot[i];

        if (d->extra) {
            if ((v = check_extra((const void *)&s[i], lim, p, &seen)))
                return v;
            continue;
        }
        if ((uint32_t)d->offset + d->len > NET_PAGE)
            return NETTX_CROSS_PAGE;
        rest += d->len;
        data++;
    }
    if (p->total < NET_ETH_HLEN)
        return NETTX_SHORT;
    if (data + 1 > NETTX_MAX_DATA)
        return NETTX_TOO_MANY_SLOTS;
    if (rest > p->total)
        return NETTX_SIZE_MISMATCH;
    p->slot[0].len = (uint16_t)(p->total - rest);
    if ((uint32_t)p->slot[0].offset + p->slot[0].len > NET_PAGE)
        return NETTX_CROSS_PAGE;
    return NETTX_OK;
}

int nettx_parse(const struct netif_tx_request *slots, unsigned int avail,
                const struct nettx_limits *lim, struct nettx_pkt *p)
{
    int rc;

    memset(p, 0, offsetof(struct nettx_pkt, slot));
    p->gso_type = XEN_NETIF_GSO_TYPE_NONE;
    p->gso_size = 0;
    p->verdict = NETTX_OK;
    if (!avail)
        return -EAGAIN;
    if ((rc = chain_shape(slots, avail, p)))
        return rc;
    p->total = slots[0].size;
    p->flags = slots[0].flags & (NETTXF_csum_blank | NETTXF_data_validated);
    p->verdict = check_packet(slots, lim, p);
    if (p->verdict) {
        p->gso_type = XEN_NETIF_GSO_TYPE_NONE;
        p->gso_size = 0;
    }
    return 0;
}

const char *nettx_verdict_name(enum nettx_verdict v)
{
    static const char *const names[] = {
        "ok", "shorter than an Ethernet header", "too many slots",
        "data crosses its page", "fragments larger than the packet",
        "bad extra-info slot", "bad GSO extra", "no TCP/UDP header for its offload",
        "grant copy refused",
    };

    return (unsigned int)v < NETTX_NR_VERDICTS ? names[v] : "invalid";
}

unsigned int netrx_slots(uint32_t len, bool gso)
{
    unsigned int data = (len + NET_PAGE - 1) / NET_PAGE;

    if (!len || data > XEN_NETIF_NR_SLOTS_MIN)
        return 0;
    return data + (gso ? 1 : 0);
}
