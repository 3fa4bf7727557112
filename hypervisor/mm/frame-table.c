/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/mm/frame-table.c - the frame table (one struct page_info per
 * machine frame) and the pages a domain owns: giving frames to a domain,
 * taking them back, and releasing everything when it is destroyed.
 *
 * Locking order: d->page_lock (the domain's page list and tot_pages) is a
 * leaf - nothing else is taken while it is held; counts and types are
 * lock-free (page-type.c).  A page is in its owner's list from
 * assign_page() until its last reference goes (page_release()); walking
 * the list without the lock holds a reference on the current page.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/page.h>
#include <mica/frame-alloc.h>
#include <mica/m2p.h>
#include <mica/tlb-clock.h>
#include <mica/bootinfo.h>
#include <asm/config.h>
#include <asm/io.h>
#include <asm/smp.h>
#include <asm/cpu.h>
#include <asm/spinlock.h>

struct page_info *frame_table;
mfn_t frame_table_size;

void frame_table_init(const struct boot_info *bi)
{
    size_t bytes = frames_max_mfn() * sizeof(struct page_info);
    unsigned int order = 0;
    mfn_t m;

    while ((PAGE_SIZE << order) < bytes)
        order++;
    m = alloc_frames(order);
    if (m == INVALID_MFN)
        panic("no %zu KiB block for the frame table", bytes >> 10);
    /* Give back the tail of the power-of-two block that is not needed. */
    for (mfn_t t = m + ROUNDUP(bytes, PAGE_SIZE) / PAGE_SIZE; t < m + (1UL << order); t++)
        free_frames(t, 0);

    frame_table = __va(m << PAGE_SHIFT);
    frame_table_size = frames_max_mfn();
    memset(frame_table, 0, bytes);
    for (unsigned int i = 0; i < bi->nr_memmap; i++) {
        const struct memmap_entry *e = &bi->memmap[i];

        if (e->type != MEM_AVAILABLE)
            continue;
        for (mfn_t f = ROUNDUP(e->addr, PAGE_SIZE) >> PAGE_SHIFT;
             f < (e->addr + e->len) >> PAGE_SHIFT && f < frame_table_size; f++)
            frame_table[f].flags |= PGC_ram;
    }
    frames_set_reuse_hook(tlb_clock_before_reuse);
    printk("Frame table: %lu entries, %zu KiB\n", frame_table_size, bytes >> 10);
}

void flush_tlb_local(void)
{
    tlb_clock_flush_local();
}

static struct page_info *list_page(uint32_t link)
{
    return link ? mfn_to_page(link - 1) : NULL;
}

/* Both under d->page_lock. */
static void list_add(struct domain *d, struct page_info *pg)
{
    uint32_t link = page_to_mfn(pg) + 1;

    ASSERT(spin_is_locked_by_me(&d->page_lock));
    pg->prev = 0;
    pg->next = d->page_list;
    if (d->page_list)
        list_page(d->page_list)->prev = link;
    d->page_list = link;
}

static void list_del(struct domain *d, struct page_info *pg)
{
    ASSERT(spin_is_locked_by_me(&d->page_lock));
    if (pg->prev)
        list_page(pg->prev)->next = pg->next;
    else
        d->page_list = pg->next;
    if (pg->next)
        list_page(pg->next)->prev = pg->prev;
    pg->next = pg->prev = 0;
}

/*
 * Give the 2^order frames from 'mfn' (already scrubbed) to 'd', each with
 * its allocation reference: all of them, or none if that would take d past
 * max_pages (checked under the lock: two vCPUs may populate at once).
 */
int assign_pages(struct domain *d, mfn_t mfn, unsigned int order)
{
    unsigned long n = 1UL << order;
    int rc = 0;

    spin_lock(&d->page_lock);
    if (d->tot_pages + n > d->max_pages) {
        rc = -ENOMEM;
        goto out;
    }
    for (unsigned long i = 0; i < n; i++) {
        struct page_info *pg = mfn_to_page(mfn + i);

        ASSERT(!pg->owner && !pg->count && !pg->type_count);
        pg->owner = d;
        page_forget_type(pg);
        __atomic_fetch_or(&pg->flags, PGC_allocated, __ATOMIC_SEQ_CST);
        /* Last: get_page() takes references only on a frame with a count. */
        __atomic_store_n(&pg->count, 1, __ATOMIC_SEQ_CST);
        list_add(d, pg);
    }
    d->tot_pages += n;
out:
    spin_unlock(&d->page_lock);
    return rc;
}

int assign_page(struct domain *d, mfn_t mfn)
{
    return assign_pages(d, mfn, 0);
}

mfn_t domain_alloc_page(struct domain *d, bool scrub)
{
    mfn_t m = alloc_frames(0);

    if (m == INVALID_MFN)
        return INVALID_MFN;
    if (scrub)
        memset(__va(m << PAGE_SHIFT), 0, PAGE_SIZE);
    if (assign_page(d, m)) {
        free_frames(m, 0);
        return INVALID_MFN;
    }
    return m;
}

/*
 * Share a hypervisor page (shared_info) with 'd': owned by it so that it
 * can map it, but never counted, given back or freed as the domain's own.
 */
void share_xen_page(struct domain *d, mfn_t mfn)
{
    struct page_info *pg = mfn_to_page(mfn);
    int rc;

    pg->owner = d;
    __atomic_fetch_or(&pg->flags, PGC_allocated | PGC_xen_heap, __ATOMIC_SEQ_CST);
    __atomic_store_n(&pg->count, 1, __ATOMIC_SEQ_CST);
    /*
     * We write into it (event bits, grant entries) behind the guest's
     * back, so it stays "writable" for good: a guest must never get it
     * validated as a page table or descriptor table.
     */
    page_forget_type(pg);
    rc = get_page_type(pg, PGT_writable);
    ASSERT(rc == 0);
}

/* Take a shared hypervisor page back before freeing it. */
void unshare_xen_page(mfn_t mfn)
{
    struct page_info *pg = mfn_to_page(mfn);

    page_forget_type(pg);               /* our permanent writable ref too */
    __atomic_store_n(&pg->count, 0, __ATOMIC_SEQ_CST);
    __atomic_fetch_and(&pg->flags, ~(PGC_allocated | PGC_xen_heap), __ATOMIC_SEQ_CST);
    pg->owner = NULL;
    /* A guest may have mapped it: the allocator flushes before reuse. */
    pg->tlbflush_stamp = tlb_clock_now();
}

/* The last reference went: the frame goes back to the free pool. */
void page_release(struct page_info *pg)
{
    struct domain *d = pg->owner;

    ASSERT(!pg->count && !pg->type_count);
    if (!d)
        return;
    if (pg->flags & PGC_xen_heap)
        return;                 /* freed by whoever shared it */
    spin_lock(&d->page_lock);
    list_del(d, pg);
    d->tot_pages--;
    spin_unlock(&d->page_lock);
    pg->owner = NULL;
    page_forget_type(pg);
    __atomic_fetch_and(&pg->flags, ~PGC_allocated, __ATOMIC_SEQ_CST);
    set_gpfn_from_mfn(page_to_mfn(pg), M2P_INVALID);
    /* A TLB may still map it: see tlb-clock.c. */
    pg->tlbflush_stamp = tlb_clock_now();
    free_frames(page_to_mfn(pg), 0);
}

/* The guest gives a frame back (decrease_reservation): drop its own ref. */
int guest_remove_page(struct domain *d, mfn_t mfn)
{
    struct page_info *pg;

    if (!mfn_valid(mfn))
        return -EINVAL;
    pg = mfn_to_page(mfn);
    /* Our own reference keeps it d's while we look. */
    if (!get_page(pg, d))
        return -EINVAL;
    if ((pg->flags & PGC_xen_heap) ||
        !(__atomic_fetch_and(&pg->flags, ~PGC_allocated, __ATOMIC_SEQ_CST) & PGC_allocated)) {
        put_page(pg);
        return -EINVAL;
    }
    if (page_clear_pinned(pg))
        put_page_and_type(pg);
    put_page(pg);               /* the allocation reference */
    put_page(pg);
    return 0;
}

/*
 * The next page of d's list from 'link' on that still has a count, with a
 * reference taken so that it stays in the list while the lock is dropped.
 * Called with d->page_lock held.
 */
static struct page_info *next_live(uint32_t link)
{
    for (; link; link = list_page(link)->next)
        if (get_page_nonzero(list_page(link)))
            return list_page(link);
    return NULL;
}

/*
 * Run fn on every page of d without the list lock held (fn may free other
 * pages, whose release takes the lock); other CPUs may free pages of d
 * meanwhile too (a grant mapper letting go).
 */
static void for_each_page(struct domain *d, void (*fn)(struct page_info *pg))
{
    struct page_info *pg, *next;

    spin_lock(&d->page_lock);
    pg = next_live(d->page_list);
    spin_unlock(&d->page_lock);
    while (pg) {
        fn(pg);
        spin_lock(&d->page_lock);
        next = next_live(pg->next);
        spin_unlock(&d->page_lock);
        put_page(pg);
        pg = next;
    }
}

static void drop_pin(struct page_info *pg)
{
    if (page_clear_pinned(pg))
        put_page_and_type(pg);
}

static void drop_validation(struct page_info *pg)
{
    unsigned int type = page_end_validation(pg);

    if (type != PGT_none)
        page_invalidate(pg, type);
}

static void drop_allocation(struct page_info *pg)
{
    /*
     * Type references left belong to entries now dead: forget them - but
     * not those of another domain's mapping (foreign or grant), which
     * keeps the frame, and the domain as a zombie, until it unmaps.  The
     * walker's and the allocation's references are the count's first 2.
     */
    if (__atomic_load_n(&pg->count, __ATOMIC_ACQUIRE) <= 2)
        page_forget_type(pg);
    if (__atomic_fetch_and(&pg->flags, ~PGC_allocated, __ATOMIC_SEQ_CST) & PGC_allocated)
        put_page(pg);
}

/*
 * Destroying a domain: take apart the graph of page-table references
 * first (pins, then every validated table), then drop each frame's
 * allocation reference, which frees it.  Anything left over is reported.
 */
void domain_relinquish_memory(struct domain *d)
{
    for_each_page(d, drop_pin);
    for_each_page(d, drop_validation);
    for_each_page(d, drop_allocation);
}

/* Hooks of page-type.c. */
void flush_tlb_retype(const struct page_info *pg)
{
    /* Any CPU may have run a vCPU of the owner with the frame writable. */
    flush_tlb_all_cpus();
}

unsigned int page_cpu(void)
{
    return smp_processor_id();
}
