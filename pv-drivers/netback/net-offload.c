/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/netback/net-offload.c - see net-offload.h.  Every header
 * read here is checked against the frame's length first: the frame came
 * from a guest.
 */
#include <errno.h>
#include <string.h>

#include "net-offload.h"

#define IPPROTO_TCP_    6
#define IPPROTO_UDP_    17

struct l4_place {
    uint32_t off;                   /* the TCP or UDP header */
    uint8_t proto;
    bool v6;
};

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* IPv6's extension headers that may sit before TCP/UDP; a fragment may not. */
static int ipv6_l4(const uint8_t *f, uint32_t len, uint32_t off, struct l4_place *l)
{
    uint8_t next;

    if (off + 40 > len)
        return -EINVAL;
    next = f[off + 6];
    off += 40;
    for (int hops = 0; hops < 8; hops++) {
        if (next != 0 && next != 43 && next != 60)
            break;                  /* hop-by-hop, routing, destination options */
        if (off + 8 > len)
            return -EINVAL;
        next = f[off];
        off += ((uint32_t)f[off + 1] + 1) * 8;
    }
    l->off = off;
    l->proto = next;
    l->v6 = true;
    return 0;
}

static int find_l4(const uint8_t *f, uint32_t len, struct l4_place *l)
{
    uint32_t off = NET_ETH_HLEN;
    uint16_t type;

    if (len < NET_ETH_HLEN)
        return -EINVAL;
    type = be16(f + 12);
    if (type == ETH_P_8021Q) {
        if (len < NET_ETH_HLEN + 4)
            return -EINVAL;
        type = be16(f + 16);
        off += 4;
    }
    if (type == ETH_P_IPV6)
        return ipv6_l4(f, len, off, l);
    if (type != ETH_P_IP || off + 20 > len || (f[off] >> 4) != 4 || (f[off] & 15) < 5)
        return -EINVAL;
    if (be16(f + off + 6) & 0x3fff)  /* more fragments, or an offset */
        return -EINVAL;
    l->proto = f[off + 9];
    l->off = off + (f[off] & 15) * 4u;
    l->v6 = false;
    return 0;
}

static int gso_fields(const uint8_t *f, uint32_t len, const struct nettx_pkt *p,
                      const struct l4_place *l, struct virtio_net_hdr *h)
{
    uint32_t hlen;

    if (l->proto != IPPROTO_TCP_ || l->off + 20 > len ||
        l->v6 != (p->gso_type == XEN_NETIF_GSO_TYPE_TCPV6))
        return -EINVAL;
    hlen = l->off + (f[l->off + 12] >> 4) * 4u;
    if ((f[l->off + 12] >> 4) < 5 || hlen > len)
        return -EINVAL;
    h->gso_type = l->v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4;
    h->gso_size = p->gso_size;
    h->hdr_len = (uint16_t)hlen;
    return 0;
}

int nettx_vnet_hdr(const uint8_t *frame, uint32_t len, const struct nettx_pkt *p,
                   struct virtio_net_hdr *h)
{
    struct l4_place l;

    memset(h, 0, sizeof(*h));
    if (p->gso_type != XEN_NETIF_GSO_TYPE_NONE && !(p->flags & NETTXF_csum_blank))
        return -EINVAL;             /* a GSO packet's checksum is always partial */
    if (p->flags & NETTXF_csum_blank) {
        if (find_l4(frame, len, &l))
            return -EINVAL;
        if (l.proto == IPPROTO_TCP_ && l.off + 20 <= len)
            h->csum_offset = 16;
        else if (l.proto == IPPROTO_UDP_ && l.off + 8 <= len)
            h->csum_offset = 6;
        else
            return -EINVAL;
        h->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
        h->csum_start = (uint16_t)l.off;
        if (p->gso_type != XEN_NETIF_GSO_TYPE_NONE)
            return gso_fields(frame, len, p, &l, h);
    } else if (p->flags & NETTXF_data_validated) {
        h->flags = VIRTIO_NET_HDR_F_DATA_VALID;
    }
    return 0;
}

int netrx_meta(const struct virtio_net_hdr *h, int gso_v4, int gso_v6,
               struct netrx_meta *m)
{
    uint8_t gso = h->gso_type & (uint8_t)~VIRTIO_NET_HDR_GSO_ECN;

    memset(m, 0, sizeof(*m));
    if (h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
        m->flags = NETRXF_csum_blank | NETRXF_data_validated;
    else if (h->flags & VIRTIO_NET_HDR_F_DATA_VALID)
        m->flags = NETRXF_data_validated;
    if (gso == VIRTIO_NET_HDR_GSO_NONE)
        return 0;
    if (!h->gso_size || !(h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM))
        return -EINVAL;
    if (gso == VIRTIO_NET_HDR_GSO_TCPV4 && gso_v4)
        m->gso_type = XEN_NETIF_GSO_TYPE_TCPV4;
    else if (gso == VIRTIO_NET_HDR_GSO_TCPV6 && gso_v6)
        m->gso_type = XEN_NETIF_GSO_TYPE_TCPV6;
    else
        return -EINVAL;
    m->gso_size = h->gso_size;
    return 0;
}
