/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/mm-attack-map.c - mappings and table entries the
 * hypervisor must refuse: frames the guest does not own, writable views
 * of its own page tables, hypervisor L4 slots, wrong-level entries.
 *
 * Xen reports a refused L1 entry (another owner's frame, a typed frame
 * mapped writable) as -EBUSY and a refused L2-L4 entry as -EINVAL.  Each
 * test ends by checking that the refused entry did not change and that
 * the hypervisor still works.
 */
#include "mm-lib.h"

static uint64_t slot_entry(int slot)
{
    uint64_t maddr = mm_slot_pte_maddr(slot);

    return mm_peek(maddr >> 12, (maddr & 0xfff) / 8);
}

TEST(map_foreign_frame, "mm/attack_map_foreign_frame")
{
    uint64_t xf, before;

    mm_begin();
    xf = mm_xen_frame();
    before = slot_entry(MM_SLOT_A);
    MM_RC(mm_map_rc(MM_SLOT_A, xf, PTE_RW_FLAGS), -EBUSY,
          "writable mapping of a hypervisor frame");
    MM_RC(mm_map_rc(MM_SLOT_A, xf, PTE_RO_FLAGS), -EBUSY,
          "read-only mapping of a hypervisor frame");
    MM_RC(mm_pt_write(mm_slot_pte_maddr(MM_SLOT_A),
                      mfn_to_pte(xf, PTE_RO_FLAGS)), -EBUSY,
          "the same through mmu_update");
    CHECK_EQ(slot_entry(MM_SLOT_A), before, "L1 entry unchanged");
    mm_check_healthy();
}

/* A pinned table of each level, and the live boot L4, mapped writable. */
TEST(map_own_tables_writable, "mm/attack_map_own_tables_writable")
{
    int lvl;

    mm_begin();
    for (lvl = 1; lvl <= 4; lvl++) {
        uint64_t t = mm_alloc();

        MM_RC(mm_pin(lvl, t), 0, "pin");
        if (mm_map_rc(MM_SLOT_A, t, PTE_RW_FLAGS) != -EBUSY)
            test_fail("pinned L%d mapped writable", lvl);
        /* Read-only is fine: that is how guests read their tables. */
        MM_RC(mm_map_rc(MM_SLOT_A, t, PTE_RO_FLAGS), 0,
              "read-only mapping of a pinned table");
        mm_unmap(MM_SLOT_A);
        MM_RC(mm_unpin(t), 0, "unpin");
    }
    MM_RC(mm_map_rc(MM_SLOT_A, mm_boot_l4(), PTE_RW_FLAGS), -EBUSY,
          "writable mapping of the live L4");
    MM_RC(mm_map_rc(MM_SLOT_A, mm_slot_pte_maddr(MM_SLOT_A) >> 12,
                    PTE_RW_FLAGS), -EBUSY,
          "writable mapping of the L1 that holds the entry");
    mm_check_healthy();
}

/* An L1 whose entry maps the L1 itself writable cannot become an L1. */
TEST(pin_self_writable, "mm/attack_pin_self_writable")
{
    uint64_t t;
    int lvl;

    mm_begin();
    for (lvl = 1; lvl <= 4; lvl++) {
        long rc, want = lvl == 1 ? -EBUSY : -EINVAL;

        t = mm_alloc();
        /* At L2-L4 a writable self entry is a writable linear mapping. */
        mm_poke(t, 7, mfn_to_pte(t, lvl == 1 ? PTE_RW_FLAGS : PDE_FLAGS));
        rc = mm_pin(lvl, t);
        if (rc != want)
            test_fail("L%d mapping itself writable: pin gave %ld, want %ld",
                      lvl, rc, want);
    }
    /* A table the guest still maps writable cannot be pinned either. */
    t = mm_alloc();
    if (!mm_map(MM_SLOT_A, t, PTE_RW_FLAGS))
        return;
    MM_RC(mm_pin(1, t), -EINVAL, "pin of a frame mapped writable");
    mm_unmap(MM_SLOT_A);
    mm_check_healthy();
}

TEST_XEN_DIFFERS(linear_ro, "mm/linear_pagetable_ro",
                 "Mica refuses every linear (self-referencing) page-table "
                 "entry; Xen accepts read-only ones")
{
    int mica = mm_on_mica();
    uint64_t t;

    mm_begin();
    t = mm_alloc();
    mm_poke(t, 7, mfn_to_pte(t, PTE_P | PTE_US | PTE_A));
    /* Each side is held to its own rule; both refuse writable ones. */
    if (mica) {
        MM_RC(mm_pin(4, t), -EINVAL, "pin of an L4 with a read-only self "
              "entry (Mica)");
    } else {
        MM_RC(mm_pin(4, t), 0, "pin of an L4 with a read-only self entry");
        MM_RC(mm_unpin(t), 0, "unpin");
    }
    mm_check_healthy();
}

