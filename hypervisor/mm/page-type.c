/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/mm/page-type.c - the reference and type counts of struct
 * page_info (see mica/page.h for the rules).
 *
 * Pure logic: the validation of table contents, freeing and TLB flushing
 * are hooks, so tests/unit drives every transition with its own frames.
 *
 * Locking: none yet.  One physical CPU runs guests today; the SMP work
 * makes these updates atomic (or takes the owner's mm lock) - every change
 * to count, type_count, type and type_flags goes through this file.
 */
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/page.h>

bool get_page(struct page_info *pg, const struct domain *d)
{
    if (!d || pg->owner != d || !(pg->flags & PGC_allocated))
        return false;
    if (pg->count >= PAGE_COUNT_MAX)
        return false;
    pg->count++;
    return true;
}

void put_page(struct page_info *pg)
{
    ASSERT(pg->count > 0);
    if (--pg->count == 0)
        page_release(pg);
}

int get_page_type(struct page_info *pg, unsigned int type)
{
    int rc;

    ASSERT(type != PGT_none);
    if (pg->type_count >= PAGE_COUNT_MAX)
        return -EBUSY;
    if (pg->type_count == 0) {
        if (pg->type != type) {
            /*
             * A frame leaving "writable" may still be writable through a
             * stale TLB entry; flush before it becomes a table.
             */
            if (pg->type == PGT_writable)
                flush_tlb_local();
            pg->type = type;
            pg->type_flags &= ~PGT_validated;
        }
    } else if (pg->type != type) {
        return -EINVAL;
    } else if ((is_pagetable_type(type) || type == PGT_seg_desc) &&
               !(pg->type_flags & PGT_validated)) {
        /* Still being validated further up this call chain: a table that
         * (indirectly) refers to itself. */
        return -EINVAL;
    }

    pg->type_count++;
    if ((is_pagetable_type(type) || type == PGT_seg_desc) &&
        !(pg->type_flags & PGT_validated)) {
        rc = page_validate(pg, type);
        if (rc) {
            pg->type_count--;
            if (pg->type_count == 0)
                pg->type = PGT_none;
            return rc;
        }
        pg->type_flags |= PGT_validated;
    }
    return 0;
}

void put_page_type(struct page_info *pg)
{
    ASSERT(pg->type_count > 0);
    if (--pg->type_count)
        return;
    ASSERT(!(pg->type_flags & PGT_pinned));
    if (pg->type_flags & PGT_validated) {
        /* Drop the entries' references; the type stays, unvalidated, so a
         * later use of the same type validates the contents again. */
        pg->type_flags &= ~PGT_validated;
        if (is_pagetable_type(pg->type) || pg->type == PGT_seg_desc)
            page_invalidate(pg, pg->type);
    }
}

int get_page_and_type(struct page_info *pg, const struct domain *d,
                      unsigned int type)
{
    int rc;

    if (!get_page(pg, d))
        return -EINVAL;
    rc = get_page_type(pg, type);
    if (rc)
        put_page(pg);
    return rc;
}

void put_page_and_type(struct page_info *pg)
{
    put_page_type(pg);
    put_page(pg);
}
