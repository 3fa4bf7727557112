/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/debugreg.c - HYPERVISOR_set_debugreg/get_debugreg and
 * a hardware breakpoint bounced to the guest as #DB.
 */
#include <lib.h>
#include <hypercall.h>
#include <test.h>
#include <traps.h>
#include <public/errno.h>

TEST(dr0_roundtrip, "debugreg/dr0_roundtrip")
{
    CHECK_EQ(HYPERVISOR_set_debugreg(0, 0x12345000), 0, "set DR0");
    CHECK_EQ(HYPERVISOR_get_debugreg(0), 0x12345000, "get DR0");
    CHECK_EQ(HYPERVISOR_set_debugreg(3, 0xffffffff80100000UL), 0, "set DR3");
    CHECK_EQ(HYPERVISOR_get_debugreg(3), 0xffffffff80100000UL, "get DR3");
    /* Breakpoints may not point into the hypervisor. */
    CHECK_EQ(HYPERVISOR_set_debugreg(0, 0xffff830000000000UL), -EPERM,
             "DR0 in the hypervisor range");
    CHECK_EQ(HYPERVISOR_get_debugreg(0), 0x12345000, "DR0 unchanged");
    HYPERVISOR_set_debugreg(0, 0);
    HYPERVISOR_set_debugreg(3, 0);
}

TEST(dr6_dr7_reserved, "debugreg/dr6_dr7_reserved")
{
    /* Reserved bits read back as the architecture fixes them. */
    CHECK_EQ(HYPERVISOR_set_debugreg(6, 0), 0, "set DR6 = 0");
    CHECK_EQ(HYPERVISOR_get_debugreg(6), 0xffff0ff0, "DR6");
    CHECK_EQ(HYPERVISOR_set_debugreg(7, 0), 0, "set DR7 = 0");
    CHECK_EQ(HYPERVISOR_get_debugreg(7), 0x400, "DR7");
    CHECK_EQ(HYPERVISOR_set_debugreg(6, 1UL << 32), -EINVAL, "DR6 bit 32");
    CHECK_EQ(HYPERVISOR_set_debugreg(7, 1UL << 32), -EINVAL, "DR7 bit 32");
    /* General-detect would let the guest trap the hypervisor's accesses. */
    CHECK_EQ(HYPERVISOR_set_debugreg(7, 1UL << 13), -EPERM, "DR7.GD");
}

TEST(bad_register, "debugreg/bad_register")
{
    CHECK_EQ(HYPERVISOR_set_debugreg(8, 0), -ENODEV, "set DR8");
    CHECK_EQ(HYPERVISOR_get_debugreg(8), -ENODEV, "get DR8");
    CHECK_EQ(HYPERVISOR_get_debugreg(-1), -ENODEV, "get DR-1");
    /* DR4/DR5 alias DR6/DR7 while CR4.DE is clear. */
    CHECK_EQ(HYPERVISOR_set_debugreg(6, 0), 0, "set DR6");
    CHECK_EQ(HYPERVISOR_get_debugreg(4), 0xffff0ff0, "get DR4 = DR6");
}

static void __attribute__((noinline)) bp_target(void)
{
    asm volatile ("" ::: "memory");
}

TEST(hw_breakpoint, "debugreg/hw_breakpoint")
{
    uint64_t target = (uint64_t)(uintptr_t)bp_target;

    exc_reset();
    HYPERVISOR_set_debugreg(6, 0);
    CHECK_EQ(HYPERVISOR_set_debugreg(0, target), 0, "DR0 = target");
    /* L0, execute breakpoint (RW0 = LEN0 = 0). */
    CHECK_EQ(HYPERVISOR_set_debugreg(7, 0x1), 0, "DR7 = L0");
    CHECK_EQ(HYPERVISOR_get_debugreg(7), 0x401, "DR7 read back");
    /*
     * Execute breakpoints are faults: the handler would see the same rip
     * again forever, so jump over the target by an extable entry there.
     */
    asm volatile ("call 1f\n\t"
                  "jmp 3f\n"
                  "1:\tjmp *%[t]\n"
                  "2:\tret\n"
                  "3:\n\t"
                  ".pushsection .extable, \"a\"\n\t.balign 8\n\t"
                  ".quad bp_target, 2b\n\t.popsection"
                  :: [t] "r" (target) : "memory");
    HYPERVISOR_set_debugreg(7, 0);
    CHECK_EQ(last_exc.vector, X86_EXC_DB, "vector");
    CHECK_EQ(last_exc.rip, target, "rip at the breakpoint");
    CHECK(HYPERVISOR_get_debugreg(6) & 1, "DR6.B0 clear: %#lx",
          HYPERVISOR_get_debugreg(6));
    HYPERVISOR_set_debugreg(6, 0);
    HYPERVISOR_set_debugreg(0, 0);
}
