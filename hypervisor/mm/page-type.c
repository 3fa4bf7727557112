/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/mm/page-type.c - the reference and type counts of struct
 * page_info (see mica/page.h for the rules), safe on any number of CPUs.
 *
 * Pure logic: the validation of table contents, freeing and TLB flushing
 * are hooks, so tests/unit drives every transition with its own frames,
 * from several threads at once.
 *
 * Why compare-exchange and not a lock per page: a table's validation
 * takes references on the frames it points to, so a per-page lock held
 * across validation would nest page locks in an order set by the guest's
 * own tables (two CPUs validating tables that point at each other would
 * deadlock).  Instead every transition is one compare-exchange of the
 * whole type word (count, type, flags and the validating CPU), and no
 * lock is held while validating.  A table being validated or invalidated
 * keeps a type count of at least one and no PGT_validated, with type_cpu
 * naming the CPU doing it; meanwhile others asking for the same type
 * wait, others asking for another type fail as for any table in use.
 *
 * Waiting cannot deadlock: a CPU validating a level-N table only waits
 * for tables of level N-1 (mm/pagetable.c refuses linear tables), and
 * invalidation never waits.  A CPU finding its own tag on the frame it
 * would wait for has met a table that refers to itself up the call chain:
 * that is refused with -EINVAL.  Waiters spin with interrupts on, so a
 * validator may still flush other CPUs' TLBs through IPIs.
 *
 * Locking order: none here - count and type_info are lock-free and this
 * file takes no lock.  The owner's page list (frame-table.c) has its own
 * lock, taken only when the last general reference goes.
 */
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/page.h>

#define SEQ     __ATOMIC_SEQ_CST

static bool needs_validation(unsigned int type)
{
    return is_pagetable_type(type) || type == PGT_seg_desc;
}

static uint16_t my_tag(void)
{
    return (uint16_t)(page_cpu() + 1);
}

static uint64_t load_type(const struct page_info *pg)
{
    return __atomic_load_n(&pg->type_info, SEQ);
}

static bool swap_type(struct page_info *pg, struct page_info *x, const struct page_info *nx)
{
    return __atomic_compare_exchange_n(&pg->type_info, &x->type_info, nx->type_info,
                                       false, SEQ, SEQ);
}

/* Another CPU is (in)validating: wait until the word moves on. */
static uint64_t wait_type_change(const struct page_info *pg, uint64_t seen)
{
    uint64_t now;

    while ((now = load_type(pg)) == seen)
        __builtin_ia32_pause();
    return now;
}

bool get_page_nonzero(struct page_info *pg)
{
    uint32_t x = __atomic_load_n(&pg->count, SEQ);

    do {
        if (x == 0 || x >= PAGE_COUNT_MAX)
            return false;
    } while (!__atomic_compare_exchange_n(&pg->count, &x, x + 1, false, SEQ, SEQ));
    return true;
}

bool get_page(struct page_info *pg, const struct domain *d)
{
    if (!d || !get_page_nonzero(pg))
        return false;
    /* Checked with the reference held: the frame cannot be freed and given
     * to someone else between the check and its use. */
    if (__atomic_load_n(&pg->owner, SEQ) != d ||
        !(__atomic_load_n(&pg->flags, SEQ) & PGC_allocated)) {
        put_page(pg);
        return false;
    }
    return true;
}

void put_page(struct page_info *pg)
{
    uint32_t old = __atomic_fetch_sub(&pg->count, 1, SEQ);

    ASSERT(old > 0);
    if (old == 1)
        page_release(pg);
}

/* The validator's last step: mark the result and let the waiters go. */
static void end_validation(struct page_info *pg, int rc)
{
    struct page_info x, nx;

    x.type_info = load_type(pg);
    do {
        ASSERT(x.type_cpu == my_tag() && x.type_count > 0);
        nx.type_info = x.type_info;
        nx.type_cpu = 0;
        if (!rc) {
            nx.type_flags |= PGT_validated;
        } else if (--nx.type_count == 0) {
            nx.type = PGT_none;
            nx.type_flags = 0;
        }
    } while (!swap_type(pg, &x, &nx));
}

