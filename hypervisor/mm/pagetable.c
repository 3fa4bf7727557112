/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/mm/pagetable.c - validation of PV guests' page tables.
 *
 * A frame becomes an L1..L4 table only after every present entry has been
 * checked and has taken the references it implies (page-type.c calls
 * page_validate()); entries change only through mod_lN_entry(), which
 * takes the new entry's references before dropping the old one's.
 *
 * The rules, for a domain d:
 *  - an L1 entry may map a frame d owns - writable only if the frame can
 *    take the "writable" type, i.e. it is no page or descriptor table -
 *    and, for a privileged domain, frames that are not RAM (device
 *    memory, firmware tables);  never free or hypervisor RAM;
 *  - an L2/L3/L4 entry must point at a frame d owns that validates as the
 *    next level down; large pages (PSE) are refused: PV guests get none;
 *  - the L4 slots 256-271 are the hypervisor's: validation fills them from
 *    its own tables and no update may touch them;
 *  - linear ("self-referencing") page tables are refused: an entry
 *    pointing at a table of its own level fails the type check.  Xen can
 *    allow read-only ones; Linux never uses them, and refusing closes a
 *    class of bugs.
 * Present entries get _PAGE_USER added: the guest kernel runs in ring 3.
 *
 * Flags: any level may use present, RW, user, accessed, dirty, NX and the
 * software-available bits; L1 entries may also be global, and a
 * privileged domain's L1 entries may choose caching (PWT, PCD, PAT).
 * Errors follow Xen: a bad flag is -EINVAL; an L1 entry naming a frame the
 * domain may not map, or may not map writable, -EBUSY; device memory for
 * an unprivileged domain, -EPERM; a bad upper-level reference, -EINVAL.
 */
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/frame-alloc.h>
#include <mica/page.h>
#include <mica/paging.h>
#include <asm/config.h>
#include <asm/page.h>
#include <asm/io-apic.h>

#define AVAIL_LOW       (7UL << 9)
#define AVAIL_HIGH      (0x7ffUL << 52)
#define BASE_ALLOWED    (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | \
                         _PAGE_DIRTY | AVAIL_LOW | AVAIL_HIGH | _PAGE_NX | PTE_ADDR_MASK)
#define CACHE_ATTRS     (_PAGE_PWT | _PAGE_PCD | _PAGE_PSE /* PAT in an L1 */)

static bool is_guest_l4_slot(unsigned int i)
{
    return i < HYPERVISOR_PML4_FIRST || i > HYPERVISOR_PML4_LAST;
}

static pte_t *table_of(const struct page_info *pg)
{
    return __va(page_to_mfn(pg) << PAGE_SHIFT);
}

/*
 * The guest kernel runs in ring 3, so its pages need _PAGE_USER.  No
 * guest entry is global: every TLB flush the hypervisor does for a guest
 * (a CR3 reload, locally or by IPI, and the CR3 load of a context switch)
 * keeps global entries, so a global guest mapping would outlive its
 * unmapping - a frame retyped as a page table still writable through it -
 * and the switch to another domain, which would reach the first one's
 * frame at that address.  Linux does not depend on the bit.  (In an
 * upper-level entry the bit is an error, left for the flag check.)
 */
static pte_t adjust(pte_t e, unsigned int level)
{
    if (!(e & _PAGE_PRESENT))
        return e;
    return level == 1 ? (e | _PAGE_USER) & ~_PAGE_GLOBAL : e | _PAGE_USER;
}

/* A frame outside RAM (device memory, firmware): only for dom0, uncounted. */
static bool is_io_frame(mfn_t mfn)
{
    return !mfn_valid(mfn) || !(mfn_to_page(mfn)->flags & PGC_ram);
}

/*
 * An L1 entry of d's table mapping a frame of pg_owner: d itself, or for
 * a foreign mmu_update (the toolstack mapping a guest's memory) the
 * domain named.  Flags are judged by d, ownership by pg_owner; device
 * memory needs both to be privileged.
 */
static int get_l1e_owned(pte_t e, const struct domain *d, const struct domain *pg_owner)
{
    mfn_t mfn = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
    struct page_info *pg;

    pte_t allowed = BASE_ALLOWED | _PAGE_GLOBAL | (d->is_privileged ? CACHE_ATTRS : 0);

    if (!(e & _PAGE_PRESENT))
        return 0;
    if (e & ~allowed)
        return -EINVAL;
    if (is_io_frame(mfn))
        return d->is_privileged && pg_owner->is_privileged &&
               !apic_mmio_denied(mfn, e & _PAGE_RW) ? 0 : -EPERM;
    pg = mfn_to_page(mfn);
    if (pg->owner != pg_owner)
        return -EBUSY;              /* free, hypervisor's or another's */
    if (e & _PAGE_RW)
        return get_page_and_type(pg, pg_owner, PGT_writable) ? -EBUSY : 0;
    return get_page(pg, pg_owner) ? 0 : -EBUSY;
}

int get_page_from_l1e(pte_t e, const struct domain *d)
{
    return get_l1e_owned(e, d, d);
}

void put_page_from_l1e(pte_t e)
{
    mfn_t mfn = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;

    if (!(e & _PAGE_PRESENT) || is_io_frame(mfn))
        return;
    if (e & _PAGE_RW)
        put_page_and_type(mfn_to_page(mfn));
    else
        put_page(mfn_to_page(mfn));
}

