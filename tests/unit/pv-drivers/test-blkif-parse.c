/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/pv-drivers/test-blkif-parse.c - blkif request validation:
 * what Linux's blkfront sends is accepted as it meant it, and each kind of
 * hostile request is refused with the status a front end expects.
 */
#include <errno.h>
#include <string.h>
#include "cunit-runner.h"
#include "blkif-parse.h"

static const struct blk_disk disk = {
    .sectors = 2048, .discard = true, .max_indirect = 32,
};
static struct blk_req r;

/* A discard or indirect request in a whole 112-byte ring slot. */
static int parse_small(const void *q, size_t n, const struct blk_disk *d)
{
    uint8_t slot[sizeof(struct blkif_request)] = { 0 };

    memcpy(slot, q, n);
    return blkif_parse(slot, d, &r);
}

static struct blkif_request rw(uint8_t op, uint64_t sector, unsigned int nseg)
{
    struct blkif_request q;

    memset(&q, 0, sizeof(q));
    q.operation = op;
    q.id = 0x1234567890ull;
    q.sector_number = sector;
    q.nr_segments = (uint8_t)nseg;
    for (unsigned int i = 0; i < nseg && i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++)
        q.seg[i] = (struct blkif_request_segment){ .gref = 100 + i, .first_sect = 0, .last_sect = 7 };
    return q;
}

static void read_write_accepted(void)
{
    struct blkif_request q = rw(BLKIF_OP_READ, 8, 3);

    q.seg[0].first_sect = 2;
    CU_ASSERT_EQUAL(blkif_parse(&q, &disk, &r), 0);
    CU_ASSERT_EQUAL(r.kind, BLK_READ);
    CU_ASSERT_EQUAL(r.id, 0x1234567890ull);
    CU_ASSERT_EQUAL(r.rsp_op, BLKIF_OP_READ);
    CU_ASSERT_EQUAL(r.nr_segs, 3);
    CU_ASSERT_EQUAL(r.nr_sectors, 6 + 8 + 8);
    CU_ASSERT_EQUAL(r.seg[0].offset, 1024);
    CU_ASSERT_EQUAL(r.seg[0].len, 3072);
    CU_ASSERT_EQUAL(r.seg[1].gref, 101);
    q = rw(BLKIF_OP_WRITE, 2048 - 88, 11);      /* ends exactly at the disk's end */
    CU_ASSERT_EQUAL(blkif_parse(&q, &disk, &r), 0);
    CU_ASSERT_EQUAL(r.kind, BLK_WRITE);
    CU_ASSERT_FALSE(r.flush_first);
}

static void ranges_refused(void)
{
    struct blkif_request q = rw(BLKIF_OP_READ, 2048 - 87, 11);

    CU_ASSERT_EQUAL(blkif_parse(&q, &disk, &r), -EINVAL);
    CU_ASSERT_EQUAL(r.id, q.id);                /* still answerable */
    q = rw(BLKIF_OP_READ, UINT64_MAX - 3, 1);   /* wraps */
    CU_ASSERT_EQUAL(blkif_parse(&q, &disk, &r), -EINVAL);
    q = rw(BLKIF_OP_WRITE, 4096, 1);
    CU_ASSERT_EQUAL(blkif_parse(&q, &disk, &r), -EINVAL);
}

static void segments_refused(void)
{
    struct blkif_request q = rw(BLKIF_OP_READ, 0, 12);

    CU_ASSERT_EQUAL(blkif_parse(&q, &disk, &r), -EINVAL);
    q = rw(BLKIF_OP_READ, 0, 0);
    CU_ASSERT_EQUAL(blkif_parse(&q, &disk, &r), -EINVAL);
    q = rw(BLKIF_OP_WRITE, 0, 2);
    q.seg[1].first_sect = 5;
    q.seg[1].last_sect = 4;
    CU_ASSERT_EQUAL(blkif_parse(&q, &disk, &r), -EINVAL);
    q = rw(BLKIF_OP_WRITE, 0, 2);
    q.seg[1].last_sect = 8;
    CU_ASSERT_EQUAL(blkif_parse(&q, &disk, &r), -EINVAL);
}

static void flush_and_barrier(void)
{
    struct blkif_request q = rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 0);

    CU_ASSERT_EQUAL(blkif_parse(&q, &disk, &r), 0);
    CU_ASSERT_EQUAL(r.kind, BLK_FLUSH);
    CU_ASSERT_EQUAL(r.rsp_op, BLKIF_OP_FLUSH_DISKCACHE);
    q = rw(BLKIF_OP_WRITE_BARRIER, 16, 2);      /* FUA as a barrier with data */
    CU_ASSERT_EQUAL(blkif_parse(&q, &disk, &r), 0);
    CU_ASSERT_EQUAL(r.kind, BLK_WRITE);
    CU_ASSERT_TRUE(r.flush_first);
    CU_ASSERT_EQUAL(r.rsp_op, BLKIF_OP_WRITE_BARRIER);
}

