/* SPDX-License-Identifier: MIT */
/*
 * pvboot/layout.h - the start-of-day address space of a PV domain: where
 * its bootstrap region puts each piece, and what its initial page tables
 * hold.  One plan for every domain builder (the hypervisor's, libmica's,
 * the test kernel's), so a kernel sees the same layout from all three.
 *
 * The bootstrap region [v_start, v_end) maps pfn n at v_start + n pages
 * and holds, in this order, as Xen's dom0 builder and libxc lay it out:
 * the kernel image, the ramdisk, the p2m list, the start_info page, for a
 * domU its xenstore and console pages, the page tables (mapped read-only:
 * they map the region, themselves included), and one page of boot stack;
 * it ends on a 4 MiB boundary: for dom0 at least 512 KiB past the stack,
 * as Xen's builder leaves, for a domU at the first one past it, as libxc.
 * The p2m list always lies inside the region (an INIT_P2M note is not
 * needed by Linux, which takes mfn_list from start_info wherever it is).
 *
 * Pure: no memory is touched; the table contents come out through a
 * callback so each builder writes them through its own mappings.
 */
#ifndef PVBOOT_LAYOUT_H
#define PVBOOT_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>
#include <pvboot/elf.h>

/* Entry flags: present, writable, user, accessed (+ dirty for a page). */
#define PVBOOT_PTE_TABLE    0x027ULL
#define PVBOOT_PTE_PAGE     0x067ULL
#define PVBOOT_PTE_RW       0x002ULL
#define PVBOOT_PTE_ADDR     0x000ffffffffff000ULL

#define PVBOOT_ALIGN        (4ULL << 20)    /* a domU's region ends on 4 MiB */
#define PVBOOT_SPARE        (512ULL << 10)  /* dom0's this much past the stack, */
#define PVBOOT_DOM0_ALIGN   (2ULL << 20)    /* rounded up to 2 MiB */
/*
 * Linux unmaps the region up to and including the 2 MiB page at the 4 MiB
 * boundary after its page tables (xen_pagetable_cleanhighmap); whatever
 * stays mapped beyond is writable and executable, a W+X warning at boot.
 * Both endings stay within that reach.
 */
#define PVBOOT_LINUX_REACH(pt_end) (((pt_end) + PVBOOT_ALIGN - 1) / PVBOOT_ALIGN * PVBOOT_ALIGN \
                                    + PVBOOT_DOM0_ALIGN)

/* Guest virtual addresses; a piece that is absent has start 0. */
struct pvboot_layout {
    uint64_t v_start, v_end;            /* the region; v_start = VIRT_BASE */
    uint64_t kern_start, kern_end;      /* kern_end page-aligned */
    uint64_t ramdisk_start, ramdisk_len;/* start = kern_end even when len 0 */
    uint64_t p2m_start;                 /* nr_pages 8-byte mfns */
    uint64_t si_start;                  /* start_info; rsi at entry */
    uint64_t store_start, console_start;/* domU only */
    uint64_t pt_start;                  /* table 0 (the L4) .. nr_pt - 1 */
    unsigned int nr_pt;
    uint64_t stack_start;               /* rsp at entry = stack_start + page */
    uint64_t nr_boot_pages;             /* (v_end - v_start) in pages */
};

/*
 * Plan the region of a domain of 'nr_pages' pages whose kernel 'info'
 * describes (from elf_parse_xen), with a ramdisk of 'ramdisk_len' bytes;
 * 'domu' adds the xenstore and console pages.  Returns 0; -ENOMEM when
 * the region needs more than nr_pages pages (*l is still filled, so the
 * caller can say how large it would be); -ERANGE when it would wrap past
 * the top of the address space or reach the non-canonical hole or the
 * hypervisor's range; -EINVAL for a NULL argument or an 'info' that
 * elf_parse_xen() would not give (VIRT_BASE unaligned or above the image).
 */
int pvboot_layout_plan(struct pvboot_layout *l, const struct xen_elf_info *info,
                       uint64_t nr_pages, uint64_t ramdisk_len, bool domu);

/* The pfn that maps 'va' inside the region (va must lie in it). */
uint64_t pvboot_layout_pfn(const struct pvboot_layout *l, uint64_t va);

/* The builder's p2m: the machine frame backing guest pfn 'pfn'. */
typedef uint64_t pvboot_mfn_fn(void *ctx, uint64_t pfn);
/* Store 'pte' in entry 'slot' (0-511) of table page 'table' (0 = L4). */
typedef void pvboot_pte_fn(void *ctx, unsigned int table, unsigned int slot,
                           uint64_t pte);

/*
 * The initial page tables of a planned region: calls set() once for every
 * non-zero entry of the nr_pt table pages, which the caller has zeroed.
 * Every page of the region is mapped writable except the tables, which
 * are read-only so the L4 can be pinned.  An L4 needs its hypervisor
 * slots too; those are the caller's.  Returns 0, or -ENOSPC if *l holds
 * fewer tables than the region needs (never for a plan from above).
 */
int pvboot_layout_tables(const struct pvboot_layout *l, pvboot_mfn_fn *mfn_of,
                         pvboot_pte_fn *set, void *ctx);

#endif /* PVBOOT_LAYOUT_H */
