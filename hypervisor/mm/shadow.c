/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/mm/shadow.c - the shadow page tables a PV domain runs on
 * while its memory is log-dirty tracked (live migration), and the hooks
 * that keep them exact.
 *
 * Why shadows: a PV guest reads its own PTEs and decides copy-on-write
 * from their RW bit, so the hypervisor may not clear RW in them to catch
 * the first write after a CLEAN.  Instead, while log-dirty is on, CR3
 * holds tables the hypervisor builds from the guest's, and only those
 * lose RW.
 *
 * The design:
 *  - Each vCPU has two shadow L4s of its own (kernel and user mode),
 *    the "roots", made from the guest L4 that mode runs on (src).  The
 *    hypervisor slots are copied from the guest L4; the guest slots start
 *    empty.  A root is remade when its vCPU's L4 changes (new_baseptr,
 *    a context switch, a mode switch to another L4).
 *  - Shadows of guest L3, L2 and L1 tables come from a pool allocated when
 *    log-dirty is enabled, hashed by the guest table's mfn; they are
 *    shared by every root that reaches the guest table.
 *  - Shadow entries are made only on a page fault (mm/shadow-fault.c),
 *    walking the guest's tables as the hardware would: Accessed is set in
 *    each guest entry walked, and Dirty in the guest L1 entry on a write,
 *    before the shadow entry exists.  A shadow L1 entry is writable only
 *    when the guest entry is RW and Dirty and the frame is already dirty
 *    in this round, so the hardware never sets an A or D bit the guest's
 *    entry lacks, and the first write of a round faults and is logged.
 *  - Every change of a guest table passes through Mica's validation, so
 *    shadows are kept in sync eagerly there instead of write-protecting
 *    guest tables: mod_entry() (mmu_update, update_va_mapping, ptwr) and
 *    the grant PTE writers call shadow_entry_changed() after writing the
 *    guest entry and before the old entry's references are dropped, which
 *    clears the one shadow entry made from it (in the roots, for an L4).
 *    A table that stops being one (its last type reference goes) loses
 *    its shadow through shadow_table_changed(), from page_invalidate(),
 *    before its own entries' references go; its parents' shadow entries
 *    were cleared before, when the guest entries naming it changed (or
 *    the parents went first, the same way).
 *  - Ownership: a shadow entry holds no reference.  Whatever it maps is
 *    mapped by the guest entry it was made from, which holds the
 *    references, and the entry is cleared before that guest entry's
 *    references go.  Stale TLB entries after that are the TLB clock's
 *    business (mm/tlb-clock.c), as for the guest's own tables.
 *  - Invalidation: CLEAN (domain paused) frees every pool shadow and
 *    empties the roots, so each page faults again in the new round; so
 *    does a full pool, after which every CPU is flushed before a freed
 *    frame is reused.  A guest that changes an entry must flush, as on
 *    hardware; the shadow entry is gone already.
 *  - Locking: d->paging_lock, taken with interrupts off (the fault path
 *    runs with them off), guards d->paging and everything it points to
 *    but the bitmap's words, which change atomically.  It is a leaf: under
 *    it nothing allocates, sends an IPI, or touches a guest virtual
 *    address; guest tables are read and updated through the direct map
 *    (compare-exchange, as they change under us).  Enable, OFF and CLEAN
 *    run under the domctl lock with the domain paused.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/frame-alloc.h>
#include <mica/heap.h>
#include <mica/page.h>
#include <mica/paging.h>
#include <mica/tlb-clock.h>
#include <asm/config.h>
#include <asm/io.h>
#include <asm/page.h>
#include <asm/smp.h>
#include "shadow.h"

pte_t *shadow_table(mfn_t mfn)
{
    return __va(mfn << PAGE_SHIFT);
}

static unsigned int bucket_of(const struct paging *p, mfn_t gmfn)
{
    return (unsigned int)(gmfn * 0x9e3779b97f4a7c15UL >> 40) & p->bucket_mask;
}

static int32_t find_index(const struct paging *p, mfn_t gmfn)
{
    for (int32_t i = p->buckets[bucket_of(p, gmfn)]; i != SH_NONE; i = p->meta[i].next)
        if (p->meta[i].gmfn == gmfn)
            return i;
    return SH_NONE;
}

mfn_t shadow_lookup(const struct paging *p, mfn_t gmfn)
{
    int32_t i = find_index(p, gmfn);

    return i == SH_NONE ? 0 : p->frames[i];
}

/* The shadow of guest table 'gmfn' (made empty if new), 0 if the pool is used up. */
mfn_t shadow_get(struct paging *p, mfn_t gmfn, unsigned int level)
{
    int32_t i = find_index(p, gmfn);
    unsigned int b;

    if (i != SH_NONE) {
        ASSERT(p->meta[i].level == level);
        return p->frames[i];
    }
    if (p->free_head == SH_NONE || p->flushed_gen != p->blow_gen)
        return 0;
    i = p->free_head;
    p->free_head = p->meta[i].next;
    p->nr_free--;
    memset(shadow_table(p->frames[i]), 0, PAGE_SIZE);
    b = bucket_of(p, gmfn);
    p->meta[i] = (struct shadow_meta){ .gmfn = gmfn, .next = p->buckets[b], .level = level };
    p->buckets[b] = i;
    return p->frames[i];
}

