/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/segbase-np.c - set_segment_base(SEGBASE_GS_USER_SEL)
 * with a selector whose descriptor is valid but not present.
 *
 * The hypervisor loads the selector itself, so the #NP it raises comes
 * from ring 0; Xen recovers as for any bad selector: it loads the null
 * selector and returns 0 (Linux BUG()s if this hypercall fails).
 */
#include "mm-lib.h"

#define DATA_DPL3       0x00cff2000000ffffUL
#define DESC_PRESENT    (1UL << 47)
#define SEL_GDT3_RPL3   0x1b            /* GDT entry 3, RPL 3 */

static uint64_t gs_var = 0x6565656565656565UL;

static uint16_t read_gs_sel(void)
{
    uint16_t v;

    asm volatile ("mov %%gs, %0" : "=r" (v));
    return v;
}

static uint64_t read_gs0(void)
{
    uint64_t v;

    asm volatile ("mov %%gs:0, %0" : "=r" (v));
    return v;
}

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
