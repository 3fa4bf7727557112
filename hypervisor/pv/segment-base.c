/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/pv/segment-base.c - set_segment_base: a 64-bit PV guest may
 * not write the FS/GS base MSRs or execute swapgs itself, so it asks for
 * the FS base, either GS base, or the user %gs selector to be loaded.
 */
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/guest-access.h>
#include <mica/hypercall.h>
#include <asm/config.h>
#include <asm/io.h>

long do_set_segment_base(uint64_t which, uint64_t base)
{
    switch ((uint32_t)which) {
    case SEGBASE_FS:
        if (!canonical(base))
            return -EINVAL;
        wrmsr(MSR_FS_BASE, base);
        return 0;
    case SEGBASE_GS_USER:
        if (!canonical(base))
            return -EINVAL;
        wrmsr(MSR_KERNEL_GS_BASE, base);    /* the inactive (user) base */
        return 0;
    case SEGBASE_GS_KERNEL:
        if (!canonical(base))
            return -EINVAL;
        wrmsr(MSR_GS_BASE, base);
        return 0;
    case SEGBASE_GS_USER_SEL: {
        uint32_t sel = (uint16_t)base;

        /*
         * Load the user %gs selector: swap to the user base, load (which
         * resets it from the descriptor), swap back.  Non-null selectors
         * get RPL 3.  A bad selector faults; as in Xen, the fixup loads
         * the null selector instead and the call still succeeds.
         */
        if (sel > 3)
            sel |= 3;
        asm volatile("swapgs\n"
                     "1: mov %k0, %%gs\n"
                     "2: swapgs\n"
                     ".pushsection .fixup, \"ax\"\n"
                     "3: xor %k0, %k0\n"
                     "   jmp 1b\n"
                     ".popsection\n"
                     ".pushsection .ex_table, \"a\"\n"
                     ".balign 8\n"
                     ".quad 1b, 3b\n"
                     ".popsection\n"
                     : "+r"(sel) :: "memory");
        return 0;
    }
    default:
        return -EINVAL;
    }
}