/* Slots 256-271 of every L4 belong to the hypervisor. */
TEST(l4_xen_slots, "mm/attack_l4_xen_slots")
{
    static const unsigned int slots[] = { L4_XEN_FIRST, 258, 260,
                                          L4_XEN_LAST };
    uint64_t l4 = mm_boot_l4(), t, l3;
    unsigned int i;

    mm_begin();
    t = mm_alloc();
    l3 = mm_alloc();
    MM_RC(mm_pin(4, t), 0, "pin a scratch L4");
    MM_RC(mm_pin(3, l3), 0, "pin a scratch L3");
    for (i = 0; i < ARRAY_SIZE(slots); i++) {
        uint64_t old = mm_peek(l4, slots[i]);

        MM_RC(mm_pt_write((l4 << 12) + 8 * slots[i], 0), -EINVAL,
              "clearing a hypervisor slot of the live L4");
        MM_RC(mm_pt_write((l4 << 12) + 8 * slots[i],
                          mfn_to_pte(l3, PDE_FLAGS)), -EINVAL,
              "replacing a hypervisor slot of the live L4");
        MM_RC(mm_pt_write((t << 12) + 8 * slots[i],
                          mfn_to_pte(l3, PDE_FLAGS)), -EINVAL,
              "replacing a hypervisor slot of a pinned L4");
        CHECK_EQ(mm_peek(l4, slots[i]), old, "hypervisor slot unchanged");
    }
    /* The slot just below is the guest's. */
    MM_RC(mm_pt_write((t << 12) + 8 * 255, mfn_to_pte(l3, PDE_FLAGS)), 0,
          "guest slot 255 of a pinned L4");
    MM_RC(mm_pt_write((t << 12) + 8 * 255, 0), 0, "guest slot 255 cleared");
    mm_check_healthy();
}

/* An entry must point at a table of the next level down. */
TEST(wrong_level_entries, "mm/attack_wrong_level_entries")
{
    uint64_t t[5], flags = PDE_FLAGS;
    int lvl;

    mm_begin();
    for (lvl = 1; lvl <= 4; lvl++) {
        t[lvl] = mm_alloc();
        MM_RC(mm_pin(lvl, t[lvl]), 0, "pin");
    }
    MM_RC(mm_pt_write(t[2] << 12, mfn_to_pte(mm_boot_l4(), flags)), -EINVAL,
          "L2 entry -> the live L4");
    MM_RC(mm_pt_write(t[2] << 12, mfn_to_pte(t[4], flags)), -EINVAL,
          "L2 entry -> an L4");
    MM_RC(mm_pt_write(t[2] << 12, mfn_to_pte(t[3], flags)), -EINVAL,
          "L2 entry -> an L3");
    MM_RC(mm_pt_write(t[3] << 12, mfn_to_pte(t[1], flags)), -EINVAL,
          "L3 entry -> an L1");
    MM_RC(mm_pt_write(t[4] << 12, mfn_to_pte(t[2], flags)), -EINVAL,
          "L4 entry -> an L2");
    MM_RC(mm_pt_write(t[4] << 12, mfn_to_pte(mm_xen_frame(), flags)),
          -EINVAL, "L4 entry -> a hypervisor frame");
    /* The right level is accepted, and the entry can be cleared. */
    MM_RC(mm_pt_write(t[2] << 12, mfn_to_pte(t[1], flags)), 0,
          "L2 entry -> an L1");
    MM_RC(mm_pt_write(t[2] << 12, 0), 0, "L2 entry cleared");
    for (lvl = 1; lvl <= 4; lvl++)
        CHECK_EQ(mm_peek(t[lvl], 0), 0, "refused entry left empty");
    mm_check_healthy();
}

