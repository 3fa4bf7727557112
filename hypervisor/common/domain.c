/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/domain.c - creating domains and vCPUs, and ending them
 * (shutdown on the guest's request, crash on its misbehaviour), and the
 * table of domains by id with the references that keep a domain's struct.
 *
 * Ownership: a struct domain is freed only when its last reference goes.
 * The table holds one from domain_create() until domain_reap() lists the
 * domain out.  Everyone else who finds a domain by id (another domain's
 * hypercall naming it: grant map/unmap/copy, event channels, foreign
 * mmu_update, memory_op, domctl, sysctl, the scheduler's walk) holds a
 * reference from get_domain_by_id() until its put_domain(), on every
 * path.  A pointer kept inside a structure (an interdomain event
 * channel's peer) is good under the lock guarding that structure; to use
 * it after letting go of the lock, take get_knownalive_domain() first.
 * Pointers that need no reference: current->domain (a running vCPU keeps
 * its domain unkilled), and hardware_domain (dom0 is freed last of all).
 *
 * domain_reap() lists a domain out only when the table's is the only
 * reference left (checked under domlist_lock, which every lookup takes),
 * so its put is the last one and the free happens there, under the
 * domctl lock, in process context - never from another holder's put,
 * which may come from an interrupt (the scheduler's tick).
 *
 * Who frees what, when (as in Xen): the kill, domain_destroy(), takes
 * apart what the domain does and holds - it closes its event channels,
 * takes its vCPUs off the scheduler with their timers dead, lets go of
 * its tables, mappings and memory.  The storage others may still reach
 * through a pointer they hold - the port buckets (a peer's close or send,
 * a VIRQ sender), the struct vcpus (the credit tick, a kick, a CPU just
 * switching the vCPU out), shared_info - is freed only by domain_free(),
 * at the last reference.
 *
 * Locking: domlist_lock (irqsave: the scheduler's tick looks domains up;
 * a leaf) covers domains[] and the last-reference check; each domain's
 * shutdown_lock covers its state (the state machine is above
 * domain_shutdown()).  Where they sit among the other locks:
 * docs/ARCHITECTURE.md, "Lock order".
 */
#include <stdarg.h>
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/console.h>
#include <mica/heap.h>
#include <mica/domain.h>
#include <mica/event.h>
#include <mica/frame-alloc.h>
#include <mica/grant-table.h>
#include <mica/pirq.h>
#include <mica/params.h>
#include <mica/page.h>
#include <mica/paging.h>
#include <public/sched.h>
#include <asm/arch-hooks.h>
#include <asm/config.h>
#include <asm/io.h>
#include <asm/power.h>
#include <asm/desc.h>
#include <asm/page.h>

struct domain *hardware_domain;
static struct domain *domains[CONFIG_MAX_DOMAINS];   /* by id; a small table */
static spinlock_t domlist_lock = SPINLOCK_INIT;     /* domains[], the last ref */

static void domain_free(struct domain *d);

struct domain *get_domain_by_id(domid_t id)
{
    struct domain *d;
    unsigned long flags;

    if (id >= CONFIG_MAX_DOMAINS)
        return NULL;
    flags = spin_lock_irqsave(&domlist_lock);
    d = domains[id];
    if (d)
        get_knownalive_domain(d);   /* listed: the table's ref is there */
    spin_unlock_irqrestore(&domlist_lock, flags);
    return d;
}

struct domain *get_domain_by_any_id(struct domain *cd, domid_t id)
{
    if (id != DOMID_SELF)
        return get_domain_by_id(id);
    get_knownalive_domain(cd);
    return cd;
}

void get_knownalive_domain(struct domain *d)
{
    unsigned int was = __atomic_fetch_add(&d->refcnt, 1, __ATOMIC_ACQUIRE);

    ASSERT(was > 0);
}

void put_domain(struct domain *d)
{
    unsigned int left = __atomic_sub_fetch(&d->refcnt, 1, __ATOMIC_ACQ_REL);

    ASSERT(left != ~0U);
    if (!left)
        domain_free(d);             /* domain_reap()'s put: see above */
}

bool domain_id_in_use(domid_t id)
{
    struct domain *d = get_domain_by_id(id);

    if (d)
        put_domain(d);
    return d != NULL;
}

static const char *const shutdown_names[] = {
    "poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset",
};

/*
 * Creation is serialised: the domctl lock, or boot.  0 and *out, or a
 * negative errno with nothing left behind: -EINVAL for a bad vCPU count or
 * id, -EEXIST for an id in use, -ENOMEM.
 */
int domain_create(domid_t id, bool privileged, unsigned int max_vcpus, struct domain **out)
{
    unsigned long flags;
    struct domain *d;
    mfn_t m = INVALID_MFN;
    int rc = -ENOMEM;

    if (max_vcpus == 0 || max_vcpus > MAX_VIRT_CPUS || id >= CONFIG_MAX_DOMAINS)
        return -EINVAL;
    if (domains[id])
        return -EEXIST;
    d = xzalloc_obj(struct domain);
    if (!d)
        return -ENOMEM;
    d->shared_info = alloc_zeroed_frame(&m);
    if (!d->shared_info)
        goto fail;
    share_xen_page(d, m);
    if ((rc = perdomain_init(d)))
        goto fail;
    /* Guests start with events masked on every vCPU (Linux assumes so). */
    for (unsigned int i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
        d->shared_info->vcpu_info[i].evtchn_upcall_mask = 1;
    d->domain_id = id;
    d->is_privileged = privileged;
    d->max_vcpus = max_vcpus;
    d->sched_weight = SCHED_DEFAULT_WEIGHT;
    d->shutdown_code = ~0U;
    d->shutdown_lock = (spinlock_t)SPINLOCK_INIT;
    if ((rc = evtchn_init(d)) || (rc = gnttab_init(d)))
        goto fail;
    d->refcnt = 1;                  /* the table's */
    flags = spin_lock_irqsave(&domlist_lock);
    domains[id] = d;
    spin_unlock_irqrestore(&domlist_lock, flags);
    *out = d;
    return 0;

fail:
    /* Each undo copes with its step not having run (d is zeroed). */
    evtchn_destroy_final(d);
    perdomain_free(d);
    if (d->shared_info) {
        unshare_xen_page(m);
        free_frames(m, 0);
    }
    xfree(d);
    return rc;
}

struct vcpu *vcpu_create(struct domain *d, unsigned int id)
{
    struct vcpu *v;

    if (id >= d->max_vcpus || d->vcpus[id])
        return NULL;
    v = xzalloc_obj(struct vcpu);
    if (!v)
        return NULL;
    v->domain = d;
    v->vcpu_id = id;
    v->vcpu_info = &d->shared_info->vcpu_info[id];
    if (arch_vcpu_create(v)) {
        xfree(v);
        return NULL;
    }
    sched_vcpu_init(v);
    d->vcpus[id] = v;
    return v;
}

bool domain_owns_mfn(const struct domain *d, mfn_t mfn)
{
    return mfn_valid(mfn) && mfn_to_page(mfn)->owner == d &&
           (mfn_to_page(mfn)->flags & PGC_allocated);
}

static bool domain_referenced(const struct domain *d);

/*
 * Dying happens in two steps, as in Xen.  domain_destroy() kills: it takes
 * apart everything the domain holds - its ports (peers see their end
 * unbound), its mappings of others' grants, its vCPUs' places in the
 * scheduler and their tables, and its own references on its memory.  What other domains still hold
 * of it (a foreign or grant mapping of one of its frames, the reference
 * belonging to that mapping) keeps that frame, and the domain with it as
 * a "zombie": still listed, as dying, its id not reused, its grant table
 * there for the holder's unmap.  domain_reap() frees a killed domain once
 * nothing references any of its frames and no one holds the struct.
 *
 * Locking: kill and reap run under the domctl lock (or with nothing else
 * running, at dom0's end).  Frames of a zombie are let go without it (a
 * holder's unmap), but that holder has the zombie by reference, which
 * keeps the reaping off until it is done.
 */
void domain_destroy(struct domain *d)
{
    ASSERT(d->state != DOMAIN_RUNNING);
    ASSERT(!current || current->domain != d);
    /* From the idle loop (dom0's end) make sure of the idle tables; from a
     * domctl the caller's own tables are loaded, and they are not d's. */
    if (!current) {
        write_cr3(__pa(idle_pml4));
        load_hypervisor_gdt(smp_processor_id());
    }
    if (d->killed)
        return;                     /* a zombie already */
    domain_set_dying(d);

    evtchn_destroy(d);              /* needs the vCPUs: VIRQ bindings */
    pirq_destroy(d);                /* its ports are closed now */
    gnttab_release(d);              /* before the frames mapped go */
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];

        if (!v)
            continue;
        arch_vcpu_destroy(v);
        sched_vcpu_destroy(v);
        if (v->vcpu_info_registered) {
            put_page_and_type(mfn_to_page(__pa(v->vcpu_info) >> PAGE_SHIFT));
            /* A late reader finds the slot in shared_info, still there. */
            v->vcpu_info = &d->shared_info->vcpu_info[i];
            v->vcpu_info_registered = false;
        }
    }
    guest_console_release(d);       /* a boot-time guest's ring frame */
    paging_teardown(d);             /* its vCPUs are off their tables */
    domain_relinquish_memory(d);
    d->killed = true;
    if (hardware_domain == d)
        hardware_domain = NULL;
    /* The caller's lock release (or dom0's end) reaps it if it can go. */
    if (domain_referenced(d))
        printk("d%u: kept as a zombie: %lu frames still mapped by others\n",
               d->domain_id, d->tot_pages);
}

/* Does anything outside d still hold one of its frames? */
static bool domain_referenced(const struct domain *d)
{
    mfn_t si = __pa(d->shared_info) >> PAGE_SHIFT;

    /* Hypervisor pages it shares count 1 for being shared. */
    return __atomic_load_n(&d->tot_pages, __ATOMIC_ACQUIRE) ||
           __atomic_load_n(&mfn_to_page(si)->count, __ATOMIC_ACQUIRE) > 1 ||
           gnttab_frames_mapped(d);
}

/* The last reference has gone: its hypervisor pages and the struct. */
static void domain_free(struct domain *d)
{
    mfn_t si = __pa(d->shared_info) >> PAGE_SHIFT;

    ASSERT(d->killed && !d->refcnt && !domain_referenced(d));
    ASSERT(domains[d->domain_id] != d);
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        xfree(d->vcpus[i]);         /* off the scheduler since the kill */
    evtchn_destroy_final(d);
    gnttab_destroy(d);
    unshare_xen_page(si);
    free_frames(si, 0);
    perdomain_free(d);
    xfree(d->memmap);
    xfree(d->p2m);
    xfree(d);
}

/*
 * List d out if the table holds the only reference; the check and the
 * removal are one step under domlist_lock, so no lookup slips between.
 */
static bool domain_unlist(struct domain *d)
{
    unsigned long flags = spin_lock_irqsave(&domlist_lock);
    bool last = __atomic_load_n(&d->refcnt, __ATOMIC_ACQUIRE) == 1;

    if (last)
        domains[d->domain_id] = NULL;
    spin_unlock_irqrestore(&domlist_lock, flags);
    return last;
}

/*
 * A killed domain no longer gains frame references (its frames are not
 * allocated to it any more), so once none is left it stays so.  Lookups
 * still take it until it is listed out: such a holder, say an unmap of a
 * stale handle naming it, delays the reaping to a later call.
 */
void domain_reap(void)
{
    for (unsigned int id = 0; id < CONFIG_MAX_DOMAINS; id++) {
        struct domain *d = get_domain_by_id(id);
        bool reap;

        if (!d)
            continue;
        reap = d->killed && !domain_referenced(d);
        if (reap)
            gnttab_forget_granter(d);   /* stale handles others kept of it */
        put_domain(d);
        if (reap && domain_unlist(d))
            put_domain(d);          /* the table's, the last */
    }
}

uint64_t frames_before_dom0, heap_before_dom0;

/*
 * With nothing but dom0 running, its end is the machine's end, as with
 * Xen: power off on poweroff/crash when the test exit device is in use,
 * otherwise report and leave the hypervisor idling.  dom0 is torn down
 * first, which proves that every frame it had comes back.
 */
static void dom0_ended(struct domain *d)
{
    bool poweroff = d->shutdown_reason == SHUTDOWN_poweroff;
    uint64_t after;

    domain_destroy(d);
    domain_reap();                  /* d itself, and zombies its mappings kept */
    /* Frames the heap newly caches (size-class pages) are not the domain's. */
    after = frames_free_count() + (heap_frames() - heap_before_dom0);
    printk("dom0 torn down: %lu frames free (+heap growth), %lu before it was built: %ld leaked\n",
           after, frames_before_dom0, (long)(frames_before_dom0 - after));

    if (poweroff || opt_debug_exit)
        machine_poweroff(poweroff ? EXIT_SUCCESS_CODE : EXIT_FAILURE_CODE);
    printk("Domain 0 has ended; the hypervisor stays up (nothing to run).\n");
}

/*
 * Called by the scheduler each time a vCPU of a shut-down domain leaves
 * its CPU; the last one out finishes the domain off.  The caller holds d
 * (once off its CPU, the vCPU no longer keeps d unkilled) and hands that
 * reference over: it is put here, for dom0 before its teardown, whose
 * reaping must find the table's reference the last one.  Nobody else
 * kills dom0, so it stays meanwhile.
 */
void domain_ended(struct domain *d)
{
    bool last = true;

    for (unsigned int i = 0; i < d->max_vcpus && last; i++)
        if (d->vcpus[i] && __atomic_load_n(&d->vcpus[i]->sched.is_running,
                                           __ATOMIC_ACQUIRE))
            last = false;
    if (!last || __atomic_exchange_n(&d->ended, true, __ATOMIC_SEQ_CST)) {
        put_domain(d);
        return;
    }
    if (d == hardware_domain) {
        put_domain(d);
        dom0_ended(d);
        return;
    }
    if (hardware_domain)
        send_guest_global_virq(hardware_domain, VIRQ_DOM_EXC);  /* tell the toolstack */
    put_domain(d);
}

/*
 * The state machine (d->state, under d->shutdown_lock with the shutdown
 * fields; readers elsewhere take one word as a snapshot):
 *
 *   RUNNING --domain_shutdown()--> SHUTDOWN --domain_resume()--> RUNNING
 *   RUNNING or SHUTDOWN --domain_set_dying()--> DYING   (final)
 *
 * Each change is one step under the lock, so two CPUs shutting a domain
 * down at once (two of its vCPUs, or it and the toolstack) make one
 * transition with one reason, and a shutdown cannot undo a kill under
 * way.  The vCPUs' VPF_dead changes with the state, under the lock too.
 */
static void domain_set_vcpus_dead(struct domain *d, bool dead)
{
    ASSERT(spin_is_locked_by_me(&d->shutdown_lock));
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        if (!d->vcpus[i])
            continue;
        if (dead)
            vcpu_sleep_flags(d->vcpus[i], VPF_dead);
        else
            vcpu_wake_flags(d->vcpus[i], VPF_dead);
    }
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
    unsigned long flags = spin_lock_irqsave(&d->shutdown_lock);
    unsigned int code = d->shutdown_code;

    if (d->state != DOMAIN_RUNNING) {
        spin_unlock_irqrestore(&d->shutdown_lock, flags);
        return;
    }
    d->shutdown_reason = reason;
    __atomic_store_n(&d->state, DOMAIN_SHUTDOWN, __ATOMIC_RELEASE);
    /* Its vCPUs stop at their next exit; the last one ends the domain. */
    domain_set_vcpus_dead(d, true);
    spin_unlock_irqrestore(&d->shutdown_lock, flags);

    printk("Domain %u shut down: reason %s", d->domain_id,
           reason < ARRAY_SIZE(shutdown_names) ? shutdown_names[reason] : "?");
    if (code != ~0U)
        printk(", code %u", code);
    printk("\n");
}

int domain_resume(struct domain *d)
{
    unsigned long flags = spin_lock_irqsave(&d->shutdown_lock);

    if (d->state != DOMAIN_SHUTDOWN || d->killed) {
        spin_unlock_irqrestore(&d->shutdown_lock, flags);
        return -EINVAL;
    }
    d->shutdown_code = ~0U;
    __atomic_store_n(&d->ended, false, __ATOMIC_RELEASE);
    __atomic_store_n(&d->state, DOMAIN_RUNNING, __ATOMIC_RELEASE);
    domain_set_vcpus_dead(d, false);
    spin_unlock_irqrestore(&d->shutdown_lock, flags);
    return 0;
}

void domain_set_dying(struct domain *d)
{
    unsigned long flags = spin_lock_irqsave(&d->shutdown_lock);

    __atomic_store_n(&d->state, DOMAIN_DYING, __ATOMIC_RELEASE);
    spin_unlock_irqrestore(&d->shutdown_lock, flags);
}

void domain_set_shutdown_code(struct domain *d, unsigned int code)
{
    unsigned long flags = spin_lock_irqsave(&d->shutdown_lock);

    d->shutdown_code = code;
    spin_unlock_irqrestore(&d->shutdown_lock, flags);
}

void domain_crash(struct domain *d, const char *fmt, ...)
{
    char why[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    printk(KERN_ERR "d%u: crashing domain: %s\n", d->domain_id, why);
    domain_shutdown(d, SHUTDOWN_crash);
}
