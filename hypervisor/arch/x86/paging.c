/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/paging.c - the hypervisor's own page tables: a
 * direct map of all RAM (asm/config.h), replacing head.S's boot tables.
 *
 * The first 4 GiB are mapped whole because firmware tables and device
 * registers (ACPI, local APIC, HPET) live there; 2 MiB pages holding no RAM
 * are mapped uncached so device registers behave.  RAM above 4 GiB is
 * mapped as the memory map lists it.  The boot identity map is dropped, so
 * a NULL dereference in the hypervisor faults.
 */
#include <mica/lib.h>
#include <mica/bootinfo.h>
#include <mica/heap.h>
#include <asm/config.h>
#include <asm/io.h>
#include <asm/page.h>

#define LARGE (1UL << L2_SHIFT)

pte_t *idle_pml4;
static paddr_t map_limit;

static pte_t *alloc_table(void)
{
    pte_t *t = alloc_zeroed_frame(NULL);

    if (!t)
        panic("out of memory building the direct map");
    return t;
}

static pte_t *next_level(pte_t *table, unsigned int idx)
{
    if (!(table[idx] & _PAGE_PRESENT))
        table[idx] = __pa(alloc_table()) | _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED;
    return __va(table[idx] & PTE_ADDR_MASK);
}

static bool overlaps_ram(const struct boot_info *bi, paddr_t s, paddr_t e)
{
    for (unsigned int i = 0; i < bi->nr_memmap; i++) {
        const struct memmap_entry *m = &bi->memmap[i];

        if (m->type == MEM_AVAILABLE && m->addr < e && s < m->addr + m->len)
            return true;
    }
    return false;
}

static void map_large(paddr_t pa, bool cached)
{
    unsigned long va = DIRECTMAP_VIRT_START + pa;
    pte_t *l3 = next_level(idle_pml4, PT_INDEX(va, L4_SHIFT));
    pte_t *l2 = next_level(l3, PT_INDEX(va, L3_SHIFT));

    l2[PT_INDEX(va, L2_SHIFT)] = pa | _PAGE_PRESENT | _PAGE_RW | _PAGE_PSE |
                                 _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL |
                                 (cached ? 0 : _PAGE_PCD | _PAGE_PWT);
}

void paging_init(const struct boot_info *bi)
{
    paddr_t top = 4UL << 30;

    idle_pml4 = alloc_table();
    for (paddr_t pa = 0; pa < top; pa += LARGE)
        map_large(pa, overlaps_ram(bi, pa, pa + LARGE));
    for (unsigned int i = 0; i < bi->nr_memmap; i++) {
        const struct memmap_entry *m = &bi->memmap[i];
        paddr_t s = ROUNDDOWN(m->addr, LARGE);
        paddr_t e = ROUNDUP(m->addr + m->len, LARGE);

        if (m->type != MEM_AVAILABLE || e <= top)
            continue;
        if (e > DIRECTMAP_VIRT_END - DIRECTMAP_VIRT_START)
            e = DIRECTMAP_VIRT_END - DIRECTMAP_VIRT_START;
        for (paddr_t pa = MAX(s, top); pa < e; pa += LARGE)
            map_large(pa, true);
        if (e > map_limit)
            map_limit = e;
    }
    if (map_limit < top)
        map_limit = top;

    write_cr4(read_cr4() | X86_CR4_PGE);
    write_cr3(__pa(idle_pml4));
}

/*
 * Map 2 MiB pages [mfn, mfn + 512 * n) at 'va' in the hypervisor's own
 * tables with 'flags' (plus present and PSE) at the leaf and 'flags' on
 * the intermediate levels too, so _PAGE_USER reaches the guest.  Every
 * guest L4 copies the hypervisor's slots, so the mapping appears there.
 */
void map_large_pages(unsigned long va, mfn_t mfn, unsigned long n, uint64_t flags)
{
    for (unsigned long i = 0; i < n; i++, va += LARGE, mfn += 512) {
        unsigned int i4 = PT_INDEX(va, L4_SHIFT), i3 = PT_INDEX(va, L3_SHIFT);
        pte_t *l3 = next_level(idle_pml4, i4);
        pte_t *l2 = next_level(l3, i3);

        idle_pml4[i4] |= flags & _PAGE_USER;
        l3[i3] |= flags & _PAGE_USER;
        l2[PT_INDEX(va, L2_SHIFT)] = (mfn << PAGE_SHIFT) | _PAGE_PRESENT |
                                     _PAGE_PSE | flags;
    }
}

paddr_t direct_map_limit(void)
{
    return map_limit;
}
