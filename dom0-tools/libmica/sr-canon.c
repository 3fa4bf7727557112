/* SPDX-License-Identifier: MIT */
/*
 * sr-canon.c - the frames inside saved state, between machine frame
 * numbers (valid only on the host they came from) and the guest's own
 * pseudo-physical numbers (valid anywhere): page-table entries and the
 * frames a vCPU context names.  On save every present entry is turned
 * into a pfn (canonicalised); on restore back into the new domain's mfn
 * (localised).  Pure: the lookups are the caller's, so the same code
 * serves save, restore and the unit tests.
 */
#include <errno.h>
#include <stdio.h>
#include <public/arch-x86/xen.h>
#include "sr-stream.h"

#define PT_ENTRIES      512
#define GDT_PER_FRAME   512             /* 8-byte descriptors in a page */
#define GDT_MAX_ENTS    (16 * GDT_PER_FRAME)

int sr_pt_rewrite(uint64_t *pt, unsigned int level, bool save, sr_xlate_fn xlate,
                  void *ctx, char *why, size_t whylen)
{
    if (level < 1 || level > 4) {
        snprintf(why, whylen, "page-table level %u", level);
        return -EINVAL;
    }
    for (unsigned int i = 0; i < PT_ENTRIES; i++) {
        uint64_t e = pt[i], frame;
        int rc;

        /*
         * The hypervisor's own L4 slots mean nothing elsewhere: they go as
         * zeros and the destination fills its own in when it validates.
         */
        if (level == 4 && i >= SR_L4_XEN_FIRST && i <= SR_L4_XEN_LAST) {
            if (save)
                pt[i] = 0;
            else if (e) {
                snprintf(why, whylen, "L4 slot %u, the hypervisor's, is not empty", i);
                return -EINVAL;
            }
            continue;
        }
        if (!(e & SR_PTE_PRESENT))
            continue;                   /* not a frame: copied as it is */
        if ((level == 2 || level == 3) && (e & SR_PTE_PSE)) {
            snprintf(why, whylen, "Cannot migrate superpage (L%u entry %u)", level, i);
            return -E2BIG;
        }
        rc = xlate(ctx, (e & SR_PTE_FRAME) >> 12, &frame);
        if (rc) {
            snprintf(why, whylen, "L%u entry %u names frame 0x%llx, not the guest's",
                     level, i, (unsigned long long)((e & SR_PTE_FRAME) >> 12));
            return rc;
        }
        pt[i] = (e & ~SR_PTE_FRAME) | ((frame << 12) & SR_PTE_FRAME);
    }
    return 0;
}

static int xlate_one(sr_xlate_fn xlate, void *ctx, uint64_t *frame, const char *what,
                     char *why, size_t whylen)
{
    int rc = xlate(ctx, *frame, frame);

    if (rc)
        snprintf(why, whylen, "vCPU context: %s names a frame not the guest's", what);
    return rc;
}

int sr_vcpu_rewrite(struct vcpu_guest_context *c, unsigned int vcpu_id, bool save,
                    sr_xlate_fn xlate, void *ctx, char *why, size_t whylen)
{
    uint64_t frame;
    int rc;

    /* vCPU 0's rdx is start_info's frame: the guest passed it to suspend. */
    if (vcpu_id == 0 &&
        (rc = xlate_one(xlate, ctx, &c->user_regs.rdx, "rdx (start_info)", why, whylen)))
        return rc;
    if (c->gdt_ents > GDT_MAX_ENTS) {
        snprintf(why, whylen, "vCPU context: %llu GDT entries",
                 (unsigned long long)c->gdt_ents);
        return -EINVAL;
    }
    for (unsigned int i = 0; i < (c->gdt_ents + GDT_PER_FRAME - 1) / GDT_PER_FRAME; i++)
        if ((rc = xlate_one(xlate, ctx, &c->gdt_frames[i], "a GDT frame", why, whylen)))
            return rc;
    frame = c->ctrlreg[3] >> 12;
    if ((rc = xlate_one(xlate, ctx, &frame, "cr3", why, whylen)))
        return rc;
    c->ctrlreg[3] = frame << 12;
    /*
     * The user L4 is in cr1.  In the stream bit 0 says there is one (a
     * pfn may be 0); the hypervisor's form is a plain frame, 0 for none.
     */
    if (save ? c->ctrlreg[1] >> 12 != 0 : (c->ctrlreg[1] & 1) != 0) {
        frame = c->ctrlreg[1] >> 12;
        if ((rc = xlate_one(xlate, ctx, &frame, "cr1 (user L4)", why, whylen)))
            return rc;
        c->ctrlreg[1] = (frame << 12) | (save ? 1 : 0);
    } else {
        c->ctrlreg[1] = 0;
    }
    return 0;
}
