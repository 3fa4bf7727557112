/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/mm-pin.c - HYPERVISOR_mmuext_op on the accepted paths:
 * pinning, base pointers, flushes, page copy/clear, batch accounting.
 */
#include "mm-lib.h"

/* A VA in an L4 slot the boot tables leave empty (slot 5). */
#define TREE_VA     0x0000028000000000UL
#define TREE_MAGIC  0x7472656574726565UL    /* "eertreet" */

struct tree {
    uint64_t l4, l3, l2, l1, data;
};

/*
 * A new L4 that maps the kernel like the boot one, plus TREE_VA -> data.
 * Returns 0 with the L4 pinned, or the pin's error.
 */
static long build_tree(struct tree *t)
{
    static uint64_t ents[512];

    t->data = mm_alloc();
    t->l1 = mm_alloc();
    t->l2 = mm_alloc();
    t->l3 = mm_alloc();
    t->l4 = mm_alloc();
    mm_poke(t->data, 0, TREE_MAGIC);
    mm_poke(t->l1, pt_index(TREE_VA, 1), mfn_to_pte(t->data, PTE_RW_FLAGS));
    mm_poke(t->l2, pt_index(TREE_VA, 2), mfn_to_pte(t->l1, PDE_FLAGS));
    mm_poke(t->l3, pt_index(TREE_VA, 3), mfn_to_pte(t->l2, PDE_FLAGS));
    mm_copy_guest_l4(ents);
    if (ents[pt_index(TREE_VA, 4)]) {
        test_skip("L4 slot of TREE_VA is in use");
        test_abort();
    }
    ents[pt_index(TREE_VA, 4)] = mfn_to_pte(t->l3, PDE_FLAGS);
    mm_fill(t->l4, ents);
    return mm_pin(4, t->l4);
}

/* Read a VA that may not be mapped: the value, or ~0 after a #PF. */
static uint64_t probe(uint64_t va)
{
    uint64_t v = ~0UL;

    exc_reset();
    asm volatile ("1: mov (%1), %0\n2:\n\t" ASM_EXTABLE(1b, 2b)
                  : "+r" (v) : "r" (va) : "memory");
    return v;
}

TEST(pin_levels, "mm/pin_levels")
{
    int lvl;

    mm_begin();
    for (lvl = 1; lvl <= 4; lvl++) {
        uint64_t f = mm_alloc();

        /* Junk in a hypervisor slot is overwritten, never validated. */
        if (lvl == 4)
            mm_poke(f, 261, mfn_to_pte(f, PTE_P | PTE_RW));
        if (mm_pin(lvl, f)) {
            test_fail("PIN_L%d of an empty frame refused", lvl);
            continue;
        }
        /* Pinning twice, unpinning twice: the second is refused. */
        MM_RC(mm_ext(MMUEXT_PIN_L1_TABLE + (unsigned int)lvl - 1, f, 0),
              -EINVAL, "second pin");
        if (lvl == 4)
            CHECK(mm_peek(f, 261) != mfn_to_pte(f, PTE_P | PTE_RW),
                  "guest junk kept in hypervisor slot 261");
        MM_RC(mm_unpin(f), 0, "unpin");
        MM_RC(mm_unpin(f), -EINVAL, "second unpin");
        /* Untyped again: it can be mapped writable. */
        MM_RC(mm_map_rc(MM_SLOT_A, f, PTE_RW_FLAGS), 0,
              "writable mapping after unpin");
        mm_unmap(MM_SLOT_A);
    }
}

