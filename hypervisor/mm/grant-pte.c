/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/mm/grant-pte.c - the hardware side of grant tables: grant
 * frames, and writing the PTEs of grant mappings into a guest's L1 tables.
 *
 * A grant PTE maps another domain's frame, which no guest-written entry
 * may do, so it is written here directly rather than through mod_entry().
 * The PTE's frame references were taken by the caller (grant-map.c) and
 * are exactly those an ordinary entry would hold, so pagetable.c needs no
 * change: put_page_from_l1e() drops them when the guest overwrites or
 * clears the entry, or when the table is torn down.  No marker bit is
 * used (Xen's _PAGE_GNTTAB exists only in its debug builds): Linux owns
 * the available bits of its PTEs and gntdev even asks for bit 9.
 *
 * The L1 that receives the PTE must be the caller's and in use as an L1
 * (validated, type count held); the address is either the PTE's machine
 * address (GNTMAP_contains_pte) or a linear address looked up in the
 * current page tables.  TLBs are flushed on every CPU before the old
 * frame's references are dropped, as the domain's vCPUs may run anywhere.
 */
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/frame-alloc.h>
#include <mica/heap.h>
#include <mica/guest-access.h>
#include <mica/page.h>
#include <mica/paging.h>
#include <asm/config.h>
#include <asm/page.h>
#include <asm/smp.h>
#include <mica/grant-pte.h>
#include <public/grant_table.h>

void *gnttab_alloc_frame(struct domain *d, mfn_t *mfn)
{
    void *va = alloc_zeroed_frame(mfn);

    /* Like shared_info: the guest may map it, but it is never its RAM. */
    if (va)
        share_xen_page(d, *mfn);
    return va;
}

void gnttab_free_frame(void *va, mfn_t mfn)
{
    unshare_xen_page(mfn);
    free_frames(mfn, 0);
}

void *gnttab_frame_va(mfn_t mfn)
{
    return __va(mfn << PAGE_SHIFT);
}

static pte_t grant_pte(mfn_t mfn, uint32_t flags)
{
    /* The guest kernel runs in ring 3: every guest entry is a user one. */
    pte_t e = (mfn << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_USER |
              _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_NX;

    if (!(flags & GNTMAP_readonly))
        e |= _PAGE_RW;
    return e | (pte_t)((flags >> _GNTMAP_guest_avail0) & 7) << 9;
}

/* The L1 table of ld holding the PTE for addr, with a reference and a type
 * reference taken so that it stays a validated L1 while the PTE changes. */
static struct page_info *find_l1(struct domain *ld, uint64_t addr, uint32_t flags,
                                 unsigned int *slot)
{
    struct page_info *pg;
    mfn_t mfn;

    if (flags & GNTMAP_contains_pte) {
        if (addr & 7)
            return NULL;            /* would straddle two entries */
        mfn = addr >> PAGE_SHIFT;
        *slot = (addr & (PAGE_SIZE - 1)) / sizeof(pte_t);
    } else {
        mfn_t t = pv_active_table(&current->arch);

        if (!guest_range_ok(addr, 1) || !t)
            return NULL;
        mfn = guest_l1_table(t, addr);
        *slot = PT_INDEX(addr, L1_SHIFT);
    }
    if (!mfn_valid(mfn))
        return NULL;
    pg = mfn_to_page(mfn);
    if (!get_page(pg, ld))
        return NULL;
    if (!get_page_type_validated(pg, PGT_l1)) {
        put_page(pg);
        return NULL;
    }
    return pg;
}

static pte_t *l1_slot(struct page_info *pg, unsigned int slot)
{
    return (pte_t *)__va(page_to_mfn(pg) << PAGE_SHIFT) + slot;
}

/*
 * Entry 'slot' of ld's L1 'pg' changed from 'old': its shadow entry goes
 * (log-dirty), and a frame that was mapped writable counts as written by
 * the time its mapping goes, as in Xen.
 */
static void grant_pte_changed(struct domain *ld, struct page_info *pg, unsigned int slot,
                              pte_t old)
{
    mfn_t mfn = (old & PTE_ADDR_MASK) >> PAGE_SHIFT;
    struct domain *owner;

    shadow_entry_changed(ld, pg, slot);
    if ((old & (_PAGE_PRESENT | _PAGE_RW)) != (_PAGE_PRESENT | _PAGE_RW) || !mfn_valid(mfn))
        return;
    owner = __atomic_load_n(&mfn_to_page(mfn)->owner, __ATOMIC_ACQUIRE);
    if (owner)                      /* held by 'old' until the caller puts it */
        paging_mark_dirty(owner, mfn);
}

int create_grant_pte_mapping(struct domain *ld, uint64_t addr, uint32_t flags,
                             mfn_t mfn, uint64_t *pte_maddr)
{
    unsigned int slot;
    struct page_info *pg = find_l1(ld, addr, flags, &slot);
    pte_t old;

    if (!pg)
        return GNTST_general_error;
    old = __atomic_exchange_n(l1_slot(pg, slot), grant_pte(mfn, flags),
                              __ATOMIC_SEQ_CST);
    *pte_maddr = (page_to_mfn(pg) << PAGE_SHIFT) + slot * sizeof(pte_t);
    grant_pte_changed(ld, pg, slot, old);
    put_page_and_type(pg);
    if (old & _PAGE_PRESENT) {
        flush_tlb_all_cpus();
        put_page_from_l1e(old);
    }
    return GNTST_okay;
}

/* Clear the PTE at linear address va (unmap_and_replace); it is returned. */
static bool steal_pte(struct domain *ld, uint64_t va, pte_t *out)
{
    unsigned int slot;
    struct page_info *pg = find_l1(ld, va, 0, &slot);

    if (!pg)
        return false;
    *out = __atomic_exchange_n(l1_slot(pg, slot), 0, __ATOMIC_SEQ_CST);
    shadow_entry_changed(ld, pg, slot);
    put_page_and_type(pg);
    return true;
}

int destroy_grant_pte_mapping(struct domain *ld, uint64_t addr, uint32_t flags,
                              mfn_t mfn, uint64_t new_addr)
{
    pte_t want = grant_pte(mfn, flags), new = 0, old;
    int rc = GNTST_general_error;
    struct page_info *pg;
    unsigned int slot;
    pte_t *p;

    if (new_addr && ((flags & GNTMAP_contains_pte) || !steal_pte(ld, new_addr, &new)))
        return GNTST_general_error;
    pg = find_l1(ld, addr, flags, &slot);
    if (!pg)
        goto out;
    p = l1_slot(pg, slot);
    old = __atomic_load_n(p, __ATOMIC_ACQUIRE);
    /* It must still map this grant's frame, as present and as writable. */
    if ((old & PTE_ADDR_MASK) == (want & PTE_ADDR_MASK) &&
        !((old ^ want) & (_PAGE_PRESENT | _PAGE_RW)) &&
        __atomic_compare_exchange_n(p, &old, new, false,
                                    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
        grant_pte_changed(ld, pg, slot, old);
        flush_tlb_all_cpus();
        put_page_from_l1e(old);
        new = 0;                    /* now owned by the slot */
        rc = GNTST_okay;
    }
    put_page_and_type(pg);
out:
    if (new & _PAGE_PRESENT)
        put_page_from_l1e(new);     /* a stolen entry we could not place */
    return rc;
}

void revoke_grant_pte(struct domain *ld, uint64_t pte_maddr, mfn_t mfn)
{
    mfn_t l1 = pte_maddr >> PAGE_SHIFT;
    struct page_info *pg;
    pte_t *p, old;

    if (!pte_maddr || !mfn_valid(l1))
        return;
    pg = mfn_to_page(l1);
    /* Still an L1 of ld: then a foreign frame there is a grant PTE. */
    if (!get_page(pg, ld))
        return;
    if (!get_page_type_validated(pg, PGT_l1)) {
        put_page(pg);
        return;
    }
    p = (pte_t *)__va(pte_maddr);
    old = __atomic_load_n(p, __ATOMIC_ACQUIRE);
    if ((old & _PAGE_PRESENT) && ((old & PTE_ADDR_MASK) >> PAGE_SHIFT) == mfn &&
        __atomic_compare_exchange_n(p, &old, 0, false,
                                    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
        grant_pte_changed(ld, pg, (pte_maddr & (PAGE_SIZE - 1)) / sizeof(pte_t), old);
        flush_tlb_all_cpus();
        put_page_from_l1e(old);
    }
    put_page_and_type(pg);
}
