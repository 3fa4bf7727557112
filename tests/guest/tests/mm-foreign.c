/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/mm-foreign.c - foreign mmu_update and mmuext_op: the
 * control domain maps, pins and unpins frames of a domain it created (as
 * privcmd and the domain builder do), and what it must not be able to do
 * that way.  Each test creates its own domain, gives it a few frames with
 * a foreign populate_physmap and destroys it at the end; the free-frame
 * count must come back (it is polled: Xen frees a dead domain's last
 * pieces a moment after destroydomain returns).
 */
#include "mm-lib.h"
#include "ctl-lib.h"
#include <public/sched.h>

#define NR_FRAMES       4
#define SETTLE_TRIES    200     /* yields to wait for a domain's last frames */

struct foreign {
    domid_t id;
    uint64_t mfn[NR_FRAMES];
};

static uint64_t free_pages(void)
{
    uint64_t n = sysctl_free_pages();

    if (!n) {
        test_fail("physinfo failed");
        test_abort();
    }
    return n;
}

/* A paused, vCPU-less domain owning NR_FRAMES zeroed frames. */
static void make_domain(struct foreign *f)
{
    struct xen_domctl op = { 0 };
    struct xen_memory_reservation r = { 0 };
    long rc;

    if ((rc = domctl_create_pv(1, &f->id))) {
        test_fail("createdomain: %ld", rc);
        test_abort();
    }
    op.u.max_mem.max_memkb = NR_FRAMES * 4;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_max_mem, f->id), 0, "max_mem");
    for (unsigned int i = 0; i < NR_FRAMES; i++)
        f->mfn[i] = i;                          /* the pfns to back */
    r.extent_start = HC_PTR(f->mfn);
    r.nr_extents = NR_FRAMES;
    r.domid = f->id;
    rc = HYPERVISOR_memory_op(XENMEM_populate_physmap, &r);
    if (rc != NR_FRAMES) {
        test_fail("foreign populate_physmap: %ld", rc);
        test_abort();
    }
}

static void destroy_domain(const struct foreign *f)
{
    struct xen_domctl op = { 0 };

    CHECK_EQ(domctl(&op, XEN_DOMCTL_destroydomain, f->id), 0, "destroydomain");
}

/* Is domain id gone (not even dying)? */
static int domain_gone(domid_t id)
{
    struct xen_domctl_getdomaininfo info;
    long rc = domctl_info(id, &info);

    return rc == -ESRCH || (rc == 0 && info.domain != id);
}

/*
 * The free-frame count to come back to.  The first domain's life makes the
 * hypervisor's heap keep a few frames for later ones: live it once first.
 * Domains destroyed before (by other tests) may still be on their way out
 * on Xen: wait for the count to hold still.
 */
static uint64_t baseline(void)
{
    static int warmed;
    struct foreign f;
    uint64_t now = 0, last;

    if (!warmed) {
        make_domain(&f);
        destroy_domain(&f);
        warmed = 1;
    }
    for (unsigned int i = 0; i < SETTLE_TRIES / 10; i++) {
        last = now;
        for (unsigned int y = 0; y < 10; y++)
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
        now = free_pages();
        if (now == last)
            break;
    }
    return now;
}

/* Wait until the free-frame count is back to 'before'; fail if it is not. */
static void check_all_freed(uint64_t before)
{
    uint64_t now = free_pages();

    for (unsigned int i = 0; i < SETTLE_TRIES && now != before; i++) {
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
        now = free_pages();
    }
    test_note("free frames: %lu before, %lu after", before, now);
    CHECK_EQ(now, before, "free frames after destroydomain");
}

/* mmu_update leaves TLB flushes to the guest, as Xen does. */
static void flush_slots(void)
{
    struct mmuext_op op = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };

    HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/* One MMU_NORMAL_PT_UPDATE of a scratch slot's PTE naming domain dom. */