static void put_free(struct paging *p, int32_t i)
{
    p->meta[i] = (struct shadow_meta){ .gmfn = 0, .next = p->free_head };
    p->free_head = i;
    p->nr_free++;
}

/* Unhash and free the shadow of 'gmfn', if it has one. */
static void shadow_drop(struct paging *p, mfn_t gmfn)
{
    int32_t *link = &p->buckets[bucket_of(p, gmfn)];

    for (int32_t i = *link; i != SH_NONE; link = &p->meta[i].next, i = *link) {
        if (p->meta[i].gmfn == gmfn) {
            *link = p->meta[i].next;
            put_free(p, i);
            return;
        }
    }
}

static void root_clear(struct shadow_root *r)
{
    pte_t *t = shadow_table(r->mfn);

    memset(t, 0, HYPERVISOR_PML4_FIRST * sizeof(pte_t));
    memset(&t[HYPERVISOR_PML4_LAST + 1], 0, (511 - HYPERVISOR_PML4_LAST) * sizeof(pte_t));
}

/* Remake a root for guest L4 'src': the hypervisor's slots, no guest entry yet. */
static void root_remake(struct shadow_root *r, mfn_t src)
{
    const pte_t *g = shadow_table(src);
    pte_t *t = shadow_table(r->mfn);

    root_clear(r);
    for (unsigned int i = HYPERVISOR_PML4_FIRST; i <= HYPERVISOR_PML4_LAST; i++)
        t[i] = g[i];
    r->src = src;
}

struct shadow_root *shadow_root_of(struct paging *p, const struct vcpu *v)
{
    unsigned int i = v->vcpu_id * 2 + !v->arch.kernel_mode;

    ASSERT(i < p->nr_roots);
    return &p->roots[i];
}

/* Every pool shadow goes and the roots empty: the next round faults afresh. */
void shadow_blow_all(struct paging *p)
{
    for (unsigned int b = 0; b <= p->bucket_mask; b++) {
        while (p->buckets[b] != SH_NONE) {
            int32_t i = p->buckets[b];

            p->buckets[b] = p->meta[i].next;
            put_free(p, i);
        }
    }
    for (unsigned int r = 0; r < p->nr_roots; r++)
        if (p->roots[r].src)
            root_clear(&p->roots[r]);
    ASSERT(p->nr_free == p->nr_frames);
    p->blow_gen++;
}

/* Every CPU flushed after blow number 'gen': its frames may be reused. */
void shadow_flushed(struct paging *p, uint64_t gen)
{
    if (gen > p->flushed_gen)
        p->flushed_gen = gen;
}

/* Blow every shadow of d's and flush every CPU (interrupts on, no lock held). */
void shadow_blow_and_flush(struct domain *d)
{
    unsigned long flags = spin_lock_irqsave(&d->paging_lock);
    uint64_t gen = 0;

    if (d->paging) {
        shadow_blow_all(d->paging);
        gen = d->paging->blow_gen;
    }
    spin_unlock_irqrestore(&d->paging_lock, flags);
    if (!gen)
        return;
    flush_tlb_all_cpus();
    flags = spin_lock_irqsave(&d->paging_lock);
    if (d->paging)
        shadow_flushed(d->paging, gen);
    spin_unlock_irqrestore(&d->paging_lock, flags);
}

mfn_t shadow_cr3_slow(struct vcpu *v)
{
    struct domain *d = v->domain;
    mfn_t g = pv_active_table(&v->arch), cr3 = g;
    unsigned long flags;
    struct paging *p = __atomic_load_n(&d->paging, __ATOMIC_ACQUIRE);

    /*
     * Every mode switch (each guest system call) comes here: no lock when
     * the root is already made from this L4.  Only v itself remakes its
     * roots; the src of a root in use cannot be cleared, as v's reference
     * keeps that L4 a table; and the state cannot go while v is on a CPU
     * (OFF pauses the domain first).
     */
    if (p && g && __atomic_load_n(&shadow_root_of(p, v)->src, __ATOMIC_ACQUIRE) == g)
        return shadow_root_of(p, v)->mfn;
    flags = spin_lock_irqsave(&d->paging_lock);
    p = d->paging;
    if (p && g) {
        struct shadow_root *r = shadow_root_of(p, v);

        if (r->src != g)
            root_remake(r, g);
        cr3 = r->mfn;
    }
    spin_unlock_irqrestore(&d->paging_lock, flags);
    return cr3;
}

void shadow_entry_changed_slow(struct domain *d, struct page_info *pg, unsigned int idx)
{
    mfn_t gmfn = page_to_mfn(pg), s;
    unsigned long flags;
    struct paging *p = paging_lock_and_log(d, gmfn, &flags);

    if (p) {
        if (pg->type == PGT_l4) {
            for (unsigned int r = 0; r < p->nr_roots; r++)
                if (p->roots[r].src == gmfn)
                    shadow_table(p->roots[r].mfn)[idx] = 0;
        } else if ((s = shadow_lookup(p, gmfn)) != 0) {
            __atomic_store_n(&shadow_table(s)[idx], 0, __ATOMIC_SEQ_CST);
        }
    }
    spin_unlock_irqrestore(&d->paging_lock, flags);
}

