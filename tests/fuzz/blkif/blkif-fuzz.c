/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/blkif/blkif-fuzz.c - libFuzzer over the blkif request
 * parser: the first 112 bytes are a ring slot, what follows an indirect
 * page.  Whatever it accepts must describe only bytes inside the disk and
 * inside each granted page.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "blkif-parse.h"

static struct blk_req r;

static void check(const struct blk_disk *d)
{
    uint64_t sum = 0;

    if (r.kind == BLK_FLUSH)
        return;
    if (r.sector > d->sectors || r.nr_sectors > d->sectors - r.sector)
        abort();
    if (r.kind == BLK_DISCARD)
        return;
    if (!r.nr_segs || r.nr_segs > BLK_MAX_SEGS)
        abort();
    for (unsigned int i = 0; i < r.nr_segs; i++) {
        if (!r.seg[i].len || r.seg[i].offset + r.seg[i].len > BLK_PAGE)
            abort();
        sum += r.seg[i].len / BLK_SECTOR;
    }
    if (sum != r.nr_sectors || (r.kind == BLK_WRITE && d->readonly))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct blkif_request_segment segs[BLK_SEGS_PER_INDIRECT_PAGE];
    uint8_t slot[sizeof(struct blkif_request)] = { 0 };
    struct blk_disk d = { .sectors = 1u << 20, .discard = true, .max_indirect = 32 };

    if (size < 1)
        return 0;
    d.readonly = data[0] & 1;
    d.discard = data[0] & 2;
    d.max_indirect = data[0] & 4 ? BLK_MAX_INDIRECT_SEGS : data[0] & 8 ? 32 : 0;
    d.sectors = data[0] & 16 ? UINT64_MAX : (uint64_t)data[0] << 8;
    data++, size--;
    memcpy(slot, data, size < sizeof(slot) ? size : sizeof(slot));
    if (blkif_parse(slot, &d, &r))
        return 0;
    if (r.nr_indirect) {
        size_t rest = size > sizeof(slot) ? size - sizeof(slot) : 0;

        if (r.nr_indirect != (r.nr_segs + BLK_SEGS_PER_INDIRECT_PAGE - 1) / BLK_SEGS_PER_INDIRECT_PAGE)
            abort();
        memset(segs, 0, sizeof(segs));
        if (rest)
            memcpy(segs, data + sizeof(slot), rest < sizeof(segs) ? rest : sizeof(segs));
        if (blkif_parse_indirect(&r, segs, &d))
            return 0;
    }
    check(&d);
    return 0;
}
