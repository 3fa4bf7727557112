/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test-sched-credit.c - the credit policy's accounting
 * (common/sched/credit.c): run-queue order (credit left before none,
 * first-come first-served within each), what a period hands out by
 * weight and vCPU count, the credit ceiling, cap parking, and late
 * ticks (shares follow the time that passed; the next tick does not drift).
 *
 * This file plays the scheduler core and the timers: a run queue per
 * CPU, a table of domains, and init_timer/set_timer that only remember
 * the period handler so a test can run one period by hand.
 */
#include <string.h>
#include <stdint.h>
#include <mica/lib.h>
#include <mica/domain.h>
#include <mica/sched.h>
#include <mica/timer.h>
#include "harness.h"
#include "cunit-runner.h"

#define PERIOD      30000000L       /* credit.c's accounting period, ns */
#define NDOM        4
#define NVCPU       4

unsigned int nr_cpus_online = 1;
uint64_t opt_sched_slice_ms;

static struct vcpu *runq[2];
static struct domain doms[NDOM];
static bool dom_exists[NDOM];
static struct vcpu vcpus[NDOM][NVCPU];
static void (*period_fn)(void *);
static int timer_sets, parks, unparks;
static uint64_t fake_now, timer_expires;

struct vcpu **sched_runq_head(unsigned int cpu)
{
    return &runq[cpu];
}

static int dom_refs;                    /* references held: 0 between calls */

struct domain *get_domain_by_id(domid_t id)
{
    if (id >= NDOM || !dom_exists[id])
        return NULL;
    dom_refs++;
    return &doms[id];
}

void put_domain(struct domain *d)
{
    dom_refs--;
}

uint64_t now_ns(void)
{
    return fake_now;
}

void init_timer(struct timer *t, void (*fn)(void *), void *data, unsigned int cpu)
{
    period_fn = fn;
}

void set_timer(struct timer *t, uint64_t expires)
{
    timer_sets++;
    timer_expires = expires;
}

void vcpu_sleep_flags(struct vcpu *v, unsigned int flags)
{
    if ((flags & VPF_parked) && !(v->sched.pause_flags & VPF_parked))
        parks++;
    v->sched.pause_flags |= flags;
}

void vcpu_wake_flags(struct vcpu *v, unsigned int flags)
{
    if ((flags & VPF_parked) && (v->sched.pause_flags & VPF_parked))
        unparks++;
    v->sched.pause_flags &= ~flags;
}

/* Domain 'id' with 'nv' vCPUs (all up, no credit), weight and cap. */
static void make_domain(domid_t id, unsigned int nv, unsigned int weight, unsigned int cap)
{
    struct domain *d = &doms[id];

    memset(d, 0, sizeof(*d));
    d->domain_id = id;
    d->state = DOMAIN_RUNNING;
    d->sched_weight = weight;
    d->sched_cap = cap;
    d->max_vcpus = nv;
    for (unsigned int i = 0; i < nv; i++) {
        memset(&vcpus[id][i], 0, sizeof(vcpus[id][i]));
        vcpus[id][i].domain = d;
        vcpus[id][i].vcpu_id = i;
        d->vcpus[i] = &vcpus[id][i];
    }
    dom_exists[id] = true;
}

static int setup(void)
{
    memset(dom_exists, 0, sizeof(dom_exists));
    memset(runq, 0, sizeof(runq));
    nr_cpus_online = 1;
    opt_sched_slice_ms = 0;
    timer_sets = parks = unparks = 0;
    fake_now += 7 * PERIOD;     /* a fresh start, whatever ran before */
    credit_init();
    return 0;
}

/* The period timer fires 'late' ns after it was due. */
static void run_period_late(uint64_t late)
{
    fake_now = timer_expires + late;
    CU_ASSERT_PTR_NOT_NULL_FATAL(period_fn);
    period_fn(NULL);
    CU_ASSERT_EQUAL(dom_refs, 0);       /* every lookup was put */
}

static void run_period(void)
{
    fake_now = timer_expires;
    CU_ASSERT_PTR_NOT_NULL_FATAL(period_fn);
    period_fn(NULL);
    CU_ASSERT_EQUAL(dom_refs, 0);       /* every lookup was put */
}

static struct vcpu *vc(domid_t d, unsigned int i)
{
    return &vcpus[d][i];
}