TEST(new_baseptr, "mm/new_baseptr")
{
    struct tree t;

    mm_begin();
    MM_RC(build_tree(&t), 0, "PIN_L4 of a four-level tree");
    CHECK_EQ(probe(TREE_VA), ~0UL, "TREE_VA unmapped under the boot L4");
    CHECK_EQ(last_exc.vector, X86_EXC_PF, "fault reading TREE_VA");
    MM_RC(mm_set_base(t.l4), 0, "NEW_BASEPTR to the new L4");
    CHECK_EQ(probe(TREE_VA), TREE_MAGIC, "TREE_VA under the new L4");
    CHECK_EQ(M2P[t.data], mm_pfn_of(t.data), "M2P readable under the new L4");
    MM_RC(mm_set_base(mm_boot_l4()), 0, "NEW_BASEPTR back");
    CHECK_EQ(probe(TREE_VA), ~0UL, "TREE_VA gone again");
    MM_RC(mm_unpin(t.l4), 0, "unpin");
}

static USER_TEXT void u_read_tree(void)
{
    user_exit(*(volatile uint64_t *)TREE_VA);
}

TEST(new_user_baseptr, "mm/new_user_baseptr")
{
    struct user_exit ue;
    struct tree t;

    mm_begin();
    MM_RC(user_prepare(), 0, "user_prepare");
    MM_RC(build_tree(&t), 0, "PIN_L4");
    MM_RC(mm_ext(MMUEXT_NEW_USER_BASEPTR, t.l4, 0), 0, "NEW_USER_BASEPTR");
    user_run(u_read_tree, 0, &ue);
    /* Back to the L4 lib/user.c uses before anything else can fail. */
    MM_RC(mm_ext(MMUEXT_NEW_USER_BASEPTR, mm_boot_l4(), 0), 0,
          "NEW_USER_BASEPTR back");
    CHECK_EQ(ue.how, USER_SYSCALL, "user code left by");
    CHECK_EQ(ue.rax, TREE_MAGIC, "TREE_VA read in user mode");
    /* The kernel's own L4 never saw it. */
    CHECK_EQ(probe(TREE_VA), ~0UL, "TREE_VA in kernel mode");
    MM_RC(mm_unpin(t.l4), 0, "unpin");
}

/* Each flush op makes a remapped slot show the new frame. */
TEST(tlb_flush_ops, "mm/tlb_flush_ops")
{
    static uint64_t vcpus __attribute__((aligned(8)));
    static const unsigned int cmds[] = {
        MMUEXT_TLB_FLUSH_LOCAL, MMUEXT_INVLPG_LOCAL, MMUEXT_TLB_FLUSH_MULTI,
        MMUEXT_INVLPG_MULTI, MMUEXT_TLB_FLUSH_ALL, MMUEXT_INVLPG_ALL,
    };
    uint64_t va = mm_slot_va(MM_SLOT_A), maddr, f[2];
    unsigned int i;

    mm_begin();
    vcpus = 1;
    maddr = mm_slot_pte_maddr(MM_SLOT_A);
    for (i = 0; i < 2; i++) {
        f[i] = mm_alloc();
        mm_poke(f[i], 0, 0xf1 + i);
    }
    for (i = 0; i < ARRAY_SIZE(cmds); i++) {
        struct mmuext_op op = { .cmd = cmds[i] };

        op.arg1.linear_addr = va;
        op.arg2.vcpumask = (uint64_t)(uintptr_t)&vcpus;
        MM_RC(mm_pt_write(maddr, mfn_to_pte(f[i & 1], PTE_RW_FLAGS)), 0,
              "remap the slot");
        if (HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF))
            test_fail("flush command %u refused", cmds[i]);
        else if (*(volatile uint64_t *)va != 0xf1 + (i & 1))
            test_fail("flush command %u: stale frame", cmds[i]);
    }
    /* An unreadable vCPU mask. */
    {
        struct mmuext_op op = { .cmd = MMUEXT_TLB_FLUSH_MULTI };

        op.arg2.vcpumask = 0x1000;
        MM_RC(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), -EINVAL,
              "TLB_FLUSH_MULTI with an unreadable mask");
    }
    mm_unmap(MM_SLOT_A);
}

