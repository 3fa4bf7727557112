/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/pv-drivers/test-netif-parse.c - netif tx validation and the
 * offload headers: what Linux's netfront sends is taken as it meant it,
 * each kind of hostile chain is dropped with its reason and still
 * answered slot by slot, and a chain no packet can be kills the ring.
 */
#include <errno.h>
#include <string.h>
#include "cunit-runner.h"
#include "net-offload.h"
#include "netif-parse.h"

static const struct nettx_limits gso = { .gso_v4 = true, .gso_v6 = true };
static struct nettx_pkt p;

static struct netif_tx_request req(uint32_t gref, uint16_t off, uint16_t flags, uint16_t id,
                                   uint16_t size)
{
    return (struct netif_tx_request){ .gref = gref, .offset = off, .flags = flags, .id = id,
                                      .size = size };
}

static struct netif_tx_request extra(uint8_t type, uint8_t flags, uint16_t mss, uint8_t gtype)
{
    struct netif_tx_request r;
    struct netif_extra_info x = { .type = type, .flags = flags };

    memset(&r, 0, sizeof(r));
    x.u.gso.size = mss;
    x.u.gso.type = gtype;
    memcpy(&r, &x, sizeof(x));
    return r;
}

static void single_slot(void)
{
    struct netif_tx_request s[] = { req(7, 100, NETTXF_csum_blank, 3, 60) };

    CU_ASSERT_EQUAL(nettx_parse(s, 1, &gso, &p), 0);
    CU_ASSERT_EQUAL(p.verdict, NETTX_OK);
    CU_ASSERT_EQUAL(p.nslots, 1);
    CU_ASSERT_EQUAL(p.total, 60);
    CU_ASSERT_EQUAL(p.slot[0].gref, 7);
    CU_ASSERT_EQUAL(p.slot[0].offset, 100);
    CU_ASSERT_EQUAL(p.slot[0].len, 60);
    CU_ASSERT_EQUAL(p.slot[0].id, 3);
    CU_ASSERT_EQUAL(p.flags, NETTXF_csum_blank);
    CU_ASSERT_EQUAL(p.gso_type, XEN_NETIF_GSO_TYPE_NONE);
}

/* netfront's GSO packet: first, GSO extra, two fragments. */
static void gso_chain(void)
{
    struct netif_tx_request s[] = {
        req(1, 4000, NETTXF_csum_blank | NETTXF_extra_info | NETTXF_more_data, 10, 5000),
        extra(XEN_NETIF_EXTRA_TYPE_GSO, 0, 1448, XEN_NETIF_GSO_TYPE_TCPV4),
        req(2, 0, NETTXF_more_data, 11, 4096),
        req(3, 0, 0, 12, 808),
        req(99, 0, 0, 99, 60),      /* the next packet: not ours */
    };

    CU_ASSERT_EQUAL(nettx_parse(s, 5, &gso, &p), 0);
    CU_ASSERT_EQUAL(p.verdict, NETTX_OK);
    CU_ASSERT_EQUAL(p.nslots, 4);
    CU_ASSERT_EQUAL(p.slot[0].len, 96);
    CU_ASSERT_TRUE(p.slot[1].extra);
    CU_ASSERT_EQUAL(p.slot[2].len, 4096);
    CU_ASSERT_EQUAL(p.slot[3].id, 12);
    CU_ASSERT_EQUAL(p.gso_type, XEN_NETIF_GSO_TYPE_TCPV4);
    CU_ASSERT_EQUAL(p.gso_size, 1448);
    /* the same chain before its last slot was published */
    CU_ASSERT_EQUAL(nettx_parse(s, 3, &gso, &p), -EAGAIN);
    CU_ASSERT_EQUAL(nettx_parse(s, 0, &gso, &p), -EAGAIN);
}

