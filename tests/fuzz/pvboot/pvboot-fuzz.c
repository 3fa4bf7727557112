/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/pvboot/pvboot-fuzz.c - libFuzzer target over lib/: the input
 * is a kernel image for elf_parse_xen(); one that is accepted has its
 * segments described, and its bootstrap region planned (as dom0 and as a
 * domU, with and without a ramdisk) and its page tables generated, each
 * checked against the promises of pvboot/elf.h and pvboot/layout.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/elf.h>
#include <pvboot/layout.h>

#define PAGE        4096ULL
#define NR_PAGES    8192ULL     /* 32 MiB: keeps a run's table walk short */

struct walk {
    const struct pvboot_layout *l;
    uint64_t entries;
};

static void check(int ok)
{
    if (!ok)
        abort();
}

static uint64_t fake_mfn(void *ctx, uint64_t pfn)
{
    const struct walk *w = ctx;

    check(pfn < w->l->nr_boot_pages);
    return pfn + 0x1000;
}

static void count_pte(void *ctx, unsigned int table, unsigned int slot,
                      uint64_t pte)
{
    struct walk *w = ctx;

    check(table < w->l->nr_pt && slot < 512 && pte != 0);
    w->entries++;
}

static void check_segments(const uint8_t *data, size_t size,
                           const struct xen_elf_info *info)
{
    struct elf_segment seg;
    unsigned int i;

    for (i = 0; elf_load_segment(data, size, info, i, &seg) == 0; i++) {
        check(seg.offset <= size && seg.filesz <= size - seg.offset);
        check(seg.filesz <= seg.memsz);
        check(seg.dest >= info->virt_kstart && seg.dest <= info->virt_kend &&
              seg.memsz <= info->virt_kend - seg.dest);
    }
    check(i == info->nr_load);
}

static void check_plan(const struct xen_elf_info *info, uint64_t ramdisk, bool domu)
{
    struct pvboot_layout l;
    struct walk w = { &l, 0 };
    uint64_t spare = domu ? 0 : PVBOOT_SPARE;
    uint64_t align = domu ? PVBOOT_ALIGN : PVBOOT_DOM0_ALIGN;
    int rc = pvboot_layout_plan(&l, info, NR_PAGES, ramdisk, domu);

    if (rc) {
        check(rc < 0);
        return;
    }
    check(l.v_start == info->virt_base && l.kern_start == info->virt_kstart);
    check(l.kern_end >= info->virt_kend && l.ramdisk_start == l.kern_end);
    check(l.p2m_start >= l.ramdisk_start + ramdisk && l.si_start > l.p2m_start);
    check(l.pt_start > l.si_start && l.stack_start == l.pt_start + l.nr_pt * PAGE);
    /* dom0 keeps spare room past its stack; a domU's ends at the next 4 MiB. */
    check(l.v_end >= l.stack_start + PAGE + spare &&
          l.v_end < l.stack_start + PAGE + spare + align);
    check(l.nr_boot_pages <= NR_PAGES && l.v_end % align == 0);
    check(l.v_end <= PVBOOT_LINUX_REACH(l.stack_start));
    check(pvboot_layout_tables(&l, fake_mfn, count_pte, &w) == 0);
    /* One entry per page, and one per table below the L4. */
    check(w.entries >= l.nr_boot_pages && w.entries < l.nr_boot_pages + l.nr_pt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct xen_elf_info info;
    char why[ELF_WHY_LEN];
    int rc;

    rc = elf_parse_xen(data, size, &info, why, sizeof(why));
    if (rc) {
        check(rc < 0 && why[0] && strlen(why) < sizeof(why));
        return 0;
    }
    check_segments(data, size, &info);
    check_plan(&info, 0, false);
    check_plan(&info, 3 * PAGE + 5, true);
    return 0;
}
