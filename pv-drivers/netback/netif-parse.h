/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/netback/netif-parse.h - one transmitted packet as netfront
 * laid it out on the tx ring (io/netif.h, dom0-userspace §7.1): the first
 * request with the whole size, its extra-info slots, its more-data
 * fragments; every field checked before a byte is copied.  Pure: works
 * on a snapshot of ring slots, so host tests and the fuzzer drive it.
 */
#ifndef NETIF_PARSE_H
#define NETIF_PARSE_H

#include <stdbool.h>
#include <stdint.h>
#include <public/io/netif.h>

#define NET_PAGE            4096u
#define NET_ETH_HLEN        14u
/* Data slots a packet may use (netfront: MAX_SKB_FRAGS + 1). */
#define NETTX_MAX_DATA      XEN_NETIF_NR_SLOTS_MIN
/*
 * Slots (data and extra) past which a chain is not a packet but a broken
 * or hostile ring, as Linux's fatal_skb_slots: the queue is abandoned.
 * Below it, an oversized packet is consumed and dropped.
 */
#define NETTX_FATAL_SLOTS   32u

/* Why a packet was dropped (its slots are still answered, in order). */
enum nettx_verdict {
    NETTX_OK = 0,
    NETTX_SHORT,            /* under an Ethernet header */
    NETTX_TOO_MANY_SLOTS,   /* more than NETTX_MAX_DATA data slots */
    NETTX_CROSS_PAGE,       /* offset + length past the page */
    NETTX_SIZE_MISMATCH,    /* fragments larger than the packet */
    NETTX_BAD_EXTRA,        /* unknown or repeated extra-info type */
    NETTX_BAD_GSO,          /* GSO not offered, unknown type, MSS 0 */
    NETTX_BAD_CSUM,         /* csum_blank or GSO without TCP/UDP headers */
    NETTX_BAD_GRANT,        /* a grant copy the hypervisor refused */
    NETTX_NR_VERDICTS,
};

/* One ring slot of the packet, in ring order. */
struct nettx_slot {
    uint32_t gref;
    uint16_t offset, len, id;
    bool extra;             /* an extra-info slot: answered NETIF_RSP_NULL */
};

struct nettx_pkt {
    unsigned int nslots;    /* ring slots the packet used */
    struct nettx_slot slot[NETTX_FATAL_SLOTS];
    uint32_t total;         /* bytes, the first slot's size */
    uint16_t flags;         /* the first slot's NETTXF_csum_blank/data_validated */
    uint8_t gso_type;       /* XEN_NETIF_GSO_TYPE_*, NONE without a GSO extra */
    uint16_t gso_size;      /* MSS */
    enum nettx_verdict verdict;
};

/* What the back end offered (feature-gso-tcpv4/6). */
struct nettx_limits {
    bool gso_v4, gso_v6;
};

/*
 * Parse the packet starting at slots[0]; 'avail' slots are ready (the
 * caller copied min(ready, NETTX_FATAL_SLOTS) of them out of the ring, so
 * the guest cannot change them under us).  Returns:
 *   0        p->nslots slots make one packet: send it if p->verdict is
 *            NETTX_OK, else drop it; answer every slot either way;
 *   -EAGAIN  the chain goes on past 'avail': wait for more requests;
 *   -EIO     the chain is longer than NETTX_FATAL_SLOTS: the ring is
 *            broken and must not be read again.
 */
int nettx_parse(const struct netif_tx_request *slots, unsigned int avail,
                const struct nettx_limits *lim, struct nettx_pkt *p);

/* "short", "too many slots", ... for the log. */
const char *nettx_verdict_name(enum nettx_verdict v);

/*
 * Receive side: the ring slots a frame of 'len' bytes takes when each
 * slot is filled from offset 0 (one more for a GSO extra).  Frames that
 * would need more than netfront accepts are refused: 0.
 */
unsigned int netrx_slots(uint32_t len, bool gso);

#endif
