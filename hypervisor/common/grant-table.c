/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/grant-table.c - a domain's grant table (v1): the
 * shared frames and their active entries, the state machine of a grant
 * entry, and the maptrack of mappings a domain holds.  The hypercall is
 * in grant-op.c, mapping in grant-map.c, copying in grant-copy.c.
 *
 * Entry protocol (v1, shared with the granter): the granter writes
 * {flags, domid, frame}; while some use of the entry exists this code
 * keeps GTF_reading set, and GTF_writing while a writable one does.  The
 * granter revokes with a compare-and-exchange of flags to 0 that fails
 * while either bit is set, so it never reuses a frame still in use.
 * The hypervisor changes the flags only with atomic operations, and gives
 * up after a few retries if the granter keeps changing them underfoot.
 * Once an entry is pinned its frame is taken from the active entry, not
 * re-read from the (guest-writable) shared entry.
 *
 * Locking: a grant lock covers its domain's active entries, maptrack and
 * sizes.  Two domains' (map, unmap, copy, teardown) are taken lower
 * domain_id first (gnttab_lock_two).  Where they sit among the other
 * locks: docs/ARCHITECTURE.md, "Lock order".
 */
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/heap.h>
#include <mica/page.h>
#include "grant-table.h"

static void lock_gt(struct domain *d)
{
    spin_lock(&d->grant_table->lock);
}

static void unlock_gt(struct domain *d)
{
    spin_unlock(&d->grant_table->lock);
}

void gnttab_lock_two(struct domain *a, struct domain *b)
{
    struct domain *first = a->domain_id < b->domain_id ? a : b;

    lock_gt(first);
    if (a != b)
        lock_gt(first == a ? b : a);
}

void gnttab_unlock_two(struct domain *a, struct domain *b)
{
    unlock_gt(a);
    if (a != b)
        unlock_gt(b);
}

/*
 * The domain 'dom' names for a caller cd: DOMID_SELF (when allowed) or
 * an existing domain with a grant table, with a reference the caller puts;
 * NULL otherwise.
 */
struct domain *gnttab_domain(struct domain *cd, domid_t dom, bool self_ok)
{
    struct domain *d = self_ok ? get_domain_by_any_id(cd, dom) : get_domain_by_id(dom);

    if (d && !d->grant_table) {
        put_domain(d);
        d = NULL;
    }
    return d;
}

/*
 * The limits: the domain's own (domctl; 0 = the default), never above the
 * defaults, which size the arrays.
 */
unsigned int gnttab_max_frames(const struct domain *d)
{
    unsigned int n = d->max_grant_frames;

    return n && n < GNTTAB_MAX_FRAMES ? n : GNTTAB_MAX_FRAMES;
}

static unsigned int max_maptrack_frames(const struct domain *d)
{
    unsigned int n = d->max_maptrack_frames;

    return n && n < GNTTAB_MAX_MAPTRACK_FRAMES ? n : GNTTAB_MAX_MAPTRACK_FRAMES;
}

/* Add grant frames (and their active entries) up to nr_frames. */
int gnttab_grow(struct domain *d, unsigned int nr_frames)
{
    struct grant_table *gt = d->grant_table;

    if (nr_frames > gnttab_max_frames(d))
        return -EINVAL;
    while (gt->nr_frames < nr_frames) {
        unsigned int i = gt->nr_frames;
        struct active_grant *act = xzalloc(GNTTAB_ENTRIES_PER_FRAME * sizeof(*act));
        void *va = act ? gnttab_alloc_frame(d, &gt->shared_mfn[i]) : NULL;

        if (!va) {
            xfree(act);
            return -ENOMEM;
        }
        gt->shared[i] = va;
        gt->active[i] = act;
        gt->nr_frames = i + 1;
    }
    return 0;
}

int gnttab_init(struct domain *d)
{
    struct grant_table *gt = xzalloc_obj(struct grant_table);
    int rc = -ENOMEM;

    if (!gt)
        return -ENOMEM;
    gt->maptrack = xzalloc(GNTTAB_MAX_MAPTRACK_FRAMES * sizeof(*gt->maptrack));
    if (!gt->maptrack)
        goto out;
    d->grant_table = gt;
    rc = gnttab_grow(d, 1);
    if (rc)
        gnttab_destroy(d);
    return rc;
out:
    xfree(gt);
    return rc;
}

bool gnttab_frames_mapped(const struct domain *d)
{
    const struct grant_table *gt = d->grant_table;

    /* A shared frame counts 1 for being shared; more is a mapping. */
    for (unsigned int i = 0; gt && i < gt->nr_frames; i++)
        if (__atomic_load_n(&mfn_to_page(gt->shared_mfn[i])->count, __ATOMIC_ACQUIRE) > 1)
            return true;
    return false;
}

void gnttab_destroy(struct domain *d)
{
    struct grant_table *gt = d->grant_table;

    if (!gt)
        return;
    for (unsigned int i = 0; i < gt->nr_frames; i++) {
        gnttab_free_frame(gt->shared[i], gt->shared_mfn[i]);
        xfree(gt->active[i]);
    }
    for (unsigned int i = 0; i < gt->maptrack_frames; i++)
        xfree(gt->maptrack[i]);
    xfree(gt->maptrack);
    xfree(gt);
    d->grant_table = NULL;
}

/* The flags and domid of a v1 entry, read and swapped as one word. */
union grant_combo {
    uint32_t raw;
    struct {
        uint16_t flags;
        domid_t domid;
    };
};

