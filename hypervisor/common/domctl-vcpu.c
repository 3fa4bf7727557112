/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/domctl-vcpu.c - domctl commands on a domain's vCPUs:
 * creating them (max_vcpus), their register state (set/getvcpucontext),
 * their scheduling state (getvcpuinfo, for xl vcpu-list), where they may
 * run (vCPU affinity) and their share of the CPUs
 * (scheduler_op: credit weight and cap).
 *
 * Called from do_domctl() with the domctl lock held and d looked up.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/domctl.h>
#include <mica/guest-access.h>
#include <mica/heap.h>
#include <mica/sched.h>
#include <public/domctl.h>
#include <asm/arch-hooks.h>
#include <asm/config.h>
#include <asm/smp.h>

#define AFFINITY_BITS   64              /* width of sched.affinity */

/* max_vcpus: repeat createdomain's number; the vCPUs appear, down. */
static long max_vcpus(struct domain *d, unsigned int max)
{
    if (d == current->domain || max != d->max_vcpus)
        return -EINVAL;
    for (unsigned int i = 0; i < max; i++) {
        struct vcpu *v = d->vcpus[i];

        if (!v && !(v = vcpu_create(d, i)))
            return -ENOMEM;
        if (d->controller_pause_count)
            vcpu_sleep_flags(v, VPF_paused);
    }
    return 0;
}

static struct vcpu *lookup_vcpu(struct domain *d, uint32_t id)
{
    return id < d->max_vcpus ? d->vcpus[id] : NULL;
}

/*
 * setvcpucontext: a vCPU's first state, with the domain paused so that no
 * vCPU of it runs meanwhile.  VGCF_online brings the vCPU up.
 */
static long setvcpucontext(struct domain *d, const struct xen_domctl_vcpucontext *vc)
{
    struct vcpu_guest_context *c;
    struct vcpu *v;
    long rc = -EFAULT;

    if (d == current->domain || !(v = lookup_vcpu(d, vc->vcpu)) || !vc->ctxt)
        return -EINVAL;
    c = xmalloc(sizeof(*c));
    if (!c)
        return -ENOMEM;
    if (copy_from_guest(c, vc->ctxt, sizeof(*c)))
        goto out;
    domain_pause_sync(d);
    /* A vCPU with a state already: only a cancelled suspend's registers. */
    if (arch_vcpu_initialised(v))
        rc = domctl_save_set_regs(v, c);
    else if (!(rc = vcpu_set_context(v, c)))
        rc = domctl_save_restore_extras(v, c);
    if (!rc && (c->flags & VGCF_online))
        vcpu_wake_flags(v, VPF_down);
    domain_unpause_sync(d);
out:
    xfree(c);
    return rc;
}

static long getvcpucontext(struct domain *d, const struct xen_domctl_vcpucontext *vc)
{
    struct vcpu_guest_context *c;
    struct vcpu *v;
    long rc = 0;

    /* Another vCPU of the caller could be pausing this one: refuse, as
     * for the calling vCPU itself. */
    if (!(v = lookup_vcpu(d, vc->vcpu)) || d == current->domain)
        return -EINVAL;
    if (!arch_vcpu_initialised(v))
        return -ENODATA;                /* never given a state */
    c = xmalloc(sizeof(*c));
    if (!c)
        return -ENOMEM;
    domain_pause_sync(d);
    arch_get_vcpu_context(v, c);
    if (!(v->sched.pause_flags & VPF_down))
        c->flags |= VGCF_online;
    c->vm_assist = d->vm_assist;
    domain_unpause_sync(d);
    if (copy_to_guest(vc->ctxt, c, sizeof(*c)))
        rc = -EFAULT;
    xfree(c);
    return rc;
}

/* ---- affinity ------------------------------------------------------------ */

/* A caller's bitmap to a CPU mask: bits past nr_bits are clear. */
static int bitmap_in(const struct xenctl_bitmap *b, uint64_t *mask)
{
    uint8_t bytes[AFFINITY_BITS / 8] = { 0 };
    unsigned int n = MIN((b->nr_bits + 7) / 8, sizeof(bytes));

    if (n && copy_from_guest(bytes, b->bitmap, n))
        return -EFAULT;
    if (b->nr_bits % 8 && n == (b->nr_bits + 7) / 8)
        bytes[n - 1] &= (1U << (b->nr_bits % 8)) - 1;
    memcpy(mask, bytes, sizeof(*mask));
    return 0;
}

/* A CPU mask to the caller's bitmap; bytes past ours are zeroed. */
static int bitmap_out(const struct xenctl_bitmap *b, uint64_t mask)
{
    unsigned int n = (b->nr_bits + 7) / 8;

    for (unsigned int i = 0; i < n; i++) {
        uint8_t byte = i < sizeof(mask) ? mask >> (8 * i) : 0;

        if (copy_to_guest(b->bitmap + i, &byte, 1))
            return -EFAULT;
    }
    return 0;
}

static uint64_t online_mask(void)
{
    uint64_t m = 0;

    for (unsigned int c = 0; c < CONFIG_NR_CPUS && c < AFFINITY_BITS; c++)
        if (cpu_online(c))
            m |= 1UL << c;
    return m;
}

