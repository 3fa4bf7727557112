/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/domctl-save.c - the domctls a toolstack's save and
 * restore need beyond creating and building a domain, in Xen 4.17's
 * numbers and layouts: the type of each frame (getpageframeinfo3, so the
 * saver knows which pages are page tables and which are pinned), the
 * resumption of a domain that suspended itself (resumedomain, for
 * `save -c` and a failed migration), and the TSC information
 * (gettscinfo / settscinfo).
 *
 * The suspend contract: SCHEDOP_shutdown(suspend) stops the domain as
 * any shutdown does (common/domain.c: every vCPU gets VPF_dead, the last
 * one off its CPU sends VIRQ_DOM_EXC) but takes nothing apart, so that
 * the saver can read it whole and resumedomain can start it again.  The
 * guest's hypercall returned 0 before its vCPU stopped, so its saved rax
 * is 0 ("resumed in a new domain"); a toolstack cancelling the suspend
 * writes 1 there first (setvcpucontext, below) as libxc does.
 *
 * Called from common/domctl.c's domain_op with the domctl lock held.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/domctl.h>
#include <mica/guest-access.h>
#include <mica/heap.h>
#include <mica/page.h>
#include <mica/sched.h>
#include <mica/time.h>
#include <public/domctl.h>
#include <public/sched.h>
#include <public/xen.h>
#include <asm/arch-hooks.h>
#include <asm/config.h>
#include <asm/xstate.h>

#define PFINFO_BATCH_MAX    1024        /* Xen's bound on one call */
#define ENDED_WAIT_SPINS    10000000UL  /* a few ms: see resume_domain */

/* ---- frame types ----------------------------------------------------- */

/*
 * A snapshot of one frame's type, as Xen reports it: a page table is
 * L1..L4 only once validated (an unvalidated one is a plain page to the
 * saver), |LPINTAB when pinned; a frame the domain does not own, or a
 * hypervisor page shared with it (shared_info), is XTAB.
 */
static uint32_t frame_type(const struct domain *d, xen_pfn_t mfn)
{
    struct page_info snap;
    uint32_t out;

    if (!domain_owns_mfn(d, mfn) || (mfn_to_page(mfn)->flags & PGC_xen_heap))
        return XEN_DOMCTL_PFINFO_XTAB;
    /* One read of the type word: its fields agree with each other. */
    snap.type_info = __atomic_load_n(&mfn_to_page(mfn)->type_info, __ATOMIC_ACQUIRE);
    if (!is_pagetable_type(snap.type) || !(snap.type_flags & PGT_validated))
        return XEN_DOMCTL_PFINFO_NOTAB;
    out = (uint32_t)snap.type << XEN_DOMCTL_PFINFO_LTAB_SHIFT;
    if (snap.type_flags & PGT_pinned)
        out |= XEN_DOMCTL_PFINFO_LPINTAB;
    return out;
}

static long getpageframeinfo3(struct domain *d, const struct xen_domctl_getpageframeinfo3 *g)
{
    xen_pfn_t *a;
    long rc = 0;

    if (g->num > PFINFO_BATCH_MAX)
        return -E2BIG;
    if (!g->num)
        return 0;
    if (!(a = xmalloc(g->num * sizeof(*a))))
        return -ENOMEM;
    if (copy_from_guest(a, g->array, g->num * sizeof(*a))) {
        rc = -EFAULT;
        goto out;
    }
    for (uint64_t i = 0; i < g->num; i++)
        a[i] = frame_type(d, a[i]);
    if (copy_to_guest(g->array, a, g->num * sizeof(*a)))
        rc = -EFAULT;
out:
    xfree(a);
    return rc;
}

/* ---- resuming a suspended domain ------------------------------------- */

/*
 * Undo a shutdown that took nothing apart (suspend, or any other the
 * toolstack chooses to cancel): the domain runs again from where each
 * vCPU stopped.  Once every vCPU is off its CPU, the last one's
 * domain_ended() (VIRQ_DOM_EXC) may still be a few instructions away on
 * another CPU; waiting for d->ended keeps it from landing after the
 * resume, where it would mark the next shutdown as already reported.  A
 * domain shut down from outside while none of its vCPUs ran never gets
 * there: the wait is bounded for it.
 */
static long resume_domain(struct domain *d)
{
    long rc;

    if (d == current->domain || d->state != DOMAIN_SHUTDOWN || d->killed)
        return d->state == DOMAIN_RUNNING ? 0 : -EINVAL;
    domain_pause_sync(d);
    for (unsigned long n = 0; n < ENDED_WAIT_SPINS &&
         !__atomic_load_n(&d->ended, __ATOMIC_ACQUIRE); n++)
        asm volatile("pause" ::: "memory");
    rc = domain_resume(d);
    if (!rc)
        printk("Domain %u resumed by the control domain\n", d->domain_id);
    domain_unpause_sync(d);
    return rc;
}

