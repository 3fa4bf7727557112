/* SPDX-License-Identifier: MIT */
/*
 * lib/pv-layout.c - plans a PV domain's bootstrap region and yields the
 * contents of the page tables that map it (see pvboot/layout.h).
 *
 * The inputs are not all trusted: the kernel's notes place the region and
 * a toolstack user picks the memory and ramdisk sizes, so every step of
 * the plan is checked for wrap-around, and a region that would reach the
 * non-canonical hole or the hypervisor's slots is refused before any
 * table is written.
 */
#include "freestanding.h"
#include <pvboot/elf.h>
#include <pvboot/layout.h>

#define PAGE            PVBOOT_PAGE_SIZE
#define CANON_LOW_END   (1ULL << 47)                /* first non-canonical */
#define HV_END          0xffff880000000000ULL       /* public ABI: the hole */
                                                    /* and PML4 slots 256-271 */

static const unsigned int level_shift[] = { 39, 30, 21 };   /* L4, L3, L2 */

/* Entries of the table level at 'shift' that [start, end) touches. */
static uint64_t span(uint64_t start, uint64_t end, unsigned int shift)
{
    return ((end - 1) >> shift) - (start >> shift) + 1;
}

/* Table pages that map [start, end) with 4 KiB pages: one L4 and below. */
static uint64_t tables_needed(uint64_t start, uint64_t end)
{
    uint64_t n = 1;

    for (unsigned int i = 0; i < PVB_ARRAY_SIZE(level_shift); i++)
        n += span(start, end, level_shift[i]);
    return n;
}

/* Hand out 'len' bytes, page-rounded, at *pos; false if that wraps. */
static bool take(uint64_t *pos, uint64_t len, uint64_t *start)
{
    if (len > UINT64_MAX - PAGE || PVB_ROUNDUP(len, PAGE) > UINT64_MAX - *pos)
        return false;
    *start = *pos;
    *pos += PVB_ROUNDUP(len, PAGE);
    return true;
}

/* Is [start, end) clear of the hole and of the hypervisor's range? */
static bool region_allowed(uint64_t start, uint64_t end)
{
    if (start < CANON_LOW_END)
        return end <= CANON_LOW_END;
    return start >= HV_END;
}

/* Everything from the kernel to the start of the page tables. */
static int plan_pieces(struct pvboot_layout *l, const struct xen_elf_info *info,
                       uint64_t nr_pages, uint64_t ramdisk_len, bool domu)
{
    uint64_t pos;

    if (!PVB_ALIGNED(info->virt_base, PAGE) || info->virt_kstart < info->virt_base ||
        info->virt_kend < info->virt_kstart)
        return -XEN_EINVAL;             /* not as elf_parse_xen() leaves it */
    if (info->virt_kend > UINT64_MAX - PAGE || nr_pages > UINT64_MAX / 8)
        return -XEN_ERANGE;
    l->v_start = info->virt_base;
    l->kern_start = info->virt_kstart;
    l->kern_end = pos = PVB_ROUNDUP(info->virt_kend, PAGE);
    l->ramdisk_len = ramdisk_len;
    if (!take(&pos, ramdisk_len, &l->ramdisk_start) ||
        !take(&pos, nr_pages * 8, &l->p2m_start) ||
        !take(&pos, PAGE, &l->si_start))
        return -XEN_ERANGE;
    if (domu && (!take(&pos, PAGE, &l->store_start) ||
                 !take(&pos, PAGE, &l->console_start)))
        return -XEN_ERANGE;
    l->pt_start = pos;
    return 0;
}

/*
 * The tables map themselves, so their number feeds back into the size of
 * the region: grow the count until it covers the region it ends.  The
 * region is at most nr_pages, so the loop runs at most nr_pages / 512
 * times or so before giving up.
 */
static int plan_tables(struct pvboot_layout *l, uint64_t nr_pages, uint64_t spare,
                       uint64_t align)
{
    for (l->nr_pt = 1; ; l->nr_pt++) {
        /* Tables, stack, spare and rounding must not wrap (nr_pt < 2^32). */
        if (l->pt_start > UINT64_MAX - ((uint64_t)l->nr_pt + 1) * PAGE -
                          spare - align)
            return -XEN_ERANGE;
        l->stack_start = l->pt_start + (uint64_t)l->nr_pt * PAGE;
        l->v_end = PVB_ROUNDUP(l->stack_start + PAGE + spare, align);
        l->nr_boot_pages = (l->v_end - l->v_start) / PAGE;
        if (l->nr_boot_pages > nr_pages)
            return -XEN_ENOMEM;
        if (tables_needed(l->v_start, l->v_end) <= l->nr_pt)
            return 0;
    }
}