static void sizes_refused(void)
{
    struct netif_tx_request s[] = {
        req(1, 0, NETTXF_more_data, 1, 100),
        req(2, 0, 0, 2, 200),
    };

    CU_ASSERT_EQUAL(nettx_parse(s, 2, &gso, &p), 0);
    CU_ASSERT_EQUAL(p.verdict, NETTX_SIZE_MISMATCH);
    CU_ASSERT_EQUAL(p.nslots, 2);           /* both still answered */
    CU_ASSERT_EQUAL(p.slot[1].id, 2);
    s[0] = req(1, 0, 0, 1, 13);
    CU_ASSERT_EQUAL(nettx_parse(s, 1, &gso, &p), 0);
    CU_ASSERT_EQUAL(p.verdict, NETTX_SHORT);
    s[0] = req(1, 4000, 0, 1, 200);         /* first slot past its page */
    CU_ASSERT_EQUAL(nettx_parse(s, 1, &gso, &p), 0);
    CU_ASSERT_EQUAL(p.verdict, NETTX_CROSS_PAGE);
    s[0] = req(1, 0, NETTXF_more_data, 1, 3000);
    s[1] = req(2, 100, 0, 2, 4000);         /* a fragment past its page */
    CU_ASSERT_EQUAL(nettx_parse(s, 2, &gso, &p), 0);
    CU_ASSERT_EQUAL(p.verdict, NETTX_CROSS_PAGE);
    s[1] = req(2, 0, 0, 2, 2000);
    CU_ASSERT_EQUAL(nettx_parse(s, 2, &gso, &p), 0);
    CU_ASSERT_EQUAL(p.verdict, NETTX_OK);
    CU_ASSERT_EQUAL(p.slot[0].len, 1000);
}

static void slot_limits(void)
{
    struct netif_tx_request s[NETTX_FATAL_SLOTS + 2];
    unsigned int n;

    for (n = 0; n < NETTX_FATAL_SLOTS + 2; n++)
        s[n] = req(n, 0, NETTXF_more_data, (uint16_t)n, 3000);
    s[0].size = 17 * 3000 + 1000;
    /* 18 data slots: the most netfront sends */
    s[NETTX_MAX_DATA - 1].flags = 0;
    CU_ASSERT_EQUAL(nettx_parse(s, NETTX_FATAL_SLOTS + 2, &gso, &p), 0);
    CU_ASSERT_EQUAL(p.verdict, NETTX_OK);
    CU_ASSERT_EQUAL(p.nslots, NETTX_MAX_DATA);
    /* one more: dropped, all 19 answered */
    s[NETTX_MAX_DATA - 1].flags = NETTXF_more_data;
    s[NETTX_MAX_DATA].flags = 0;
    CU_ASSERT_EQUAL(nettx_parse(s, NETTX_FATAL_SLOTS + 2, &gso, &p), 0);
    CU_ASSERT_EQUAL(p.verdict, NETTX_TOO_MANY_SLOTS);
    CU_ASSERT_EQUAL(p.nslots, NETTX_MAX_DATA + 1);
    /* a chain with no end: the ring is broken */
    s[NETTX_MAX_DATA].flags = NETTXF_more_data;
    CU_ASSERT_EQUAL(nettx_parse(s, NETTX_FATAL_SLOTS + 2, &gso, &p), -EIO);
    CU_ASSERT_EQUAL(nettx_parse(s, 5, &gso, &p), -EAGAIN);
}

