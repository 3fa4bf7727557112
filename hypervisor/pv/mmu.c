/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/pv/mmu.c - the PV memory-management hypercalls: mmu_update,
 * update_va_mapping and mmuext_op.
 *
 * Page tables change only through mod_entry() (mm/pagetable.c), so every
 * reference stays counted.  Batches are preempted at timer ticks;
 * progress is accumulated in the guest's "done" variable across the
 * continuation, flagged by bit 31 of count.
 *
 * Foreign batches: the control domain names another domain in
 * foreigndom (Xen's "page owner"), so that mmu_update writes into its own
 * L1 tables entries mapping that domain's frames (privcmd's
 * mmap-batch), and mmuext_op pins, unpins, clears or copies that
 * domain's frames (the toolstack's domain builder).  The page tables
 * written are always the caller's.  A foreign batch runs under the
 * domctl lock, so the named domain cannot be destroyed under it; each
 * mapping holds a reference on the foreign frame, which keeps a
 * destroyed domain's frame (and the domain, as a zombie) until the
 * mapping goes.  Errnos are Xen's: an unknown domain (or the caller's
 * own id) -ESRCH, an unprivileged caller -EPERM, a frame the page owner
 * does not own or cannot map that way -EBUSY.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/frame-alloc.h>
#include <mica/domctl.h>
#include <mica/guest-access.h>
#include <mica/hypercall.h>
#include <mica/page.h>
#include <mica/m2p.h>
#include <mica/paging.h>
#include <public/xen.h>
#include <asm/config.h>
#include <asm/io.h>
#include <asm/page.h>
#include <asm/smp.h>

#define PREEMPTED   0x80000000U     /* set in count on a continuation */

/*
 * The domain whose frames a batch works on (Xen's get_pg_owner and its
 * default XSM_TARGET policy): the caller for DOMID_SELF (and DOMID_IO,
 * whose device frames only a privileged caller may map anyway), else an
 * existing domain that the caller controls.  Another domain comes back
 * referenced and with the domctl lock held; put_pg_owner() lets go.
 */
static struct domain *get_pg_owner(uint64_t foreigndom, long *rc)
{
    struct domain *cd = current->domain, *d;
    domid_t id = (uint16_t)foreigndom;

    if (id == DOMID_SELF || (id == DOMID_IO && cd->is_privileged))
        return cd;
    if (id == cd->domain_id || id >= CONFIG_MAX_DOMAINS) {
        *rc = id == DOMID_IO ? -EPERM : -ESRCH;     /* not itself, as in Xen */
        return NULL;
    }
    domctl_lock_acquire();
    d = get_domain_by_id(id);
    *rc = !d ? -ESRCH : !cd->is_privileged ? -EPERM : 0;
    if (*rc) {
        if (d)
            put_domain(d);
        domctl_lock_release();
        return NULL;
    }
    return d;
}

static void put_pg_owner(struct domain *d)
{
    if (d != current->domain) {
        put_domain(d);
        domctl_lock_release();
    }
}

/* Start of a batch: recover the count and the done-so-far after a preemption. */
static uint32_t batch_start(uint64_t *count, uint64_t pdone)
{
    uint32_t done = 0;

    if (*count & PREEMPTED) {
        *count &= ~(uint64_t)PREEMPTED;
        if (pdone)
            (void)copy_from_guest(&done, pdone, sizeof(done));
    }
    return done;
}

static void batch_report(uint64_t pdone, uint32_t done)
{
    if (pdone)
        (void)copy_to_guest(pdone, &done, sizeof(done));
}