/* No superpages for PV guests, and no reserved bits in upper levels. */
TEST(bad_flags, "mm/attack_bad_entry_flags")
{
    uint64_t l2, l3, l1, data;

    mm_begin();
    l1 = mm_alloc();
    l2 = mm_alloc();
    l3 = mm_alloc();
    data = mm_alloc();
    MM_RC(mm_pin(2, l2), 0, "pin L2");
    MM_RC(mm_pin(3, l3), 0, "pin L3");
    MM_RC(mm_pt_write(l2 << 12, mfn_to_pte(data, PDE_FLAGS | PTE_PSE)),
          -EINVAL, "2 MiB superpage in an L2");
    MM_RC(mm_pt_write(l3 << 12, mfn_to_pte(data, PDE_FLAGS | PTE_PSE)),
          -EINVAL, "1 GiB superpage in an L3");
    MM_RC(mm_pt_write(l2 << 12, mfn_to_pte(l1, PDE_FLAGS | PTE_G)), -EINVAL,
          "global bit in an L2 entry");
    MM_RC(mm_pt_write(l3 << 12, mfn_to_pte(l2, PDE_FLAGS | PTE_G)), -EINVAL,
          "global bit in an L3 entry");
    CHECK_EQ(mm_peek(l2, 0), 0, "L2 entry unchanged");
    CHECK_EQ(mm_peek(l3, 0), 0, "L3 entry unchanged");
    mm_check_healthy();
}

/* Naming a domain that does not exist. */
TEST(foreign_domid, "mm/attack_foreign_domid")
{
    struct mmuext_op op = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };
    struct mmu_update u;

    mm_begin();
    u.ptr = mm_slot_pte_maddr(MM_SLOT_A);
    u.val = slot_entry(MM_SLOT_A);
    MM_RC(HYPERVISOR_mmu_update(&u, 1, NULL, 77), -ESRCH,
          "mmu_update for domain 77");
    op.cmd = MMUEXT_PIN_L1_TABLE;
    op.arg1.mfn = mm_alloc();
    MM_RC(HYPERVISOR_mmuext_op(&op, 1, NULL, 77), -ESRCH,
          "mmuext_op for domain 77");
    mm_check_healthy();
}

/* Only frames the guest owns may have their M2P entry changed. */
TEST(machphys_foreign, "mm/attack_machphys_foreign")
{
    uint64_t xf = mm_xen_frame(), before;

    mm_begin();
    before = M2P[xf];
    MM_RC(mm_pt_write((xf << 12) | MMU_MACHPHYS_UPDATE, 5), -EINVAL,
          "MACHPHYS_UPDATE of a hypervisor frame");
    MM_RC(mm_pt_write((0xffffffffUL << 12) | MMU_MACHPHYS_UPDATE, 5),
          -EINVAL, "MACHPHYS_UPDATE of a frame beyond RAM");
    CHECK_EQ(M2P[xf], before, "M2P entry unchanged");
    mm_check_healthy();
}

/*
 * NORMAL_PT_UPDATE on a plain page just writes it (Xen allows that); on
 * a descriptor page or another owner's frame it is refused.
 */
TEST(mmu_update_not_pt, "mm/attack_mmu_update_not_pagetable")
{
    unsigned long gdt;
    uint64_t plain;

    mm_begin();
    plain = mm_alloc();
    MM_RC(mm_pt_write((plain << 12) + 16, 0x4242), 0,
          "mmu_update on a plain page");
    CHECK_EQ(mm_peek(plain, 2), 0x4242, "plain page written");
    gdt = mm_alloc();
    MM_RC(mm_set_gdt_tracked(&gdt, 16), 0, "set_gdt of an empty frame");
    MM_RC(mm_pt_write((gdt << 12) + 16, 0x00af9a000000ffffUL), -EINVAL,
          "mmu_update on a GDT frame");
    CHECK_EQ(mm_peek(gdt, 2), 0, "GDT frame unchanged");
    MM_RC(mm_set_gdt(NULL, 0), 0, "set_gdt back to none");
    MM_RC(mm_pt_write(mm_xen_frame() << 12, 0), -EINVAL,
          "mmu_update on a hypervisor frame");
    mm_check_healthy();
}

/* New base pointers must be L4 tables the guest owns. */
TEST(bad_baseptr, "mm/attack_bad_baseptr")
{
    uint64_t plain, l3;

    mm_begin();
    plain = mm_alloc();
    l3 = mm_alloc();
    MM_RC(mm_pin(3, l3), 0, "pin L3");
    if (!mm_map(MM_SLOT_A, plain, PTE_RW_FLAGS))
        return;
    MM_RC(mm_set_base(plain), -EINVAL, "NEW_BASEPTR of a writable page");
    MM_RC(mm_set_base(l3), -EINVAL, "NEW_BASEPTR of an L3");
    MM_RC(mm_set_base(mm_xen_frame()), -EINVAL,
          "NEW_BASEPTR of a hypervisor frame");
    MM_RC(mm_ext(MMUEXT_NEW_USER_BASEPTR, l3, 0), -EINVAL,
          "NEW_USER_BASEPTR of an L3");
    mm_unmap(MM_SLOT_A);
    mm_check_healthy();
}