static long map_foreign(int slot, uint64_t mfn, uint64_t flags, domid_t dom)
{
    struct mmu_update u = { .ptr = mm_slot_pte_maddr(slot), .val = mfn_to_pte(mfn, flags) };
    unsigned int done = 0xdead;
    long rc = HYPERVISOR_mmu_update(&u, 1, &done, dom);

    CHECK_EQ(done, rc ? 0 : 1, "done count of a single update");
    flush_slots();
    return rc;
}

static long ext_foreign(unsigned int cmd, uint64_t mfn, domid_t dom)
{
    struct mmuext_op op = { .cmd = cmd };

    op.arg1.mfn = mfn;
    return HYPERVISOR_mmuext_op(&op, 1, NULL, dom);
}

static volatile uint64_t *slot_ptr(int slot)
{
    return (volatile uint64_t *)(uintptr_t)mm_slot_va(slot);
}

/* Map a guest frame writable, write, unmap; map it again and read back. */
TEST(map_write_read, "mm/foreign_map")
{
    uint64_t before = baseline();
    struct foreign f;

    mm_begin();
    make_domain(&f);
    MM_RC(map_foreign(MM_SLOT_A, f.mfn[1], PTE_RW_FLAGS, f.id), 0, "writable foreign map");
    slot_ptr(MM_SLOT_A)[3] = 0xf0e1d2c3b4a59687UL;
    mm_unmap(MM_SLOT_A);
    MM_RC(map_foreign(MM_SLOT_B, f.mfn[1], PTE_RO_FLAGS, f.id), 0, "read-only foreign map");
    CHECK_EQ(slot_ptr(MM_SLOT_B)[3], 0xf0e1d2c3b4a59687UL, "data written through the first map");
    CHECK_EQ(slot_ptr(MM_SLOT_B)[4], 0, "the rest of the frame is zero");
    mm_unmap(MM_SLOT_B);
    /* The domain's memory is still its own. */
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, &f.id), NR_FRAMES,
             "its reservation");
    destroy_domain(&f);
    check_all_freed(before);
    mm_check_healthy();
}

/* Frames the named domain does not own, and domains that are not there. */
TEST(refusals, "mm/foreign_refusals")
{
    uint64_t before = baseline();
    uint64_t ours;
    struct foreign f;

    mm_begin();
    make_domain(&f);
    ours = mm_alloc();
    MM_RC(map_foreign(MM_SLOT_A, ours, PTE_RO_FLAGS, f.id), -EBUSY,
          "our own frame named as the other domain's");
    MM_RC(map_foreign(MM_SLOT_A, mm_xen_frame(), PTE_RO_FLAGS, f.id), -EBUSY,
          "a hypervisor frame named as the other domain's");
    MM_RC(map_foreign(MM_SLOT_A, f.mfn[0], PTE_RO_FLAGS, NO_SUCH_DOMID), -ESRCH,
          "a domain that does not exist");
    MM_RC(map_foreign(MM_SLOT_A, f.mfn[0], PTE_RO_FLAGS, self_domid()), -ESRCH,
          "our own id as the foreign domain");
    MM_RC(map_foreign(MM_SLOT_A, f.mfn[0], PTE_RO_FLAGS, DOMID_SELF), -EBUSY,
          "its frame named as ours");
    MM_RC(ext_foreign(MMUEXT_PIN_L1_TABLE, ours, f.id), -EINVAL,
          "pinning our frame as the other domain's");
    MM_RC(ext_foreign(MMUEXT_NEW_BASEPTR, f.mfn[0], f.id), -EPERM,
          "foreign NEW_BASEPTR");
    MM_RC(ext_foreign(MMUEXT_TLB_FLUSH_LOCAL, 0, f.id), -EPERM, "foreign TLB flush");
    destroy_domain(&f);
    check_all_freed(before);
    mm_check_healthy();
}

