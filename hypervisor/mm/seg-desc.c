/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/mm/seg-desc.c - what a segment descriptor may say, checked for
 * every entry of a frame that takes the PGT_seg_desc type (a GDT or LDT
 * page) and for each update_descriptor.
 *
 * Rules (64-bit PV): code and data segments are fine, with their DPL
 * raised to 3 (the guest kernel's ring); a call gate must target a guest
 * code selector and gets DPL 0 so that using it traps; every other system
 * descriptor is refused.  Not-present descriptors are harmless.
 */
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/page.h>
#include <asm/config.h>
#include <asm/desc.h>
#include <asm/page.h>

#define SEG_P           (1U << 15)
#define SEG_S           (1U << 12)
#define SEG_DPL_SHIFT   13
#define SEG_TYPE(b)     (((b) >> 8) & 0xf)
#define TYPE_CALL_GATE  0xc

/* May a call gate jump to 'sel'?  Only to the guest's own code selectors. */
static bool gate_target_ok(uint16_t sel)
{
    if (!(sel & ~3))
        return false;                       /* null */
    if (sel & 4)
        return true;                        /* LDT: the guest's own */
    if ((sel >> 3) < FIRST_RESERVED_GDT_ENTRY)
        return true;                        /* guest GDT pages */
    return (sel & ~3) == (FLAT_RING3_CS64 & ~3) || (sel & ~3) == (FLAT_RING3_CS32 & ~3);
}

bool check_descriptor(uint64_t *desc)
{
    uint32_t a = *desc, b = *desc >> 32;
    unsigned int dpl;
    uint16_t cs;

    if (!(b & SEG_P))
        return true;
    dpl = (b >> SEG_DPL_SHIFT) & 3;
    if (dpl < 3)
        dpl = 3;
    if (b & SEG_S) {
        b = (b & ~(3U << SEG_DPL_SHIFT)) | (dpl << SEG_DPL_SHIFT);
        goto good;
    }
    if (SEG_TYPE(b) == 0)
        return true;                        /* upper half of a 64-bit gate */
    if (SEG_TYPE(b) != TYPE_CALL_GATE || (b & 0xff))
        return false;
    cs = a >> 16;
    if (!gate_target_ok(cs))
        return false;
    /* DPL 0 makes every use trap; the requested DPL rides in the RPL. */
    b &= ~(3U << SEG_DPL_SHIFT);
    cs = (cs & ~3) | dpl;
    a = (a & 0xffff) | ((uint32_t)cs << 16);
good:
    *desc = ((uint64_t)b << 32) | a;
    return true;
}

int validate_desc_page(struct page_info *pg)
{
    uint64_t *d = __va(page_to_mfn(pg) << PAGE_SHIFT);

    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
        if (!check_descriptor(&d[i]))
            return -EINVAL;
    return 0;
}
