/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/debugreg-wide.c - set_debugreg with garbage in the
 * register number's high half.  Found by the hypercall fuzzer (fuzz/run,
 * seed 1): the hypervisor checked the number as an int but indexed the
 * vCPU's debugreg[] with all 64 bits, a write at a guest-chosen offset
 * that took the host down with a #PF.  Xen's argument is an int: the high
 * half is ignored, so (k << 32) | 0 is DR0.
 */
#include <lib.h>
#include <hypercall.h>
#include <test.h>
#include <public/errno.h>

static long set_dr(uint64_t reg, uint64_t value)
{
    return hypercall(__HYPERVISOR_set_debugreg, reg, value, 0, 0, 0);
}

static long get_dr(uint64_t reg)
{
    return hypercall(__HYPERVISOR_get_debugreg, reg, 0, 0, 0, 0);
}

TEST(high_bits, "debugreg/high_bits")
{
    CHECK_EQ(set_dr(1UL << 40, 0x12345000), 0, "set DR0 as (1 << 40) | 0");
    CHECK_EQ(HYPERVISOR_get_debugreg(0), 0x12345000, "DR0");
    CHECK_EQ(set_dr((1UL << 32) | 3, 0x23456000), 0, "set DR3 as (1 << 32) | 3");
    CHECK_EQ(get_dr((7UL << 45) | 3), 0x23456000, "get DR3 as (7 << 45) | 3");
    CHECK_EQ(set_dr(0xffffffff00000006UL, 0), 0, "set DR6 with the high half all ones");
    CHECK_EQ(HYPERVISOR_get_debugreg(6), 0xffff0ff0, "DR6");
    CHECK_EQ(set_dr(1UL << 32 | 8, 0), -ENODEV, "(1 << 32) | 8: no such register");
    HYPERVISOR_set_debugreg(0, 0);
    HYPERVISOR_set_debugreg(3, 0);
}
