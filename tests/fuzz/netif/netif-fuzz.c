/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/netif/netif-fuzz.c - libFuzzer over what a guest controls in
 * netback: the tx slots (netif-parse.c) and the packet headers the
 * offloads read (net-offload.c).  Byte 0 picks the GSO kinds offered,
 * then up to NETTX_FATAL_SLOTS + 2 ring slots, then the packet's bytes.
 * Whatever is accepted must describe only bytes inside each granted page
 * and the packet, and any vnet header must point inside the frame.
 */
#include <stdlib.h>
#include <string.h>

#include "net-offload.h"
#include "netif-parse.h"

#define MAX_SLOTS (NETTX_FATAL_SLOTS + 2)

static struct nettx_pkt p;

static void check_pkt(unsigned int avail)
{
    uint32_t sum = 0;
    unsigned int data = 0;

    if (!p.nslots || p.nslots > avail || p.nslots > NETTX_FATAL_SLOTS || p.slot[0].extra)
        abort();
    if (p.verdict != NETTX_OK)
        return;
    for (unsigned int i = 0; i < p.nslots; i++) {
        if (p.slot[i].extra)
            continue;
        if ((uint32_t)p.slot[i].offset + p.slot[i].len > NET_PAGE)
            abort();
        sum += p.slot[i].len;
        data++;
    }
    if (sum != p.total || data > NETTX_MAX_DATA || p.total < NET_ETH_HLEN)
        abort();
    if ((p.gso_type != XEN_NETIF_GSO_TYPE_NONE) != (p.gso_size != 0))
        abort();
}

static void check_hdr(const uint8_t *frame, uint32_t len)
{
    struct virtio_net_hdr h;

    if (nettx_vnet_hdr(frame, len, &p, &h))
        return;
    if ((h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
        (uint32_t)h.csum_start + h.csum_offset + 2 > len)
        abort();
    if (h.gso_type && (!h.gso_size || h.hdr_len > len || h.hdr_len <= h.csum_start))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct netif_tx_request s[MAX_SLOTS];
    struct nettx_limits lim;
    struct virtio_net_hdr vh;
    struct netrx_meta m;
    unsigned int avail;
    size_t n;

    if (size < 1 + sizeof(vh))
        return 0;
    lim = (struct nettx_limits){ .gso_v4 = data[0] & 1, .gso_v6 = data[0] & 2 };
    memcpy(&vh, data + 1, sizeof(vh));
    if (!netrx_meta(&vh, data[0] & 1, data[0] & 2, &m) &&
        m.gso_type != XEN_NETIF_GSO_TYPE_NONE && !m.gso_size)
        abort();
    data += 1 + sizeof(vh), size -= 1 + sizeof(vh);
    memset(s, 0, sizeof(s));
    n = size < sizeof(s) ? size : sizeof(s);
    memcpy(s, data, n);
    avail = (unsigned int)(n / sizeof(s[0]));
    if (nettx_parse(s, avail, &lim, &p))
        return 0;
    check_pkt(avail);
    if (p.verdict == NETTX_OK)
        check_hdr(data + n, (uint32_t)((size - n) < p.total ? size - n : p.total));
    (void)nettx_verdict_name(p.verdict);
    return 0;
}
