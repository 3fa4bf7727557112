/* SPDX-License-Identifier: MIT */
/*
 * include/public/io/blkif.h - the PV block device ring protocol
 * (xen-blkfront <-> blkback).
 *
 * A request names up to 11 segments, each a granted page and a sector range
 * within it (sectors are 512 bytes regardless of the disk's block size).
 * Indirect requests put the segment lists in extra granted pages.
 */
#ifndef MICA_PUBLIC_IO_BLKIF_H
#define MICA_PUBLIC_IO_BLKIF_H

#include "ring.h"
#include "../grant_table.h"

typedef uint16_t blkif_vdev_t;
typedef uint64_t blkif_sector_t;

#define BLKIF_OP_READ               0
#define BLKIF_OP_WRITE              1
#define BLKIF_OP_WRITE_BARRIER      2   /* feature-barrier */
#define BLKIF_OP_FLUSH_DISKCACHE    3   /* feature-flush-cache */
#define BLKIF_OP_RESERVED_1         4
#define BLKIF_OP_DISCARD            5   /* feature-discard */
#define BLKIF_OP_INDIRECT           6   /* feature-max-indirect-segments */

#define BLKIF_MAX_SEGMENTS_PER_REQUEST      11
#define BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST 8

struct blkif_request_segment {
    grant_ref_t gref;           /* page to read into / write from */
    uint8_t first_sect, last_sect;  /* inclusive, 0-7 within the page */
};
_Static_assert(sizeof(struct blkif_request_segment) == 8, "blk segment");

struct blkif_request {
    uint8_t operation;          /* BLKIF_OP_* */
    uint8_t nr_segments;
    blkif_vdev_t handle;        /* only for virtual-device selection */
    uint64_t id;                /* echoed in the response */
    blkif_sector_t sector_number;   /* start, in 512-byte sectors */
    struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
};
typedef struct blkif_request blkif_request_t;
_Static_assert(sizeof(struct blkif_request) == 112, "blkif_request");

#define BLKIF_DISCARD_SECURE    (1 << 0)
struct blkif_request_discard {
    uint8_t operation;          /* BLKIF_OP_DISCARD */
    uint8_t flag;               /* BLKIF_DISCARD_* */
    blkif_vdev_t handle;
    uint64_t id;
    blkif_sector_t sector_number;
    uint64_t nr_sectors;
};
typedef struct blkif_request_discard blkif_request_discard_t;
_Static_assert(sizeof(struct blkif_request_discard) == 32, "blk discard");

struct blkif_request_indirect {
    uint8_t operation;          /* BLKIF_OP_INDIRECT */
    uint8_t indirect_op;        /* the real operation */
    uint16_t nr_segments;
    uint64_t id;
    blkif_sector_t sector_number;
    blkif_vdev_t handle;
    uint16_t _pad2;
    grant_ref_t indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
};
typedef struct blkif_request_indirect blkif_request_indirect_t;
_Static_assert(sizeof(struct blkif_request_indirect) == 64, "blk indirect");

struct blkif_response {
    uint64_t id;                /* from the request */
    uint8_t operation;
    int16_t status;             /* BLKIF_RSP_* */
};
typedef struct blkif_response blkif_response_t;
_Static_assert(sizeof(struct blkif_response) == 16, "blkif_response");

#define BLKIF_RSP_EOPNOTSUPP    -2
#define BLKIF_RSP_ERROR         -1
#define BLKIF_RSP_OKAY          0

DEFINE_RING_TYPES(blkif, struct blkif_request, struct blkif_response);

/* xenstore "info" bits of a virtual disk. */
#define VDISK_CDROM             0x1
#define VDISK_REMOVABLE         0x2
#define VDISK_READONLY          0x4

#endif /* MICA_PUBLIC_IO_BLKIF_H */
