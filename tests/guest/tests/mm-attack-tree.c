/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/mm-attack-tree.c - reference counting under abuse:
 * unpinning tables that are in use, many references to one table, wide
 * and deep trees, and trees whose validation fails half-way.
 *
 * The invariant checked throughout: once the last user of a table is
 * gone, the frame is a plain page again (it maps writable), and while a
 * user remains it never maps writable.
 */
#include "mm-lib.h"

static int maps_writable(uint64_t mfn)
{
    /*
     * Xen finishes tearing down a half-validated table on the next
     * mmuext_op or mmu_update, not on update_va_mapping: give it one.
     */
    mm_ext(MMUEXT_TLB_FLUSH_LOCAL, 0, 0);
    if (mm_map_rc(MM_SLOT_C, mfn, PTE_RW_FLAGS))
        return 0;
    mm_unmap(MM_SLOT_C);
    return 1;
}

/* Xen's builder pins the boot L4 and Linux unpins it while it is live. */
TEST(unpin_boot_base, "mm/attack_unpin_current_base")
{
    uint64_t l4 = mm_boot_l4();

    mm_begin();
    MM_RC(mm_ext(MMUEXT_UNPIN_TABLE, l4, 0), 0, "unpin of the live L4");
    MM_RC(mm_ext(MMUEXT_UNPIN_TABLE, l4, 0), -EINVAL, "second unpin");
    CHECK(!maps_writable(l4), "the live L4 maps writable once unpinned");
    CHECK_EQ(*(volatile uint64_t *)start_info->pt_base, mm_peek(l4, 0),
             "the boot L4 still reads back");
    /* Put the pin back; the type reference from CR3 kept it valid. */
    MM_RC(mm_ext(MMUEXT_PIN_L4_TABLE, l4, 0), 0, "pin it again");
    mm_check_healthy();
}

/* A scratch L4 copy of the kernel's: unpinned while it is CR3. */
TEST(unpin_scratch_base, "mm/attack_unpin_scratch_base")
{
    static uint64_t ents[512];
    uint64_t l4;

    mm_begin();
    l4 = mm_alloc();
    mm_copy_guest_l4(ents);
    mm_fill(l4, ents);
    MM_RC(mm_pin(4, l4), 0, "pin");
    MM_RC(mm_set_base(l4), 0, "NEW_BASEPTR");
    MM_RC(mm_unpin(l4), 0, "unpin while it is the base");
    CHECK(!maps_writable(l4), "the in-use L4 maps writable");
    /* Still running on it: the kernel's own data is reachable. */
    CHECK_EQ(*(volatile uint64_t *)start_info->pt_base, mm_peek(l4, 0),
             "reading through the unpinned base");
    MM_RC(mm_set_base(mm_boot_l4()), 0, "back to the boot L4");
    CHECK(maps_writable(l4), "the old base is not a plain page again");
    mm_check_healthy();
}

/*
 * 512 references from one L2 to one L1 and from one L1 to one frame: the
 * counts go up by 512 and come back to zero, never wrap.
 */
TEST(refcount_many, "mm/attack_refcount_many")
{
    static uint64_t ents[512];
    uint64_t l1, l2, data;
    unsigned int i, round;

    mm_begin();
    data = mm_alloc();
    l1 = mm_alloc();
    l2 = mm_alloc();
    for (i = 0; i < 512; i++)
        ents[i] = mfn_to_pte(data, PTE_RW_FLAGS);
    mm_fill(l1, ents);
    for (i = 0; i < 512; i++)
        ents[i] = mfn_to_pte(l1, PDE_FLAGS);
    mm_fill(l2, ents);
    for (round = 0; round < 8; round++) {
        MM_RC(mm_pin(2, l2), 0, "pin the L2");
        MM_RC(mm_pin(1, l1), 0, "pin the L1 it references 512 times");
        /* 512 writable mappings of data: it cannot become a table. */
        MM_RC(mm_ext(MMUEXT_PIN_L1_TABLE, data, 0), -EINVAL,
              "pin of a frame mapped writable 512 times");
        MM_RC(mm_unpin(l1), 0, "unpin L1");
        CHECK(!maps_writable(l1), "L1 writable while the L2 uses it");
        MM_RC(mm_unpin(l2), 0, "unpin L2");
        if (!maps_writable(l1) || !maps_writable(l2)) {
            test_fail("round %u: a table stayed typed", round);
            return;
        }
    }
    /* Every writable mapping of data is gone too. */
    MM_RC(mm_pin(1, data), 0, "pin of the data frame afterwards");
    MM_RC(mm_unpin(data), 0, "unpin");
    mm_check_healthy();
}

