/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/domctl.c - the domctl hypercall: checking the caller
 * and the interface version, and the domain-lifecycle commands (create,
 * destroy, pause, query, limits).  vCPU and scheduling commands are in
 * domctl-vcpu.c.
 *
 * The order of checks follows Xen: the structure is read, then a wrong
 * interface version is -EACCES; then Mica refuses an unprivileged caller
 * with -EPERM before looking any domain up, so that an ordinary guest
 * cannot even learn which domain ids exist.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/domctl.h>
#include <mica/event.h>
#include <mica/guest-access.h>
#include <mica/hypercall.h>
#include <mica/page.h>
#include <mica/paging.h>
#include <mica/sched.h>
#include <mica/time.h>
#include <public/domctl.h>
#include <asm/config.h>
#include <asm/io.h>
#include <asm/arch-hooks.h>
#include <asm/spinlock.h>

#define MAX_CONTROLLER_PAUSES   255     /* Xen's bound on toolstack pauses */

static spinlock_t domctl_lock = SPINLOCK_INIT;

/*
 * sysctl's domain walks take it too: no domain is created or killed under
 * them.  Taking it frees the zombies nothing references any more, so that
 * no caller finds a domain that is only waiting to be freed; letting it go
 * frees those its holder killed or stopped holding (a destroy's domain).
 */
void domctl_lock_acquire(void)
{
    spin_lock(&domctl_lock);
    domain_reap();
}

void domctl_lock_release(void)
{
    domain_reap();
    spin_unlock(&domctl_lock);
}

bool domctl_locked_by_me(void)
{
    return spin_is_locked_by_me(&domctl_lock);
}

/* ---- pausing ------------------------------------------------------------ */

/* Wait until no vCPU of d is on a CPU (each was told to leave it). */
static void wait_descheduled(struct domain *d)
{
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        while (d->vcpus[i] &&
               __atomic_load_n(&d->vcpus[i]->sched.is_running, __ATOMIC_ACQUIRE))
            asm volatile("pause" ::: "memory");
}

void domain_pause_sync(struct domain *d)
{
    ASSERT(d != current->domain);
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpus[i])
            vcpu_sleep_flags(d->vcpus[i], VPF_paused);
    wait_descheduled(d);
}

void domain_unpause_sync(struct domain *d)
{
    if (d->controller_pause_count)
        return;                         /* the toolstack still holds it */
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpus[i])
            vcpu_wake_flags(d->vcpus[i], VPF_paused);
}

static long pause_domain(struct domain *d)
{
    if (d == current->domain)
        return -EINVAL;                 /* it could never wait for itself */
    if (d->controller_pause_count >= MAX_CONTROLLER_PAUSES)
        return -EOVERFLOW;
    d->controller_pause_count++;
    domain_pause_sync(d);
    return 0;
}

static long unpause_domain(struct domain *d)
{
    if (!d->controller_pause_count)
        return -EINVAL;
    d->controller_pause_count--;
    domain_unpause_sync(d);
    return 0;
}

/* ---- queries -------------------------------------------------------------- */

static uint8_t phys_addr_bits(void)
{
    struct cpuid_regs r = cpuid(0x80000000, 0);

    return r.a >= 0x80000008 ? cpuid(0x80000008, 0).a & 0xff : 36;
}

/*
 * As Xen reports it: a domain is "blocked" only when every online vCPU
 * is, "running" when any is on a CPU, and neither with no vCPU online.
 */
void domctl_getdomaininfo(struct domain *d, struct xen_domctl_getdomaininfo *info)
{
    uint32_t flags = XEN_DOMINF_blocked, code = ~0U;

    memset(info, 0, sizeof(*info));
    info->domain = d->domain_id;
    info->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        const struct vcpu *v = d->vcpus[i];
        const struct vcpu_runstate_info *rs;

        if (!v)
            continue;
        rs = &v->sched.runstate;
        info->cpu_time += rs->time[RUNSTATE_running];
        if (rs->state == RUNSTATE_running)
            info->cpu_time += now_ns() - rs->state_entry_time;
        info->max_vcpu_id = i;
        if (v->sched.pause_flags & VPF_down)
            continue;
        if (!(v->sched.pause_flags & VPF_blocked))
            flags &= ~XEN_DOMINF_blocked;
        if (v->sched.is_running)
            flags |= XEN_DOMINF_running;
        info->nr_online_vcpus++;
    }
    info->flags = (info->nr_online_vcpus ? flags : 0) |
                  (d->state == DOMAIN_DYING ? XEN_DOMINF_dying : 0) |
                  (d->state == DOMAIN_SHUTDOWN ? XEN_DOMINF_shutdown : 0) |
                  (d->controller_pause_count ? XEN_DOMINF_paused : 0);
    /*
     * Bits 16 up carry the shutdown code as Xen keeps it: the guest's own
     * SCHEDOP_shutdown_code, else the reason once it shut down, else -1,
     * whose high bits fill the rest of the word (Xen shifts an int).
     */
    if (d->shutdown_code != ~0U)
        code = d->shutdown_code;
    else if (d->state == DOMAIN_SHUTDOWN)
        code = d->shutdown_reason;
    info->flags |= code << XEN_DOMINF_shutdownshift;
    info->tot_pages = d->tot_pages;
    info->max_pages = d->max_pages;
    info->shared_info_frame = __pa(d->shared_info) >> PAGE_SHIFT;
    memcpy(info->handle, d->handle, sizeof(info->handle));
    info->gpaddr_bits = phys_addr_bits();
}

