/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test-event-race.c - event channels across a domain's death,
 * on real host threads standing in for CPUs.  One thread, the privileged
 * binder, keeps opening an interdomain channel to a peer (alloc_unbound
 * in the peer's table, bind_interdomain), sends on it, closes its end and
 * then the peer's; the other keeps creating that peer, killing it
 * (evtchn_destroy, as domain_destroy does) and freeing it
 * (evtchn_destroy_final) once the last holder has let go, as domain_reap
 * does.  The peer's struct, vCPU,
 * shared_info and port buckets are heap memory, so ASan reports any
 * touch after the free.  Both lock orders are run: the binder's domid
 * below the peer's (close takes the peer's lock directly) and above it
 * (close lets its own lock go and retakes both, the gap the kill can
 * fall into).
 *
 * The threads never call CUnit (it is not thread-safe): they count what
 * they saw and the checks run on the main thread.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <time.h>
#include "harness.h"
#include "evtchn-fixture.h"

#define ROUNDS      3000        /* peer lifetimes per lock order, */
#define MAX_SECONDS 1           /* unless a busy host makes that too slow */
#define MIN_ROUNDS  100         /* ... but at least this many, within */
#define CAP_SECONDS 30          /* this long on a very busy host */

static struct domain *binder;
static domid_t peer_id;
static bool stop;

static struct {
    unsigned long binds, saw_interdomain, saw_unbound, peer_end_gone, refused;
    unsigned long violations;
    char first[128];            /* what the first violation was */
} seen;

static void violation(const char *what, long value)
{
    if (!__atomic_fetch_add(&seen.violations, 1, __ATOMIC_SEQ_CST))
        snprintf(seen.first, sizeof(seen.first), "%s: %ld", what, value);
}

/* ---- the binder ---------------------------------------------------------- */

/* The binder's one port lport, bound to the peer's rport: its state now. */
static void check_bound(int lport, int rport)
{
    int rc = status(binder, DOMID_SELF, lport);

    if (rc)
        violation("status of the bound port", rc);
    else if (st.status == EVTCHNSTAT_interdomain &&
             st.u.interdomain.dom == peer_id && st.u.interdomain.port == (unsigned)rport)
        seen.saw_interdomain++;
    else if (st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == peer_id)
        seen.saw_unbound++;         /* the peer's kill got there first */
    else
        violation("state of the bound port", st.status);
}

/*
 * Our close left the peer's end unbound, waiting for us: close it too, or
 * a long-lived peer runs out of ports.  Its kill may be closing it at the
 * same moment, so it may be gone already.
 */
static void close_peer_end(int rport)
{
    struct domain *d = get_domain_by_id(peer_id);
    int rc;

    if (!d) {
        seen.peer_end_gone++;
        return;
    }
    rc = evtchn_close(d, rport);
    if (rc == -EINVAL)
        seen.peer_end_gone++;       /* the kill closed it */
    else if (rc)
        violation("close of the peer's end", rc);
    put_domain(d);
}

static void bind_send_close(void)
{
    int rport = alloc_unbound(binder, peer_id, DOMID_SELF), lport, rc;

    /* Not listed (-ESRCH) or killed (-EINVAL): nothing else. */
    if (rport < 0) {
        if (rport != -ESRCH && rport != -EINVAL)
            violation("alloc_unbound", rport);
        seen.refused++;
        return;
    }
    lport = bind_interdomain(binder, peer_id, rport);
    if (lport < 0) {
        if (lport != -ESRCH && lport != -EINVAL)
            violation("bind_interdomain", lport);
        seen.refused++;
        return;
    }
    __atomic_fetch_add(&seen.binds, 1, __ATOMIC_SEQ_CST);
    check_bound(lport, rport);
    rc = evtchn_send(binder, lport);
    if (rc)
        violation("send", rc);
    rc = evtchn_close(binder, lport);
    if (rc)
        violation("close", rc);
    rc = status(binder, DOMID_SELF, lport);
    if (rc || st.status != EVTCHNSTAT_closed)
        violation("state after close", rc ? rc : (long)st.status);
    if (evtchn_active_ports(binder))
        violation("binder ports left open", evtchn_active_ports(binder));
    close_peer_end(rport);
}

static void *binder_thread(void *arg)
{
    while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE))
        bind_send_close();
    return NULL;
}

/* ---- the peer's life ----------------------------------------------------- */

struct peer {
    struct domain *d;
    struct vcpu *v;
    shared_info_t *si;
};

static struct peer peer_create(void)
{
    struct peer p = {
        .d = calloc(1, sizeof(*p.d)),
        .v = calloc(1, sizeof(*p.v)),
        .si = calloc(1, sizeof(*p.si)),
    };

