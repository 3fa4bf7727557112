/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/vcpu-op.c - vcpu_op: bringing vCPUs up and down,
 * their timers, and the vcpu_info and runstate areas they share with the
 * guest; plus set_timer_op, the older one-shot timer call.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/domctl.h>
#include <mica/event.h>
#include <mica/guest-access.h>
#include <mica/hypercall.h>
#include <mica/heap.h>
#include <mica/page.h>
#include <mica/sched.h>
#include <mica/time.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <asm/arch-hooks.h>
#include <asm/config.h>

#define MS(x)   ((x) * 1000000ULL)

static bool vcpu_is_up(const struct vcpu *v)
{
    return !(v->sched.pause_flags & VPF_down);
}

/* Is a vCPU of d other than v up?  (Unlocked, as Xen reads it.) */
static bool others_up(const struct domain *d, const struct vcpu *v)
{
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpus[i] && d->vcpus[i] != v && vcpu_is_up(d->vcpus[i]))
            return true;
    return false;
}

/*
 * Move vcpu_info into a guest page.  Allowed once; the block must not
 * straddle a page, and the frame must be the domain's own.  As Xen does,
 * the guest is told to rescan every event word afterwards.
 */
static long register_vcpu_info(struct vcpu *v, uint64_t arg)
{
    struct vcpu_register_vcpu_info info;
    vcpu_info_t *new;
    long rc = -EINVAL;

    if (copy_from_guest(&info, arg, sizeof(info)))
        return -EFAULT;
    if (info.offset > PAGE_SIZE - sizeof(vcpu_info_t) ||
        (info.offset & (_Alignof(vcpu_info_t) - 1)))
        return -ENXIO;
    /* Two vCPUs registering for a third must not both take a reference. */
    spin_lock(&v->setup_lock);
    if (v->vcpu_info_registered || (v != current && vcpu_is_up(v)))
        goto out;
    /* Held writable while registered: it can never become a page table. */
    if (!mfn_valid(info.mfn) ||
        get_page_and_type(mfn_to_page(info.mfn), v->domain, PGT_writable))
        goto out;
    new = __va((info.mfn << PAGE_SHIFT) + info.offset);
    memcpy(new, v->vcpu_info, sizeof(*new));
    new->evtchn_upcall_pending = 1;
    new->evtchn_pending_sel = ~0UL;
    v->vcpu_info = new;
    v->vcpu_info_registered = true;
    rc = 0;
out:
    spin_unlock(&v->setup_lock);
    return rc;
}

/*
 * Under the vCPU's set-up lock: two vCPUs initialising a third at once
 * would otherwise both pass the check and leak one L4 type reference,
 * and the domain would never be freed.
 */
int vcpu_set_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
    int rc;

    spin_lock(&v->setup_lock);
    rc = arch_set_vcpu_context(v, c);
    spin_unlock(&v->setup_lock);
    /* A toolstack clears shared_info while it builds: the clock goes in now. */
    if (!rc && v->vcpu_id == 0)
        wallclock_update(v->domain->shared_info);
    return rc;
}

/* VCPUOP_initialise: the same from the guest itself, for its other vCPUs. */
static long initialise(struct vcpu *v, uint64_t arg)
{
    struct vcpu_guest_context *c;
    long rc = -EFAULT;

    if (arch_vcpu_initialised(v))
        return -EEXIST;
    c = xmalloc(sizeof(*c));
    if (!c)
        return -ENOMEM;
    if (!copy_from_guest(c, arg, sizeof(*c)))
        rc = vcpu_set_context(v, c);
    xfree(c);
    return rc;
}

