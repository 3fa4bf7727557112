/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/mm/shadow-fault.c - page faults of a domain running on
 * shadow tables (mm/shadow.c has the design): walk the guest's tables as
 * the hardware would, set Accessed and Dirty in them, log the write, and
 * make the shadow entries - or hand the fault to the guest when its own
 * tables refuse the access.
 *
 * Two passes under d->paging_lock: the first only reads, to judge the
 * access by the guest's entries alone; the second sets A/D with
 * compare-exchange (the guest or another CPU may rewrite an entry
 * meanwhile: then the walk starts again) and fills the shadows.  A guest
 * entry that changes after it was read here has its shadow entry cleared
 * by mod_entry's hook, which takes the lock after writing the entry, so a
 * stale shadow entry never survives the change.
 */
#include <mica/lib.h>
#include <mica/domain.h>
#include <mica/guest-access.h>
#include <mica/page.h>
#include <mica/paging.h>
#include <asm/cpu.h>
#include <asm/io.h>
#include <asm/page.h>
#include <asm/regs.h>
#include <asm/smp.h>
#include "shadow.h"

#define PFEC_present    (1U << 0)
#define PFEC_write      (1U << 1)
#define PFEC_reserved   (1U << 3)
#define PFEC_insn       (1U << 4)
#define X86_EFLAGS_IF   0x200UL

/* Flags a shadow upper-level entry takes from the guest's. */
#define UPPER_FLAGS     (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_PWT | \
                         _PAGE_PCD | _PAGE_ACCESSED | _PAGE_NX)

enum walk_result { WALK_FIXED, WALK_GUEST, WALK_RETRY, WALK_FULL, WALK_NOT_OURS };

struct walk {
    mfn_t table[5];                 /* guest table of level l */
    pte_t entry[5];                 /* its entry for the address */
    bool present;                   /* every level present */
    bool allowed;                   /* and the access permitted */
};

static pte_t *slot_of(mfn_t table, uint64_t va, unsigned int level)
{
    return &shadow_table(table)[PT_INDEX(va, L1_SHIFT + 9 * (level - 1))];
}

/* Pass one: what the guest's own tables say about this access. */
static void guest_walk(mfn_t l4, uint64_t va, uint32_t ec, struct walk *w)
{
    mfn_t mfn = l4;

    w->present = w->allowed = true;
    for (unsigned int l = 4; l >= 1; l--) {
        pte_t e = __atomic_load_n(slot_of(mfn, va, l), __ATOMIC_SEQ_CST);

        w->table[l] = mfn;
        w->entry[l] = e;
        if (!(e & _PAGE_PRESENT)) {
            w->present = w->allowed = false;
            return;
        }
        ASSERT(l == 1 || !(e & _PAGE_PSE));     /* validation refuses them */
        if (((ec & PFEC_write) && !(e & _PAGE_RW)) || ((ec & PFEC_insn) && (e & _PAGE_NX)))
            w->allowed = false;
        mfn = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
    }
}

/* Pass two, first half: A on every level, D on the L1 entry for a write. */
static bool set_accessed_dirty(struct paging *p, struct domain *d, uint64_t va,
                               bool write, struct walk *w)
{
    for (unsigned int l = 4; l >= 1; l--) {
        pte_t old = w->entry[l];
        pte_t want = old | _PAGE_ACCESSED | (l == 1 && write ? _PAGE_DIRTY : 0);
        uint64_t pfn;

        if (want == old)
            continue;
        if (!__atomic_compare_exchange_n(slot_of(w->table[l], va, l), &old, want, false,
                                         __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return false;
        w->entry[l] = want;
        if (logdirty_tracks(p, d, w->table[l], &pfn))
            logdirty_set(p, pfn);           /* we wrote the guest's table */
    }
    return true;
}

/* The shadow L1 entry: writable only if RW, Dirty and already logged. */
static pte_t shadow_l1e(struct paging *p, struct domain *d, pte_t e, bool write)
{
    mfn_t frame = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
    uint64_t pfn;
    bool tracked = logdirty_tracks(p, d, frame, &pfn);

    if (tracked && write)
        logdirty_set(p, pfn);
    if (!(e & _PAGE_RW) || !(e & _PAGE_DIRTY) || (tracked && !logdirty_test(p, pfn)))
        e &= ~_PAGE_RW;
    return e;
}

static enum walk_result walk_and_fill(struct paging *p, struct vcpu *v, uint64_t va,
                                      uint32_t ec, struct walk *w)
{
    struct shadow_root *r = shadow_root_of(p, v);
    bool write = ec & PFEC_write;
    mfn_t s;

    /* Not on this vCPU's shadow: not a fault of ours to fix. */
    if (!r->src || r->src != pv_active_table(&v->arch) ||
        (read_cr3() >> PAGE_SHIFT) != r->mfn)
        return WALK_NOT_OURS;
    guest_walk(r->src, va, ec, w);
    if (!w->allowed)
        return WALK_GUEST;
    if (!set_accessed_dirty(p, v->domain, va, write, w))
        return WALK_RETRY;
    s = r->mfn;
    for (unsigned int l = 4; l > 1; l--) {
        pte_t e = w->entry[l];
        mfn_t child = shadow_get(p, (e & PTE_ADDR_MASK) >> PAGE_SHIFT, l - 1);

        if (!child)
            return WALK_FULL;
        __atomic_store_n(slot_of(s, va, l), (child << PAGE_SHIFT) | (e & UPPER_FLAGS),
                         __ATOMIC_SEQ_CST);
        s = child;
    }
    __atomic_store_n(slot_of(s, va, 1), shadow_l1e(p, v->domain, w->entry[1], write),
                     __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&p->fault_count, 1, __ATOMIC_RELAXED);
    return WALK_FIXED;
}

/* A full pool: blow it and flush every CPU, if this context may wait for IPIs. */
static bool recycle_pool(struct domain *d, bool may_enable)
{
    if (!may_enable)
        return false;
    local_irq_enable();
    shadow_blow_and_flush(d);
    local_irq_disable();
    return true;
}

bool shadow_fault(struct cpu_regs *regs, uint64_t va, bool guest)
{
    struct vcpu *v = current;
    struct domain *d = v ? v->domain : NULL;
    uint32_t ec = regs->error_code;
    enum walk_result res;
    unsigned long flags;
    struct walk w;

    if (!d || !paging_enabled(d) || !guest_range_ok(va, 1) || (ec & PFEC_reserved))
        return false;
    do {
        flags = spin_lock_irqsave(&d->paging_lock);
        res = d->paging ? walk_and_fill(d->paging, v, va, ec, &w) : WALK_NOT_OURS;
        spin_unlock_irqrestore(&d->paging_lock, flags);
        if (res == WALK_FULL &&
            !recycle_pool(d, guest || (regs->rflags & X86_EFLAGS_IF)))
            return false;
    } while (res == WALK_RETRY || res == WALK_FULL);
    if (res == WALK_FIXED)
        return true;
    if (res == WALK_NOT_OURS)
        return false;
    /* The guest's fault: present as its tables say, whatever the shadow had. */
    regs->error_code = (ec & ~(uint64_t)PFEC_present) | (w.present ? PFEC_present : 0);
    return false;
}