    CU_ASSERT_FATAL(p.d && p.v && p.si);
    p.d->domain_id = peer_id;
    p.d->max_vcpus = 1;
    p.d->shared_info = p.si;
    p.d->vcpus[0] = p.v;
    p.v->domain = p.d;
    p.v->vcpu_info = &p.si->vcpu_info[0];
    CU_ASSERT_EQUAL_FATAL(evtchn_init(p.d), 0);
    p.d->refcnt = 1;                    /* the table's */
    spin_lock(&list_lock);
    listed[peer_id] = p.d;
    spin_unlock(&list_lock);
    return p;
}

/* domain_reap's step: list it out only if the table's is the last ref. */
static bool peer_unlist(struct domain *d)
{
    bool last;

    spin_lock(&list_lock);
    last = __atomic_load_n(&d->refcnt, __ATOMIC_ACQUIRE) == 1;
    if (last)
        listed[peer_id] = NULL;
    spin_unlock(&list_lock);
    return last;
}

static void peer_kill_and_free(struct peer p)
{
    evtchn_destroy(p.d);
    if (evtchn_active_ports(p.d))
        violation("peer ports left after the kill", evtchn_active_ports(p.d));
    while (!peer_unlist(p.d))
        sched_yield();                  /* a holder is still at work */
    __atomic_store_n(&p.d->refcnt, 0, __ATOMIC_RELEASE);
    evtchn_destroy_final(p.d);
    free(p.si);
    free(p.v);
    free(p.d);
}

/* ---- the runs ------------------------------------------------------------ */

static bool past(const struct timespec *end)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > end->tv_sec ||
           (now.tv_sec == end->tv_sec && now.tv_nsec > end->tv_nsec);
}

static void race(domid_t binder_id)
{
    struct timespec end, cap;
    unsigned int round;
    pthread_t t;

    memset(&seen, 0, sizeof(seen));
    memset(listed, 0, sizeof(listed));
    memset(shinfo, 0, sizeof(shinfo));
    memset(vcpus, 0, sizeof(vcpus));
    stop = false;
    binder = &doms[binder_id];
    peer_id = !binder_id;
    setup_domain(binder, binder_id, true, 1, &vcpus[0]);

    CU_ASSERT_EQUAL_FATAL(pthread_create(&t, NULL, binder_thread, NULL), 0);
    clock_gettime(CLOCK_MONOTONIC, &end);
    cap = end;
    end.tv_sec += MAX_SECONDS;
    cap.tv_sec += CAP_SECONDS;
    for (round = 0; round < ROUNDS && (round < MIN_ROUNDS || !past(&end)) && !past(&cap);
         round++) {
        struct peer p = peer_create();
        unsigned long start = __atomic_load_n(&seen.binds, __ATOMIC_SEQ_CST);

        /* Mostly kill while a channel is bound, at varied points after. */
        if (round % 4)
            while (__atomic_load_n(&seen.binds, __ATOMIC_SEQ_CST) == start)
                sched_yield();          /* the binder may share our CPU */
        for (unsigned int spin = 0; spin < round % 7 * 3; spin++)
            asm volatile("pause");
        peer_kill_and_free(p);
    }
    __atomic_store_n(&stop, true, __ATOMIC_RELEASE);
    CU_ASSERT_EQUAL(pthread_join(t, NULL), 0);

    printf("    binder d%u, %u peers: %lu binds: %lu seen bound, "
           "%lu seen unbound by the kill, %lu peer ends closed by the kill; "
           "%lu refused\n", binder_id, round, seen.binds, seen.saw_interdomain,
           seen.saw_unbound, seen.peer_end_gone, seen.refused);
    if (seen.violations)
        printf("    first violation: %s\n", seen.first);
    CU_ASSERT_EQUAL(seen.violations, 0);
    CU_ASSERT_TRUE(round >= MIN_ROUNDS);
    CU_ASSERT_TRUE(seen.binds >= round * 3 / 4);
    CU_ASSERT_TRUE(seen.saw_interdomain > 0);
    CU_ASSERT_EQUAL(ref_errors, 0);
    CU_ASSERT_EQUAL(dom_refs, 0);       /* every holder let go */
    evtchn_destroy(binder);
    evtchn_destroy_final(binder);
}

static void test_close_races_kill_lower_binder(void)
{
    race(0);
}

static void test_close_races_kill_higher_binder(void)
{
    race(1);
}

static const struct unit_test tests[] = {
    UNIT_TEST(test_close_races_kill_lower_binder),
    UNIT_TEST(test_close_races_kill_higher_binder),
    UNIT_END
};
UNIT_SUITE(event_race, NULL, NULL, tests)