/*
 * Only hard affinity steers Mica's scheduler; a soft one is accepted and
 * reported as "anywhere".  A set answers with the effective masks.
 */
static long vcpuaffinity(struct domain *d, uint32_t cmd, struct xen_domctl_vcpuaffinity *va)
{
    struct vcpu *v;
    uint64_t hard;
    int rc;

    if (va->vcpu >= d->max_vcpus)
        return -EINVAL;
    if (!(v = d->vcpus[va->vcpu]))
        return -ESRCH;
    if (!(va->flags & (XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT)))
        return -EINVAL;
    if (cmd == XEN_DOMCTL_setvcpuaffinity && (va->flags & XEN_VCPUAFFINITY_HARD)) {
        if ((rc = bitmap_in(&va->cpumap_hard, &hard)))
            return rc;
        if (!(hard & online_mask()))
            return -EINVAL;             /* it could never run */
        if (d != current->domain)
            domain_pause_sync(d);
        v->sched.affinity = hard;
        /* A paused vCPU is queued afresh, on an allowed CPU, when woken. */
        if (d != current->domain)
            domain_unpause_sync(d);
    }
    hard = v->sched.affinity;
    if (cmd == XEN_DOMCTL_setvcpuaffinity)
        hard &= online_mask();
    if ((va->flags & XEN_VCPUAFFINITY_HARD) && (rc = bitmap_out(&va->cpumap_hard, hard)))
        return rc;
    if ((va->flags & XEN_VCPUAFFINITY_SOFT) &&
        (rc = bitmap_out(&va->cpumap_soft, cmd == XEN_DOMCTL_setvcpuaffinity ? hard : ~0UL)))
        return rc;
    return 0;
}

/*
 * getvcpuinfo, as Xen answers it: an id past max_vcpus is -EINVAL, one not
 * created yet -ESRCH.  The flags are read without a lock, a snapshot that
 * may be stale by the time the caller sees it, as in Xen.
 */
static long getvcpuinfo(struct domain *d, struct xen_domctl_getvcpuinfo *vi)
{
    struct vcpu_runstate_info rs;
    const struct vcpu *v;
    unsigned int flags;

    if (vi->vcpu >= d->max_vcpus)
        return -EINVAL;
    if (!(v = d->vcpus[vi->vcpu]))
        return -ESRCH;
    runstate_get(v, &rs);
    flags = __atomic_load_n(&v->sched.pause_flags, __ATOMIC_RELAXED);
    vi->online = !(flags & VPF_down);
    vi->blocked = !!(flags & VPF_blocked);
    vi->running = __atomic_load_n(&v->sched.is_running, __ATOMIC_RELAXED);
    vi->pad = 0;
    vi->cpu_time = rs.time[RUNSTATE_running];
    vi->cpu = __atomic_load_n(&v->sched.processor, __ATOMIC_RELAXED);
    vi->pad2 = 0;
    return 0;
}

/* ---- scheduler parameters ---------------------------------------------- */

/* As Xen's credit scheduler: weight 0 and cap ~0 leave a value alone. */
static long scheduler_op(struct domain *d, struct xen_domctl_scheduler_op *so)
{
    if (so->sched_id != XEN_SCHEDULER_CREDIT)
        return -EINVAL;
    switch (so->cmd) {
    case XEN_DOMCTL_SCHEDOP_getinfo:
        so->u.credit.weight = d->sched_weight;
        so->u.credit.cap = d->sched_cap;
        return 0;
    case XEN_DOMCTL_SCHEDOP_putinfo:
        if (so->u.credit.weight)
            d->sched_weight = so->u.credit.weight;
        if (so->u.credit.cap != (uint16_t)~0U)
            d->sched_cap = so->u.credit.cap;
        return 0;
    case XEN_DOMCTL_SCHEDOP_putvcpuinfo:
    case XEN_DOMCTL_SCHEDOP_getvcpuinfo:
        return -EINVAL;                 /* credit has no per-vCPU settings */
    default:
        return -EINVAL;
    }
}

long domctl_vcpu_op(struct domain *d, struct xen_domctl *op, bool *copyback)
{
    ASSERT(domctl_locked_by_me());
    switch (op->cmd) {
    case XEN_DOMCTL_max_vcpus:
        return max_vcpus(d, op->u.max_vcpus.max);
    case XEN_DOMCTL_setvcpucontext:
        return setvcpucontext(d, &op->u.vcpucontext);
    case XEN_DOMCTL_getvcpucontext:
        *copyback = true;
        return getvcpucontext(d, &op->u.vcpucontext);
    case XEN_DOMCTL_getvcpuinfo:
        *copyback = true;
        return getvcpuinfo(d, &op->u.getvcpuinfo);
    case XEN_DOMCTL_setvcpuaffinity:
    case XEN_DOMCTL_getvcpuaffinity:
        return vcpuaffinity(d, op->cmd, &op->u.vcpuaffinity);
    case XEN_DOMCTL_scheduler_op:
        *copyback = true;
        return scheduler_op(d, &op->u.scheduler_op);
    default:
        return -ENOSYS;
    }
}
