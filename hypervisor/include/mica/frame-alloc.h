/* SPDX-License-Identifier: MIT */
/*
 * mica/frame-alloc.h - the physical frame allocator.
 *
 * One bit per 4 KiB frame up to the highest RAM address: set means in use
 * (allocated, reserved, or not RAM at all).  Blocks of 2^order frames are
 * naturally aligned.  Must not be called from interrupt context.
 */
#ifndef MICA_FRAME_ALLOC_H
#define MICA_FRAME_ALLOC_H

#include <mica/types.h>
#include <mica/bootinfo.h>

#define INVALID_MFN     (~(mfn_t)0)
#define MAX_ORDER       18              /* 1 GiB */

struct phys_range {
    paddr_t start, end;                 /* [start, end) */
};

size_t frames_bitmap_bytes(mfn_t max_mfn);
void frames_init(uint64_t *bitmap, mfn_t max_mfn);
void frames_add_free(paddr_t start, paddr_t end);   /* whole frames inside */
void frames_reserve(paddr_t start, paddr_t end);    /* every frame touched */

mfn_t alloc_frames(unsigned int order);             /* INVALID_MFN if none */
/* The same, wholly below frame 'limit' (for devices that address less). */
mfn_t alloc_frames_below(unsigned int order, mfn_t limit);
void free_frames(mfn_t mfn, unsigned int order);
/*
 * Called (outside the allocator's lock) with every block handed out, to
 * make it safe to reuse: the frame table's TLB clock in the hypervisor.
 */
void frames_set_reuse_hook(void (*fn)(mfn_t first, mfn_t count));
bool frame_is_free(mfn_t mfn);

uint64_t frames_free_count(void);
mfn_t frames_max_mfn(void);

/*
 * Find 'size' bytes of page-aligned available RAM that overlap none of the
 * 'reserved' ranges (below 'limit'), for placing the bitmap itself.
 * Returns 0 when there is no such space (page 0 is never available).
 */
paddr_t frames_find_space(const struct memmap_entry *map, unsigned int n,
                          const struct phys_range *reserved, unsigned int nres,
                          size_t size, paddr_t limit);

#endif
