/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/mm-mmu-update.c - HYPERVISOR_mmu_update and
 * HYPERVISOR_update_va_mapping on the accepted paths.
 */
#include "mm-lib.h"

static void invlpg(uint64_t va)
{
    MM_RC(mm_ext(MMUEXT_INVLPG_LOCAL, va, 0), 0, "INVLPG_LOCAL");
}

TEST(mmu_update_normal, "mm/mmu_update_normal")
{
    uint64_t f, maddr, e;
    volatile uint64_t *va;

    mm_begin();
    f = mm_alloc();
    mm_poke(f, 3, 0x1111222233334444UL);
    maddr = mm_slot_pte_maddr(MM_SLOT_A);
    va = (volatile uint64_t *)mm_slot_va(MM_SLOT_A);

    MM_RC(mm_pt_write(maddr, mfn_to_pte(f, PTE_RW_FLAGS)), 0,
          "NORMAL_PT_UPDATE of the slot's L1 entry");
    invlpg((uint64_t)(uintptr_t)va);
    CHECK_EQ(va[3], 0x1111222233334444UL, "frame seen through the new entry");
    va[4] = 0xabcdUL;
    CHECK_EQ(mm_peek(f, 4), 0xabcdUL, "write through the new entry");
    e = mm_peek(maddr >> 12, (maddr & 0xfff) / 8);
    CHECK_EQ((e & PTE_ADDR) >> 12, f, "frame in the L1 entry read back");
    CHECK((e & (PTE_P | PTE_RW)) == (PTE_P | PTE_RW), "entry %#lx", e);
    mm_unmap(MM_SLOT_A);
}

TEST(mmu_update_preserve_ad, "mm/mmu_update_preserve_ad")
{
    uint64_t f, maddr, e;

    mm_begin();
    f = mm_alloc();
    maddr = mm_slot_pte_maddr(MM_SLOT_A);
    MM_RC(mm_pt_write(maddr, mfn_to_pte(f, PTE_P | PTE_RW | PTE_US |
                                           PTE_A | PTE_D)), 0,
          "NORMAL with A|D");
    MM_RC(mm_pt_write(maddr | MMU_PT_UPDATE_PRESERVE_AD,
                      mfn_to_pte(f, PTE_P | PTE_US)), 0,
          "PRESERVE_AD without A|D");
    e = mm_peek(maddr >> 12, (maddr & 0xfff) / 8);
    CHECK((e & (PTE_A | PTE_D)) == (PTE_A | PTE_D),
          "A|D not kept: entry %#lx", e);
    CHECK(!(e & PTE_RW), "RW not cleared: entry %#lx", e);
    /* A plain update does not keep them. */
    MM_RC(mm_pt_write(maddr, mfn_to_pte(f, PTE_P | PTE_US)), 0,
          "NORMAL without A|D");
    e = mm_peek(maddr >> 12, (maddr & 0xfff) / 8);
    CHECK(!(e & PTE_D), "D kept by a NORMAL update: entry %#lx", e);
    mm_unmap(MM_SLOT_A);
}

TEST(mmu_update_batch, "mm/mmu_update_batch")
{
    struct mmu_update u[3];
    unsigned int done = 99, i;
    uint64_t f[3];

    mm_begin();
    for (i = 0; i < 3; i++) {
        f[i] = mm_alloc();
        mm_poke(f[i], 0, 100 + i);
        u[i].ptr = mm_slot_pte_maddr(MM_SLOT_A + (int)i);
        u[i].val = mfn_to_pte(f[i], PTE_RW_FLAGS);
    }
    MM_RC(HYPERVISOR_mmu_update(u, 3, &done, DOMID_SELF), 0, "3 updates");
    CHECK_EQ(done, 3, "done count");
    MM_RC(mm_ext(MMUEXT_TLB_FLUSH_LOCAL, 0, 0), 0, "TLB_FLUSH_LOCAL");
    for (i = 0; i < 3; i++)
        CHECK_EQ(*(volatile uint64_t *)mm_slot_va(MM_SLOT_A + (int)i),
                 100 + i, "slot content");
    /* A zero count is a no-op that reports zero done. */
    done = 99;
    MM_RC(HYPERVISOR_mmu_update(u, 0, &done, DOMID_SELF), 0, "0 updates");
    CHECK_EQ(done, 0, "done count of an empty batch");
    for (i = 0; i < 3; i++)
        mm_unmap(MM_SLOT_A + (int)i);
}

