/* SPDX-License-Identifier: MIT */
/*
 * sr-fixup.c - what a restorer rewrites in the guest's own pages before
 * it runs in its new domain, as libxc does (pure; the pages are the
 * caller's copies):
 *
 *   start_info   the guest turned store_mfn and console.mfn into pfns
 *                before it suspended; they become the new domain's mfns,
 *                with its new event channels, the new shared_info's
 *                machine address, nr_pages the p2m's size, no SIF_ flags
 *   shared_info  the saved vcpu_info slots and arch part go into the new
 *                domain's page; no event is pending and every port is
 *                masked (the guest rebinds each one and unmasks it), and
 *                the frame-list root is cleared (the guest publishes its
 *                p2m again on resume)
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <public/xen.h>
#include "sr-stream.h"

int sr_start_info_fixup(struct start_info *si, const struct sr_start_fix *f,
                        sr_xlate_fn pfn_to_mfn, void *ctx, char *why, size_t whylen)
{
    uint64_t store, console;

    if (memcmp(si->magic, "xen-3.0-x86_64", 14)) {
        snprintf(why, whylen, "start_info has no x86-64 magic");
        return -EINVAL;
    }
    if (pfn_to_mfn(ctx, si->store_mfn, &store) || pfn_to_mfn(ctx, si->console.domU.mfn,
                                                              &console)) {
        snprintf(why, whylen, "start_info's store pfn %#llx or console pfn %#llx is not "
                 "the guest's", (unsigned long long)si->store_mfn,
                 (unsigned long long)si->console.domU.mfn);
        return -ERANGE;
    }
    si->nr_pages = f->nr_pages;
    si->shared_info = f->shared_info_mfn << 12;
    si->flags = 0;
    si->store_mfn = store;
    si->store_evtchn = f->store_evtchn;
    si->console.domU.mfn = console;
    si->console.domU.evtchn = f->console_evtchn;
    return 0;
}

void sr_shared_info_fixup(void *new_page, const void *saved)
{
    struct shared_info *n = new_page;
    const struct shared_info *s = saved;

    memcpy(n->vcpu_info, s->vcpu_info, sizeof(n->vcpu_info));
    memcpy(&n->arch, &s->arch, sizeof(n->arch));
    n->arch.pfn_to_mfn_frame_list_list = 0;
    for (size_t i = 0; i < sizeof(n->vcpu_info) / sizeof(n->vcpu_info[0]); i++) {
        n->vcpu_info[i].evtchn_upcall_pending = 0;
        n->vcpu_info[i].evtchn_pending_sel = 0;
    }
    memset(n->evtchn_pending, 0, sizeof(n->evtchn_pending));
    memset(n->evtchn_mask, 0xff, sizeof(n->evtchn_mask));
}
