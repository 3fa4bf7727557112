/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/builder-mem.c - writing a new domain's memory from
 * dom0: its frames foreign-mapped a window at a time, the initial page
 * tables filled from the shared plan (lib/pv-layout.c), and shared_info.
 *
 * The page tables must not stay mapped writable here when the L4 is
 * pinned: the hypervisor refuses to type a frame as a page table while a
 * writable mapping of it exists (research/dom0-userspace.md §8, 29).
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include "builder.h"

/* Frames mapped at once while copying: 4 MiB. */
#define WINDOW_PAGES    1024

uint64_t build_mfn_at(const struct build *bd, uint64_t va)
{
    return bd->p2m[pvboot_layout_pfn(&bd->l, va)];
}

static bool in_region(const struct build *bd, uint64_t va, uint64_t len)
{
    return va >= bd->l.v_start && va <= bd->l.v_end &&
           len <= bd->l.v_end - va;
}

int build_copy(struct build *bd, uint64_t va, const void *src, uint64_t len)
{
    const uint8_t *s = src;

    if (!in_region(bd, va, len))
        return mica_fail(bd->m, -ERANGE, "build %u: copy to %#llx outside the region",
                         bd->domid, (unsigned long long)va);
    while (len) {
        uint64_t first = va & ~(MICA_PAGE_SIZE - 1);
        uint64_t pfn = pvboot_layout_pfn(&bd->l, first);
        uint64_t n = ((va + len - first) + MICA_PAGE_SIZE - 1) / MICA_PAGE_SIZE;
        uint64_t chunk;
        uint8_t *w;

        if (n > WINDOW_PAGES)
            n = WINDOW_PAGES;
        chunk = first + n * MICA_PAGE_SIZE - va;
        if (chunk > len)
            chunk = len;
        w = mica_map_foreign(bd->m, bd->domid, PROT_READ | PROT_WRITE,
                             &bd->p2m[pfn], NULL, n);
        if (!w)
            return -EFAULT;
        if (s)
            memcpy(w + (va - first), s, chunk);
        else
            memset(w + (va - first), 0, chunk);
        mica_unmap(w, n);
        va += chunk;
        len -= chunk;
        if (s)
            s += chunk;
    }
    return 0;
}

struct pt_ctx {
    const struct build *bd;
    uint64_t *tables;               /* nr_pt pages, mapped here */
};

static uint64_t pt_mfn(void *ctx, uint64_t pfn)
{
    const struct pt_ctx *c = ctx;

    return pfn < c->bd->nr_pages ? c->bd->p2m[pfn] : 0;
}

static void pt_set(void *ctx, unsigned int table, unsigned int slot, uint64_t pte)
{
    struct pt_ctx *c = ctx;

    c->tables[(size_t)table * 512 + slot] = pte;
}

int build_page_tables(struct build *bd)
{
    uint64_t first = pvboot_layout_pfn(&bd->l, bd->l.pt_start);
    struct pt_ctx c = { .bd = bd };
    int rc;

    c.tables = mica_map_foreign(bd->m, bd->domid, PROT_READ | PROT_WRITE,
                                &bd->p2m[first], NULL, bd->l.nr_pt);
    if (!c.tables)
        return -EFAULT;
    memset(c.tables, 0, bd->l.nr_pt * MICA_PAGE_SIZE);
    rc = pvboot_layout_tables(&bd->l, pt_mfn, pt_set, &c);
    mica_unmap(c.tables, bd->l.nr_pt);
    if (rc)
        return mica_fail(bd->m, rc, "build %u: page tables", bd->domid);
    return mica_mmuext(bd->m, bd->domid, MMUEXT_PIN_L4_TABLE, bd->p2m[first]);
}

int build_shared_info(struct build *bd)
{
    shared_info_t *s;

    s = mica_map_foreign(bd->m, bd->domid, PROT_READ | PROT_WRITE,
                         &bd->shared_info_frame, NULL, 1);
    if (!s)
        return -EFAULT;
    memset(s, 0, MICA_PAGE_SIZE);
    /* The guest unmasks once its callbacks are in place. */
    for (unsigned int i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
        s->vcpu_info[i].evtchn_upcall_mask = 1;
    mica_unmap(s, 1);
    return 0;
}