int get_page_type(struct page_info *pg, unsigned int type)
{
    struct page_info x, nx;
    bool flush;
    int rc;

    ASSERT(type != PGT_none);
    x.type_info = load_type(pg);
    for (;;) {
        nx.type_info = x.type_info;
        flush = false;
        if (x.type_count >= PAGE_COUNT_MAX)
            return -EBUSY;
        if (x.type_count == 0) {
            ASSERT(!x.type_cpu && !(x.type_flags & PGT_pinned));
            if (x.type != type) {
                /* Leaving "writable": stale TLB entries must go first. */
                flush = x.type == PGT_writable;
                nx.type = type;
                nx.type_flags = 0;
            }
            if (needs_validation(type) && !(nx.type_flags & PGT_validated))
                nx.type_cpu = my_tag();             /* we validate it */
        } else if (x.type != type) {
            return -EINVAL;
        } else if (needs_validation(type) && !(x.type_flags & PGT_validated)) {
            if (x.type_cpu == my_tag())
                return -EINVAL;     /* refers to itself, further up our chain */
            x.type_info = wait_type_change(pg, x.type_info);
            continue;
        }
        nx.type_count = x.type_count + 1;
        if (swap_type(pg, &x, &nx))
            break;
    }
    if (flush)
        flush_tlb_retype(pg);
    if (!nx.type_cpu)
        return 0;
    rc = page_validate(pg, type);
    end_validation(pg, rc);
    return rc;
}

void put_page_type(struct page_info *pg)
{
    struct page_info x, nx;

    x.type_info = load_type(pg);
    for (;;) {
        ASSERT(x.type_count > 0);
        nx.type_info = x.type_info;
        if (x.type_count == 1 && (x.type_flags & PGT_validated) &&
            needs_validation(x.type)) {
            /*
             * The last reference of a validated table: drop the entries'
             * references while still holding the count, so nobody can
             * retype the frame (or write it) half-way.  The type stays,
             * unvalidated, so a later use of it validates afresh.
             */
            ASSERT(!(x.type_flags & PGT_pinned));
            nx.type_flags &= ~PGT_validated;
            nx.type_cpu = my_tag();
            if (!swap_type(pg, &x, &nx))
                continue;
            page_invalidate(pg, x.type);
            x.type_info = nx.type_info;
            nx.type_cpu = 0;
            nx.type_count = 0;
            /* Only waiters watch the word now: the swap cannot fail. */
            if (!swap_type(pg, &x, &nx))
                ASSERT(!"type word changed during invalidation");
            return;
        }
        ASSERT(x.type_count > 1 || !(x.type_flags & PGT_pinned));
        nx.type_count--;
        if (swap_type(pg, &x, &nx))
            return;
    }
}

bool get_page_type_validated(struct page_info *pg, unsigned int type)
{
    struct page_info x, nx;

    x.type_info = load_type(pg);
    do {
        if (x.type != type || !x.type_count || x.type_count >= PAGE_COUNT_MAX ||
            (needs_validation(type) && !(x.type_flags & PGT_validated)))
            return false;
        nx.type_info = x.type_info;
        nx.type_count++;
    } while (!swap_type(pg, &x, &nx));
    return true;
}

/* Set or clear one type flag; false if it already had that value. */
static bool change_type_flag(struct page_info *pg, uint8_t flag, bool set)
{
    struct page_info x, nx;

    x.type_info = load_type(pg);
    do {
        if (!!(x.type_flags & flag) == set)
            return false;
        nx.type_info = x.type_info;
        nx.type_flags ^= flag;
    } while (!swap_type(pg, &x, &nx));
    return true;
}

bool page_set_pinned(struct page_info *pg)
{
    ASSERT(pg->type_count > 0);             /* the caller's reference */
    return change_type_flag(pg, PGT_pinned, true);
}

bool page_clear_pinned(struct page_info *pg)
{
    return change_type_flag(pg, PGT_pinned, false);
}

unsigned int page_end_validation(struct page_info *pg)
{
    struct page_info x;

    x.type_info = load_type(pg);
    if (!needs_validation(x.type) || !change_type_flag(pg, PGT_validated, false))
        return PGT_none;
    return x.type;
}

void page_forget_type(struct page_info *pg)
{
    __atomic_store_n(&pg->type_info, 0, SEQ);
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