static long set_singleshot(struct vcpu *v, uint64_t arg)
{
    struct vcpu_set_singleshot_timer t;

    if (v != current)
        return -EINVAL;
    if (copy_from_guest(&t, arg, sizeof(t)))
        return -EFAULT;
    /*
     * Xen 4.17 ignores VCPU_SSHOTTMR_future (Linux used to set it on
     * deadlines it had just missed): a past deadline fires at once.
     */
    if (t.timeout_abs_ns < now_ns()) {
        stop_timer(&v->sched.singleshot);
        send_guest_vcpu_virq(v, VIRQ_TIMER);
        return 0;
    }
    set_timer(&v->sched.singleshot, t.timeout_abs_ns);
    return 0;
}

static long set_periodic(struct vcpu *v, uint64_t arg)
{
    struct vcpu_set_periodic_timer t;

    if (copy_from_guest(&t, arg, sizeof(t)))
        return -EFAULT;
    if (t.period_ns < MS(1) || t.period_ns > (1ULL << 62))
        return -EINVAL;
    v->sched.periodic_period = t.period_ns;
    set_timer(&v->sched.periodic, now_ns() + t.period_ns);
    return 0;
}

long do_vcpu_op(uint64_t cmd, uint64_t vcpuid, uint64_t arg)
{
    struct domain *d = current->domain;
    struct vcpu *v;

    vcpuid = (uint32_t)vcpuid;
    if (vcpuid >= d->max_vcpus || !(v = d->vcpus[vcpuid]))
        return -ENOENT;

    switch ((int)cmd) {
    case VCPUOP_initialise:
        return initialise(v, arg);
    case VCPUOP_up:
        if (!arch_vcpu_initialised(v))
            return -EINVAL;
        vcpu_wake_flags(v, VPF_down);
        return 0;
    case VCPUOP_down:
        /* As Xen 4.17: the last vCPU going down powers the domain off. */
        if (!others_up(d, v)) {
            domain_shutdown(d, SHUTDOWN_poweroff);
            return 0;
        }
        vcpu_sleep_flags(v, VPF_down);
        return 0;
    case VCPUOP_is_up:
        return vcpu_is_up(v);
    case VCPUOP_get_runstate_info: {
        struct vcpu_runstate_info rs;

        runstate_get(v, &rs);
        return copy_to_guest(arg, &rs, sizeof(rs)) ? -EFAULT : 0;
    }
    case VCPUOP_register_vcpu_info:
        return register_vcpu_info(v, arg);
    case VCPUOP_register_runstate_memory_area: {
        struct vcpu_register_runstate_memory_area area;

        if (copy_from_guest(&area, arg, sizeof(area)))
            return -EFAULT;
        if (!guest_range_ok(area.addr.p, sizeof(struct vcpu_runstate_info)))
            return -EFAULT;
        v->runstate_guest = area.addr.p;
        /* As Xen: the own vCPU's area gets the state as of its last switch,
         * another's the state up to now (the caller's tables are loaded). */
        if (v == current) {
            runstate_update_guest(v);
        } else {
            struct vcpu_runstate_info rs;

            runstate_get(v, &rs);
            (void)copy_to_guest(area.addr.p, &rs, sizeof(rs));
        }
        return 0;
    }
    case VCPUOP_set_singleshot_timer:
        return set_singleshot(v, arg);
    case VCPUOP_stop_singleshot_timer:
        if (v != current)
            return -EINVAL;
        stop_timer(&v->sched.singleshot);
        return 0;
    case VCPUOP_set_periodic_timer:
        return set_periodic(v, arg);
    case VCPUOP_stop_periodic_timer:
        v->sched.periodic_period = 0;
        stop_timer(&v->sched.periodic);
        return 0;
    case VCPUOP_send_nmi:
        if (arg)
            return -EINVAL;
        arch_vcpu_send_nmi(v);
        vcpu_kick(v);
        return 0;
    default:
        return -ENOSYS;
    }
}

/* set_timer_op: a one-shot timer at an absolute time; 0 cancels it. */
long do_set_timer_op(uint64_t timeout)
{
    struct vcpu *v = current;

    if (!timeout)
        stop_timer(&v->sched.singleshot);
    else
        set_timer(&v->sched.singleshot, timeout);
    return 0;
}
