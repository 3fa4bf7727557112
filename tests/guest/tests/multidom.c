/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/multidom.c - the guest halves of the multi-domain
 * tests (tests/qemu/multidomain-tests.sh), each driven by options on its
 * command line and skipped without them, so "test=all" passes over them:
 *
 *   multi/wait_guests    guests=N [wait=S]   dom0: wait until domains 1..N
 *                                            have shut down (or S seconds)
 *   multi/spin           spin=S              burn S s of guest time, report
 *                                            the CPU time this vCPU got
 *   multi/pingpong_dom0  peer=D [rounds=N]   answer N events from domain D
 *   multi/pingpong_guest peer_port=P [rounds=N]  bind dom0's port P, send N
 *                                            events, wait for each answer
 *   multi/poll_wakeup    poll_check=1        SCHEDOP_poll must wake on a
 *                                            masked port or with upcall owed
 *   multi/unprivileged   unpriv=1            control and foreign memory
 *                                            hypercalls refuse a guest
 */
#include <lib.h>
#include <arch.h>
#include <clock.h>
#include <hypercall.h>
#include <test.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/vcpu.h>
#include <public/memory.h>
#include "ctl-lib.h"

#define MS          NSEC_PER_MSEC
#define ROUNDS      10000
#define MIN(a, b)   ((a) < (b) ? (a) : (b))

static uint64_t opt(const char *key, uint64_t dflt, int required)
{
    uint64_t v;

    if (required)
        return cmdline_uint_needed(key, "multi-domain");
    return cmdline_uint(key, &v) ? v : dflt;
}

/* Has domain 'id' shut down or gone away? */
static int domain_ended(domid_t id)
{
    struct xen_domctl_getdomaininfo info;
    long rc = domctl_info(id, &info);

    if (rc == -ESRCH || (!rc && info.domain != id))
        return 1;
    return !rc && (info.flags & (XEN_DOMINF_shutdown | XEN_DOMINF_dying));
}

TEST(wait_guests, "multi/wait_guests")
{
    uint64_t n = opt("guests", 0, 1), wait = opt("wait", 50, 0);
    uint64_t start = clock_ns(), limit = start + wait * NSEC_PER_SEC;
    uint64_t done = 0;

    /* Mostly blocked: the guests must have the CPU to themselves. */
    while (clock_ns() < limit) {
        done = 0;
        for (domid_t id = 1; id <= n; id++)
            done += domain_ended(id);
        if (done == n)
            break;
        clock_sleep_until(clock_ns() + 100 * MS);
    }
    printk("  wait_guests: %lu of %lu guests ended after %lu ms\n", done, n,
           (clock_ns() - start) / MS);
    CHECK_EQ(done, n, "guests that ended in time");
}

static uint64_t runstate_sum_not_running(void)
{
    struct vcpu_runstate_info rs;
    uint64_t sum = 0;

    if (HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &rs))
        return 0;
    /* Completed spans only: while we run, these are all up to date. */
    for (int s = 0; s < 4; s++)
        if (s != RUNSTATE_running)
            sum += rs.time[s];
    return sum;
}

TEST(spin, "multi/spin")
{
    uint64_t secs = opt("spin", 0, 1);
    uint64_t t0, t1, away0, away1, loops = 0, ran;

    away0 = runstate_sum_not_running();
    t0 = clock_ns();
    while (clock_ns() < t0 + secs * NSEC_PER_SEC)
        loops++;
    t1 = clock_ns();
    away1 = runstate_sum_not_running();
    ran = (t1 - t0) - (away1 - away0);
    printk("  spin: elapsed %lu us running %lu us share %lu.%02lu%% loops %lu\n",
           (t1 - t0) / 1000, ran / 1000, ran * 100 / (t1 - t0),
           ran * 10000 / (t1 - t0) % 100, loops);
}

/* Wait for 'port' until 'limit', counting the polls it took. */
static int wait_port(uint32_t port, uint64_t limit, uint64_t *polls)
{
    while (!evt_test_and_clear(port)) {
        uint64_t now = clock_ns();

        if (now >= limit)
            return 0;
        evt_poll(port, MIN(limit, now + 200 * MS));
        (*polls)++;
    }
    return 1;
}


TEST(pingpong_dom0, "multi/pingpong_dom0")
{
    uint64_t peer = opt("peer", 0, 1), rounds = opt("rounds", ROUNDS, 0);
    uint64_t want = opt("peer_port", 0, 0), got = 0, polls = 0;
    long port = evt_alloc_unbound((domid_t)peer);

    printk("  pingpong: dom0 port %ld for d%lu\n", port, peer);
    CHECK(port > 0, "alloc_unbound for d%lu: %ld", peer, port);
    if (port <= 0)
        return;
    if (want)
        CHECK_EQ(port, want, "the port the guest was told");
    /* The first event also waits for the guest to boot and bind. */
    for (uint64_t i = 0; i < rounds; i++) {
        uint64_t limit = clock_ns() + (i ? 2 : 30) * NSEC_PER_SEC;

        if (!wait_port((uint32_t)port, limit, &polls)) {
            test_fail("event %lu from d%lu never came", i, peer);
            break;
        }
        got++;
        CHECK_EQ(evt_send((uint32_t)port), 0, "send");
    }
    printk("  pingpong: dom0 received %lu of %lu, %lu polls\n", got, rounds, polls);
    CHECK_EQ(got, rounds, "events received");
}