static void extras_refused(void)
{
    struct netif_tx_request s[] = {
        req(1, 0, NETTXF_csum_blank | NETTXF_extra_info, 1, 100),
        extra(XEN_NETIF_EXTRA_TYPE_GSO, 0, 0, XEN_NETIF_GSO_TYPE_TCPV4),
        extra(XEN_NETIF_EXTRA_TYPE_GSO, 0, 0, XEN_NETIF_GSO_TYPE_TCPV4),
    };
    const struct nettx_limits v4 = { .gso_v4 = true };

    CU_ASSERT_EQUAL(nettx_parse(s, 3, &gso, &p), 0);
    CU_ASSERT_EQUAL(p.verdict, NETTX_BAD_GSO);      /* MSS 0 */
    CU_ASSERT_EQUAL(p.nslots, 2);
    s[1] = extra(XEN_NETIF_EXTRA_TYPE_GSO, 0, 1400, XEN_NETIF_GSO_TYPE_TCPV6);
    CU_ASSERT_EQUAL(nettx_parse(s, 3, &v4, &p), 0);
    CU_ASSERT_EQUAL(p.verdict, NETTX_BAD_GSO);      /* not offered */
    s[1] = extra(XEN_NETIF_EXTRA_TYPE_GSO, 0, 1400, 9);
    CU_ASSERT_EQUAL(nettx_parse(s, 3, &gso, &p), 0);
    CU_ASSERT_EQUAL(p.verdict, NETTX_BAD_GSO);
    s[1] = extra(XEN_NETIF_EXTRA_TYPE_MAX, 0, 0, 0);
    CU_ASSERT_EQUAL(nettx_parse(s, 3, &gso, &p), 0);
    CU_ASSERT_EQUAL(p.verdict, NETTX_BAD_EXTRA);
    s[1] = extra(XEN_NETIF_EXTRA_TYPE_GSO, XEN_NETIF_EXTRA_FLAG_MORE, 1400,
                 XEN_NETIF_GSO_TYPE_TCPV4);
    s[2] = extra(XEN_NETIF_EXTRA_TYPE_GSO, 0, 1400, XEN_NETIF_GSO_TYPE_TCPV4);
    CU_ASSERT_EQUAL(nettx_parse(s, 3, &gso, &p), 0);
    CU_ASSERT_EQUAL(p.verdict, NETTX_BAD_EXTRA);    /* the same type twice */
    CU_ASSERT_EQUAL(p.nslots, 3);
    CU_ASSERT_EQUAL(p.gso_type, XEN_NETIF_GSO_TYPE_NONE);
    s[2] = extra(XEN_NETIF_EXTRA_TYPE_MCAST_ADD, 0, 0, 0);
    CU_ASSERT_EQUAL(nettx_parse(s, 3, &gso, &p), 0);
    CU_ASSERT_EQUAL(p.verdict, NETTX_OK);           /* a hint we ignore */
    CU_ASSERT_EQUAL(p.gso_size, 1400);
}

static void rx_slots(void)
{
    CU_ASSERT_EQUAL(netrx_slots(60, false), 1);
    CU_ASSERT_EQUAL(netrx_slots(4096, false), 1);
    CU_ASSERT_EQUAL(netrx_slots(4097, true), 3);
    CU_ASSERT_EQUAL(netrx_slots(65550, true), 18);
    CU_ASSERT_EQUAL(netrx_slots(18 * 4096 + 1, false), 0);
    CU_ASSERT_EQUAL(netrx_slots(0, false), 0);
}

/* Ethernet + IPv4 (ihl 5) + TCP (doff 8), 'len' bytes in all. */
static void ipv4_tcp(uint8_t *f, uint32_t len)
{
    memset(f, 0, len);
    f[12] = 0x08;
    f[14] = 0x45;
    f[14 + 9] = 6;
    f[34 + 12] = 8 << 4;
}

