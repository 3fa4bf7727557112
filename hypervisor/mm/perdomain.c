/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/mm/perdomain.c - the per-domain mapping area, PML4 slot
 * PERDOMAIN_PML4_SLOT: hypervisor-only mappings that differ from domain
 * to domain, today the vCPUs' GDT and LDT frames.
 *
 * Each domain has its own L3 for the slot; validating a guest L4 installs
 * it (mm/pagetable.c), so the area is there whenever the domain's page
 * tables are loaded.  The tables below it are hypervisor frames, freed
 * with the domain.
 */
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/frame-alloc.h>
#include <mica/heap.h>
#include <asm/config.h>
#include <asm/io.h>
#include <asm/page.h>

#define TABLE_FLAGS (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

int perdomain_init(struct domain *d)
{
    d->perdomain_l3 = alloc_zeroed_frame(NULL);
    return d->perdomain_l3 ? 0 : -ENOMEM;
}

pte_t perdomain_l4e(const struct domain *d)
{
    return __pa(d->perdomain_l3) | TABLE_FLAGS;
}

/* Map 'mfn' at 'va' in d's area with 'flags' (supervisor only), or unmap (mfn == INVALID_MFN). */
int perdomain_map(struct domain *d, uint64_t va, mfn_t mfn, uint64_t flags)
{
    pte_t *t = d->perdomain_l3;

    ASSERT(PT_INDEX(va, L4_SHIFT) == PERDOMAIN_PML4_SLOT);
    for (unsigned int shift = L3_SHIFT; shift > L1_SHIFT; shift -= 9) {
        pte_t *e = &t[PT_INDEX(va, shift)];

        if (!(*e & _PAGE_PRESENT)) {
            pte_t *n = alloc_zeroed_frame(NULL);

            if (!n)
                return -ENOMEM;
            *e = __pa(n) | TABLE_FLAGS;
        }
        t = __va(*e & PTE_ADDR_MASK);
    }
    t[PT_INDEX(va, L1_SHIFT)] = mfn == INVALID_MFN ? 0
                                : (mfn << PAGE_SHIFT) | _PAGE_PRESENT | flags;
    invlpg((void *)va);
    return 0;
}

static void free_level(pte_t *t, unsigned int level)
{
    if (level > 1)
        for (unsigned int i = 0; i < 512; i++)
            if (t[i] & _PAGE_PRESENT)
                free_level(__va(t[i] & PTE_ADDR_MASK), level - 1);
    free_frames(__pa(t) >> PAGE_SHIFT, 0);
}

void perdomain_free(struct domain *d)
{
    if (d->perdomain_l3)
        free_level(d->perdomain_l3, 3);
    d->perdomain_l3 = NULL;
}