/* getdomaininfo on an id with no domain answers for the next one up. */
static long getdomaininfo(domid_t id, struct xen_domctl *op)
{
    struct domain *d = NULL;

    if (id >= DOMID_FIRST_RESERVED)
        return -EINVAL;
    for (; id < CONFIG_MAX_DOMAINS && !(d = get_domain_by_id(id)); id++)
        ;
    if (!d)
        return -ESRCH;
    domctl_getdomaininfo(d, &op->u.getdomaininfo);
    op->domain = d->domain_id;
    put_domain(d);
    return 0;
}

/* ---- creation and destruction ------------------------------------------ */

static int check_config(const struct xen_domctl_createdomain *c)
{
    if (c->flags || c->iommu_opts || c->vmtrace_size || c->ssidref)
        return -EINVAL;                 /* PV only, none of the extras */
    if (c->grant_opts & ~XEN_DOMCTL_GRANT_version_mask ||
        XEN_DOMCTL_GRANT_version(c->grant_opts) > 1)
        return -EINVAL;                 /* grant tables v1 only */
    if (c->max_vcpus < 1 || c->max_vcpus > MAX_VIRT_CPUS)
        return -EINVAL;
    if (c->cpupool_id)
        return -ENOENT;                 /* there is only pool 0 */
    if (c->arch.emulation_flags || c->arch.misc_flags)
        return -EOPNOTSUPP;             /* a PV domain emulates no devices */
    return 0;
}

/* A free id: the one asked for, or the next after the last one handed out. */
static long pick_domid(domid_t want)
{
    static domid_t rover;

    if (want && want < DOMID_FIRST_RESERVED) {
        if (want >= CONFIG_MAX_DOMAINS)
            return -EINVAL;             /* beyond Mica's domain table */
        return domain_id_in_use(want) ? -EEXIST : want;
    }
    for (unsigned int n = 1; n < CONFIG_MAX_DOMAINS; n++) {
        domid_t id = (rover + n) % CONFIG_MAX_DOMAINS;

        if (id && !domain_id_in_use(id))
            return rover = id;
    }
    return -ENOMEM;
}

/*
 * A new domain has no memory (max_mem sets the limit) and no vCPUs yet
 * (max_vcpus creates them); like Xen's it starts paused once by the
 * toolstack, which unpauses it when it is built.
 */
static long createdomain(struct xen_domctl *op)
{
    const struct xen_domctl_createdomain *c = &op->u.createdomain;
    struct domain *d;
    long id;
    int rc;

    if ((rc = check_config(c)))
        return rc;
    if ((id = pick_domid(op->domain)) < 0)
        return id;
    if ((rc = domain_create(id, false, c->max_vcpus, &d)))
        return rc;
    d->controller_pause_count = 1;
    memcpy(d->handle, c->handle, sizeof(d->handle));
    d->max_grant_frames = c->max_grant_frames > 0 ? c->max_grant_frames : 0;
    d->max_maptrack_frames = c->max_maptrack_frames > 0 ? c->max_maptrack_frames : 0;
    if ((rc = evtchn_set_max_port(d, c->max_evtchn_port))) {
        domain_set_dying(d);
        domain_destroy(d);
        return rc;
    }
    op->domain = id;
    return 0;
}

/*
 * Stop every vCPU for good, wait until none is on a CPU (the scheduler
 * switches each out at its next exit), then take the domain apart.
 */