/* Write one entry of a table of d's (only an L1 may map pg_owner's frames). */
static int normal_pt_update(struct domain *d, struct domain *pg_owner, uint64_t ptr,
                            uint64_t val, bool preserve_ad)
{
    mfn_t mfn = ptr >> PAGE_SHIFT;
    struct page_info *pg;
    unsigned int type;
    int rc;

    if (ptr & 7)
        return -EINVAL;                     /* entries are 8-byte aligned */
    if (!mfn_valid(mfn))
        return -EINVAL;
    pg = mfn_to_page(mfn);
    if (!get_page(pg, d))
        return -EINVAL;
    /* A table in use stays one (and validated) while its type ref is held. */
    type = __atomic_load_n(&pg->type, __ATOMIC_RELAXED);
    if (is_pagetable_type(type) && get_page_type_validated(pg, type)) {
        rc = type != PGT_l1 && pg_owner != d ? -EINVAL :
             mod_entry_foreign(pg, type, (ptr & (PAGE_SIZE - 1)) / sizeof(pte_t),
                               val, preserve_ad, pg_owner);
        put_page_type(pg);
    } else if ((rc = get_page_type(pg, PGT_writable)) == 0) {
        /* Not a table in use: an ordinary write, as Xen allows. */
        *(pte_t *)__va(ptr) = val;
        paging_mark_dirty(d, mfn);
        put_page_type(pg);
    }
    put_page(pg);
    return rc;
}

/*
 * The loop mmu_update and mmuext_op share: copy each entry in, run it,
 * stop at the first failure, count successes into the guest's "done",
 * and give way at timer ticks through a continuation of hypercall 'nr'.
 */
static long run_batch(unsigned int nr, uint64_t list, uint64_t count, uint64_t pdone,
                      uint64_t foreigndom, size_t size,
                      long (*one)(struct domain *pg_owner, const void *entry))
{
    uint32_t done = batch_start(&count, pdone);
    uint64_t entry[4];
    struct domain *pg_owner;
    long rc = 0;

    ASSERT(size <= sizeof(entry));
    pg_owner = get_pg_owner(foreigndom, &rc);
    if (!pg_owner) {
        /* Xen's mmu_update reports "none done" even then; mmuext_op not. */
        if (nr == __HYPERVISOR_mmu_update)
            batch_report(pdone, done);
        return rc;
    }
    for (uint64_t i = 0; i < count; i++) {
        if (i && hypercall_preempt_check()) {
            put_pg_owner(pg_owner);
            batch_report(pdone, done);
            return hypercall_create_continuation(nr, list + i * size,
                                                 (count - i) | PREEMPTED,
                                                 pdone, foreigndom);
        }
        if (copy_from_guest(entry, list + i * size, size)) {
            rc = -EFAULT;
            break;
        }
        rc = one(pg_owner, entry);
        if (rc)
            break;
        done++;
    }
    put_pg_owner(pg_owner);
    batch_report(pdone, done);
    return rc;
}

static long mmu_update_one(struct domain *pg_owner, const void *entry)
{
    const struct mmu_update *req = entry;

    switch (req->ptr & 3) {
    case MMU_NORMAL_PT_UPDATE:
    case MMU_PT_UPDATE_PRESERVE_AD:
        return normal_pt_update(current->domain, pg_owner, req->ptr & ~3UL, req->val,
                                (req->ptr & 3) == MMU_PT_UPDATE_PRESERVE_AD);
    case MMU_MACHPHYS_UPDATE:
        /* The M2P entry of a frame the page owner has (a builder's use). */
        if (!domain_owns_mfn(pg_owner, req->ptr >> PAGE_SHIFT))
            return -EINVAL;
        set_gpfn_from_mfn(req->ptr >> PAGE_SHIFT, req->val);
        paging_mark_dirty(pg_owner, req->ptr >> PAGE_SHIFT);
        return 0;
    default:
        return -ENOSYS;
    }
}

long do_mmu_update(uint64_t ureqs, uint64_t count, uint64_t pdone, uint64_t foreigndom)
{
    uint64_t pt_dom = (foreigndom >> 16) & 0xffff;

    /* Xen's "page tables of a foreign domain" (id + 1 in bits 16+): only
     * the caller's own tables here. */
    if (pt_dom && pt_dom - 1 != current->domain->domain_id && pt_dom - 1 != DOMID_SELF)
        return -EINVAL;
    return run_batch(__HYPERVISOR_mmu_update, ureqs, count, pdone, foreigndom,
                     sizeof(struct mmu_update), mmu_update_one);
}

