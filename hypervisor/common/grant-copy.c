/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/grant-copy.c - one GNTTABOP_copy operation: each side
 * is a grant reference of some domain, or a frame of the caller's own
 * (named with DOMID_SELF), and the bytes must stay inside both pages.
 * Failures are the operation's status, never the hypercall's result:
 * Linux BUG()s if a copy hypercall fails.
 *
 * The checks come in Xen's order (domains, source, destination, bounds)
 * so that a bad operation gets the same status on both.  A grant side
 * holds a pin (so GTF_reading/GTF_writing are set just for the copy) and
 * a frame reference; both locks are held over the memcpy, which is at
 * most one page.  Each side's domain is held by reference throughout.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/page.h>
#include <mica/paging.h>
#include "grant-table.h"

struct copy_side {
    struct domain *d;               /* referenced (gnttab_domain) */
    bool gref;                      /* named by grant (else own frame) */
    bool ro;                        /* the source side */
    bool pinned, typed;
    struct page_info *pg;
    mfn_t mfn;
};

static int side_domain(struct domain *ld, const struct gnttab_copy_ptr *p,
                       struct copy_side *s)
{
    if (!s->gref && p->domid != DOMID_SELF)
        return GNTST_permission_denied;     /* frames only of the caller */
    s->d = gnttab_domain(ld, p->domid, true);
    return s->d ? GNTST_okay : GNTST_bad_domain;
}

static int claim(struct domain *ld, const struct gnttab_copy_ptr *p,
                 struct copy_side *s)
{
    int rc;

    if (s->gref) {
        rc = gnttab_pin(s->d, p->u.ref, ld->domain_id,
                        s->ro ? GNTPIN_hstr_inc : GNTPIN_hstw_inc, s->ro, &s->mfn);
        if (rc != GNTST_okay)
            return rc;
        s->pinned = true;
    } else {
        s->mfn = p->u.gmfn;
        if (!mfn_valid(s->mfn))
            return GNTST_bad_page;
    }
    if (!get_page(mfn_to_page(s->mfn), s->d))
        return s->gref ? GNTST_general_error : GNTST_bad_page;
    s->pg = mfn_to_page(s->mfn);
    if (!s->ro) {
        if (get_page_type(s->pg, PGT_writable))
            return GNTST_general_error;
        s->typed = true;
    }
    return GNTST_okay;
}

static void release(const struct gnttab_copy_ptr *p, struct copy_side *s)
{
    if (s->typed)
        put_page_type(s->pg);
    if (s->pg)
        put_page(s->pg);
    if (s->pinned)
        gnttab_unpin(s->d, p->u.ref, s->ro ? GNTPIN_hstr_inc : GNTPIN_hstw_inc,
                     s->ro);
}

int gnttab_copy_one(struct domain *ld, const struct gnttab_copy *op)
{
    struct copy_side src = { .gref = op->flags & GNTCOPY_source_gref, .ro = true };
    struct copy_side dst = { .gref = op->flags & GNTCOPY_dest_gref };
    int rc;

    rc = side_domain(ld, &op->source, &src);
    if (rc == GNTST_okay)
        rc = side_domain(ld, &op->dest, &dst);
    if (rc != GNTST_okay)
        goto out_put;
    gnttab_lock_two(src.d, dst.d);
    rc = claim(ld, &op->source, &src);
    if (rc == GNTST_okay)
        rc = claim(ld, &op->dest, &dst);
    if (rc == GNTST_okay && (op->source.offset + op->len > PAGE_SIZE ||
                             op->dest.offset + op->len > PAGE_SIZE))
        rc = GNTST_bad_copy_arg;
    if (rc == GNTST_okay) {
        memcpy((char *)gnttab_frame_va(dst.mfn) + op->dest.offset,
               (const char *)gnttab_frame_va(src.mfn) + op->source.offset, op->len);
        paging_mark_dirty(dst.d, dst.mfn);
    }
    release(&op->dest, &dst);
    release(&op->source, &src);
    gnttab_unlock_two(src.d, dst.d);
out_put:
    if (dst.d)
        put_domain(dst.d);
    if (src.d)
        put_domain(src.d);
    return rc;
}
