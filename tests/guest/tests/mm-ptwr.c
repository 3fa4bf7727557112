/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/mm-ptwr.c - writable page tables: with
 * VMASST_TYPE_writable_pagetables the guest writes entries of an L1 it
 * maps read-only, the hypervisor emulates the write after validating the
 * new entry, and an invalid entry comes back as the original #PF.
 */
#include "mm-lib.h"

struct ptwr {
    uint64_t l1, data, other;
    volatile uint64_t *ent;             /* the L1, read-only */
};

static int ptwr_setup(struct ptwr *p)
{
    mm_begin();
    MM_RC(HYPERVISOR_vm_assist(VMASST_CMD_enable,
                               VMASST_TYPE_writable_pagetables), 0,
          "enable writable_pagetables");
    p->l1 = mm_alloc();
    p->data = mm_alloc();
    p->other = mm_alloc();
    if (mm_pin(1, p->l1)) {
        test_fail("PIN_L1");
        return 0;
    }
    p->ent = mm_map(MM_SLOT_B, p->l1, PTE_RO_FLAGS);
    return p->ent != NULL;
}

/*
 * Entry i without the bits the hypervisor may add on its own: A/D, and
 * _PAGE_GLOBAL, which Xen sets on user-flagged entries when it runs
 * without XPTI (so it depends on the CPU, not on the ABI).
 */
static uint64_t entry(const struct ptwr *p, unsigned int i)
{
    return p->ent[i] & ~PTE_G;
}

TEST(ptwr_mov, "mm/ptwr_mov")
{
    struct ptwr p;
    uint64_t pte;

    if (!ptwr_setup(&p))
        return;
    pte = mfn_to_pte(p.data, PTE_RW_FLAGS);
    exc_reset();
    p.ent[3] = pte;
    CHECK_EQ(last_exc.vector, EXC_NONE, "exception on the emulated write");
    CHECK_EQ(entry(&p, 3) & ~(PTE_A | PTE_D), pte & ~(PTE_A | PTE_D),
             "entry after mov");
    /* The new writable mapping counts: data cannot become a table now. */
    MM_RC(mm_ext(MMUEXT_PIN_L1_TABLE, p.data, 0), -EINVAL,
          "pin of a frame the emulated entry maps writable");
    p.ent[3] = 0;
    CHECK_EQ(entry(&p, 3), 0, "entry after clearing");
    MM_RC(mm_pin(1, p.data), 0, "pin once the mapping is gone");
    MM_RC(mm_unpin(p.data), 0, "unpin");
}

TEST(ptwr_atomics, "mm/ptwr_atomics")
{
    struct ptwr p;
    uint64_t a, b, old;
    uint8_t ok;

    if (!ptwr_setup(&p))
        return;
    a = mfn_to_pte(p.data, PTE_RW_FLAGS);
    b = mfn_to_pte(p.other, PTE_RW_FLAGS);
    exc_reset();
    /* xchg, as ptep_get_and_clear does. */
    old = a;
    asm volatile ("xchg %0, %1" : "+r" (old), "+m" (p.ent[5]) :: "memory");
    CHECK_EQ(old, 0, "xchg returned the old entry");
    CHECK_EQ(entry(&p, 5) & ~(PTE_A | PTE_D), a & ~(PTE_A | PTE_D),
             "entry after xchg");
    /* lock cmpxchg, failing then succeeding. */
    old = b;
    asm volatile ("lock cmpxchg %3, %1; sete %2"
                  : "+a" (old), "+m" (p.ent[5]), "=q" (ok)
                  : "r" (0UL) : "memory", "cc");
    CHECK(!ok, "cmpxchg with a wrong old value succeeded");
    old = p.ent[5];                     /* exactly, bits added included */
    asm volatile ("lock cmpxchg %3, %1; sete %2"
                  : "+a" (old), "+m" (p.ent[5]), "=q" (ok)
                  : "r" (b) : "memory", "cc");
    CHECK(ok, "cmpxchg with the right old value failed");
    CHECK_EQ(entry(&p, 5) & PTE_ADDR, b & PTE_ADDR, "entry after cmpxchg");
    /* lock btr of RW, as ptep_set_wrprotect's bit operations do. */
    asm volatile ("lock btrq $1, %0" : "+m" (p.ent[5]) :: "memory", "cc");
    CHECK(!(entry(&p, 5) & PTE_RW), "RW still set after lock btr: %#lx",
          entry(&p, 5));
    /* lock and on the low byte: a 1-byte write merged into the entry. */
    asm volatile ("lock andb $0xfe, %0" : "+m" (*(volatile uint8_t *)&p.ent[5])
                  :: "memory", "cc");
    CHECK(!(entry(&p, 5) & PTE_P), "P still set after lock and: %#lx",
          entry(&p, 5));
    CHECK_EQ(entry(&p, 5) & PTE_ADDR, b & PTE_ADDR, "frame kept");
    CHECK_EQ(last_exc.vector, EXC_NONE, "exception on an emulated write");
}

/* Entries the hypervisor would refuse in mmu_update fault instead. */
TEST(ptwr_illegal, "mm/attack_ptwr_illegal")
{
    struct ptwr p;
    uint64_t bad[3];
    unsigned int i;

    if (!ptwr_setup(&p))
        return;
    bad[0] = mfn_to_pte(p.l1, PTE_RW_FLAGS);            /* itself, RW */
    bad[1] = mfn_to_pte(mm_boot_l4(), PTE_RW_FLAGS);    /* the live L4 */
    bad[2] = mfn_to_pte(mm_xen_frame(), PTE_RO_FLAGS);  /* not ours */
    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        volatile uint64_t *e = &p.ent[9];

        exc_reset();
        asm volatile ("1: mov %1, (%0)\n2:\n\t" ASM_EXTABLE(1b, 2b)
                      :: "r" (e), "r" (bad[i]) : "memory");
        if (last_exc.vector != X86_EXC_PF) {
            test_fail("entry %u: vector %#lx, want #PF", i, last_exc.vector);
            continue;
        }
        CHECK_EQ(last_exc.cr2, (uint64_t)(uintptr_t)e, "cr2");
        CHECK_EQ(last_exc.error_code & 3, 3, "error code: present, write");
        CHECK_EQ(entry(&p, 9), 0, "entry unchanged");
    }
    /* A write to a read-only page that is no page table is a #PF too. */
    exc_reset();
    asm volatile ("1: movq $0, (%0)\n2:\n\t" ASM_EXTABLE(1b, 2b)
                  :: "r" ((uint64_t *)(uintptr_t)start_info->pt_base + 0)
                  : "memory");
    CHECK_EQ(last_exc.vector, X86_EXC_PF, "write to the read-only boot L4");
    mm_check_healthy();
}
