/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/mm-descriptors.c - set_gdt, update_descriptor and
 * MMUEXT_SET_LDT: descriptor frames and the checks on their contents.
 *
 * A 64-bit PV kernel runs in ring 3, so the hypervisor raises every
 * code/data DPL to 3 and forces call gates to DPL 0 (keeping the old DPL
 * in the target selector's RPL); it rejects other system descriptors and
 * gates into its own code.
 */
#include "mm-lib.h"

#define DESC_DPL(d)     (((d) >> 45) & 3)
#define CODE64_DPL0     0x00af9a000000ffffUL
#define DATA_DPL0       0x00cf92000000ffffUL
#define DATA_DPL3       0x00cff2000000ffffUL
#define TSS_AVAIL       0x0000890000000067UL
#define LDT_DESC        0x0000820000000fffUL

/* The two halves of a 64-bit call gate to sel:off with the given DPL. */
static void call_gate(uint64_t d[2], uint16_t sel, uint64_t off, int dpl)
{
    d[0] = (off & 0xffff) | ((uint64_t)sel << 16) |
           ((off & 0xffff0000UL) << 32) | (1UL << 47) |
           ((uint64_t)dpl << 45) | (0xcUL << 40);
    d[1] = off >> 32;
}

static uint16_t read_es(void)
{
    uint16_t s;

    asm volatile ("mov %%es, %0" : "=r" (s));
    return s;
}

/* Load %es; 0 on success, else the vector it faulted with. */
static uint64_t load_es(uint16_t sel)
{
    exc_reset();
    asm volatile ("1: mov %0, %%es\n2:\n\t" ASM_EXTABLE(1b, 2b)
                  :: "r" (sel) : "memory");
    return last_exc.vector == EXC_NONE ? 0 : last_exc.vector;
}

TEST(gdt_dpl_fixup, "mm/gdt_dpl_fixup")
{
    static uint64_t ents[512];
    uint16_t es = read_es();
    unsigned long gdt;
    uint64_t d;

    mm_begin();
    gdt = mm_alloc();
    memset(ents, 0, sizeof(ents));
    ents[1] = CODE64_DPL0;
    ents[2] = DATA_DPL0;
    ents[3] = DATA_DPL3;
    call_gate(&ents[4], 0x08, 0xffffffff80101234UL, 3);
    mm_fill(gdt, ents);
    MM_RC(mm_set_gdt_tracked(&gdt, 16), 0, "set_gdt");
    CHECK_EQ(DESC_DPL(mm_peek(gdt, 1)), 3, "ring-0 code raised to DPL 3");
    CHECK_EQ(DESC_DPL(mm_peek(gdt, 2)), 3, "ring-0 data raised to DPL 3");
    CHECK_EQ(mm_peek(gdt, 3), DATA_DPL3, "DPL 3 data unchanged");
    d = mm_peek(gdt, 4);
    CHECK_EQ(DESC_DPL(d), 0, "call gate forced to DPL 0");
    CHECK_EQ((d >> 16) & 0xffff, 0x08 | 3, "gate selector RPL = old DPL");
    /* The raised descriptor is usable from the guest kernel's ring. */
    CHECK_EQ(load_es(0x13), 0, "loading the fixed-up data selector");
    CHECK_EQ(read_es(), 0x13, "%es");
    load_es(es);
    /* The frame is a descriptor page now: no writable mapping. */
    MM_RC(mm_map_rc(MM_SLOT_A, gdt, PTE_RW_FLAGS), -EBUSY,
          "writable mapping of a GDT frame");
    MM_RC(mm_set_gdt(NULL, 0), 0, "set_gdt back to none");
    MM_RC(mm_map_rc(MM_SLOT_A, gdt, PTE_RW_FLAGS), 0,
          "writable mapping once the GDT is gone");
    mm_unmap(MM_SLOT_A);
}

TEST(update_descriptor, "mm/update_descriptor")
{
    unsigned long gdt;
    uint64_t plain;

    mm_begin();
    plain = mm_alloc();
    gdt = mm_alloc();
    /* A plain page takes descriptors too (the fixed-up value). */
    MM_RC(mm_update_descriptor((plain << 12) + 8, CODE64_DPL0), 0,
          "update_descriptor on a plain page");
    CHECK_EQ(DESC_DPL(mm_peek(plain, 1)), 3, "stored with DPL 3");
    MM_RC(mm_set_gdt_tracked(&gdt, 16), 0, "set_gdt");
    MM_RC(mm_update_descriptor((gdt << 12) + 16, DATA_DPL0), 0,
          "update_descriptor on the live GDT");
    CHECK_EQ(mm_peek(gdt, 2), DATA_DPL3, "stored with DPL 3");
    CHECK_EQ(load_es(0x13), 0, "loading the new selector");
    load_es(0);
    MM_RC(mm_update_descriptor((gdt << 12) + 16, 0), 0,
          "update_descriptor clearing an entry");
    MM_RC(mm_set_gdt(NULL, 0), 0, "set_gdt back to none");
}

TEST(gdt_refused, "mm/attack_set_gdt")
{
    static uint64_t ents[512];
    unsigned long gdt, frames[16];
    unsigned int i;
    struct { const char *what; uint64_t d[2]; } bad[4];

    mm_begin();
    gdt = mm_alloc();
    memset(bad, 0, sizeof(bad));
    bad[0].what = "call gate into the hypervisor's code segment";
    call_gate(bad[0].d, 0xe008, 0xffff82d040200000UL, 3);
    bad[1].what = "TSS descriptor";
    bad[1].d[0] = TSS_AVAIL;
    bad[2].what = "LDT descriptor";
    bad[2].d[0] = LDT_DESC;
    bad[3].what = "call gate with reserved bits";
    call_gate(bad[3].d, 0x08, 0xffffffff80101234UL, 3);
    bad[3].d[0] |= 1UL << 32;                   /* an IST index */
    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        memset(ents, 0, sizeof(ents));
        ents[6] = bad[i].d[0];
        ents[7] = bad[i].d[1];
        mm_fill(gdt, ents);
        if (mm_set_gdt_tracked(&gdt, 16) != -EINVAL)
            test_fail("set_gdt accepted a %s", bad[i].what);
        if (mm_update_descriptor((gdt << 12) + 48, bad[i].d[0]) != -EINVAL)
            test_fail("update_descriptor accepted a %s", bad[i].what);
    }
    MM_RC(mm_set_gdt(NULL, 7169), -EINVAL, "set_gdt of 7169 entries");
    for (i = 0; i < 16; i++)
        frames[i] = gdt;
    MM_RC(mm_set_gdt(frames, 16 * 512), -EINVAL, "set_gdt of 16 frames");
    /* Frames that cannot be descriptor pages. */
    if (!mm_map(MM_SLOT_A, gdt, PTE_RW_FLAGS))
        return;
    MM_RC(mm_set_gdt(&gdt, 16), -EINVAL, "set_gdt of a frame mapped writable");
    mm_unmap(MM_SLOT_A);
    frames[0] = mm_boot_l4();
    MM_RC(mm_set_gdt(frames, 16), -EINVAL, "set_gdt of the live L4");
    frames[0] = mm_xen_frame();
    MM_RC(mm_set_gdt(frames, 16), -EINVAL, "set_gdt of a hypervisor frame");
    MM_RC(mm_set_gdt(NULL, 0), 0, "set_gdt back to none");
    mm_check_healthy();
}