TEST(copy_clear_page, "mm/copy_clear_page")
{
    uint64_t src, dst, l1;

    mm_begin();
    src = mm_alloc();
    dst = mm_alloc();
    mm_poke(src, 0, 0x1234);
    mm_poke(src, 511, 0x5678);
    MM_RC(mm_ext(MMUEXT_COPY_PAGE, dst, src), 0, "COPY_PAGE");
    CHECK_EQ(mm_peek(dst, 0), 0x1234, "first word copied");
    CHECK_EQ(mm_peek(dst, 511), 0x5678, "last word copied");
    MM_RC(mm_ext(MMUEXT_CLEAR_PAGE, dst, 0), 0, "CLEAR_PAGE");
    CHECK_EQ(mm_peek(dst, 0), 0, "first word cleared");
    CHECK_EQ(mm_peek(dst, 511), 0, "last word cleared");
    /* A page table is not a plain page: neither may write it. */
    l1 = mm_alloc();
    MM_RC(mm_pin(1, l1), 0, "PIN_L1");
    MM_RC(mm_ext(MMUEXT_CLEAR_PAGE, l1, 0), -EINVAL, "CLEAR_PAGE of an L1");
    MM_RC(mm_ext(MMUEXT_COPY_PAGE, l1, src), -EINVAL, "COPY_PAGE to an L1");
    MM_RC(mm_ext(MMUEXT_COPY_PAGE, dst, l1), 0, "COPY_PAGE from an L1");
    MM_RC(mm_unpin(l1), 0, "unpin");
}

TEST(unknown_cmd, "mm/unknown_cmd")
{
    static const unsigned int cmds[] = { 14, 21, 64, 0xffffffffu };
    unsigned int i;

    mm_begin();
    for (i = 0; i < ARRAY_SIZE(cmds); i++) {
        struct mmuext_op op = { .cmd = cmds[i] };
        unsigned int done = 99;

        MM_RC(HYPERVISOR_mmuext_op(&op, 1, &done, DOMID_SELF), -ENOSYS,
              "unknown mmuext command");
        CHECK_EQ(done, 0, "done count");
    }
}

/* A batch stops at the first failure and reports how far it got. */
TEST(done_count, "mm/done_count")
{
    struct mmuext_op ops[4];
    struct mmu_update u[3];
    unsigned int done = 99;
    uint64_t f;

    mm_begin();
    f = mm_alloc();
    memset(ops, 0, sizeof(ops));
    ops[0].cmd = MMUEXT_TLB_FLUSH_LOCAL;
    ops[1].cmd = MMUEXT_PIN_L1_TABLE;
    ops[1].arg1.mfn = f;
    ops[2].cmd = MMUEXT_PIN_L1_TABLE;          /* already pinned */
    ops[2].arg1.mfn = f;
    ops[3].cmd = MMUEXT_UNPIN_TABLE;
    ops[3].arg1.mfn = f;
    MM_RC(HYPERVISOR_mmuext_op(ops, 4, &done, DOMID_SELF), -EINVAL,
          "mmuext batch with a bad third op");
    CHECK_EQ(done, 2, "mmuext ops done");
    MM_RC(mm_ext(MMUEXT_UNPIN_TABLE, f, 0), 0, "the pin of op 2 stuck");

    u[0].ptr = (f << 12) | MMU_MACHPHYS_UPDATE;
    u[0].val = mm_pfn_of(f);
    u[1].ptr = mm_slot_pte_maddr(MM_SLOT_A);
    u[1].val = mfn_to_pte(f, PTE_RW_FLAGS);
    u[2].ptr = 0x00000ffffffff000UL;            /* far beyond RAM */
    u[2].val = mfn_to_pte(f, PTE_RW_FLAGS);
    done = 99;
    MM_RC(HYPERVISOR_mmu_update(u, 3, &done, DOMID_SELF), -EINVAL,
          "mmu_update batch with a bad third entry");
    CHECK_EQ(done, 2, "mmu_update entries done");
    mm_unmap(MM_SLOT_A);
}