/*
 * setvcpucontext on a vCPU that already has its state: allowed only while
 * the domain is shut down and only for the same page tables, and then it
 * replaces the general registers alone.  That is all a toolstack needs to
 * cancel a suspend (rax := 1); anything else keeps the -EEXIST a second
 * VCPUOP_initialise gets.
 */
int domctl_save_set_regs(struct vcpu *v, const struct vcpu_guest_context *c)
{
    if (v->domain->state != DOMAIN_SHUTDOWN)
        return -EEXIST;
    return arch_set_vcpu_regs(v, c);
}

/*
 * What a restored vCPU needs beyond a fresh one's state (vcpu_set_context
 * gives that): from vCPU 0, the domain's vm_assist bits, and the
 * descriptor tables and user page tables it had (arch_restore_vcpu_tables)
 * - a suspended Linux re-issues none of vm_assist, set_gdt or the user cr3.
 */
int domctl_save_restore_extras(struct vcpu *v, const struct vcpu_guest_context *c)
{
    if (v->vcpu_id == 0) {
        if (c->vm_assist & ~VM_ASSIST_VALID)
            return -EINVAL;
        v->domain->vm_assist = c->vm_assist;
    }
    return arch_restore_vcpu_tables(v, c);
}

/* ---- TSC --------------------------------------------------------------- */

/*
 * Mica runs every PV guest on the host's TSC (mode 0, never emulated), so
 * a restore can only take a stream from a host with the same TSC rate, as
 * far as calibration can tell (tsc_khz_same: another boot or another
 * machine of one kind measures it some ppm apart); another rate or mode is
 * refused rather than giving the guest a clock that runs at the wrong
 * speed.
 */
static long tscinfo(struct domain *d, struct xen_domctl_tsc_info *t, bool set)
{
    (void)d;
    if (set)
        return t->tsc_mode == 0 && (!t->gtsc_khz || tsc_khz_same(t->gtsc_khz, tsc_khz())) ?
               0 : -EOPNOTSUPP;
    memset(t, 0, sizeof(*t));
    t->gtsc_khz = (uint32_t)tsc_khz();
    t->elapsed_nsec = now_ns();
    return 0;
}

/* ---- XSAVE state -------------------------------------------------------- */

#define EXT_HDR     16                  /* xcr0, xcr0_accum */

static long vcpuextstate(struct domain *d, struct xen_domctl_vcpuextstate *e, bool set)
{
    struct vcpu *v = e->vcpu < d->max_vcpus ? d->vcpus[e->vcpu] : NULL;
    uint64_t hdr[2], size = EXT_HDR + XSTATE_AREA_MAX;
    uint8_t *buf;
    long rc = 0;

    if (!v || d == current->domain)
        return -EINVAL;
    if (!set && !e->buffer) {
        e->xfeature_mask = xstate_guest_mask();
        e->size = e->xfeature_mask ? size : 0;
        return 0;
    }
    if (set ? e->size < EXT_HDR + 576 || e->size > size : e->size < size)
        return -EINVAL;
    if (!(buf = xmalloc(size)))
        return -ENOMEM;
    domain_pause_sync(d);
    if (set) {
        if (copy_from_guest(buf, e->buffer, e->size))
            rc = -EFAULT;
        else
            rc = xstate_set_saved(v, ((uint64_t *)buf)[0], buf + EXT_HDR,
                                  e->size - EXT_HDR);
    } else {
        hdr[0] = hdr[1] = 0;
        memcpy(buf + EXT_HDR, xstate_get_saved(v, &hdr[0]), XSTATE_AREA_MAX);
        hdr[1] = hdr[0];
        memcpy(buf, hdr, sizeof(hdr));
        e->xfeature_mask = xstate_guest_mask();
        e->size = size;
        if (copy_to_guest(e->buffer, buf, size))
            rc = -EFAULT;
    }
    domain_unpause_sync(d);
    xfree(buf);
    return rc;
}

long domctl_save_op(struct domain *d, struct xen_domctl *op, bool *copyback)
{
    ASSERT(domctl_locked_by_me());
    switch (op->cmd) {
    case XEN_DOMCTL_getpageframeinfo3:
        return getpageframeinfo3(d, &op->u.getpageframeinfo3);
    case XEN_DOMCTL_resumedomain:
        return resume_domain(d);
    case XEN_DOMCTL_gettscinfo:
        *copyback = true;
        return tscinfo(d, &op->u.tsc_info, false);
    case XEN_DOMCTL_settscinfo:
        return tscinfo(d, &op->u.tsc_info, true);
    case XEN_DOMCTL_getvcpuextstate:
        *copyback = true;
        return vcpuextstate(d, &op->u.vcpuextstate, false);
    case XEN_DOMCTL_setvcpuextstate:
        return vcpuextstate(d, &op->u.vcpuextstate, true);
    default:
        return -ENOSYS;
    }
}