TEST(update_descriptor_refused, "mm/attack_update_descriptor")
{
    uint64_t l1, plain;

    mm_begin();
    l1 = mm_alloc();
    plain = mm_alloc();
    MM_RC(mm_pin(1, l1), 0, "pin L1");
    MM_RC(mm_update_descriptor(l1 << 12, DATA_DPL3), -EINVAL,
          "update_descriptor on an L1");
    MM_RC(mm_update_descriptor(mm_boot_l4() << 12, DATA_DPL3), -EINVAL,
          "update_descriptor on the live L4");
    MM_RC(mm_update_descriptor(mm_xen_frame() << 12, DATA_DPL3), -EINVAL,
          "update_descriptor on a hypervisor frame");
    MM_RC(mm_update_descriptor((plain << 12) + 4, DATA_DPL3), -EINVAL,
          "misaligned update_descriptor");
    CHECK_EQ(mm_peek(l1, 0), 0, "L1 unchanged");
    CHECK_EQ(mm_peek(plain, 0), 0, "plain page unchanged");
    mm_check_healthy();
}

TEST(set_ldt, "mm/set_ldt")
{
    uint16_t es = read_es();
    uint64_t ldt, va = mm_slot_va(MM_SLOT_B);

    mm_begin();
    ldt = mm_alloc();
    mm_poke(ldt, 0, DATA_DPL0);
    mm_poke(ldt, 1, CODE64_DPL0);
    if (!mm_map(MM_SLOT_B, ldt, PTE_RO_FLAGS))
        return;
    MM_RC(mm_ext(MMUEXT_SET_LDT, va, 2), 0, "SET_LDT of 2 entries");
    CHECK_EQ(load_es(0x07), 0, "loading LDT selector 0");
    CHECK_EQ(read_es(), 0x07, "%es");
    CHECK_EQ(load_es(0x17), X86_EXC_GP, "selector beyond the LDT limit");
    load_es(es);
    CHECK_EQ(DESC_DPL(mm_peek(ldt, 0)), 3, "LDT entry raised to DPL 3");
    MM_RC(mm_ext(MMUEXT_SET_LDT, 0, 0), 0, "SET_LDT back to none");
    mm_unmap(MM_SLOT_B);
    MM_RC(mm_map_rc(MM_SLOT_B, ldt, PTE_RW_FLAGS), 0,
          "writable mapping once the LDT is gone");
    mm_unmap(MM_SLOT_B);
    /* Bad arguments. */
    MM_RC(mm_ext(MMUEXT_SET_LDT, va + 8, 1), -EINVAL, "misaligned LDT");
    MM_RC(mm_ext(MMUEXT_SET_LDT, va, 8193), -EINVAL, "8193 entries");
    MM_RC(mm_ext(MMUEXT_SET_LDT, MACH2PHYS_VIRT_START, 1), -EINVAL,
          "LDT in the hypervisor's range");
}

TEST_XEN_DIFFERS(set_ldt_lazy, "mm/set_ldt_unmapped",
                 "Mica maps LDT frames at SET_LDT time and refuses an "
                 "unmapped LDT with -EINVAL; Xen accepts it and maps lazily")
{
    mm_begin();
    MM_RC(mm_ext(MMUEXT_SET_LDT, 0x0000028000000000UL, 16),
          mm_on_mica() ? -EINVAL : 0, "SET_LDT of an unmapped VA");
    MM_RC(mm_ext(MMUEXT_SET_LDT, 0, 0), 0, "SET_LDT back to none");
}
