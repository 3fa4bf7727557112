/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/mm/frame-alloc.c - the physical frame allocator: a bitmap of
 * every machine frame, set when the frame is not free.
 *
 * Everything starts "in use"; setup adds the loader's available RAM and
 * then re-reserves what must never be handed out (the hypervisor image,
 * the Multiboot2 information, the modules, the bitmap itself, the first
 * MiB).  Pure code, unit-tested on the host against a bitmap in user memory.
 *
 * Locking: frames_lock protects the bitmap, the hint and the free count.
 * It is a leaf lock and is never taken from interrupt context.
 */
#include <string.h>
#include <mica/types.h>
#include <mica/lib.h>
#include <mica/frame-alloc.h>
#include <asm/spinlock.h>

static spinlock_t frames_lock = SPINLOCK_INIT;
static uint64_t *bitmap;
static mfn_t max_mfn;           /* frames [0, max_mfn) are tracked */
static uint64_t nr_free;
static mfn_t hint;              /* no free frame below this for order 0 */
static void (*reuse_hook)(mfn_t first, mfn_t count);

#define BITS 64

static bool test_bit(mfn_t m)
{
    return bitmap[m / BITS] & (1UL << (m % BITS));
}

static void set_range(mfn_t first, mfn_t count, bool used)
{
    for (mfn_t m = first; m < first + count; m++) {
        uint64_t bit = 1UL << (m % BITS);

        if (used && !(bitmap[m / BITS] & bit)) {
            bitmap[m / BITS] |= bit;
            nr_free--;
        } else if (!used && (bitmap[m / BITS] & bit)) {
            bitmap[m / BITS] &= ~bit;
            nr_free++;
        }
    }
}

size_t frames_bitmap_bytes(mfn_t frames)
{
    return ROUNDUP(frames, BITS) / 8;
}

void frames_init(uint64_t *storage, mfn_t frames)
{
    bitmap = storage;
    max_mfn = frames;
    nr_free = 0;
    hint = 0;
    memset(bitmap, 0xff, frames_bitmap_bytes(frames));
}

void frames_add_free(paddr_t start, paddr_t end)
{
    mfn_t first = ROUNDUP(start, PAGE_SIZE) >> PAGE_SHIFT;
    mfn_t last = end >> PAGE_SHIFT;            /* exclusive */

    if (last > max_mfn)
        last = max_mfn;
    if (first >= last)
        return;
    spin_lock(&frames_lock);
    set_range(first, last - first, false);
    if (first < hint)
        hint = first;
    spin_unlock(&frames_lock);
}

void frames_reserve(paddr_t start, paddr_t end)
{
    mfn_t first = start >> PAGE_SHIFT;
    mfn_t last = ROUNDUP(end, PAGE_SIZE) >> PAGE_SHIFT;

    if (last > max_mfn)
        last = max_mfn;
    if (first >= last)
        return;
    spin_lock(&frames_lock);
    set_range(first, last - first, true);
    spin_unlock(&frames_lock);
}

static bool block_free(mfn_t first, mfn_t count)
{
    for (mfn_t m = first; m < first + count; m++) {
        /* Skip whole free words quickly. */
        if (m % BITS == 0 && first + count - m >= BITS && !bitmap[m / BITS]) {
            m += BITS - 1;
            continue;
        }
        if (test_bit(m))
            return false;
    }
    return true;
}

void frames_set_reuse_hook(void (*fn)(mfn_t first, mfn_t count))
{
    reuse_hook = fn;
}

mfn_t alloc_frames(unsigned int order)
{
    return alloc_frames_below(order, INVALID_MFN);
}

mfn_t alloc_frames_below(unsigned int order, mfn_t limit)
{
    mfn_t count = 1UL << order, m, start, end = MIN(limit, max_mfn);

    if (order > MAX_ORDER)
        return INVALID_MFN;
    spin_lock(&frames_lock);
    start = ROUNDUP(hint, count);
    for (m = start; m + count <= end; m += count) {
        if (order == 0 && bitmap[m / BITS] == ~0UL) {
            m = ROUNDUP(m + 1, BITS) - 1;       /* next word */
            continue;
        }
        if (block_free(m, count)) {
            set_range(m, count, true);
            if (order == 0)
                hint = m + 1;
            spin_unlock(&frames_lock);
            if (reuse_hook)
                reuse_hook(m, count);
            return m;
        }
    }
    spin_unlock(&frames_lock);
    return INVALID_MFN;
}

void free_frames(mfn_t mfn, unsigned int order)
{
    mfn_t count = 1UL << order;

    BUG_ON(order > MAX_ORDER || mfn + count > max_mfn || mfn & (count - 1));
    spin_lock(&frames_lock);
    for (mfn_t m = mfn; m < mfn + count; m++)
        BUG_ON(!test_bit(m));                   /* double free */
    set_range(mfn, count, false);
    if (mfn < hint)
        hint = mfn;
    spin_unlock(&frames_lock);
}

bool frame_is_free(mfn_t mfn)
{
    return mfn < max_mfn && !test_bit(mfn);
}

uint64_t frames_free_count(void)
{
    return nr_free;
}

mfn_t frames_max_mfn(void)
{
    return max_mfn;
}

paddr_t frames_find_space(const struct memmap_entry *map, unsigned int n,
                          const struct phys_range *reserved, unsigned int nres,
                          size_t size, paddr_t limit)
{
    size = ROUNDUP(size, PAGE_SIZE);
    for (unsigned int i = 0; i < n; i++) {
        paddr_t start, end;

        if (map[i].type != MEM_AVAILABLE)
            continue;
        start = ROUNDUP(map[i].addr, PAGE_SIZE);
        end = ROUNDDOWN(map[i].addr + map[i].len, PAGE_SIZE);
        if (end > limit)
            end = limit;
        if (start < PAGE_SIZE)
            start = PAGE_SIZE;
        /* Slide the candidate past every reserved range it hits. */
        for (bool moved = true; moved && start + size <= end; ) {
            moved = false;
            for (unsigned int r = 0; r < nres; r++) {
                if (start < reserved[r].end && reserved[r].start < start + size) {
                    start = ROUNDUP(reserved[r].end, PAGE_SIZE);
                    moved = true;
                }
            }
        }
        if (start + size <= end)
            return start;
    }
    return 0;
}