/* Find the L1 table (and slot) mapping 'va' in the current page tables. */
static struct page_info *l1_for_va(struct domain *d, uint64_t va, unsigned int *slot)
{
    mfn_t mfn = guest_l1_table(pv_active_table(&current->arch), va);

    if (mfn == INVALID_MFN)
        return NULL;
    *slot = PT_INDEX(va, L1_SHIFT);
    return mfn_to_page(mfn);
}

/*
 * The flush part of update_va_mapping's flags.  A flush for other vCPUs
 * (UVMF_ALL, or a vCPU mask) flushes every CPU, as the domain's vCPUs may
 * run anywhere: more than asked, never less.
 */
static int do_flush(uint64_t flags, uint64_t va)
{
    uint64_t mask;

    if ((flags & ~UVMF_FLUSHTYPE_MASK) > UVMF_ALL &&
        copy_from_guest(&mask, flags & ~UVMF_FLUSHTYPE_MASK, sizeof(mask)))
        return -EFAULT;
    if ((flags & UVMF_FLUSHTYPE_MASK) && (flags & ~UVMF_FLUSHTYPE_MASK) != UVMF_LOCAL) {
        flush_tlb_all_cpus();
        return 0;
    }
    switch (flags & UVMF_FLUSHTYPE_MASK) {
    case UVMF_TLB_FLUSH:
        flush_tlb_local();
        break;
    case UVMF_INVLPG:
        invlpg((void *)va);
        break;
    }
    return 0;
}

long do_update_va_mapping(uint64_t va, uint64_t val, uint64_t flags)
{
    struct domain *d = current->domain;
    struct page_info *pg;
    unsigned int slot;
    int rc;

    if (!guest_range_ok(va, 1))
        return -EINVAL;
    pg = l1_for_va(d, va, &slot);
    if (!pg || !get_page(pg, d))
        return -EINVAL;
    if (!get_page_type_validated(pg, PGT_l1)) {
        rc = -EINVAL;
    } else {
        rc = mod_entry(pg, PGT_l1, slot, val, false);
        put_page_type(pg);
    }
    put_page(pg);
    if (rc)
        return rc;
    return do_flush(flags, va);
}

/* Replace the vCPU's kernel or user base table (a validated L4). */
static int new_baseptr(struct vcpu *v, mfn_t mfn, bool user)
{
    mfn_t *slot = user ? &v->arch.guest_table_user : &v->arch.guest_table;
    mfn_t old = *slot;
    int rc;

    if (mfn || !user) {
        if (!mfn_valid(mfn))
            return -EINVAL;
        rc = get_page_and_type(mfn_to_page(mfn), v->domain, PGT_l4);
        if (rc)
            return rc;
    }
    *slot = mfn;
    if (v->arch.kernel_mode != user)
        write_cr3(pv_cr3_table(v) << PAGE_SHIFT);
    if (old)
        put_page_and_type(mfn_to_page(old));
    return 0;
}

static int pin(struct domain *d, mfn_t mfn, unsigned int type)
{
    struct page_info *pg;
    int rc;

    if (!mfn_valid(mfn))
        return -EINVAL;
    pg = mfn_to_page(mfn);
    rc = get_page_and_type(pg, d, type);
    if (rc)
        return rc;
    if (!page_set_pinned(pg)) {
        put_page_and_type(pg);
        return -EINVAL;
    }
    return 0;
}

static int unpin(struct domain *d, mfn_t mfn)
{
    struct page_info *pg;
    int rc;

    /* Our reference keeps the frame d's while the pin goes. */
    if (!mfn_valid(mfn) || !get_page(mfn_to_page(mfn), d))
        return -EINVAL;
    pg = mfn_to_page(mfn);
    rc = page_clear_pinned(pg) ? 0 : -EINVAL;
    if (!rc)
        put_page_and_type(pg);
    put_page(pg);
    return rc;
}

