/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/sched/credit.c - the credit scheduling policy.
 *
 * Every accounting period (30 ms) each domain with runnable vCPUs earns
 * CPU time in proportion to its weight, shared among its vCPUs; running
 * spends it.  vCPUs with credit left ("under") run before those without
 * ("over"); within each class the queue is first-come first-served, and a
 * vCPU runs for at most one time slice (sched_slice_ms=, default 30 ms)
 * before the queue moves on.  A cap (percent of one CPU) parks a domain's
 * vCPUs once they have used their capped share, until the next period.
 * What a period hands out is in proportion to the time since the last one
 * really ran, not a fixed 30 ms: a tick that fires late (a busy CPU 0, a
 * loaded host under emulation) would otherwise shrink every share, and a
 * vCPU capped at 25% measured under 20%.
 *
 * Called with the CPU's run-queue lock held (core.c), except the period
 * timer, which walks the domains on CPU 0.
 */
#include <mica/lib.h>
#include <mica/domain.h>
#include <mica/sched.h>
#include <mica/params.h>
#include <mica/time.h>
#include <mica/timer.h>
#include <asm/smp.h>

#define PERIOD_NS       30000000UL
#define CREDIT_MAX      (2 * (int64_t)PERIOD_NS)   /* idle vCPUs do not hoard */
/* Bounds the products below; the credit bounds make a longer gap moot. */
#define ELAPSED_MAX     1000000000UL

static struct timer period_timer;
static uint64_t period_due, period_last;    /* the tick's due time, last ran */

uint64_t sched_slice_ns(void)
{
    return (opt_sched_slice_ms ? opt_sched_slice_ms : 30) * 1000000UL;
}

/* Insert keeping "under" (credit > 0) vCPUs ahead of "over" ones. */
void credit_vcpu_insert(unsigned int cpu, struct vcpu *v)
{
    struct vcpu **p = sched_runq_head(cpu);
    bool under = v->sched.credit > 0;

    if (v->sched.on_runq)
        return;
    if (under)
        while (*p && (*p)->sched.credit > 0)
            p = &(*p)->sched.runq_next;
    else
        while (*p)
            p = &(*p)->sched.runq_next;
    v->sched.runq_next = *p;
    *p = v;
    v->sched.on_runq = true;
}

struct vcpu *credit_pick_next(unsigned int cpu)
{
    struct vcpu **p = sched_runq_head(cpu), *v = *p;

    if (!v)
        return NULL;
    *p = v->sched.runq_next;
    v->sched.on_runq = false;
    v->sched.runq_next = NULL;
    return v;
}

void credit_account(struct vcpu *v, uint64_t ran_ns)
{
    v->sched.credit -= (int64_t)ran_ns;
}

/*
 * Does the domain want CPU time now?  Only domains with a vCPU that is
 * running or waiting to run share the period: a blocked domain's weight
 * would otherwise leave CPU time unclaimed and flatten the others' ratio.
 */
static bool domain_active(const struct domain *d)
{
    if (!d || d->state != DOMAIN_RUNNING)
        return false;
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpus[i] && !(d->vcpus[i]->sched.pause_flags &
                             (VPF_blocked | VPF_down | VPF_paused | VPF_dead)))
            return true;
    return false;
}

/* d's vCPUs get their part of the period's CPU time; caps apply. */
static void share_out(struct domain *d, uint64_t total_weight, unsigned int ncpus,
                      uint64_t elapsed)
{
    unsigned int nv = 0;
    int64_t share;

    if (!domain_active(d))
        return;
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpus[i] && !(d->vcpus[i]->sched.pause_flags & VPF_down))
            nv++;
    if (!nv)
        return;
    share = (int64_t)(elapsed * ncpus * d->sched_weight / total_weight) / nv;
    if (d->sched_cap)
        share = MIN(share, (int64_t)(elapsed * d->sched_cap / 100) / nv);
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];

        if (!v || (v->sched.pause_flags & VPF_down))
            continue;
        /* Bounded both ways: no hoarding, and no debt that outlives
         * a few periods. */
        v->sched.credit = MAX(MIN(v->sched.credit + share, CREDIT_MAX), -CREDIT_MAX);
        if (d->sched_cap && v->sched.credit <= 0)
            vcpu_sleep_flags(v, VPF_parked);
        else if (v->sched.pause_flags & VPF_parked)
            vcpu_wake_flags(v, VPF_parked);
    }
}

/*
 * Hand out the CPU time since the last tick by weight.  Domains are held
 * by reference while looked at (a put here is never the last: domain.c).
 * The next tick is due one period after this one was due, so latency does
 * not add up into drift.
 */
static void period_tick(void *unused)
{
    uint64_t total_weight = 0, now = now_ns();
    uint64_t elapsed = MIN(now - period_last, ELAPSED_MAX);
    unsigned int ncpus = nr_cpus_online;

    period_last = now;

    for (unsigned int id = 0; id < CONFIG_MAX_DOMAINS; id++) {
        struct domain *d = get_domain_by_id(id);

        if (!d)
            continue;
        if (domain_active(d))
            total_weight += d->sched_weight;
        put_domain(d);
    }
    for (unsigned int id = 0; total_weight && id < CONFIG_MAX_DOMAINS; id++) {
        struct domain *d = get_domain_by_id(id);

        if (!d)
            continue;
        share_out(d, total_weight, ncpus, elapsed);
        put_domain(d);
    }
    period_due += PERIOD_NS;
    if (period_due <= now)
        period_due = now + PERIOD_NS;
    set_timer(&period_timer, period_due);
}

void credit_init(void)
{
    period_last = now_ns();
    period_due = period_last + PERIOD_NS;
    init_timer(&period_timer, period_tick, NULL, 0);
    set_timer(&period_timer, period_due);
}