/*
 * Set GTF_reading (and GTF_writing) for a new use by ldom, checking the
 * entry on the way unless it is already pinned (then the active entry
 * has been checked).  The granter may race us: retry a few times only.
 */
static int set_status(grant_entry_v1_t *e, const struct active_grant *act,
                      bool readonly, domid_t ldom)
{
    uint32_t *word = (uint32_t *)e;
    union grant_combo cur, new;

    cur.raw = __atomic_load_n(word, __ATOMIC_ACQUIRE);
    for (unsigned int tries = 0; ; tries++) {
        if (!act->pin && ((cur.flags & GTF_type_mask) != GTF_permit_access ||
                          cur.domid != ldom))
            return GNTST_general_error;
        new = cur;
        new.flags |= GTF_reading;
        if (!readonly) {
            if (cur.flags & GTF_readonly)
                return GNTST_general_error;
            new.flags |= GTF_writing;
        }
        if (__atomic_compare_exchange_n(word, &cur.raw, new.raw, false,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            return GNTST_okay;
        if (tries == 4)
            return GNTST_general_error;     /* the granter keeps changing it */
    }
}

/* After a use went: drop GTF_reading/GTF_writing if nothing needs them. */
static void reduce_status(grant_entry_v1_t *e, const struct active_grant *act,
                          bool readonly)
{
    uint16_t clear = act->pin ? 0 : GTF_reading;

    if (!readonly && !(act->pin & GNTPIN_write_mask))
        clear |= GTF_writing;
    if (clear)
        __atomic_fetch_and(&e->flags, (uint16_t)~clear, __ATOMIC_ACQ_REL);
}

/*
 * Take a use of rd's entry 'ref' for domain ldom (rd's lock held):
 * GNTST_okay with the frame in *mfn, or the status to report.  The frame
 * must be rd's own at the first pin; later pins share it.
 */
int gnttab_pin(struct domain *rd, grant_ref_t ref, domid_t ldom,
               uint32_t pin_inc, bool readonly, mfn_t *mfn)
{
    struct grant_table *gt = rd->grant_table;
    struct active_grant *act;
    grant_entry_v1_t *e;
    int rc;

    if (ref >= gnttab_nr_entries(gt))
        return GNTST_bad_gntref;
    e = gnttab_shared(gt, ref);
    act = gnttab_active(gt, ref);
    if (act->pin && (act->domid != ldom || (act->pin & GNTPIN_oflow(pin_inc))))
        return GNTST_general_error;
    if (!act->pin || (!readonly && !(act->pin & GNTPIN_write_mask))) {
        rc = set_status(e, act, readonly, ldom);
        if (rc != GNTST_okay)
            return rc;
        if (!act->pin) {
            mfn_t frame = e->frame;

            if (!mfn_valid(frame) || mfn_to_page(frame)->owner != rd ||
                !(mfn_to_page(frame)->flags & PGC_allocated)) {
                reduce_status(e, act, readonly);
                return GNTST_bad_page;
            }
            act->domid = ldom;
            act->mfn = frame;
        }
    }
    act->pin += pin_inc;
    *mfn = act->mfn;
    return GNTST_okay;
}

void gnttab_unpin(struct domain *rd, grant_ref_t ref, uint32_t pin_inc,
                  bool readonly)
{
    struct grant_table *gt = rd->grant_table;
    struct active_grant *act = gnttab_active(gt, ref);

    ASSERT(act->pin >= pin_inc);
    act->pin -= pin_inc;
    reduce_status(gnttab_shared(gt, ref), act, readonly);
}

struct maptrack *maptrack_entry(const struct grant_table *gt, uint32_t handle)
{
    if (handle >= gt->maptrack_frames * MAPTRACK_PER_FRAME)
        return NULL;
    return &gt->maptrack[handle / MAPTRACK_PER_FRAME][handle % MAPTRACK_PER_FRAME];
}

/* A free handle (caller holds gt's lock), growing by a frame if needed. */
int maptrack_get(struct domain *d)
{
    struct grant_table *gt = d->grant_table;
    struct maptrack *m;
    uint32_t h;

    ASSERT(spin_is_locked_by_me(&gt->lock));
    if (!gt->maptrack_free) {
        unsigned int f = gt->maptrack_frames;
        struct maptrack *page;

        if (f >= max_maptrack_frames(d))
            return -1;
        page = xzalloc(MAPTRACK_PER_FRAME * sizeof(*page));
        if (!page)
            return -1;
        /* Chain the new entries lowest first. */
        for (unsigned int i = 0; i < MAPTRACK_PER_FRAME; i++)
            page[i].pte = i + 1 < MAPTRACK_PER_FRAME ?
                          f * MAPTRACK_PER_FRAME + i + 2 : 0;
        gt->maptrack[f] = page;
        gt->maptrack_frames = f + 1;
        gt->maptrack_free = f * MAPTRACK_PER_FRAME + 1;
    }
    h = gt->maptrack_free - 1;
    m = maptrack_entry(gt, h);
    gt->maptrack_free = m->pte;
    m->pte = 0;
    gt->maptrack_used++;
    return h;
}

void maptrack_put(struct grant_table *gt, uint32_t handle)
{
    struct maptrack *m = maptrack_entry(gt, handle);

    ASSERT(spin_is_locked_by_me(&gt->lock));
    m->flags = 0;
    m->pte = gt->maptrack_free;
    gt->maptrack_free = handle + 1;
    gt->maptrack_used--;
}
