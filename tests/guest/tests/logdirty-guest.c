/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/logdirty-guest.c - the domU half of the log-dirty
 * tests (logdirty.c): it maps dom0's grant, reports the pfns of its test
 * pages, then runs dom0's commands until told to quit.  Skipped without
 * gref= and peer_port= on its command line.
 *
 * LD_AD_CHECK is the guest's view of its own PTEs, which log-dirty must
 * leave exact: RW stays set on a writable page whatever the shadows do
 * (copy-on-write decisions read it), A appears on the first access and D
 * on the first write, as the hardware sets them.
 */
#include "ctl-lib.h"
#include "mm-lib.h"
#include <clock.h>
#include <public/grant_table.h>
#include <public/version.h>
#include "builder-lib.h"
#include "logdirty.h"

#define PTE_RW      0x002UL
#define PTE_A       0x020UL
#define PTE_D       0x040UL

static uint8_t ld_pages[LD_PAGES][PAGE_SIZE] __attribute__((aligned(4096)));
static uint8_t xchg_map[PAGE_SIZE] __attribute__((aligned(4096)));

static long gnttab_op(unsigned int cmd, void *op)
{
    return hypercall(__HYPERVISOR_grant_table_op, cmd, HC_PTR(op), 1, 0, 0);
}

/* Our L1 entry for 'p', read straight from our tables as Linux reads them. */
static uint64_t pte_of(const void *p)
{
    uint64_t maddr = 0;
    const volatile uint64_t *m2p = (const volatile uint64_t *)MACH2PHYS_VIRT_START;

    if (pt_walk((uint64_t)(uintptr_t)p, &maddr) == ~0UL)
        return 0;
    return *(const volatile uint64_t *)(VIRT_BASE + (m2p[maddr >> 12] << 12) +
                                        (maddr & (PAGE_SIZE - 1)));
}

/* Clear A and D in our PTE of 'p' with update_va_mapping, and flush it. */
static long clear_ad(void *p)
{
    return HYPERVISOR_update_va_mapping((uint64_t)(uintptr_t)p,
                                        pte_of(p) & ~(PTE_A | PTE_D), UVMF_INVLPG);
}

static void ad_check(volatile struct ld_exchange *x, uint8_t *p)
{
    volatile uint8_t *vp = p;
    uint64_t pte;

    if (clear_ad(p)) {
        snprintf((char *)x->fail, sizeof(x->fail), "update_va_mapping refused");
        return;
    }
    pte = pte_of(p);
    if (pte & (PTE_A | PTE_D) || !(pte & PTE_RW)) {
        snprintf((char *)x->fail, sizeof(x->fail), "after clearing: pte %#lx", pte);
        return;
    }
    (void)*vp;
    pte = pte_of(p);
    if (!(pte & PTE_A) || (pte & PTE_D) || !(pte & PTE_RW)) {
        snprintf((char *)x->fail, sizeof(x->fail), "after a read: pte %#lx", pte);
        return;
    }
    *vp = (uint8_t)(*vp + 1);
    pte = pte_of(p);
    if (!(pte & PTE_A) || !(pte & PTE_D) || !(pte & PTE_RW))
        snprintf((char *)x->fail, sizeof(x->fail), "after a write: pte %#lx", pte);
    x->pte = pte;
}

static void run_one(volatile struct ld_exchange *x)
{
    uint64_t i = x->arg % LD_PAGES;
    volatile uint8_t *p = ld_pages[i];

    x->fail[0] = '\0';
    switch (x->cmd) {
    case LD_WRITE:
        p[8] = (uint8_t)(p[8] + 1);
        break;
    case LD_READ:
        (void)p[8];
        break;
    case LD_HV_WRITE:
        /* The hypervisor's copy_to_guest, on a page we never touch here. */
        if (HYPERVISOR_xen_version(XENVER_extraversion, (void *)ld_pages[i]) < 0)
            snprintf((char *)x->fail, sizeof(x->fail), "xen_version failed");
        break;
    case LD_AD_CHECK:
        ad_check(x, ld_pages[i]);
        break;
    default:
        snprintf((char *)x->fail, sizeof(x->fail), "unknown command %lu", x->cmd);
        break;
    }
}

/* Our pfns: the builder maps pfn n at VIRT_BASE + n pages (checked). */
static int report_pfns(volatile struct ld_exchange *x)
{
    const uint64_t *p2m = (const uint64_t *)start_info->mfn_list;

    for (unsigned int i = 0; i < LD_PAGES; i++) {
        uint64_t pfn = ((uint64_t)(uintptr_t)ld_pages[i] - VIRT_BASE) / PAGE_SIZE;

        if (pfn >= start_info->nr_pages || p2m[pfn] != virt_to_mfn(ld_pages[i])) {
            test_fail("page %u: pfn %lu is not where the builder put it", i, pfn);
            return -1;
        }
        x->pfn[i] = pfn;
    }
    x->ready = 1;
    return 0;
}

TEST(guest, "logdirty/guest")
{
    uint64_t gref = cmdline_uint_needed("gref", "domU");
    uint64_t rport = cmdline_uint_needed("peer_port", "domU");
    uint64_t va = (uint64_t)(uintptr_t)xchg_map;
    struct gnttab_map_grant_ref map = { .host_addr = va, .flags = GNTMAP_host_map,
                                        .ref = (grant_ref_t)gref, .dom = 0 };
    struct gnttab_unmap_grant_ref unmap = { .host_addr = va };
    volatile struct ld_exchange *x = (volatile struct ld_exchange *)xchg_map;
    uint64_t seen = 0;
    long port = evt_bind_interdomain(0, (uint32_t)rport);

    CHECK(port > 0, "bind_interdomain to dom0 port %lu: %ld", rport, port);
    if (port <= 0)
        return;
    CHECK_EQ(gnttab_op(GNTTABOP_map_grant_ref, &map), 0, "map_grant_ref");
    if (map.status != GNTST_okay) {
        test_fail("map status %d", map.status);
        return;
    }
    if (!report_pfns(x)) {
        evt_send((uint32_t)port);
        for (;;) {
            if (!dom_wait_event((uint32_t)port, clock_ns() + 60 * NSEC_PER_SEC)) {
                test_fail("no command from dom0 for 60 s");
                break;
            }
            if (x->seq == seen)
                continue;
            seen = x->seq;
            if (x->cmd == LD_QUIT)
                break;
            run_one(x);
            __atomic_store_n(&x->done, seen, __ATOMIC_RELEASE);
            evt_send((uint32_t)port);
        }
    }
    unmap.handle = map.handle;
    CHECK_EQ(gnttab_op(GNTTABOP_unmap_grant_ref, &unmap), 0, "unmap_grant_ref");
    CHECK_EQ(HYPERVISOR_update_va_mapping(va, (virt_to_mfn(xchg_map) << 12) | 0x67,
                                          UVMF_INVLPG), 0, "restore the page");
    evt_close((uint32_t)port);
}