/*
 * The widest tree four levels allow with four frames: every guest slot of
 * the L4, and every entry below, point at the same next table.
 */
static void build_wide(uint64_t t[5], uint64_t leaf)
{
    static uint64_t ents[512];
    unsigned int i;
    int lvl;

    for (lvl = 1; lvl <= 3; lvl++) {
        for (i = 0; i < 512; i++)
            ents[i] = lvl == 1 ? leaf : mfn_to_pte(t[lvl - 1], PDE_FLAGS);
        mm_fill(t[lvl], ents);
    }
    for (i = 0; i < 512; i++)
        ents[i] = i < L4_XEN_FIRST ? mfn_to_pte(t[3], PDE_FLAGS) : 0;
    mm_fill(t[4], ents);
}

TEST(deep_tree, "mm/attack_deep_tree")
{
    uint64_t t[5], data;
    int lvl;

    mm_begin();
    data = mm_alloc();
    for (lvl = 1; lvl <= 4; lvl++)
        t[lvl] = mm_alloc();
    build_wide(t, mfn_to_pte(data, PTE_RO_FLAGS));
    MM_RC(mm_pin(4, t[4]), 0, "pin of a 256x512x512x512 tree");
    for (lvl = 1; lvl <= 4; lvl++)
        CHECK(!maps_writable(t[lvl]), "L%d of a pinned tree maps writable",
              lvl);
    MM_RC(mm_unpin(t[4]), 0, "unpin");
    for (lvl = 1; lvl <= 4; lvl++)
        CHECK(maps_writable(t[lvl]), "L%d stayed typed after unpin", lvl);
    mm_check_healthy();
}

/* The same tree with a bad last leaf: refused, and nothing stays typed. */
TEST(deep_tree_bad_leaf, "mm/attack_deep_tree_bad_leaf")
{
    uint64_t t[5], data;
    int lvl;

    mm_begin();
    data = mm_alloc();
    for (lvl = 1; lvl <= 4; lvl++)
        t[lvl] = mm_alloc();
    build_wide(t, mfn_to_pte(data, PTE_RO_FLAGS));
    /* L1 entry 511 maps the tree's own L2 writable. */
    mm_poke(t[1], 511, mfn_to_pte(t[2], PTE_RW_FLAGS));
    /* Xen passes the L1 entry's own error up through every level. */
    MM_RC(mm_pin(4, t[4]), -EBUSY, "pin of a tree with a bad leaf");
    for (lvl = 1; lvl <= 4; lvl++)
        CHECK(maps_writable(t[lvl]), "L%d stayed typed after the refusal",
              lvl);
    /* And a bad entry at the top level, after 255 good ones. */
    build_wide(t, mfn_to_pte(data, PTE_RO_FLAGS));
    mm_poke(t[4], 255, mfn_to_pte(t[1], PDE_FLAGS));
    MM_RC(mm_pin(4, t[4]), -EINVAL, "pin of a tree with an L4 -> L1 entry");
    for (lvl = 1; lvl <= 4; lvl++)
        CHECK(maps_writable(t[lvl]), "L%d stayed typed after the refusal",
              lvl);
    mm_check_healthy();
}

/* Two L4s sharing their L3: each pin holds its own reference. */
TEST(shared_subtree, "mm/attack_shared_subtree")
{
    uint64_t a, b, l3;

    mm_begin();
    a = mm_alloc();
    b = mm_alloc();
    l3 = mm_alloc();
    mm_poke(a, 3, mfn_to_pte(l3, PDE_FLAGS));
    mm_poke(b, 3, mfn_to_pte(l3, PDE_FLAGS));
    MM_RC(mm_pin(4, a), 0, "pin A");
    MM_RC(mm_pin(4, b), 0, "pin B");
    MM_RC(mm_unpin(a), 0, "unpin A");
    CHECK(!maps_writable(l3), "shared L3 writable while B uses it");
    /* Dropping B's entry by mmu_update releases the last reference. */
    MM_RC(mm_pt_write((b << 12) + 8 * 3, 0), 0, "clear B's entry");
    CHECK(maps_writable(l3), "L3 still typed after its last user went");
    MM_RC(mm_unpin(b), 0, "unpin B");
    mm_check_healthy();
}
