/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/mm-attack-tlb.c - a freed frame must not stay reachable
 * through a stale TLB entry once it comes back as a page table.
 *
 * The attack: map a frame writable, touch it so the TLB caches the
 * translation, give it back (decrease_reservation) and drop the mapping
 * without asking for a flush, so the hypervisor frees it.  populate_physmap
 * then returns the same frame, the guest pins it as an L1, and writes a
 * forged entry through the old virtual address.  The hypervisor must have
 * flushed before handing the frame out again: the write faults and the
 * forged entry is not in the pinned table.
 *
 * Other free frames may come first (both allocators prefer some order of
 * their own), so the test populates spare pfns above the p2m until the
 * freed frame comes back, with max_mem raised for them, and returns them
 * all afterwards.
 */
#include "mm-lib.h"
#include "ctl-lib.h"

/* Not present, so that even a successful forgery cannot hurt teardown. */
#define FORGED_PTE  0x5a5a5a5a5a5a5000UL

static long resv(unsigned int cmd, uint64_t *frame)
{
    struct xen_memory_reservation r = {
        .extent_start = (uint64_t)(uintptr_t)frame,
        .nr_extents = 1,
        .extent_order = 0,
        .domid = DOMID_SELF,
    };

    return HYPERVISOR_memory_op(cmd, &r);
}

#define MAX_TRIES   1024
#define SPARE_PFN   0x1000000UL         /* far above any p2m we have */

static uint64_t spares[MAX_TRIES];
static unsigned int nr_spares;

static long set_max_pages(uint64_t pages)
{
    struct xen_domctl op = { 0 };

    op.u.max_mem.max_memkb = pages * 4;
    return domctl(&op, XEN_DOMCTL_max_mem, self_domid());
}

/* Populate spare pfns until 'want' comes back (then 0) or we give up. */
static long populate_until(uint64_t want)
{
    for (nr_spares = 0; nr_spares < MAX_TRIES; nr_spares++) {
        uint64_t f = SPARE_PFN + nr_spares;

        if (resv(XENMEM_populate_physmap, &f) != 1)
            return -ENOMEM;
        spares[nr_spares] = f;
        if (f == want) {
            nr_spares++;
            return 0;
        }
    }
    return -ENOENT;
}

static void give_back_spares(void)
{
    for (unsigned int i = 0; i < nr_spares && i < MAX_TRIES; i++) {
        uint64_t f = spares[i];

        if (resv(XENMEM_decrease_reservation, &f) != 1)
            test_fail("giving back spare mfn %#lx", spares[i]);
    }
    nr_spares = 0;
}

static void forge(volatile uint64_t *va)
{
    exc_reset();
    asm volatile ("1: movq %1, %0\n2:\n\t" ASM_EXTABLE(1b, 2b)
                  : "=m" (*va) : "r" (FORGED_PTE) : "memory");
}

static void attack(volatile uint64_t *va, uint64_t mfn)
{
    long rc = populate_until(mfn);

    if (rc == -ENOENT) {
        test_skip("the freed frame did not come back in %d allocations",
                  MAX_TRIES);
        return;
    }
    MM_RC(rc, 0, "populate_physmap");
    if (rc)
        return;
    MM_RC(mm_pin(1, mfn), 0, "pin the reused frame as an L1");
    forge(va);
    CHECK_EQ(last_exc.vector, 14, "the write through the old address faults");
    /* Xen need not scrub a frame it gives back to the same domain. */
    CHECK(mm_peek(mfn, 0) != FORGED_PTE, "the forged entry reached the pinned L1");
    MM_RC(mm_unpin(mfn), 0, "unpin");
}

TEST(stale_tlb_reuse, "mm/attack_stale_tlb_after_free")
{
    uint64_t *p2m = (uint64_t *)(uintptr_t)start_info->mfn_list;
    volatile uint64_t *va = (volatile uint64_t *)mm_slot_va(MM_SLOT_A);
    struct xen_domctl_getdomaininfo info;
    uint64_t mfn, pfn, frame;

    mm_begin();
    MM_RC(domctl_info(self_domid(), &info), 0, "getdomaininfo");
    MM_RC(set_max_pages(info.tot_pages + MAX_TRIES + 1), 0, "raise max_mem");
    mfn = mm_alloc();
    pfn = mm_pfn_of(mfn);
    if (!mm_map(MM_SLOT_A, mfn, PTE_RW_FLAGS))
        goto out;
    va[0] = 1;                          /* the TLB now holds v -> mfn, RW */
    frame = mfn;
    MM_RC(resv(XENMEM_decrease_reservation, &frame), 1, "decrease_reservation");
    p2m[pfn] = M2P_INVALID;
    /* The mapping's reference is the last one: no flush asked for. */
    MM_RC(HYPERVISOR_update_va_mapping((uint64_t)(uintptr_t)va, 0, 0), 0,
          "clear the mapping without a flush");
    attack(va, mfn);
    mm_unmap(MM_SLOT_A);
    give_back_spares();
    frame = pfn;
    MM_RC(resv(XENMEM_populate_physmap, &frame), 1, "back the pfn again");
    p2m[pfn] = frame;
out:
    MM_RC(set_max_pages(info.max_pages), 0, "restore max_mem");
    mm_check_healthy();
}