/* A page table of the guest's can be mapped read-only but not writable. */
TEST(pinned_table, "mm/foreign_pinned_table")
{
    uint64_t before = baseline();
    struct foreign f;

    mm_begin();
    make_domain(&f);
    MM_RC(ext_foreign(MMUEXT_PIN_L1_TABLE, f.mfn[2], f.id), 0, "foreign pin as L1");
    MM_RC(ext_foreign(MMUEXT_PIN_L1_TABLE, f.mfn[2], f.id), -EINVAL, "pin it twice");
    MM_RC(map_foreign(MM_SLOT_A, f.mfn[2], PTE_RW_FLAGS, f.id), -EBUSY,
          "writable map of its pinned L1");
    MM_RC(map_foreign(MM_SLOT_A, f.mfn[2], PTE_RO_FLAGS, f.id), 0,
          "read-only map of its pinned L1");
    CHECK_EQ(slot_ptr(MM_SLOT_A)[0], 0, "an empty L1");
    mm_unmap(MM_SLOT_A);
    MM_RC(ext_foreign(MMUEXT_UNPIN_TABLE, f.mfn[2], self_domid()), -ESRCH,
          "unpin naming ourselves by id");
    MM_RC(ext_foreign(MMUEXT_UNPIN_TABLE, f.mfn[2], DOMID_SELF), -EINVAL,
          "unpin as if it were ours");
    MM_RC(ext_foreign(MMUEXT_UNPIN_TABLE, f.mfn[2], f.id), 0, "foreign unpin");
    MM_RC(map_foreign(MM_SLOT_A, f.mfn[2], PTE_RW_FLAGS, f.id), 0,
          "writable map once unpinned");
    mm_unmap(MM_SLOT_A);
    /* Left pinned: destroydomain must take the pin down too. */
    MM_RC(ext_foreign(MMUEXT_PIN_L1_TABLE, f.mfn[3], f.id), 0, "pin another");
    destroy_domain(&f);
    check_all_freed(before);
    mm_check_healthy();
}

/*
 * The hypervisor writes event bits into a domain's shared_info frame, so
 * the frame must never become a page table, mapped or not; the toolstack
 * may map it writable (libxc does, to set it up).
 */
TEST(shared_info_typed, "mm/foreign_shared_info")
{
    uint64_t before = baseline();
    struct xen_domctl_getdomaininfo info;
    struct foreign f;
    uint64_t si;

    mm_begin();
    make_domain(&f);
    CHECK_EQ(domctl_info(f.id, &info), 0, "getdomaininfo");
    si = info.shared_info_frame;
    MM_RC(ext_foreign(MMUEXT_PIN_L1_TABLE, si, f.id), -EINVAL,
          "pin its unmapped shared_info as L1");
    MM_RC(ext_foreign(MMUEXT_PIN_L4_TABLE, si, f.id), -EINVAL,
          "pin its shared_info as L4");
    MM_RC(map_foreign(MM_SLOT_A, si, PTE_RW_FLAGS, f.id), 0,
          "writable map of its shared_info");
    mm_unmap(MM_SLOT_A);
    MM_RC(ext_foreign(MMUEXT_PIN_L1_TABLE, si, f.id), -EINVAL,
          "pin it as L1 once unmapped again");
    destroy_domain(&f);
    check_all_freed(before);
    mm_check_healthy();
}