static void test_insert_order(void)
{
    setup();
    make_domain(1, 4, 256, 0);
    vc(1, 0)->sched.credit = -5;
    vc(1, 1)->sched.credit = 10;
    vc(1, 2)->sched.credit = 0;         /* no credit left counts as over */
    vc(1, 3)->sched.credit = 3;
    for (unsigned int i = 0; i < 4; i++)
        credit_vcpu_insert(0, vc(1, i));
    /* Under first (1, 3 in arrival order), then over (0, 2). */
    CU_ASSERT_PTR_EQUAL(credit_pick_next(0), vc(1, 1));
    CU_ASSERT_PTR_EQUAL(credit_pick_next(0), vc(1, 3));
    CU_ASSERT_PTR_EQUAL(credit_pick_next(0), vc(1, 0));
    CU_ASSERT_PTR_EQUAL(credit_pick_next(0), vc(1, 2));
    CU_ASSERT_PTR_NULL(credit_pick_next(0));
}

static void test_insert_twice_and_pick(void)
{
    struct vcpu *v;

    setup();
    make_domain(1, 2, 256, 0);
    credit_vcpu_insert(1, vc(1, 0));
    credit_vcpu_insert(1, vc(1, 0));    /* already queued: no second entry */
    CU_ASSERT_TRUE(vc(1, 0)->sched.on_runq);
    CU_ASSERT_PTR_NULL(runq[0]);        /* went to CPU 1's queue only */
    v = credit_pick_next(1);
    CU_ASSERT_PTR_EQUAL(v, vc(1, 0));
    CU_ASSERT_FALSE(v->sched.on_runq);
    CU_ASSERT_PTR_NULL(v->sched.runq_next);
    CU_ASSERT_PTR_NULL(credit_pick_next(1));
}

static void test_account(void)
{
    setup();
    make_domain(1, 1, 256, 0);
    vc(1, 0)->sched.credit = 1000;
    credit_account(vc(1, 0), 1500);
    CU_ASSERT_EQUAL(vc(1, 0)->sched.credit, -500);
}

static void test_slice(void)
{
    setup();
    CU_ASSERT_EQUAL(sched_slice_ns(), 30000000UL);
    opt_sched_slice_ms = 5;
    CU_ASSERT_EQUAL(sched_slice_ns(), 5000000UL);
}

static void test_period_by_weight(void)
{
    setup();
    make_domain(0, 1, 256, 0);
    make_domain(1, 1, 256, 0);
    make_domain(2, 1, 512, 0);
    run_period();
    CU_ASSERT_EQUAL(vc(0, 0)->sched.credit, PERIOD / 4);
    CU_ASSERT_EQUAL(vc(1, 0)->sched.credit, PERIOD / 4);
    CU_ASSERT_EQUAL(vc(2, 0)->sched.credit, PERIOD / 2);
    CU_ASSERT_EQUAL(timer_sets, 2);     /* credit_init's and the re-arm */
}

static void test_period_vcpus_and_cpus(void)
{
    setup();
    nr_cpus_online = 2;
    make_domain(1, 2, 256, 0);
    make_domain(2, 1, 256, 0);
    make_domain(3, 3, 256, 0);
    vc(3, 2)->sched.pause_flags = VPF_down;     /* down vCPUs get nothing */
    run_period();
    /* Two CPUs: 60 ms to share, a third each, split among up vCPUs. */
    CU_ASSERT_EQUAL(vc(1, 0)->sched.credit, 2 * PERIOD / 3 / 2);
    CU_ASSERT_EQUAL(vc(1, 1)->sched.credit, 2 * PERIOD / 3 / 2);
    CU_ASSERT_EQUAL(vc(2, 0)->sched.credit, 2 * PERIOD / 3);
    CU_ASSERT_EQUAL(vc(3, 0)->sched.credit, 2 * PERIOD / 3 / 2);
    CU_ASSERT_EQUAL(vc(3, 2)->sched.credit, 0);
}

static void test_period_skips_ended_domains(void)
{
    setup();
    make_domain(1, 1, 256, 0);
    make_domain(2, 1, 256, 0);
    doms[2].state = DOMAIN_SHUTDOWN;
    run_period();
    CU_ASSERT_EQUAL(vc(1, 0)->sched.credit, PERIOD);
    CU_ASSERT_EQUAL(vc(2, 0)->sched.credit, 0);
}

static void test_credit_ceiling(void)
{
    setup();
    make_domain(1, 1, 256, 0);
    for (int i = 0; i < 5; i++)
        run_period();
    /* An idle vCPU saves up at most two periods. */
    CU_ASSERT_EQUAL(vc(1, 0)->sched.credit, 2 * PERIOD);
    vc(1, 0)->sched.credit = -3 * PERIOD;   /* debt is kept */
    run_period();
    CU_ASSERT_EQUAL(vc(1, 0)->sched.credit, -2 * PERIOD);
}