static long destroydomain(struct domain *d)
{
    if (d == current->domain || d == hardware_domain)
        return -EINVAL;
    if (d->killed)
        return 0;                       /* a zombie: done already, as in Xen */
    domain_set_dying(d);
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpus[i])
            vcpu_sleep_flags(d->vcpus[i], VPF_dead);
    wait_descheduled(d);
    printk("d%u: destroyed by the control domain\n", d->domain_id);
    domain_destroy(d);
    /* As Xen's domain_kill: xenstored and the toolstack rescan domains. */
    send_guest_global_virq(hardware_domain, VIRQ_DOM_EXC);
    return 0;
}

/*
 * hypercall_init: the toolstack's builder asks for the stubs in a page of
 * the new domain.  As in Xen: a frame it does not own is -EINVAL, one that
 * cannot be a plain writable page (a page table, say) is -EPERM.
 */
static long hypercall_init(struct domain *d, uint64_t gmfn)
{
    struct page_info *pg;

    if (!domain_owns_mfn(d, gmfn))
        return -EINVAL;
    pg = mfn_to_page(gmfn);
    if (get_page_and_type(pg, d, PGT_writable))
        return -EPERM;
    arch_write_hypercall_page(__va(gmfn << PAGE_SHIFT));
    put_page_and_type(pg);
    return 0;
}

/* ---- the hypercall -------------------------------------------------------- */

static long domain_op(struct domain *d, struct xen_domctl *op, bool *copyback)
{
    switch (op->cmd) {
    case XEN_DOMCTL_destroydomain:
        return destroydomain(d);
    case XEN_DOMCTL_pausedomain:
        return pause_domain(d);
    case XEN_DOMCTL_unpausedomain:
        return unpause_domain(d);
    case XEN_DOMCTL_max_mem: {
        /* Lower than tot_pages is allowed: allocations fail until it shrinks. */
        d->max_pages = op->u.max_mem.max_memkb >> (PAGE_SHIFT - 10);
        return 0;
    }
    case XEN_DOMCTL_setdomainhandle:
        memcpy(d->handle, op->u.setdomainhandle.handle, sizeof(d->handle));
        return 0;
    case XEN_DOMCTL_hypercall_init:
        return hypercall_init(d, op->u.hypercall_init.gmfn);
    case XEN_DOMCTL_shadow_op: {
        long rc = paging_domctl(d, &op->u.shadow_op);

        *copyback = !rc;
        return rc;
    }
    case XEN_DOMCTL_getpageframeinfo3:
    case XEN_DOMCTL_resumedomain:
    case XEN_DOMCTL_gettscinfo:
    case XEN_DOMCTL_settscinfo:
    case XEN_DOMCTL_getvcpuextstate:
    case XEN_DOMCTL_setvcpuextstate:
        return domctl_save_op(d, op, copyback);
    case XEN_DOMCTL_set_max_evtchn:
        return evtchn_set_max_port(d, op->u.set_max_evtchn.max_port);
    case XEN_DOMCTL_set_gnttab_limits:
        if (!op->u.set_gnttab_limits.grant_frames ||
            !op->u.set_gnttab_limits.maptrack_frames)
            return -EINVAL;
        d->max_grant_frames = op->u.set_gnttab_limits.grant_frames;
        d->max_maptrack_frames = op->u.set_gnttab_limits.maptrack_frames;
        return 0;
    default:
        return domctl_vcpu_op(d, op, copyback);
    }
}

long do_domctl(uint64_t arg)
{
    struct xen_domctl op;
    struct domain *d;
    bool copyback = false;
    long rc;

    rc = control_op_fetch(&op, sizeof(op), arg, XEN_DOMCTL_INTERFACE_VERSION);
    if (rc)
        return rc;

    /* One control operation at a time: none sees a half-built domain. */
    domctl_lock_acquire();
    switch (op.cmd) {
    case XEN_DOMCTL_createdomain:
        rc = createdomain(&op);
        copyback = !rc;
        break;
    case XEN_DOMCTL_getdomaininfo:
        rc = getdomaininfo(op.domain, &op);
        copyback = !rc;
        break;
    default:
        /* DOMID_SELF is not accepted here, as in Xen. */
        d = op.domain < DOMID_FIRST_RESERVED ? get_domain_by_id(op.domain) : NULL;
        /* A zombie only waits for its frames to be let go. */
        if (d && d->killed && op.cmd != XEN_DOMCTL_destroydomain)
            rc = -EINVAL;
        else
            rc = d ? domain_op(d, &op, &copyback) : -ESRCH;
        if (d)
            put_domain(d);          /* before the release reaps it */
        break;
    }
    domctl_lock_release();

    if (copyback && copy_to_guest(arg, &op, sizeof(op)))
        rc = -EFAULT;
    return rc;
}