static void offload_tx(void)
{
    uint8_t f[200];
    struct virtio_net_hdr h;
    struct nettx_pkt q = { .flags = NETTXF_csum_blank, .gso_type = XEN_NETIF_GSO_TYPE_NONE };

    ipv4_tcp(f, sizeof(f));
    CU_ASSERT_EQUAL(nettx_vnet_hdr(f, sizeof(f), &q, &h), 0);
    CU_ASSERT_EQUAL(h.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
    CU_ASSERT_EQUAL(h.csum_start, 34);
    CU_ASSERT_EQUAL(h.csum_offset, 16);
    q.gso_type = XEN_NETIF_GSO_TYPE_TCPV4;
    q.gso_size = 1448;
    CU_ASSERT_EQUAL(nettx_vnet_hdr(f, sizeof(f), &q, &h), 0);
    CU_ASSERT_EQUAL(h.gso_type, VIRTIO_NET_HDR_GSO_TCPV4);
    CU_ASSERT_EQUAL(h.hdr_len, 34 + 32);
    CU_ASSERT_EQUAL(h.gso_size, 1448);
    q.gso_type = XEN_NETIF_GSO_TYPE_TCPV6;         /* claims v6, holds v4 */
    CU_ASSERT_EQUAL(nettx_vnet_hdr(f, sizeof(f), &q, &h), -EINVAL);
    q.gso_type = XEN_NETIF_GSO_TYPE_NONE;
    f[14 + 9] = 17;                                 /* UDP */
    CU_ASSERT_EQUAL(nettx_vnet_hdr(f, sizeof(f), &q, &h), 0);
    CU_ASSERT_EQUAL(h.csum_offset, 6);
    f[14 + 9] = 1;                                  /* ICMP has no partial checksum */
    CU_ASSERT_EQUAL(nettx_vnet_hdr(f, sizeof(f), &q, &h), -EINVAL);
    f[14 + 9] = 6;
    f[14 + 6] = 0x20;                               /* more fragments */
    CU_ASSERT_EQUAL(nettx_vnet_hdr(f, sizeof(f), &q, &h), -EINVAL);
    f[14 + 6] = 0;
    CU_ASSERT_EQUAL(nettx_vnet_hdr(f, 40, &q, &h), -EINVAL);   /* truncated */
    q.flags = NETTXF_data_validated;
    CU_ASSERT_EQUAL(nettx_vnet_hdr(f, 40, &q, &h), 0);
    CU_ASSERT_EQUAL(h.flags, VIRTIO_NET_HDR_F_DATA_VALID);
}

static void offload_tx_v6(void)
{
    uint8_t f[200] = { 0 };
    struct virtio_net_hdr h;
    struct nettx_pkt q = { .flags = NETTXF_csum_blank, .gso_type = XEN_NETIF_GSO_TYPE_TCPV6,
                           .gso_size = 1400 };

    f[12] = 0x86, f[13] = 0xdd;
    f[14] = 0x60;
    f[14 + 6] = 0;                                  /* hop-by-hop, 8 bytes */
    f[54] = 6, f[55] = 0;
    f[62 + 12] = 5 << 4;
    CU_ASSERT_EQUAL(nettx_vnet_hdr(f, sizeof(f), &q, &h), 0);
    CU_ASSERT_EQUAL(h.csum_start, 62);
    CU_ASSERT_EQUAL(h.hdr_len, 82);
    CU_ASSERT_EQUAL(h.gso_type, VIRTIO_NET_HDR_GSO_TCPV6);
    f[54] = 44;                                     /* a fragment header */
    CU_ASSERT_EQUAL(nettx_vnet_hdr(f, sizeof(f), &q, &h), -EINVAL);
}

static void offload_rx(void)
{
    struct virtio_net_hdr h = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
                                .gso_type = VIRTIO_NET_HDR_GSO_TCPV4 | VIRTIO_NET_HDR_GSO_ECN,
                                .gso_size = 1448 };
    struct netrx_meta m;

    CU_ASSERT_EQUAL(netrx_meta(&h, 1, 1, &m), 0);
    CU_ASSERT_EQUAL(m.flags, NETRXF_csum_blank | NETRXF_data_validated);
    CU_ASSERT_EQUAL(m.gso_type, XEN_NETIF_GSO_TYPE_TCPV4);
    CU_ASSERT_EQUAL(m.gso_size, 1448);
    CU_ASSERT_EQUAL(netrx_meta(&h, 0, 1, &m), -EINVAL);
    h.gso_type = VIRTIO_NET_HDR_GSO_UDP;
    CU_ASSERT_EQUAL(netrx_meta(&h, 1, 1, &m), -EINVAL);
    h = (struct virtio_net_hdr){ .flags = VIRTIO_NET_HDR_F_DATA_VALID };
    CU_ASSERT_EQUAL(netrx_meta(&h, 0, 0, &m), 0);
    CU_ASSERT_EQUAL(m.flags, NETRXF_data_validated);
    CU_ASSERT_EQUAL(m.gso_type, XEN_NETIF_GSO_TYPE_NONE);
}

static const struct unit_test tests[] = {
    UNIT_TEST(single_slot),
    UNIT_TEST(gso_chain),
    UNIT_TEST(sizes_refused),
    UNIT_TEST(slot_limits),
    UNIT_TEST(extras_refused),
    UNIT_TEST(rx_slots),
    UNIT_TEST(offload_tx),
    UNIT_TEST(offload_tx_v6),
    UNIT_TEST(offload_rx),
    UNIT_END,
};
UNIT_SUITE(netif_parse, NULL, NULL, tests)
