/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/builder-map.c - the builder's window onto another
 * domain's memory: FMAP_MAX pages of our .bss whose L1 entries are
 * rewritten with mmu_update, foreigndom = the frames' owner, the way
 * Linux's privcmd maps a guest's frames on a PV dom0.
 *
 * The L1 entries are found once by walking our boot page tables, which
 * the domain builder mapped (read-only) in the bootstrap region, so each
 * table is readable at VIRT_BASE + pfn * 4 KiB.
 */
#include <lib.h>
#include <arch.h>
#include <hypercall.h>
#include <public/errno.h>
#include "builder-lib.h"

#define PTE_P       0x001UL
#define PTE_ADDR    0x000ffffffffff000UL
#define PTE_FLAGS   0x067UL             /* present, writable, user, accessed, dirty */
#define M2P         ((const volatile uint64_t *)MACH2PHYS_VIRT_START)

static uint8_t window[FMAP_MAX][PAGE_SIZE] __attribute__((aligned(4096)));
static uint64_t pte_maddr[FMAP_MAX];    /* machine address of each L1 entry */
static uint64_t pte_orig[FMAP_MAX];     /* our own frame's entry */
static unsigned int nr_mapped;

/* Our VA of a page-table frame of the bootstrap region. */
static const uint64_t *table_va(uint64_t mfn)
{
    return (const uint64_t *)(VIRT_BASE + (M2P[mfn] << 12));
}

uint64_t pt_walk(uint64_t va, uint64_t *pte_out)
{
    uint64_t mfn = virt_to_mfn((void *)(uintptr_t)start_info->pt_base);

    for (int shift = 39; shift >= 12; shift -= 9) {
        const uint64_t *t = table_va(mfn);
        unsigned int idx = (va >> shift) & 511;

        if (!(t[idx] & PTE_P))
            return ~0UL;
        if (shift == 12) {
            if (pte_out)
                *pte_out = (mfn << 12) + 8 * idx;   /* where the entry is */
            return (t[idx] & PTE_ADDR) >> 12;
        }
        mfn = (t[idx] & PTE_ADDR) >> 12;
    }
    return ~0UL;
}

static void find_entries(void)
{
    for (unsigned int i = 0; i < FMAP_MAX; i++) {
        uint64_t mfn = pt_walk((uint64_t)(uintptr_t)window[i], &pte_maddr[i]);

        if (mfn == ~0UL)
            panic("builder: window page %u is not mapped", i);
        pte_orig[i] = (mfn << 12) | PTE_FLAGS;
    }
}

/* Rewrite entries [0, n) with vals[], naming 'dom' as the frames' owner. */
static long write_entries(const uint64_t *vals, unsigned int n, domid_t dom)
{
    static struct mmu_update req[FMAP_MAX];
    struct mmuext_op flush = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };
    unsigned int done = 0;
    long rc;

    for (unsigned int i = 0; i < n; i++)
        req[i] = (struct mmu_update){ .ptr = pte_maddr[i] | MMU_NORMAL_PT_UPDATE,
                                      .val = vals[i] };
    rc = HYPERVISOR_mmu_update(req, n, &done, dom);
    if (!rc && done != n)
        rc = -EIO;
    /* Even a partial batch changed entries: drop stale translations. */
    HYPERVISOR_mmuext_op(&flush, 1, NULL, DOMID_SELF);
    return rc;
}

void *fmap(domid_t dom, const uint64_t *mfns, unsigned int n, long *rc)
{
    uint64_t vals[FMAP_MAX] = { 0 };

    if (!pte_maddr[0])
        find_entries();
    if (nr_mapped)
        funmap();
    if (n > FMAP_MAX) {
        *rc = -E2BIG;
        return NULL;
    }
    for (unsigned int i = 0; i < n; i++)
        vals[i] = (mfns[i] << 12) | PTE_FLAGS;
    nr_mapped = n;                      /* funmap() undoes a partial batch too */
    *rc = write_entries(vals, n, dom);
    if (*rc) {
        funmap();
        return NULL;
    }
    return window;
}

long funmap(void)
{
    long rc = 0;

    if (nr_mapped)
        rc = write_entries(pte_orig, nr_mapped, DOMID_SELF);
    if (rc)
        panic("builder: cannot restore the mapping window: %ld", rc);
    nr_mapped = 0;
    return rc;
}