int pvboot_layout_plan(struct pvboot_layout *l, const struct xen_elf_info *info,
                       uint64_t nr_pages, uint64_t ramdisk_len, bool domu)
{
    int rc;

    if (!l || !info)
        return -XEN_EINVAL;
    memset(l, 0, sizeof(*l));
    rc = plan_pieces(l, info, nr_pages, ramdisk_len, domu);
    if (rc)
        return rc;
    /* Too small already without tables: say so before the loop. */
    l->v_end = l->pt_start;
    l->nr_boot_pages = (l->pt_start - l->v_start) / PAGE;
    if (l->nr_boot_pages > nr_pages)
        return -XEN_ENOMEM;
    /*
     * dom0's region leaves room past its stack, as Xen's dom0 builder does;
     * a domU's ends at the next 4 MiB, as libxc's.  Xen rounds dom0's end
     * to 4 MiB too, but it puts the p2m list at the kernel's INIT_P2M
     * address, which this plan does not: with the list inside the region, a
     * 4 MiB rounding of stack + spare can end past what Linux unmaps
     * (PVBOOT_LINUX_REACH), and a dom0 initrd of an unlucky size left a
     * W+X mapping.  Rounding to 2 MiB keeps the spare and stays within it.
     */
    rc = plan_tables(l, nr_pages, domu ? 0 : PVBOOT_SPARE,
                     domu ? PVBOOT_ALIGN : PVBOOT_DOM0_ALIGN);
    if (rc)
        return rc;
    return region_allowed(l->v_start, l->v_end) ? 0 : -XEN_ERANGE;
}

uint64_t pvboot_layout_pfn(const struct pvboot_layout *l, uint64_t va)
{
    return (va - l->v_start) / PAGE;
}

/* A layout not made by the planner must still be one it could make. */
static bool layout_sane(const struct pvboot_layout *l)
{
    return l->nr_pt && l->v_end > l->v_start &&
           PVB_ALIGNED(l->v_start | l->v_end | l->pt_start, PAGE) &&
           l->pt_start >= l->v_start && l->pt_start < l->v_end &&
           (l->v_end - l->pt_start) / PAGE >= l->nr_pt;
}

int pvboot_layout_tables(const struct pvboot_layout *l, pvboot_mfn_fn *mfn_of,
                         pvboot_pte_fn *set, void *ctx)
{
    unsigned int table[4] = { 0 };      /* the current table of each level */
    unsigned int next = 1;              /* table pages handed out so far */
    uint64_t pt_pfn;

    if (!l || !mfn_of || !set || !layout_sane(l))
        return -XEN_EINVAL;
    pt_pfn = pvboot_layout_pfn(l, l->pt_start);
    for (uint64_t va = l->v_start; va < l->v_end; va += PAGE) {
        uint64_t pfn = pvboot_layout_pfn(l, va);
        uint64_t flags = PVBOOT_PTE_PAGE;

        /* A new child table wherever va leaves the previous entry. */
        for (unsigned int k = 0; k < PVB_ARRAY_SIZE(level_shift); k++) {
            unsigned int shift = level_shift[k];

            if (va != l->v_start && (va >> shift) == ((va - PAGE) >> shift))
                continue;
            if (next >= l->nr_pt)
                return -XEN_ENOSPC;
            table[k + 1] = next++;
            set(ctx, table[k], (va >> shift) & 511,
                ((mfn_of(ctx, pt_pfn + table[k + 1]) << PVBOOT_PAGE_SHIFT) &
                 PVBOOT_PTE_ADDR) | PVBOOT_PTE_TABLE);
        }
        if (pfn - pt_pfn < l->nr_pt)
            flags &= ~PVBOOT_PTE_RW;
        set(ctx, table[3], (va >> PVBOOT_PAGE_SHIFT) & 511,
            ((mfn_of(ctx, pfn) << PVBOOT_PAGE_SHIFT) & PVBOOT_PTE_ADDR) | flags);
    }
    return 0;
}
