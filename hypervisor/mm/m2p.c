/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/mm/m2p.c - the read-only machine-to-phys table.
 *
 * PV guests translate machine frames back to their own pfns by reading
 * this table directly (Linux does so for every PTE it reads), so it is
 * mapped user-readable but not writable in every address space, at the
 * public ABI's MACH2PHYS_VIRT_START.  It is built from 2 MiB blocks so a
 * big machine needs few mappings; beyond its end nothing is mapped, and a
 * guest reading past it takes a page fault, as on Xen.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/frame-alloc.h>
#include <mica/m2p.h>
#include <asm/config.h>
#include <asm/page.h>

#define BLOCK_ORDER 9                       /* 2 MiB */
#define BLOCK_BYTES (PAGE_SIZE << BLOCK_ORDER)
#define MAX_BLOCKS  ((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) / BLOCK_BYTES)

static mfn_t nr_entries;
static mfn_t block_mfn[64];                 /* first frames, for machphys_mfn_list */
static unsigned int nr_blocks;

void m2p_init(void)
{
    mfn_t frames = frames_max_mfn();
    uint64_t bytes = ROUNDUP(frames * sizeof(uint64_t), BLOCK_BYTES);

    nr_blocks = bytes / BLOCK_BYTES;
    if (nr_blocks > ARRAY_SIZE(block_mfn) || nr_blocks > MAX_BLOCKS)
        panic("M2P: %lu frames need %u blocks, more than supported", frames,
              nr_blocks);
    for (unsigned int i = 0; i < nr_blocks; i++) {
        mfn_t m = alloc_frames(BLOCK_ORDER);

        if (m == INVALID_MFN)
            panic("M2P: out of memory");
        block_mfn[i] = m;
        memset(__va(m << PAGE_SHIFT), 0xff, BLOCK_BYTES);   /* M2P_INVALID */
        map_large_pages(MACH2PHYS_VIRT_START + i * BLOCK_BYTES, m, 1,
                        _PAGE_USER | _PAGE_ACCESSED);
    }
    nr_entries = frames;
    printk("M2P: %lu entries in %u x 2 MiB at %p\n", frames, nr_blocks,
           (void *)MACH2PHYS_VIRT_START);
}

/* The guest-visible range is read-only: the hypervisor writes through the
 * direct map of each block instead. */
static uint64_t *slot(mfn_t mfn)
{
    unsigned long per_block = BLOCK_BYTES / sizeof(uint64_t);

    ASSERT(mfn < nr_entries);
    return (uint64_t *)__va(block_mfn[mfn / per_block] << PAGE_SHIFT) +
           mfn % per_block;
}

void set_gpfn_from_mfn(mfn_t mfn, uint64_t pfn)
{
    if (mfn < nr_entries)
        *slot(mfn) = pfn;
}

uint64_t get_gpfn_from_mfn(mfn_t mfn)
{
    return mfn < nr_entries ? *slot(mfn) : M2P_INVALID;
}

mfn_t m2p_table_mfn(unsigned long index)
{
    return index < nr_blocks ? block_mfn[index] : INVALID_MFN;
}
