/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/netback/net-offload.h - the offloads between netif's flags
 * and GSO extras and the virtio_net_hdr a TAP device with IFF_VNET_HDR
 * speaks: a guest's "checksum blank" packet needs the offset of its TCP or
 * UDP header, found by reading the guest's Ethernet and IP headers, so
 * this is a parser of guest bytes too.  Pure, fuzzed with the tx parser.
 */
#ifndef NET_OFFLOAD_H
#define NET_OFFLOAD_H

#include <stdint.h>
#include <linux/virtio_net.h>

#include "netif-parse.h"

/*
 * The vnet header for a parsed, accepted packet whose linear bytes are
 * frame[0..len): NEEDS_CSUM with the L4 header's place for csum_blank,
 * DATA_VALID for data_validated, the GSO type, MSS and header length for
 * a GSO extra.  0, or -EINVAL when the headers do not hold what the flags
 * claim (not TCP/UDP, truncated, a fragment): the packet is dropped.
 */
int nettx_vnet_hdr(const uint8_t *frame, uint32_t len, const struct nettx_pkt *p,
                   struct virtio_net_hdr *h);

/* What the receive side tells the guest about one frame. */
struct netrx_meta {
    uint16_t flags;                 /* NETRXF_csum_blank, NETRXF_data_validated */
    uint8_t gso_type;               /* XEN_NETIF_GSO_TYPE_*: NONE, no extra slot */
    uint16_t gso_size;
};

/*
 * From the vnet header the TAP device gave us, for a front end that takes
 * GSO of the kinds 'gso_v4', 'gso_v6'.  0, or -EINVAL for a GSO frame
 * the front end cannot take (the TAP's offloads exclude them, so only a
 * bug gets there): dropped.
 */
int netrx_meta(const struct virtio_net_hdr *h, int gso_v4, int gso_v6,
               struct netrx_meta *m);

#endif