/* An entry of a level-'level' table (2..4) refers to a level-1-lower table. */
static int get_page_from_upper(pte_t e, unsigned int level, const struct domain *d)
{
    mfn_t mfn = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;

    if (!(e & _PAGE_PRESENT))
        return 0;
    if (e & ~BASE_ALLOWED)
        return -EINVAL;             /* large pages, caching bits, global */
    if (is_io_frame(mfn) || mfn_to_page(mfn)->owner != d)
        return -EINVAL;
    return get_page_and_type(mfn_to_page(mfn), d, level - 1);
}

static void put_page_from_upper(pte_t e)
{
    if (e & _PAGE_PRESENT)
        put_page_and_type(mfn_to_page((e & PTE_ADDR_MASK) >> PAGE_SHIFT));
}

static int get_entry(pte_t e, unsigned int level, const struct domain *d)
{
    return level == 1 ? get_page_from_l1e(e, d) : get_page_from_upper(e, level, d);
}

static void put_entry(pte_t e, unsigned int level)
{
    if (level == 1)
        put_page_from_l1e(e);
    else
        put_page_from_upper(e);
}

static bool slot_checked(unsigned int level, unsigned int i)
{
    return level != 4 || is_guest_l4_slot(i);
}

/*
 * Recursion is bounded by the four levels (each level validates the one
 * below through get_page_and_type), so the hypervisor stack is safe
 * whatever the guest builds.
 */
static int validate_table(struct page_info *pg, unsigned int level)
{
    pte_t *t = table_of(pg);
    const struct domain *d = pg->owner;
    unsigned int i;
    int rc = 0;

    for (i = 0; i < 512; i++) {
        if (!slot_checked(level, i))
            continue;
        rc = get_entry(t[i], level, d);
        if (rc)
            break;
        t[i] = adjust(t[i], level);
    }
    if (rc) {
        while (i--)
            if (slot_checked(level, i))
                put_entry(t[i], level);
        return rc;
    }
    if (level == 4) {
        for (i = HYPERVISOR_PML4_FIRST; i <= HYPERVISOR_PML4_LAST; i++)
            t[i] = idle_pml4[i];
        t[PERDOMAIN_PML4_SLOT] = perdomain_l4e(d);
    }
    shadow_table_changed(pg->owner, pg);    /* adjust() wrote it */
    return 0;
}

static void invalidate_table(struct page_info *pg, unsigned int level)
{
    pte_t *t = table_of(pg);

    for (unsigned int i = 0; i < 512; i++)
        if (slot_checked(level, i))
            put_entry(t[i], level);
}

int page_validate(struct page_info *pg, unsigned int type)
{
    if (is_pagetable_type(type))
        return validate_table(pg, type);
    if (type == PGT_seg_desc)
        return validate_desc_page(pg);
    return 0;
}

void page_invalidate(struct page_info *pg, unsigned int type)
{
    if (is_pagetable_type(type)) {
        shadow_table_changed(pg->owner, pg);    /* before its entries go */
        invalidate_table(pg, type);
    }
}

/*
 * Replace entry 'idx' of validated table 'pg' (level 'level') with 'val':
 * the new entry's references first, so a failure leaves the old entry
 * intact.  With 'preserve_ad' the Accessed/Dirty bits the hardware may set
 * meanwhile survive (MMU_PT_UPDATE_PRESERVE_AD).
 */
int mod_entry(struct page_info *pg, unsigned int level, unsigned int idx,
              pte_t val, bool preserve_ad)
{
    return mod_entry_foreign(pg, level, idx, val, preserve_ad, pg->owner);
}

/* The same, the new entry mapping pg_owner's frame (L1 only, if foreign). */
int mod_entry_foreign(struct page_info *pg, unsigned int level, unsigned int idx,
                      pte_t val, bool preserve_ad, const struct domain *pg_owner)
{
    pte_t *slot = &table_of(pg)[idx];
    pte_t old, new;
    int rc;

    ASSERT(idx < 512 && pg->type == level && (pg->type_flags & PGT_validated));
    ASSERT(level == 1 || pg_owner == pg->owner);
    if (!slot_checked(level, idx))
        return -EINVAL;
    new = adjust(val, level);
    rc = level == 1 ? get_l1e_owned(new, pg->owner, pg_owner)
                    : get_entry(new, level, pg->owner);
    if (rc)
        return rc;
    old = *slot;
    if (preserve_ad) {
        pte_t want;

        do {
            want = new | (old & (_PAGE_ACCESSED | _PAGE_DIRTY));
        } while (!__atomic_compare_exchange_n(slot, &old, want, false,
                                              __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
    } else {
        old = __atomic_exchange_n(slot, new, __ATOMIC_SEQ_CST);
    }
    shadow_entry_changed(pg->owner, pg, idx);
    put_entry(old, level);
    return 0;
}

mfn_t guest_l1_table(mfn_t l4, uint64_t va)
{
    mfn_t mfn = l4;

    for (unsigned int shift = L4_SHIFT; shift > L1_SHIFT; shift -= 9) {
        pte_t e = ((pte_t *)__va(mfn << PAGE_SHIFT))[PT_INDEX(va, shift)];

        if (!(e & _PAGE_PRESENT) || (e & _PAGE_PSE))
            return INVALID_MFN;
        mfn = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
        if (!mfn_valid(mfn))
            return INVALID_MFN;
    }
    return mfn;
}
