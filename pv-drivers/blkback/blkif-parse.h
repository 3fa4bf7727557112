/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/blkback/blkif-parse.h - one blkif request (io/blkif.h) as
 * the front end wrote it, checked against the disk and turned into what
 * the back end does: an operation, a byte range of the disk and the
 * pieces of granted pages it maps to.  Pure; everything the guest wrote
 * is validated here, so the I/O code trusts only a struct blk_req.
 */
#ifndef BLKIF_PARSE_H
#define BLKIF_PARSE_H

#include <stdbool.h>
#include <stdint.h>
#include <public/io/blkif.h>

#define BLK_SECTOR          512u
#define BLK_PAGE            4096u
/* What we offer as feature-max-indirect-segments: one indirect page. */
#define BLK_MAX_INDIRECT_SEGS   256u
#define BLK_SEGS_PER_INDIRECT_PAGE  (BLK_PAGE / sizeof(struct blkif_request_segment))
#define BLK_MAX_SEGS        BLK_MAX_INDIRECT_SEGS

/* What the back end will do. */
enum blk_kind { BLK_READ, BLK_WRITE, BLK_FLUSH, BLK_DISCARD };

/* One piece of a granted page: bytes [offset, offset+len). */
struct blk_seg {
    uint32_t gref;
    uint16_t offset, len;
};

struct blk_req {
    uint64_t id;
    uint8_t rsp_op;                 /* the operation the response carries */
    enum blk_kind kind;
    bool flush_first;               /* FLUSH or BARRIER: sync before the data */
    uint64_t sector;                /* start, in 512-byte sectors */
    uint64_t nr_sectors;            /* READ/WRITE: sum of segments; DISCARD */
    bool secure;                    /* DISCARD_SECURE */
    /* INDIRECT: the pages that hold the segments, still to be fetched */
    unsigned int nr_indirect;
    uint32_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
    unsigned int nr_segs;
    struct blk_seg seg[BLK_MAX_SEGS];
};

struct blk_disk {
    uint64_t sectors;               /* 512-byte sectors */
    bool readonly;
    bool discard;                   /* feature-discard offered */
    unsigned int max_indirect;      /* feature-max-indirect-segments; 0: none */
};

/*
 * Parse the 112-byte slot 'raw' (already copied out of the shared ring).
 * Always sets id and rsp_op, so a refusal can be answered.  Returns:
 *   0             done: for INDIRECT, nr_indirect pages of segments must
 *                 now be fetched and given to blkif_parse_indirect();
 *   -EINVAL       malformed or out of range: answer BLKIF_RSP_ERROR;
 *   -EROFS        a write to a read-only disk: BLKIF_RSP_ERROR;
 *   -EOPNOTSUPP   an operation we did not offer: BLKIF_RSP_EOPNOTSUPP.
 */
int blkif_parse(const void *raw, const struct blk_disk *d, struct blk_req *r);

/*
 * The segments of an INDIRECT request, copied out of its indirect pages
 * (nr_segs of them, r->nr_segs as the header said), checked like direct
 * ones.  0 or -EINVAL.
 */
int blkif_parse_indirect(struct blk_req *r, const struct blkif_request_segment *segs,
                         const struct blk_disk *d);

/* The BLKIF_RSP_* status for a parse result. */
int16_t blkif_status(int parse_rc);

#endif
