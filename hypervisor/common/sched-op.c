/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/sched-op.c - sched_op: yield, block, poll, shutdown.
 *
 * yield and block hand the CPU to the scheduler (common/sched/core.c);
 * block first performs its implicit "enable events" and returns at once
 * when one is already pending, so a wake-up cannot be lost in between.
 */
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/guest-access.h>
#include <mica/hypercall.h>
#include <mica/sched.h>
#include <mica/time.h>
#include <public/sched.h>

/*
 * SCHEDOP_poll: block until one of the ports is pending or the timeout
 * (absolute system time, 0 = none) passes.  Any event wakes the vCPU; the
 * guest re-checks its ports, as Linux's PV spinlocks do.
 *
 * The vCPU is marked blocked and polling before the ports and the clock
 * are looked at, and the timer is armed last: an event or the timer that
 * comes at any point after that finds a sleeper to wake.  The other order
 * lost both: a timeout that ran out while the timer was being armed woke
 * nothing, and the vCPU, no longer "polling", slept for good.
 */
static long poll(const struct sched_poll *p)
{
    struct vcpu *v = current;
    shared_info_t *s = v->domain->shared_info;
    long rc = 0;

    v->sched.polling = true;
    vcpu_sleep_flags(v, VPF_blocked);
    for (uint32_t i = 0; i < p->nr_ports; i++) {
        uint32_t port;

        if (copy_from_guest(&port, p->ports + i * sizeof(port), sizeof(port))) {
            rc = -EFAULT;
            goto awake;
        }
        if (port >= 4096) {
            rc = -EINVAL;
            goto awake;
        }
        if (s->evtchn_pending[port / 64] & (1UL << (port % 64)))
            goto awake;
    }
    if (p->timeout && p->timeout <= now_ns())
        goto awake;
    if (p->timeout)
        set_timer(&v->sched.poll_timeout, p->timeout);
    return 0;

awake:
    v->sched.polling = false;
    vcpu_wake_flags(v, VPF_blocked);
    return rc;
}

/* A guest's own crash report: where it was, and the top of its stack,
 * which is often all there is to go on when its console went quiet. */
static void report_guest_crash(void)
{
    struct cpu_regs *r = guest_regs();
    uint64_t stack[12];

    printk(KERN_WARN "d%uv%u: guest reports a crash (rip %#lx rsp %#lx)\n",
           current->domain->domain_id, current->vcpu_id, r->rip, r->rsp);
    if (copy_from_guest(stack, r->rsp, sizeof(stack)))
        return;
    for (unsigned int i = 0; i < ARRAY_SIZE(stack); i += 4)
        printk(KERN_WARN "  stack: %016lx %016lx %016lx %016lx\n",
               stack[i], stack[i + 1], stack[i + 2], stack[i + 3]);
}

long do_sched_op(uint64_t cmd, uint64_t arg)
{
    struct domain *d = current->domain;
    struct sched_shutdown sd;

    switch ((int)cmd) {
    case SCHEDOP_yield:
        vcpu_yield();
        return 0;
    case SCHEDOP_block:
        vcpu_block();
        return 0;
    case SCHEDOP_shutdown:
        if (copy_from_guest(&sd, arg, sizeof(sd)))
            return -EFAULT;
        if (sd.reason > SHUTDOWN_MAX)
            return -EINVAL;
        if (sd.reason == SHUTDOWN_crash)
            report_guest_crash();
        domain_shutdown(d, sd.reason);
        return 0;
    case SCHEDOP_shutdown_code:
        if (copy_from_guest(&sd, arg, sizeof(sd)))
            return -EFAULT;
        if (sd.reason > SHUTDOWN_MAX)
            return -EINVAL;
        domain_set_shutdown_code(d, sd.reason);
        return 0;
    case SCHEDOP_poll: {
        struct sched_poll p;

        if (copy_from_guest(&p, arg, sizeof(p)))
            return -EFAULT;
        if (p.nr_ports > 128)
            return -EINVAL;
        if (!guest_range_ok(p.ports, p.nr_ports * sizeof(uint32_t)))
            return -EFAULT;
        return poll(&p);
    }
    case SCHEDOP_remote_shutdown: {
        struct sched_remote_shutdown rs;
        struct domain *target;
        long rc;

        if (copy_from_guest(&rs, arg, sizeof(rs)))
            return -EFAULT;
        if (!(target = get_domain_by_id(rs.domain_id)))
            return -ESRCH;
        rc = !d->is_privileged ? -EPERM : rs.reason > SHUTDOWN_MAX ? -EINVAL : 0;
        if (!rc)
            domain_shutdown(target, rs.reason);
        put_domain(target);
        return rc;
    }
    default:
        /* watchdog, pin_override: not yet. */
        return -ENOSYS;
    }
}