TEST(pingpong_guest, "multi/pingpong_guest")
{
    uint64_t rport = opt("peer_port", 0, 1), rounds = opt("rounds", ROUNDS, 0);
    uint64_t limit = clock_ns() + 20 * NSEC_PER_SEC, got = 0, polls = 0;
    long port;

    /* dom0 may not have allocated its port yet: retry. */
    while ((port = evt_bind_interdomain(0, (uint32_t)rport)) == -EINVAL &&
           clock_ns() < limit)
        clock_sleep_until(clock_ns() + 10 * MS);
    printk("  pingpong: guest port %ld bound to dom0 port %lu\n", port, rport);
    CHECK(port > 0, "bind_interdomain to dom0 port %lu: %ld", rport, port);
    if (port <= 0)
        return;
    evt_test_and_clear((uint32_t)port);         /* binding raises it once */
    for (uint64_t i = 0; i < rounds; i++) {
        CHECK_EQ(evt_send((uint32_t)port), 0, "send");
        if (!wait_port((uint32_t)port, clock_ns() + 2 * NSEC_PER_SEC, &polls)) {
            test_fail("answer %lu from dom0 never came", i);
            break;
        }
        got++;
    }
    printk("  pingpong: guest received %lu of %lu, %lu polls\n", got, rounds, polls);
    CHECK_EQ(got, rounds, "answers received");
    evt_close((uint32_t)port);
}

/*
 * Xen wakes a vCPU polling a port whenever that port is raised, whatever
 * the mask and upcall flags say (Linux polls masked spinlock ports with an
 * upcall already owed).  Time how long a 10 ms timer takes to end the poll.
 */
static uint64_t poll_wake_us(uint32_t port, int masked)
{
    shared_info_t *s = shared_info_map();
    xen_ulong_t bit = 1UL << (port % 64);
    uint64_t when, woke;

    evt_test_and_clear(port);
    if (masked) {
        __atomic_fetch_or(&s->evtchn_mask[port / 64], bit, __ATOMIC_SEQ_CST);
    } else {
        /* An upcall owed already, for this very word. */
        vcpu0->evtchn_pending_sel = 1UL << (port / 64);
        vcpu0->evtchn_upcall_pending = 1;
    }
    when = clock_ns() + 10 * MS;
    hypercall(__HYPERVISOR_set_timer_op, when, 0, 0, 0, 0);
    evt_poll_raw(port, when + NSEC_PER_SEC);
    woke = clock_ns();
    __atomic_fetch_and(&s->evtchn_mask[port / 64], ~bit, __ATOMIC_SEQ_CST);
    vcpu0->evtchn_pending_sel = 0;
    vcpu0->evtchn_upcall_pending = 0;
    evt_test_and_clear(port);
    return woke > when ? (woke - when) / 1000 : 0;
}

TEST(poll_wakeup, "multi/poll_wakeup")
{
    uint64_t masked_us, owed_us;
    long port;

    opt("poll_check", 0, 1);
    HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
    port = evt_bind_virq(VIRQ_TIMER, 0);
    CHECK(port > 0, "bind VIRQ_TIMER: %ld", port);
    if (port <= 0)
        return;
    masked_us = poll_wake_us((uint32_t)port, 1);
    owed_us = poll_wake_us((uint32_t)port, 0);
    printk("  poll_wakeup: masked port woke %lu us after the event, "
           "with an upcall owed %lu us\n", masked_us, owed_us);
    CHECK(masked_us < 100000, "poll on a masked port woke %lu us late", masked_us);
    CHECK(owed_us < 100000, "poll with an upcall owed woke %lu us late", owed_us);
    evt_close((uint32_t)port);
}

/*
 * A guest that is not the control domain: the control hypercalls and the
 * foreign forms of the memory hypercalls refuse it, with Xen 4.17's
 * errnos (a reservation change on another domain is "none done").
 */
TEST(unprivileged, "multi/unprivileged")
{
    struct xen_domctl op = { 0 };
    struct xen_sysctl sop = { 0 };
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = 0 };
    struct mmu_update u = { .ptr = MMU_MACHPHYS_UPDATE, .val = 0 };
    struct mmuext_op ext = { .cmd = MMUEXT_PIN_L1_TABLE };
    unsigned int done = 0xdead;
    xen_pfn_t pfn = 0;
    domid_t dom0 = 0;

    opt("unpriv", 0, 1);
    CHECK_EQ(domctl(&op, XEN_DOMCTL_getdomaininfo, 0), -EPERM, "domctl getdomaininfo");
    op.u.createdomain.max_vcpus = 1;
    CHECK_EQ(domctl(&op, XEN_DOMCTL_createdomain, 0), -EPERM, "domctl createdomain");
    CHECK_EQ(domctl(&op, XEN_DOMCTL_destroydomain, 0), -EPERM, "domctl destroydomain of dom0");
    CHECK_EQ(sysctl(&sop, XEN_SYSCTL_physinfo), -EPERM, "sysctl physinfo");
    CHECK_EQ(sysctl(&sop, XEN_SYSCTL_getdomaininfolist), -EPERM, "sysctl getdomaininfolist");
    r.extent_start = HC_PTR(&pfn);
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_populate_physmap, &r), 0,
             "populate_physmap for dom0: none done");
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r), 0,
             "decrease_reservation of dom0: none done");
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, &dom0), -EPERM,
             "current_reservation of dom0");
    CHECK_EQ(HYPERVISOR_mmu_update(&u, 1, &done, 0), -EPERM, "mmu_update naming dom0");
    CHECK_EQ(done, 0, "mmu_update's done count");
    CHECK_EQ(HYPERVISOR_mmu_update(&u, 1, NULL, NO_SUCH_DOMID), -ESRCH,
             "mmu_update naming no domain");
    CHECK_EQ(HYPERVISOR_mmuext_op(&ext, 1, NULL, 0), -EPERM, "mmuext_op pin naming dom0");
}
