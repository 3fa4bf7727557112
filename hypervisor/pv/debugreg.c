/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/pv/debugreg.c - set_debugreg and get_debugreg: a PV guest's
 * DR0-DR7, kept per vCPU (context-switch.c loads them) and checked so that
 * no breakpoint can fire on the hypervisor's own addresses or trap it.
 */
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/guest-access.h>
#include <mica/hypercall.h>
#include <asm/config.h>

/*
 * Debug registers, with Xen's rules: breakpoints only on guest addresses,
 * reserved bits forced to their fixed values, general-detect (which would
 * trap the hypervisor) refused, and I/O breakpoints only with CR4.DE (never
 * offered, so refused).  DR4/DR5 are the old aliases of DR6/DR7.  Values
 * go to the hardware at once: the vCPU is the one running.
 */
#define DR6_RESERVED_ONE    0xffff0ff0UL
#define DR6_RESERVED_ZERO   0x00001000UL
#define DR7_RESERVED_ONE    0x00000400UL
#define DR7_RESERVED_ZERO   0x0000d800UL
#define DR7_GD              (1UL << 13)
#define X86_CR4_DE          (1UL << 3)

static bool dr7_has_io_breakpoint(uint64_t dr7)
{
    for (unsigned int i = 16; i < 32; i += 4)
        if (((dr7 >> i) & 3) == 2 && (dr7 & (3UL << ((i - 16) >> 1))))
            return true;
    return false;
}

long do_set_debugreg(uint64_t reg, uint64_t value)
{
    struct vcpu *v = current;
    bool de = v->arch.guest_cr4 & X86_CR4_DE;

    /*
     * Xen's argument is an int: the high half is not part of it.  Dropped
     * here, before the number is checked, because it indexes debugreg[]
     * below: checked as an int and used whole, it was a write at an offset
     * the guest chose.
     */
    reg = (uint32_t)reg;
    switch ((int)reg) {
    case 0: case 1: case 2: case 3:
        if (!canonical(value) || !guest_range_ok(value, 1))
            return -EPERM;
        break;
    case 4:
        if (de)
            return -ENODEV;
        reg = 6;
        /* fall through */
    case 6:
        if (value >> 32)
            return -EINVAL;
        value = (value & ~DR6_RESERVED_ZERO) | DR6_RESERVED_ONE;
        break;
    case 5:
        if (de)
            return -ENODEV;
        reg = 7;
        /* fall through */
    case 7:
        if (value >> 32)
            return -EINVAL;
        value = (value & ~DR7_RESERVED_ZERO) | DR7_RESERVED_ONE;
        if ((value & DR7_GD) || dr7_has_io_breakpoint(value))
            return -EPERM;
        break;
    default:
        return -ENODEV;
    }
    v->arch.debugreg[reg] = value;
    switch (reg) {
    case 0: asm volatile("mov %0, %%db0" :: "r"(value)); break;
    case 1: asm volatile("mov %0, %%db1" :: "r"(value)); break;
    case 2: asm volatile("mov %0, %%db2" :: "r"(value)); break;
    case 3: asm volatile("mov %0, %%db3" :: "r"(value)); break;
    case 6: asm volatile("mov %0, %%db6" :: "r"(value)); break;
    case 7: asm volatile("mov %0, %%db7" :: "r"(value)); break;
    }
    return 0;
}

long do_get_debugreg(uint64_t reg)
{
    bool de = current->arch.guest_cr4 & X86_CR4_DE;

    switch ((int)reg) {
    case 0: case 1: case 2: case 3: case 6: case 7:
        return current->arch.debugreg[(int)reg];
    case 4:
    case 5:
        return de ? -ENODEV : (long)current->arch.debugreg[(int)reg + 2];
    default:
        return -ENODEV;
    }
}
