/* SPDX-License-Identifier: MIT */
/* asm/page.h - x86-64 page-table entry bits and the hypervisor's mappings. */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#include <mica/types.h>
#include <mica/bootinfo.h>

#define _PAGE_PRESENT   0x001UL
#define _PAGE_RW        0x002UL
#define _PAGE_USER      0x004UL
#define _PAGE_PWT       0x008UL
#define _PAGE_PCD       0x010UL
#define _PAGE_ACCESSED  0x020UL
#define _PAGE_DIRTY     0x040UL
#define _PAGE_PSE       0x080UL
#define _PAGE_GLOBAL    0x100UL
#define _PAGE_NX        (1UL << 63)
#define PTE_ADDR_MASK   0x000ffffffffff000UL

#define L1_SHIFT 12
#define L2_SHIFT 21
#define L3_SHIFT 30
#define L4_SHIFT 39
#define PT_INDEX(va, shift) (((va) >> (shift)) & 511)

typedef uint64_t pte_t;

extern pte_t *idle_pml4;    /* the hypervisor's own top-level table */

void paging_init(const struct boot_info *bi);
paddr_t direct_map_limit(void);
void map_large_pages(unsigned long va, mfn_t mfn, unsigned long n, uint64_t flags);

#endif
