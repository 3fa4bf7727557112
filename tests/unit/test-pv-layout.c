/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test-pv-layout.c - the PV bootstrap layout (lib/pv-layout.c):
 * the order and sizes of the pieces, refusals of regions that do not fit,
 * and the initial page tables, walked in a simulated memory to check that
 * every page of the region maps its own frame, the tables read-only.
 */
#include <stdlib.h>
#include <pvboot/layout.h>
#include "elf-image.h"
#include "cunit-runner.h"

#define PG          4096ULL
#define MFN_BASE    0x40000ULL      /* simulated frames: mfn = base + 3 * pfn */
#define MAX_PT      64

static uint64_t tables[MAX_PT][512];
static unsigned int nr_set, overwrites;

static uint64_t sim_mfn(void *ctx, uint64_t pfn)
{
    (void)ctx;
    return MFN_BASE + 3 * pfn;
}

static void sim_pte(void *ctx, unsigned int table, unsigned int slot, uint64_t pte)
{
    (void)ctx;
    CU_ASSERT_FATAL(table < MAX_PT && slot < 512);
    overwrites += tables[table][slot] != 0;
    tables[table][slot] = pte;
    nr_set++;
}

static struct xen_elf_info kernel_at(uint64_t base, uint64_t kstart, uint64_t size)
{
    struct xen_elf_info i = { .virt_base = base, .virt_kstart = kstart,
                              .virt_kend = kstart + size };

    return i;
}

/* The table page an entry points at, through the simulated p2m. */
static int table_of(const struct pvboot_layout *l, uint64_t pte)
{
    uint64_t mfn = (pte & PVBOOT_PTE_ADDR) / PG;
    uint64_t pt_pfn = pvboot_layout_pfn(l, l->pt_start);

    if ((mfn - MFN_BASE) % 3 || (mfn - MFN_BASE) / 3 - pt_pfn >= l->nr_pt)
        return -1;
    return (int)((mfn - MFN_BASE) / 3 - pt_pfn);
}

/* Walk the simulated tables for 'va': its L1 entry, or 0 if unmapped. */
static uint64_t walk(const struct pvboot_layout *l, uint64_t va)
{
    int t = 0;

    for (int shift = 39; shift > 12; shift -= 9) {
        uint64_t e = tables[t][(va >> shift) & 511];

        if (!e)
            return 0;
        CU_ASSERT_EQUAL(e & 0xfff, PVBOOT_PTE_TABLE);
        t = table_of(l, e);
        if (t < 0)
            return 0;
    }
    return tables[t][(va >> 12) & 511];
}

