/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/blkback/blkif-parse.c - see blkif-parse.h.  The checks are
 * the ones Linux's blkback and QEMU's xen-block make, plus arithmetic
 * overflow: a request's sectors may not wrap and may not pass the disk's
 * end, a segment stays inside its page (first_sect <= last_sect <= 7),
 * counts stay within what we advertised.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "blkif-parse.h"

#define SECTS_PER_PAGE (BLK_PAGE / BLK_SECTOR)

static int in_disk(const struct blk_disk *d, uint64_t sector, uint64_t n)
{
    return sector <= d->sectors && n <= d->sectors - sector;
}

static int add_segs(struct blk_req *r, const struct blkif_request_segment *s,
                    unsigned int n, const struct blk_disk *d)
{
    uint64_t total = 0;

    for (unsigned int i = 0; i < n; i++) {
        uint8_t first = s[i].first_sect, last = s[i].last_sect;

        if (first > last || last >= SECTS_PER_PAGE)
            return -EINVAL;
        r->seg[i].gref = s[i].gref;
        r->seg[i].offset = (uint16_t)(first * BLK_SECTOR);
        r->seg[i].len = (uint16_t)((last - first + 1u) * BLK_SECTOR);
        total += last - first + 1u;
    }
    r->nr_segs = n;
    r->nr_sectors = total;
    return in_disk(d, r->sector, total) ? 0 : -EINVAL;
}

static int parse_rw(const struct blkif_request *q, const struct blk_disk *d,
                    struct blk_req *r)
{
    r->sector = q->sector_number;
    if (q->operation == BLKIF_OP_READ)
        r->kind = BLK_READ;
    else
        r->kind = BLK_WRITE;
    if (q->operation == BLKIF_OP_WRITE_BARRIER || q->operation == BLKIF_OP_FLUSH_DISKCACHE) {
        r->flush_first = true;
        /* an empty flush is the common case; with data it is flush, then write */
        if (!q->nr_segments) {
            r->kind = BLK_FLUSH;
            return 0;
        }
    }
    if (r->kind == BLK_WRITE && d->readonly)
        return -EROFS;
    if (!q->nr_segments || q->nr_segments > BLKIF_MAX_SEGMENTS_PER_REQUEST)
        return -EINVAL;
    return add_segs(r, q->seg, q->nr_segments, d);
}

static int parse_discard(const struct blkif_request_discard *q, const struct blk_disk *d,
                         struct blk_req *r)
{
    r->kind = BLK_DISCARD;
    r->sector = q->sector_number;
    r->nr_sectors = q->nr_sectors;
    r->secure = q->flag & BLKIF_DISCARD_SECURE;
    if (!d->discard)
        return -EOPNOTSUPP;
    if (d->readonly)
        return -EROFS;
    if (q->flag & ~BLKIF_DISCARD_SECURE)
        return -EINVAL;
    return in_disk(d, r->sector, r->nr_sectors) ? 0 : -EINVAL;
}

static int parse_indirect(const struct blkif_request_indirect *q, const struct blk_disk *d,
                          struct blk_req *r)
{
    r->rsp_op = q->indirect_op;     /* blkfront checks the response against this */
    r->sector = q->sector_number;
    if (q->indirect_op != BLKIF_OP_READ && q->indirect_op != BLKIF_OP_WRITE)
        return -EINVAL;
    r->kind = q->indirect_op == BLKIF_OP_READ ? BLK_READ : BLK_WRITE;
    if (!d->max_indirect)
        return -EOPNOTSUPP;
    if (r->kind == BLK_WRITE && d->readonly)
        return -EROFS;
    if (!q->nr_segments || q->nr_segments > d->max_indirect ||
        q->nr_segments > BLK_MAX_SEGS)
        return -EINVAL;
    r->nr_segs = q->nr_segments;
    r->nr_indirect = (q->nr_segments + BLK_SEGS_PER_INDIRECT_PAGE - 1) /
                     BLK_SEGS_PER_INDIRECT_PAGE;
    memcpy(r->indirect_grefs, q->indirect_grefs, r->nr_indirect * sizeof(uint32_t));
    return 0;
}

int blkif_parse(const void *raw, const struct blk_disk *d, struct blk_req *r)
{
    struct blkif_request q;

    memcpy(&q, raw, sizeof(q));
    memset(r, 0, offsetof(struct blk_req, seg));
    r->id = q.id;
    r->rsp_op = q.operation;
    switch (q.operation) {
    case BLKIF_OP_READ:
    case BLKIF_OP_WRITE:
    case BLKIF_OP_WRITE_BARRIER:
    case BLKIF_OP_FLUSH_DISKCACHE:
        return parse_rw(&q, d, r);
    case BLKIF_OP_DISCARD: {
        struct blkif_request_discard dq;

        memcpy(&dq, raw, sizeof(dq));
        return parse_discard(&dq, d, r);
    }
    case BLKIF_OP_INDIRECT: {
        struct blkif_request_indirect iq;

        memcpy(&iq, raw, sizeof(iq));
        return parse_indirect(&iq, d, r);
    }
    }
    return -EOPNOTSUPP;
}

int blkif_parse_indirect(struct blk_req *r, const struct blkif_request_segment *segs,
                         const struct blk_disk *d)
{
    if (!r->nr_segs || r->nr_segs > BLK_MAX_SEGS)
        return -EINVAL;
    return add_segs(r, segs, r->nr_segs, d);
}

int16_t blkif_status(int parse_rc)
{
    if (!parse_rc)
        return BLKIF_RSP_OKAY;
    return parse_rc == -EOPNOTSUPP ? BLKIF_RSP_EOPNOTSUPP : BLKIF_RSP_ERROR;
}
