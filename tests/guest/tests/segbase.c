/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/segbase.c - HYPERVISOR_set_segment_base: the FS and GS
 * bases, and the user %gs selector the hypervisor loads on the guest's
 * behalf, including selectors that cannot be loaded.
 */
#include <public/errno.h>
#include "mm-lib.h"

#define DATA_DPL3       0x00cff2000000ffffUL
#define DESC_PRESENT    (1UL << 47)
#define SEL_GDT3_RPL3   0x1b            /* GDT entry 3, RPL 3 */

static uint64_t fs_var = 0xf5f5f5f5f5f5f5f5UL;
static uint64_t gs_var = 0x6565656565656565UL;

static uint64_t read_fs0(void)
{
    uint64_t v;

    asm volatile ("mov %%fs:0, %0" : "=r" (v));
    return v;
}

static uint64_t read_gs0(void)
{
    uint64_t v;

    asm volatile ("mov %%gs:0, %0" : "=r" (v));
    return v;
}

static uint16_t read_gs_sel(void)
{
    uint16_t v;

    asm volatile ("mov %%gs, %0" : "=r" (v));
    return v;
}

TEST(fs, "segbase/fs")
{
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_FS,
                                         (uint64_t)(uintptr_t)&fs_var), 0,
             "set FS base");
    CHECK_EQ(read_fs0(), fs_var, "%fs:0");
    HYPERVISOR_set_segment_base(SEGBASE_FS, 0);
}

TEST(gs_kernel, "segbase/gs_kernel")
{
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL,
                                         (uint64_t)(uintptr_t)&gs_var), 0,
             "set kernel GS base");
    CHECK_EQ(read_gs0(), gs_var, "%gs:0");
    /* The user base is the inactive one in kernel mode. */
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_USER,
                                         (uint64_t)(uintptr_t)&fs_var), 0,
             "set user GS base");
    CHECK_EQ(read_gs0(), gs_var, "%gs:0 after setting the user base");
    HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0);
    HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, 0);
}

TEST(gs_user_sel, "segbase/gs_user_sel")
{
    HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL,
                                (uint64_t)(uintptr_t)&gs_var);
    /* Loads the user %gs selector; the kernel's GS base is untouched. */
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, FLAT_USER_DS32),
             0, "load 0xe02b");
    CHECK_EQ(read_gs_sel(), FLAT_USER_DS32, "%gs selector");
    CHECK_EQ(read_gs0(), gs_var, "%gs:0 (kernel base kept)");
    /*
     * A selector beyond the GDT cannot be loaded.  Linux BUG()s if this
     * hypercall fails, so Xen reports success and loads NUL instead.
     */
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0x1238), 0,
             "load an invalid selector");
    CHECK_EQ(read_gs_sel(), 0, "%gs selector after the invalid load");
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0), 0,
             "load NUL");
    HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, 0);
}

/*
 * A valid but not-present descriptor: the hypervisor's own load raises
 * #NP in ring 0.  Xen recovers as for any bad selector: it loads the null
 * selector and returns 0 (Linux BUG()s if this hypercall fails).
 */
TEST(gs_user_sel_np, "segbase/gs_user_sel_not_present")
{
    static uint64_t ents[512];
    unsigned long gdt;

    mm_begin();
    gdt = mm_alloc();
    memset(ents, 0, sizeof(ents));
    ents[3] = DATA_DPL3 & ~DESC_PRESENT;
    mm_fill(gdt, ents);
    MM_RC(mm_set_gdt_tracked(&gdt, 16), 0, "set_gdt");
    HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, (uint64_t)(uintptr_t)&gs_var);
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, SEL_GDT3_RPL3),
             0, "load a not-present selector");
    CHECK_EQ(read_gs_sel(), 0, "%gs selector after the load");
    CHECK_EQ(read_gs0(), gs_var, "%gs:0 (kernel base kept)");
    HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, 0);
    mm_check_healthy();
}

TEST(bad_args, "segbase/bad_args")
{
    CHECK_EQ(HYPERVISOR_set_segment_base(4, 0), -EINVAL, "which = 4");
    CHECK_EQ(HYPERVISOR_set_segment_base(-1, 0), -EINVAL, "which = -1");
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_FS, 0x0000800000000000UL),
             -EINVAL, "non-canonical FS base");
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL,
                                         0x8000000000000000UL),
             -EINVAL, "non-canonical GS base");
}