/* A batch stops at the first failure and says how many were done. */
TEST(partial_batch, "mm/foreign_partial_batch")
{
    uint64_t before = baseline();
    struct mmuext_op ext = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };
    struct mmu_update u[4];
    unsigned int done = 0xdead;
    struct foreign f;

    mm_begin();
    make_domain(&f);
    u[0].ptr = mm_slot_pte_maddr(MM_SLOT_A);
    u[0].val = mfn_to_pte(f.mfn[0], PTE_RW_FLAGS);
    u[1].ptr = mm_slot_pte_maddr(MM_SLOT_B);
    u[1].val = mfn_to_pte(f.mfn[1], PTE_RO_FLAGS);
    u[2].ptr = mm_slot_pte_maddr(MM_SLOT_C);
    u[2].val = mfn_to_pte(mm_alloc(), PTE_RO_FLAGS);    /* not its frame */
    u[3].ptr = mm_slot_pte_maddr(MM_SLOT_D);
    u[3].val = mfn_to_pte(f.mfn[3], PTE_RO_FLAGS);
    MM_RC(HYPERVISOR_mmu_update(u, 4, &done, f.id), -EBUSY, "batch with a bad third entry");
    flush_slots();
    CHECK_EQ(done, 2, "done count");
    slot_ptr(MM_SLOT_A)[0] = 0x1234;
    CHECK_EQ(slot_ptr(MM_SLOT_B)[0], 0, "second entry mapped");
    done = 0xdead;
    MM_RC(HYPERVISOR_mmu_update(u, 2, &done, NO_SUCH_DOMID), -ESRCH, "batch to no domain");
    CHECK_EQ(done, 0, "done count of a batch to no domain");
    done = 0xdead;
    MM_RC(HYPERVISOR_mmuext_op(&ext, 1, &done, NO_SUCH_DOMID), -ESRCH,
          "mmuext_op to no domain");
    CHECK_EQ(done, 0xdead, "mmuext_op leaves done alone then, as Xen does");
    mm_begin();                         /* unmaps the slots: drops both references */
    MM_RC(map_foreign(MM_SLOT_A, f.mfn[0], PTE_RO_FLAGS, f.id), 0, "map the first again");
    CHECK_EQ(slot_ptr(MM_SLOT_A)[0], 0x1234, "its data");
    mm_unmap(MM_SLOT_A);
    destroy_domain(&f);
    check_all_freed(before);
    mm_check_healthy();
}

/* Only L1 entries may name another domain's frames. */
TEST(upper_level, "mm/foreign_upper_level")
{
    struct foreign f;
    struct mm_walk w;
    unsigned int idx;
    uint64_t before = baseline();

    mm_begin();
    make_domain(&f);
    mm_walk(mm_slot_va(MM_SLOT_A), &w);
    /* An empty slot of our L2, so nothing breaks if it were accepted. */
    for (idx = 0; idx < 512 && mm_peek(w.table[2], idx); idx++)
        ;
    if (idx == 512) {
        test_skip("no empty L2 slot");
    } else {
        struct mmu_update u = { .ptr = (w.table[2] << 12) + 8 * idx, .val = 0 };

        MM_RC(HYPERVISOR_mmu_update(&u, 1, NULL, f.id), -EINVAL,
              "foreign update of an L2 entry");
        MM_RC(HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF), 0,
              "the same update as our own");
    }
    destroy_domain(&f);
    check_all_freed(before);
}

/*
 * A mapping outlives the domain: destroydomain leaves it dying while the
 * frame is mapped, the data stays readable, and unmapping frees the rest.
 */
TEST(outlives, "mm/foreign_map_outlives_domain")
{
    uint64_t before = baseline();
    struct xen_domctl_getdomaininfo info;
    struct foreign f;

    mm_begin();
    make_domain(&f);
    MM_RC(map_foreign(MM_SLOT_A, f.mfn[2], PTE_RW_FLAGS, f.id), 0, "writable foreign map");
    slot_ptr(MM_SLOT_A)[9] = 0xabcdef;
    destroy_domain(&f);
    CHECK_EQ(domctl_info(f.id, &info), 0, "getdomaininfo after destroy");
    CHECK_EQ(info.domain, f.id, "the domain is still listed");
    CHECK(info.flags & XEN_DOMINF_dying, "flags %#x: not dying", info.flags);
    CHECK_EQ(slot_ptr(MM_SLOT_A)[9], 0xabcdef, "data through the surviving mapping");
    slot_ptr(MM_SLOT_A)[9] = 1;
    MM_RC(map_foreign(MM_SLOT_B, f.mfn[1], PTE_RO_FLAGS, f.id), -EBUSY,
          "a new mapping of the dead domain's frame");
    mm_unmap(MM_SLOT_A);
    for (unsigned int i = 0; i < SETTLE_TRIES && !domain_gone(f.id); i++)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    CHECK(domain_gone(f.id), "domain %u still there after the last unmap", f.id);
    check_all_freed(before);
    mm_check_healthy();
}