/* A frame the guest may write through the hypervisor (COPY/CLEAR_PAGE). */
static void *writable_frame(struct domain *d, mfn_t mfn, int *rc)
{
    if (!mfn_valid(mfn) || !get_page(mfn_to_page(mfn), d)) {
        *rc = -EINVAL;
        return NULL;
    }
    *rc = get_page_type(mfn_to_page(mfn), PGT_writable);
    if (*rc) {
        put_page(mfn_to_page(mfn));
        return NULL;
    }
    return __va(mfn << PAGE_SHIFT);
}


static long mmuext_one(struct domain *d, const void *entry)
{
    const struct mmuext_op *op = entry;
    struct vcpu *v = current;
    uint64_t mask;
    void *dst, *src;
    int rc;

    /* Frames may be another domain's; vCPU state and TLBs only the caller's. */
    if (d != v->domain && ((op->cmd >= MMUEXT_NEW_BASEPTR && op->cmd <= MMUEXT_SET_LDT) ||
                           op->cmd == MMUEXT_NEW_USER_BASEPTR ||
                           op->cmd == MMUEXT_FLUSH_CACHE_GLOBAL))
        return -EPERM;
    switch (op->cmd) {
    case MMUEXT_PIN_L1_TABLE:
    case MMUEXT_PIN_L2_TABLE:
    case MMUEXT_PIN_L3_TABLE:
    case MMUEXT_PIN_L4_TABLE:
        return pin(d, op->arg1.mfn, PGT_l1 + (op->cmd - MMUEXT_PIN_L1_TABLE));
    case MMUEXT_UNPIN_TABLE:
        return unpin(d, op->arg1.mfn);
    case MMUEXT_NEW_BASEPTR:
        return new_baseptr(v, op->arg1.mfn, false);
    case MMUEXT_NEW_USER_BASEPTR:
        return new_baseptr(v, op->arg1.mfn, true);
    case MMUEXT_TLB_FLUSH_MULTI:
    case MMUEXT_INVLPG_MULTI:
        if (copy_from_guest(&mask, op->arg2.vcpumask, sizeof(mask)))
            return -EINVAL;                 /* Xen's answer for a bad mask */
        __attribute__((fallthrough));
    case MMUEXT_TLB_FLUSH_ALL:
    case MMUEXT_INVLPG_ALL:
        /* Other vCPUs may run on any CPU: a full flush of every CPU covers
         * any mask and any INVLPG. */
        flush_tlb_all_cpus();
        return 0;
    case MMUEXT_TLB_FLUSH_LOCAL:
        flush_tlb_local();
        return 0;
    case MMUEXT_INVLPG_LOCAL:
        if (guest_range_ok(op->arg1.linear_addr, 1))
            invlpg((void *)op->arg1.linear_addr);
        return 0;
    case MMUEXT_SET_LDT:
        return set_ldt(v, op->arg1.linear_addr, op->arg2.nr_ents);
    case MMUEXT_CLEAR_PAGE:
        dst = writable_frame(d, op->arg1.mfn, &rc);
        if (!dst)
            return rc;
        memset(dst, 0, PAGE_SIZE);
        paging_mark_dirty(d, op->arg1.mfn);
        put_page_and_type(mfn_to_page(op->arg1.mfn));
        return 0;
    case MMUEXT_COPY_PAGE:
        if (!mfn_valid(op->arg2.src_mfn) || !get_page(mfn_to_page(op->arg2.src_mfn), d))
            return -EINVAL;
        src = __va(op->arg2.src_mfn << PAGE_SHIFT);
        dst = writable_frame(d, op->arg1.mfn, &rc);
        if (dst) {
            memcpy(dst, src, PAGE_SIZE);
            paging_mark_dirty(d, op->arg1.mfn);
            put_page_and_type(mfn_to_page(op->arg1.mfn));
        }
        put_page(mfn_to_page(op->arg2.src_mfn));
        return dst ? 0 : rc;
    default:
        return -ENOSYS;
    }
}

long do_mmuext_op(uint64_t uops, uint64_t count, uint64_t pdone, uint64_t foreigndom)
{
    return run_batch(__HYPERVISOR_mmuext_op, uops, count, pdone, foreigndom,
                     sizeof(struct mmuext_op), mmuext_one);
}