TEST(machphys_update, "mm/machphys_update")
{
    uint64_t f, pfn;

    mm_begin();
    f = mm_alloc();
    pfn = mm_pfn_of(f);
    CHECK_EQ(M2P[f], pfn, "M2P of a spare frame before");
    MM_RC(mm_pt_write((f << 12) | MMU_MACHPHYS_UPDATE, 0x1234), 0,
          "MACHPHYS_UPDATE");
    CHECK_EQ(M2P[f], 0x1234, "M2P after the update");
    MM_RC(mm_pt_write((f << 12) | MMU_MACHPHYS_UPDATE, pfn), 0,
          "MACHPHYS_UPDATE back");
    CHECK_EQ(M2P[f], pfn, "M2P restored");
}

/* Each flush flavour; the new frame must be visible right after. */
TEST(uvm_flush_flags, "mm/uvm_flush_flags")
{
    static uint64_t vcpus __attribute__((aligned(8)));
    uint64_t va = mm_slot_va(MM_SLOT_A), f[2], flags[8];
    volatile uint64_t *p = (volatile uint64_t *)va;
    unsigned int i;

    mm_begin();
    vcpus = 1;
    flags[0] = UVMF_INVLPG | UVMF_LOCAL;
    flags[1] = UVMF_TLB_FLUSH | UVMF_LOCAL;
    flags[2] = UVMF_INVLPG | UVMF_ALL;
    flags[3] = UVMF_TLB_FLUSH | UVMF_ALL;
    flags[4] = UVMF_INVLPG | (uint64_t)(uintptr_t)&vcpus;
    flags[5] = UVMF_TLB_FLUSH | (uint64_t)(uintptr_t)&vcpus;
    flags[6] = UVMF_NONE;
    flags[7] = UVMF_INVLPG;
    for (i = 0; i < 2; i++) {
        f[i] = mm_alloc();
        mm_poke(f[i], 0, 0xf00 + i);
    }
    for (i = 0; i < ARRAY_SIZE(flags); i++) {
        long rc = HYPERVISOR_update_va_mapping(va,
                      mfn_to_pte(f[i & 1], PTE_RW_FLAGS), flags[i]);

        if (rc) {
            test_fail("flags %#lx: %ld", flags[i], rc);
            continue;
        }
        if (flags[i] == UVMF_NONE)
            invlpg(va);         /* no flush was asked for */
        if (*p != 0xf00 + (i & 1))
            test_fail("flags %#lx: stale frame (%#lx)", flags[i], *p);
    }
    mm_unmap(MM_SLOT_A);
}

TEST(uvm_bad_args, "mm/uvm_bad_args")
{
    uint64_t f;

    mm_begin();
    f = mm_alloc();
    /* The mapping is made, then the unreadable vCPU mask is reported. */
    MM_RC(HYPERVISOR_update_va_mapping(mm_slot_va(MM_SLOT_A),
                                       mfn_to_pte(f, PTE_RW_FLAGS),
                                       UVMF_INVLPG | 0x1000), -EFAULT,
          "unreadable vCPU mask");
    /* No L1 covers these. */
    MM_RC(HYPERVISOR_update_va_mapping(0x00007f0000000000UL,
                                       mfn_to_pte(f, PTE_RW_FLAGS),
                                       UVMF_INVLPG), -EINVAL,
          "VA without an L1");
    MM_RC(HYPERVISOR_update_va_mapping(MACH2PHYS_VIRT_START,
                                       mfn_to_pte(f, PTE_RW_FLAGS),
                                       UVMF_INVLPG), -EINVAL,
          "VA in the hypervisor's range");
    MM_RC(HYPERVISOR_update_va_mapping(0x0000800000000000UL,
                                       mfn_to_pte(f, PTE_RW_FLAGS),
                                       UVMF_INVLPG), -EINVAL,
          "non-canonical VA");
    mm_unmap(MM_SLOT_A);
    mm_check_healthy();
}