static void test_cap_parks(void)
{
    setup();
    make_domain(1, 1, 256, 25);
    run_period();
    /* Alone it could have 30 ms; the cap allows 25% of one CPU. */
    CU_ASSERT_EQUAL(vc(1, 0)->sched.credit, PERIOD / 4);
    CU_ASSERT_EQUAL(parks, 0);
    /* It ran a whole period: in debt after the next share, parked. */
    credit_account(vc(1, 0), PERIOD);
    run_period();
    CU_ASSERT_EQUAL(vc(1, 0)->sched.credit, PERIOD / 4 - PERIOD + PERIOD / 4);
    CU_ASSERT_EQUAL(parks, 1);
    CU_ASSERT_TRUE(vc(1, 0)->sched.pause_flags & VPF_parked);
    /* Parked periods pay the debt back; credit > 0 wakes it. */
    run_period();
    CU_ASSERT_TRUE(vc(1, 0)->sched.pause_flags & VPF_parked);
    CU_ASSERT_EQUAL(unparks, 0);
    run_period();
    CU_ASSERT_EQUAL(vc(1, 0)->sched.credit, 0);         /* none left: still parked */
    CU_ASSERT_TRUE(vc(1, 0)->sched.pause_flags & VPF_parked);
    run_period();
    CU_ASSERT_EQUAL(vc(1, 0)->sched.credit, PERIOD / 4);
    CU_ASSERT_FALSE(vc(1, 0)->sched.pause_flags & VPF_parked);
    CU_ASSERT_EQUAL(unparks, 1);
    /* Ran one period, parked for three: the 25% cap. */
}

static void test_cap_shared_by_vcpus(void)
{
    setup();
    make_domain(1, 2, 256, 50);
    make_domain(2, 1, 256, 0);
    run_period();
    /* Weight gives 15 ms, the cap 50% = 15 ms too; two vCPUs halve it. */
    CU_ASSERT_EQUAL(vc(1, 0)->sched.credit, PERIOD / 2 / 2);
    CU_ASSERT_EQUAL(vc(1, 1)->sched.credit, PERIOD / 2 / 2);
    doms[1].sched_cap = 10;
    vc(1, 0)->sched.credit = vc(1, 1)->sched.credit = 0;
    run_period();
    CU_ASSERT_EQUAL(vc(1, 0)->sched.credit, PERIOD / 10 / 2);
    CU_ASSERT_EQUAL(parks, 0);
}

/*
 * A tick that fires 15 ms late hands out 45 ms worth, so a capped vCPU
 * still gets 25% of the time that passed; the next is due one period
 * after this one was, not after it ran.
 */
static void test_late_tick(void)
{
    uint64_t due;

    setup();
    make_domain(1, 1, 256, 25);
    make_domain(2, 1, 256, 0);
    due = timer_expires;
    run_period_late(PERIOD / 2);
    CU_ASSERT_EQUAL(vc(1, 0)->sched.credit, 3 * PERIOD / 2 / 4);
    CU_ASSERT_EQUAL(vc(2, 0)->sched.credit, 3 * PERIOD / 2 / 2);
    CU_ASSERT_EQUAL(timer_expires, due + PERIOD);
    /* On time again: 15 ms since the late one, a period's quarter of that. */
    run_period();
    CU_ASSERT_EQUAL(vc(1, 0)->sched.credit, 3 * PERIOD / 2 / 4 + PERIOD / 2 / 4);
    CU_ASSERT_EQUAL(timer_expires, due + 2 * PERIOD);
    /* Later than a whole period: the missed tick is not made up. */
    run_period_late(2 * PERIOD);
    CU_ASSERT_EQUAL(timer_expires, fake_now + PERIOD);
}

static const struct unit_test credit_tests[] = {
    { "insert_order", test_insert_order },
    { "insert_twice_and_pick", test_insert_twice_and_pick },
    { "account", test_account },
    { "slice", test_slice },
    { "period_by_weight", test_period_by_weight },
    { "period_vcpus_and_cpus", test_period_vcpus_and_cpus },
    { "period_skips_ended_domains", test_period_skips_ended_domains },
    { "credit_ceiling", test_credit_ceiling },
    { "cap_parks", test_cap_parks },
    { "cap_shared_by_vcpus", test_cap_shared_by_vcpus },
    { "late_tick", test_late_tick },
    { NULL, NULL },
};
UNIT_SUITE(sched_credit, NULL, NULL, credit_tests);