/* Validation rewrites entries (the user bit, the hypervisor slots): logged too. */
void shadow_table_changed_slow(struct domain *d, struct page_info *pg)
{
    mfn_t gmfn = page_to_mfn(pg);
    unsigned long flags;
    struct paging *p = paging_lock_and_log(d, gmfn, &flags);

    if (p) {
        shadow_drop(p, gmfn);
        for (unsigned int r = 0; r < p->nr_roots; r++) {
            if (p->roots[r].src == gmfn) {
                root_clear(&p->roots[r]);
                p->roots[r].src = 0;
            }
        }
    }
    spin_unlock_irqrestore(&d->paging_lock, flags);
}

static void free_one(mfn_t mfn)
{
    /* A CPU may still cache it: the allocator flushes before reuse. */
    mfn_to_page(mfn)->tlbflush_stamp = tlb_clock_now();
    free_frames(mfn, 0);
}

/* Free the pool and the roots (the domain runs on its own tables again). */
void shadow_free(struct paging *p)
{
    for (unsigned int i = 0; i < p->nr_frames; i++)
        if (p->frames && p->frames[i])
            free_one(p->frames[i]);
    for (unsigned int r = 0; r < p->nr_roots; r++)
        if (p->roots && p->roots[r].mfn)
            free_one(p->roots[r].mfn);
    xfree(p->frames);
    xfree(p->meta);
    xfree(p->buckets);
    xfree(p->roots);
    p->frames = NULL;
    p->meta = NULL;
    p->buckets = NULL;
    p->roots = NULL;
}

static mfn_t take_frame(void)
{
    mfn_t m = alloc_frames(0);

    return m == INVALID_MFN ? 0 : m;
}

/* Allocate the pool and the roots (interrupts on, no lock: the allocator may flush). */
int shadow_enable(struct domain *d, struct paging *p, unsigned int pool_frames)
{
    unsigned int nb = 1;

    while (nb < pool_frames)
        nb <<= 1;
    p->nr_frames = pool_frames;
    p->nr_roots = d->max_vcpus * 2;
    p->frames = xzalloc(pool_frames * sizeof(*p->frames));
    p->meta = xzalloc(pool_frames * sizeof(*p->meta));
    p->buckets = xmalloc(nb * sizeof(*p->buckets));
    p->roots = xzalloc(p->nr_roots * sizeof(*p->roots));
    if (!p->frames || !p->meta || !p->buckets || !p->roots)
        goto fail;
    p->bucket_mask = nb - 1;
    for (unsigned int b = 0; b < nb; b++)
        p->buckets[b] = SH_NONE;
    p->free_head = SH_NONE;
    p->nr_free = 0;
    for (unsigned int i = 0; i < pool_frames; i++) {
        if (!(p->frames[i] = take_frame()))
            goto fail;
        put_free(p, i);
    }
    for (unsigned int r = 0; r < p->nr_roots; r++)
        if (!(p->roots[r].mfn = take_frame()))
            goto fail;
    return 0;
fail:
    shadow_free(p);
    return -ENOMEM;
}

/* Trade the pools (frames, hash, free list) and roots of a and b. */
static void swap_pool(struct paging *a, struct paging *b)
{
    struct paging t = *a;

    a->nr_frames = b->nr_frames, b->nr_frames = t.nr_frames;
    a->frames = b->frames, b->frames = t.frames;
    a->meta = b->meta, b->meta = t.meta;
    a->free_head = b->free_head, b->free_head = t.free_head;
    a->nr_free = b->nr_free, b->nr_free = t.nr_free;
    a->buckets = b->buckets, b->buckets = t.buckets;
    a->bucket_mask = b->bucket_mask, b->bucket_mask = t.bucket_mask;
    a->roots = b->roots, b->roots = t.roots;
    a->nr_roots = b->nr_roots, b->nr_roots = t.nr_roots;
}

/*
 * SET_ALLOCATION while log-dirty is on: a pool of 'pool_frames' replaces
 * the one in use now, as Xen resizes its pool when asked.  The caller has
 * the domain paused, so no vCPU runs on a root; every shadow goes (the
 * next run faults them in afresh, the bitmap is kept) and the old frames
 * go back stamped, so no CPU's stale TLB entry outlives them (free_one).
 */
int shadow_resize(struct domain *d, unsigned int pool_frames)
{
    struct paging fresh;
    unsigned long flags;
    int rc;

    memset(&fresh, 0, sizeof(fresh));
    rc = shadow_enable(d, &fresh, pool_frames);
    if (rc)
        return rc;
    flags = spin_lock_irqsave(&d->paging_lock);
    if (d->paging)
        swap_pool(d->paging, &fresh);
    spin_unlock_irqrestore(&d->paging_lock, flags);
    shadow_free(&fresh);                /* the old pool (the new one if off) */
    return 0;
}