/* Emit the tables of *l and check every page of the region and its edges. */
static void check_tables(const struct pvboot_layout *l)
{
    uint64_t pt_pfn = pvboot_layout_pfn(l, l->pt_start);
    unsigned int bad = 0;

    memset(tables, 0, sizeof(tables));
    nr_set = overwrites = 0;
    CU_ASSERT_FATAL(l->nr_pt <= MAX_PT);
    CU_ASSERT_EQUAL_FATAL(pvboot_layout_tables(l, sim_mfn, sim_pte, NULL), 0);
    CU_ASSERT_EQUAL(overwrites, 0);
    for (uint64_t va = l->v_start; va < l->v_end; va += PG) {
        uint64_t pfn = pvboot_layout_pfn(l, va);
        uint64_t want = sim_mfn(NULL, pfn) * PG |
                        (pfn - pt_pfn < l->nr_pt ? PVBOOT_PTE_PAGE & ~PVBOOT_PTE_RW
                                                 : PVBOOT_PTE_PAGE);

        bad += walk(l, va) != want;
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL(walk(l, l->v_end), 0);
    CU_ASSERT_EQUAL(walk(l, l->v_start - PG), 0);
    /* One entry per page, plus one per table page below the L4. */
    CU_ASSERT(nr_set <= l->nr_boot_pages + l->nr_pt - 1);
}

static void check_order(const struct pvboot_layout *l, uint64_t nr_pages,
                        uint64_t ramdisk_len, bool domu)
{
    uint64_t after_si = l->si_start + PG;

    CU_ASSERT_EQUAL(l->ramdisk_start, l->kern_end);
    CU_ASSERT_EQUAL(l->ramdisk_len, ramdisk_len);
    CU_ASSERT_EQUAL(l->p2m_start, l->ramdisk_start + ROUNDUP(ramdisk_len, PG));
    CU_ASSERT_EQUAL(l->si_start, l->p2m_start + ROUNDUP(nr_pages * 8, PG));
    if (domu) {
        CU_ASSERT_EQUAL(l->store_start, after_si);
        CU_ASSERT_EQUAL(l->console_start, after_si + PG);
        after_si += 2 * PG;
    } else {
        CU_ASSERT_EQUAL(l->store_start, 0);
        CU_ASSERT_EQUAL(l->console_start, 0);
    }
    CU_ASSERT_EQUAL(l->pt_start, after_si);
    CU_ASSERT_EQUAL(l->stack_start, l->pt_start + l->nr_pt * PG);
    CU_ASSERT_EQUAL(l->v_end % (domu ? PVBOOT_ALIGN : PVBOOT_DOM0_ALIGN), 0);
    /* A domU's region ends at the first 4 MiB boundary past its stack. */
    CU_ASSERT(l->v_end - (l->stack_start + PG) >= (domu ? 0 : PVBOOT_SPARE));
    CU_ASSERT(l->v_end - (l->stack_start + PG) <
              (domu ? 0 : PVBOOT_SPARE) + (domu ? PVBOOT_ALIGN : PVBOOT_DOM0_ALIGN));
    /* Nothing stays mapped past what Linux unmaps (no W+X at boot). */
    CU_ASSERT(l->v_end <= PVBOOT_LINUX_REACH(l->stack_start));
    CU_ASSERT_EQUAL(l->nr_boot_pages, (l->v_end - l->v_start) / PG);
    CU_ASSERT(l->nr_boot_pages <= nr_pages);
}

/* A Linux-like kernel (as parsed from the test image) as dom0 and domU. */
static void test_linux_like(void)
{
    struct pvboot_layout l;

    tmpl_init(-1);
    CU_ASSERT_EQUAL_FATAL(parse(), 0);
    CU_ASSERT_EQUAL(pvboot_layout_plan(&l, &info, 8192, 1000000, false), 0);
    CU_ASSERT_EQUAL(l.v_start, KBASE);
    CU_ASSERT_EQUAL(l.kern_start, KSTART);
    CU_ASSERT_EQUAL(l.kern_end, ROUNDUP(KEND, PG));
    check_order(&l, 8192, 1000000, false);
    /* 18 MiB (on 2 MiB for dom0): one L4, L3 and L2, and nine L1s. */
    CU_ASSERT_EQUAL(l.v_end - l.v_start, 18ULL << 20);
    CU_ASSERT_EQUAL(l.nr_pt, 12);
    check_tables(&l);

    CU_ASSERT_EQUAL(pvboot_layout_plan(&l, &info, 8192, 0, true), 0);
    check_order(&l, 8192, 0, true);
    check_tables(&l);
}

/* Regions across 1 GiB and 512 GiB lines need a table at each level. */
static void test_crossings(void)
{
    static const uint64_t bases[] = {
        (1ULL << 30) - (2ULL << 20),            /* across an L3 entry */
        (1ULL << 39) - (4ULL << 20),            /* across an L4 entry */
        0xffffffff80000000ULL,
        0xffff880000000000ULL,                  /* first guest slot */
    };
    struct pvboot_layout l;

    for (unsigned int i = 0; i < ARRAY_SIZE(bases); i++) {
        struct xen_elf_info k = kernel_at(bases[i], bases[i], 3 << 20);

        CU_ASSERT_EQUAL_FATAL(pvboot_layout_plan(&l, &k, 4096, 0, true), 0);
        check_order(&l, 4096, 0, true);
        check_tables(&l);
    }
}

static void test_too_small(void)
{
    struct xen_elf_info k = kernel_at(KBASE, KSTART, 8 << 20);
    struct pvboot_layout l;

    /* The kernel alone needs more than 16 MiB + 8 MiB of pages. */
    CU_ASSERT_EQUAL(pvboot_layout_plan(&l, &k, 4096, 0, false), -ENOMEM);
    CU_ASSERT(l.v_end > l.v_start);
    /* Just fits, one page fewer does not. */
    CU_ASSERT_EQUAL(pvboot_layout_plan(&l, &k, 1 << 20, 0, false), 0);
    CU_ASSERT_EQUAL(pvboot_layout_plan(&l, &k, l.nr_boot_pages, 0, false), 0);
    CU_ASSERT_EQUAL(pvboot_layout_plan(&l, &k, l.nr_boot_pages - 1, 0, false), -ENOMEM);
}

static void test_wild_sizes(void)
{
    struct xen_elf_info k = kernel_at(KBASE, KSTART, 1 << 20);
    struct pvboot_layout l;

    CU_ASSERT_EQUAL(pvboot_layout_plan(&l, &k, 8192, UINT64_MAX - 10, false), -ERANGE);
    CU_ASSERT_EQUAL(pvboot_layout_plan(&l, &k, 8192, 1ULL << 40, false), -ERANGE);
    CU_ASSERT_EQUAL(pvboot_layout_plan(&l, &k, UINT64_MAX, 0, false), -ERANGE);
    CU_ASSERT_EQUAL(pvboot_layout_plan(&l, &k, UINT64_MAX / 8, 0, false), -ERANGE);
    CU_ASSERT_EQUAL(pvboot_layout_plan(NULL, &k, 8192, 0, false), -EINVAL);
    CU_ASSERT_EQUAL(pvboot_layout_plan(&l, NULL, 8192, 0, false), -EINVAL);
    /* An info elf_parse_xen() would not give. */
    k = kernel_at(KBASE + 0x80, KSTART, 1 << 20);
    CU_ASSERT_EQUAL(pvboot_layout_plan(&l, &k, 8192, 0, false), -EINVAL);
    k = kernel_at(KBASE, KBASE - PG, 1 << 20);
    CU_ASSERT_EQUAL(pvboot_layout_plan(&l, &k, 8192, 0, false), -EINVAL);
    k = kernel_at(0ULL - PG, 0ULL - PG, 100);
    CU_ASSERT_EQUAL(pvboot_layout_plan(&l, &k, 8192, 0, false), -ERANGE);
}

/* The hole and the hypervisor's slots are never part of a region. */
static void test_forbidden_places(void)
{
    static const uint64_t bases[] = {
        (1ULL << 47) - (1ULL << 20),            /* runs into the hole */
        1ULL << 47,                             /* in the hole */
        0xffff800000000000ULL,                  /* the hypervisor's */
        0xffff87ffffc00000ULL,
    };
    struct xen_elf_info k = kernel_at((1ULL << 47) - (2ULL << 20),
                                      (1ULL << 47) - (2ULL << 20), 1 << 20);
    struct pvboot_layout l;

    for (unsigned int i = 0; i < ARRAY_SIZE(bases); i++) {
        struct xen_elf_info f = kernel_at(bases[i], bases[i], 1 << 20);

        CU_ASSERT_EQUAL(pvboot_layout_plan(&l, &f, 8192, 0, false), -ERANGE);
    }
    /* Ending right at the hole is fine. */
    CU_ASSERT_EQUAL(pvboot_layout_plan(&l, &k, 8192, 0, false), 0);
    CU_ASSERT_EQUAL(l.v_end, 1ULL << 47);
}

static void test_tables_refuse(void)
{
    struct xen_elf_info k = kernel_at(KBASE, KSTART, 1 << 20);
    struct pvboot_layout l, bad;

    CU_ASSERT_EQUAL_FATAL(pvboot_layout_plan(&l, &k, 8192, 0, false), 0);
    bad = l;
    bad.nr_pt--;
    CU_ASSERT_EQUAL(pvboot_layout_tables(&bad, sim_mfn, sim_pte, NULL), -ENOSPC);
    bad = l;
    bad.nr_pt = 0;
    CU_ASSERT_EQUAL(pvboot_layout_tables(&bad, sim_mfn, sim_pte, NULL), -EINVAL);
    bad = l;
    bad.pt_start = bad.v_end;
    CU_ASSERT_EQUAL(pvboot_layout_tables(&bad, sim_mfn, sim_pte, NULL), -EINVAL);
    bad = l;
    bad.v_end = bad.v_start;
    CU_ASSERT_EQUAL(pvboot_layout_tables(&bad, sim_mfn, sim_pte, NULL), -EINVAL);
    CU_ASSERT_EQUAL(pvboot_layout_tables(&l, NULL, sim_pte, NULL), -EINVAL);
    CU_ASSERT_EQUAL(pvboot_layout_pfn(&l, l.si_start), (l.si_start - l.v_start) / PG);
}

static const struct unit_test pv_layout_tests[] = {
    UNIT_TEST(test_linux_like),
    UNIT_TEST(test_crossings),
    UNIT_TEST(test_too_small),
    UNIT_TEST(test_wild_sizes),
    UNIT_TEST(test_forbidden_places),
    UNIT_TEST(test_tables_refuse),
    UNIT_END
};
UNIT_SUITE(pv_layout, NULL, NULL, pv_layout_tests)