static void readonly_disk(void)
{
    struct blk_disk ro = disk;
    struct blkif_request q = rw(BLKIF_OP_WRITE, 0, 1);
    struct blkif_request_discard dq = { .operation = BLKIF_OP_DISCARD, .nr_sectors = 8 };

    ro.readonly = true;
    CU_ASSERT_EQUAL(blkif_parse(&q, &ro, &r), -EROFS);
    CU_ASSERT_EQUAL(blkif_status(-EROFS), BLKIF_RSP_ERROR);
    q = rw(BLKIF_OP_READ, 0, 1);
    CU_ASSERT_EQUAL(blkif_parse(&q, &ro, &r), 0);
    q = rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 0);
    CU_ASSERT_EQUAL(blkif_parse(&q, &ro, &r), 0);
    CU_ASSERT_EQUAL(parse_small(&dq, sizeof(dq), &ro), -EROFS);
}

static void discard(void)
{
    struct blkif_request_discard dq = {
        .operation = BLKIF_OP_DISCARD, .id = 9, .sector_number = 1024, .nr_sectors = 1024,
    };
    struct blk_disk nod = disk;

    CU_ASSERT_EQUAL(parse_small(&dq, sizeof(dq), &disk), 0);
    CU_ASSERT_EQUAL(r.kind, BLK_DISCARD);
    CU_ASSERT_EQUAL(r.rsp_op, BLKIF_OP_DISCARD);
    CU_ASSERT_EQUAL(r.nr_sectors, 1024);
    dq.nr_sectors = 1025;
    CU_ASSERT_EQUAL(parse_small(&dq, sizeof(dq), &disk), -EINVAL);
    dq.nr_sectors = UINT64_MAX;
    CU_ASSERT_EQUAL(parse_small(&dq, sizeof(dq), &disk), -EINVAL);
    dq.nr_sectors = 8;
    dq.flag = 0x80;
    CU_ASSERT_EQUAL(parse_small(&dq, sizeof(dq), &disk), -EINVAL);
    nod.discard = false;
    dq.flag = 0;
    CU_ASSERT_EQUAL(parse_small(&dq, sizeof(dq), &nod), -EOPNOTSUPP);
    CU_ASSERT_EQUAL(blkif_status(-EOPNOTSUPP), BLKIF_RSP_EOPNOTSUPP);
}

static void indirect(void)
{
    struct blkif_request_indirect iq = {
        .operation = BLKIF_OP_INDIRECT, .indirect_op = BLKIF_OP_WRITE, .nr_segments = 32,
        .id = 5, .sector_number = 0, .indirect_grefs = { 77 },
    };
    struct blkif_request_segment segs[32];
    struct blk_disk none = disk;

    for (unsigned int i = 0; i < 32; i++)
        segs[i] = (struct blkif_request_segment){ .gref = i, .first_sect = 0, .last_sect = 7 };
    CU_ASSERT_EQUAL(parse_small(&iq, sizeof(iq), &disk), 0);
    CU_ASSERT_EQUAL(r.rsp_op, BLKIF_OP_WRITE);  /* the response carries indirect_op */
    CU_ASSERT_EQUAL(r.nr_indirect, 1);
    CU_ASSERT_EQUAL(r.indirect_grefs[0], 77);
    CU_ASSERT_EQUAL(blkif_parse_indirect(&r, segs, &disk), 0);
    CU_ASSERT_EQUAL(r.nr_sectors, 256);
    segs[31].last_sect = 9;
    CU_ASSERT_EQUAL(blkif_parse_indirect(&r, segs, &disk), -EINVAL);
    iq.nr_segments = 33;                        /* more than we offered */
    CU_ASSERT_EQUAL(parse_small(&iq, sizeof(iq), &disk), -EINVAL);
    iq.nr_segments = 0;
    CU_ASSERT_EQUAL(parse_small(&iq, sizeof(iq), &disk), -EINVAL);
    iq.nr_segments = 4;
    iq.indirect_op = BLKIF_OP_DISCARD;
    CU_ASSERT_EQUAL(parse_small(&iq, sizeof(iq), &disk), -EINVAL);
    iq.indirect_op = BLKIF_OP_READ;
    none.max_indirect = 0;
    CU_ASSERT_EQUAL(parse_small(&iq, sizeof(iq), &none), -EOPNOTSUPP);
}

static void unknown_ops(void)
{
    struct blkif_request q = rw(BLKIF_OP_RESERVED_1, 0, 1);

    CU_ASSERT_EQUAL(blkif_parse(&q, &disk, &r), -EOPNOTSUPP);
    CU_ASSERT_EQUAL(r.rsp_op, BLKIF_OP_RESERVED_1);
    q.operation = 0xff;
    CU_ASSERT_EQUAL(blkif_parse(&q, &disk, &r), -EOPNOTSUPP);
    CU_ASSERT_EQUAL(blkif_status(0), BLKIF_RSP_OKAY);
}

static const struct unit_test tests[] = {
    UNIT_TEST(read_write_accepted),
    UNIT_TEST(ranges_refused),
    UNIT_TEST(segments_refused),
    UNIT_TEST(flush_and_barrier),
    UNIT_TEST(readonly_disk),
    UNIT_TEST(discard),
    UNIT_TEST(indirect),
    UNIT_TEST(unknown_ops),
    UNIT_END,
};
UNIT_SUITE(blkif_parse, NULL, NULL, tests)
