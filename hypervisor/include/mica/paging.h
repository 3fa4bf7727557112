/* SPDX-License-Identifier: MIT */
/*
 * mica/paging.h - log-dirty tracking of a PV domain and the shadow page
 * tables it runs on meanwhile (mm/log-dirty.c, mm/shadow.c,
 * mm/shadow-fault.c; the design is written at the top of mm/shadow.c).
 *
 * With log-dirty off d->paging is NULL, and every hook below is one load
 * and a branch not taken: the default path costs what it did before.
 */
#ifndef MICA_PAGING_H
#define MICA_PAGING_H

#include <mica/types.h>
#include <mica/domain.h>

struct domain;
struct vcpu;
struct page_info;
struct cpu_regs;
struct xen_domctl_shadow_op;

/* XEN_DOMCTL_shadow_op on d (the domctl lock held, d is not the caller). */
long paging_domctl(struct domain *d, struct xen_domctl_shadow_op *sc);
/* A dying domain: leave shadow mode and free everything (domain_destroy). */
void paging_teardown(struct domain *d);

/* The hypervisor wrote frame 'mfn' on d's behalf (grant copy, a table). */
void paging_mark_dirty_slow(struct domain *d, mfn_t mfn);

static inline bool paging_enabled(const struct domain *d)
{
    return __builtin_expect(__atomic_load_n(&d->paging, __ATOMIC_ACQUIRE) != NULL, 0);
}

static inline void paging_mark_dirty(struct domain *d, mfn_t mfn)
{
    if (paging_enabled(d))
        paging_mark_dirty_slow(d, mfn);
}

/* ---- shadow page tables (mm/shadow.c) ------------------------------------ */

mfn_t shadow_cr3_slow(struct vcpu *v);

/* What CR3 holds for v's current mode: its guest L4, or that L4's shadow. */
static inline mfn_t pv_cr3_table(struct vcpu *v)
{
    return paging_enabled(v->domain) ? shadow_cr3_slow(v) : pv_active_table(&v->arch);
}

void shadow_entry_changed_slow(struct domain *d, struct page_info *pg, unsigned int idx);
void shadow_table_changed_slow(struct domain *d, struct page_info *pg);

/*
 * Entry 'idx' of d's validated table 'pg' changed (mod_entry, grant
 * PTEs): its shadow entry goes, the table's frame is dirty.  Called after
 * the guest entry is written and before the old entry's references go.
 */
static inline void shadow_entry_changed(struct domain *d, struct page_info *pg,
                                        unsigned int idx)
{
    if (d && paging_enabled(d))
        shadow_entry_changed_slow(d, pg, idx);
}

/* Table 'pg' of d was validated or is being torn down: its shadow goes. */
static inline void shadow_table_changed(struct domain *d, struct page_info *pg)
{
    if (d && paging_enabled(d))
        shadow_table_changed_slow(d, pg);
}

/*
 * A page fault at 'va' while d runs on shadows.  True: fixed, retry the
 * access.  False: the guest's own fault; regs->error_code then has the
 * present bit the guest's tables give.  'guest' is false for the
 * hypervisor's own access through a guest address (copy_to_guest).
 */
bool shadow_fault(struct cpu_regs *regs, uint64_t va, bool guest);

#endif
