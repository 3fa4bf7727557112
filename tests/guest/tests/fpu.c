/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/fpu.c - HYPERVISOR_fpu_taskswitch: the guest's virtual
 * CR0.TS, seen through #NM and through an emulated "mov %cr0".
 */
#include <lib.h>
#include <hypercall.h>
#include <test.h>
#include <traps.h>

#define X86_CR0_TS  (1UL << 3)

static uint64_t read_cr0(void)
{
    uint64_t v;

    /* Privileged: the hypervisor emulates it from the #GP. */
    asm volatile ("mov %%cr0, %0" : "=r" (v));
    return v;
}

static void fpu_touch(void)
{
    asm volatile ("1: fnop\n2:\n\t" ASM_EXTABLE(1b, 2b) ::: "memory");
}

TEST(taskswitch_nm, "fpu/taskswitch_nm")
{
    CHECK_EQ(HYPERVISOR_fpu_taskswitch(1), 0, "fpu_taskswitch(1)");
    exc_reset();
    fpu_touch();
    CHECK_EQ(last_exc.vector, X86_EXC_NM, "FPU use with TS set");
    /*
     * Delivering #NM clears the virtual TS, as a real kernel's handler
     * would do with clts: the next FPU instruction runs.
     */
    exc_reset();
    fpu_touch();
    CHECK_EQ(last_exc.vector, EXC_NONE, "second FPU use after #NM");

    CHECK_EQ(HYPERVISOR_fpu_taskswitch(1), 0, "fpu_taskswitch(1) again");
    CHECK_EQ(HYPERVISOR_fpu_taskswitch(0), 0, "fpu_taskswitch(0)");
    exc_reset();
    fpu_touch();
    CHECK_EQ(last_exc.vector, EXC_NONE, "FPU use after TS cleared");
}

TEST(cr0_ts, "fpu/cr0_ts")
{
    uint64_t cr0;

    HYPERVISOR_fpu_taskswitch(1);
    cr0 = read_cr0();
    CHECK(cr0 & X86_CR0_TS, "CR0.TS clear after fpu_taskswitch(1): %#lx", cr0);
    HYPERVISOR_fpu_taskswitch(0);
    cr0 = read_cr0();
    CHECK(!(cr0 & X86_CR0_TS), "CR0.TS set after fpu_taskswitch(0): %#lx", cr0);
    /* Paging and protected mode are on, as for any 64-bit kernel. */
    CHECK((cr0 & 0x80000001UL) == 0x80000001UL, "CR0 %#lx lacks PG|PE", cr0);
}
