/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/multidom-hammer.c - a domain destroyed while both its
 * vCPUs are busy sending events to dom0 and their periodic timers tick
 * (tests/qemu/multidomain-tests.sh, run "hammer"): the kill races every
 * CPU still reaching the dying domain's ports, vCPUs and timers.
 *
 *   multi/hammer_guest    peer_port=P   guest: bind dom0's port P, start
 *                         a 1 ms periodic timer on both vCPUs, then send on
 *                         the port from both, without end
 *   multi/hammer_destroy  peers=N       dom0: for guests 1..N in turn, wait
 *                         for its events, let it hammer, destroy it; no
 *                         panic, the domain is gone at once (nothing of it
 *                         is mapped), every frame it had is free again, and
 *                         our port is left unbound
 *
 * Both skip without their options, so "test=all" passes over them.
 */
#include "mm-lib.h"
#include "ctl-lib.h"
#include <clock.h>
#include <smp.h>
#include <public/vcpu.h>
#include <public/grant_table.h>
#include <public/event_channel.h>

#define HAMMER_NS   (300 * NSEC_PER_MSEC)   /* dom0 lets each guest send */

static volatile uint32_t hammer_port;
static volatile uint64_t sends[2];

static uint64_t need(const char *key)
{
    uint64_t v;

    if (!cmdline_uint(key, &v)) {
        test_skip("multi-domain only (no %s= on the command line)", key);
        test_abort();
    }
    return v;
}

static void tick_every_ms(unsigned int vcpu)
{
    struct vcpu_set_periodic_timer p = { .period_ns = NSEC_PER_MSEC };

    (void)HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, vcpu, &p);
}

/* Until dom0 destroys us; the time limit only ends a run gone wrong. */
static void send_loop(unsigned int vcpu)
{
    uint64_t limit = clock_ns() + 60 * NSEC_PER_SEC;

    tick_every_ms(vcpu);
    while (clock_ns() < limit)
        if (!evt_send(hammer_port))
            sends[vcpu]++;
}

static void ap_hammer(void)
{
    send_loop(1);
}

TEST(hammer_guest, "multi/hammer_guest")
{
    uint32_t rport = (uint32_t)need("peer_port");
    uint64_t limit = clock_ns() + 20 * NSEC_PER_SEC;
    long port, ipi;

    while ((port = evt_bind_interdomain(0, rport)) == -EINVAL && clock_ns() < limit)
        clock_sleep_until(clock_ns() + 10 * NSEC_PER_MSEC);
    CHECK(port > 0, "bind_interdomain to dom0 port %u: %ld", rport, port);
    if (port <= 0)
        return;
    hammer_port = (uint32_t)port;
    CHECK_EQ(smp_ap_up(), 0, "bring up vCPU 1");
    ipi = evt_bind_ipi(SMP_AP);
    CHECK(ipi > 0, "bind_ipi for vCPU 1: %ld", ipi);
    if (ipi > 0) {
        smp_ap.ipi_port = (uint32_t)ipi;
        smp_ap.work = ap_hammer;
        evt_send((uint32_t)ipi);
    }
    send_loop(0);
    test_fail("still alive after 60 s: %lu + %lu sends", sends[0], sends[1]);
}

/* Guest 'peer' is sending on our 'port': destroy it mid-stream. */
static void destroy_hammering(domid_t peer, uint32_t port)
{
    struct xen_domctl_getdomaininfo info, after;
    struct evtchn_status st = { .dom = DOMID_SELF, .port = port };
    struct xen_domctl op = { 0 };
    uint64_t f0, f1, polls = 0, events = 0, until;
    long rc;

    while (!evt_test_and_clear(port) && polls++ < 150)
        evt_poll(port, clock_ns() + 200 * NSEC_PER_MSEC);
    CHECK(polls < 150, "no event from d%u", peer);
    until = clock_ns() + HAMMER_NS;
    while (clock_ns() < until)
        if (evt_test_and_clear(port))
            events++;
    CHECK(!domctl_info(peer, &info), "getdomaininfo d%u", peer);
    CHECK(info.domain == peer && !(info.flags & XEN_DOMINF_shutdown),
          "d%u still running (flags %#x)", info.domain, info.flags);
    f0 = sysctl_free_pages();
    rc = domctl(&op, XEN_DOMCTL_destroydomain, peer);
    f1 = sysctl_free_pages();
    CHECK(!rc, "destroydomain d%u: %ld", peer, rc);
    rc = domctl_info(peer, &after);
    CHECK(rc == -ESRCH || after.domain != peer, "d%u gone at once (%ld, flags %#x)",
          peer, rc, after.flags);
    printk("  hammer: d%u (%lu frames, %lu vCPUs) sent %lu events seen in %lu ms; "
           "free %lu before destroy, %lu after\n", peer, info.tot_pages,
           (unsigned long)info.max_vcpu_id + 1, events, HAMMER_NS / NSEC_PER_MSEC, f0, f1);
    CHECK(f1 >= f0 + info.tot_pages, "destroy freed %lu of %lu frames", f1 - f0,
          info.tot_pages);
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_status, &st), 0, "EVTCHNOP_status");
    CHECK(st.status == EVTCHNSTAT_unbound, "our port after d%u died: status %u", peer,
          st.status);
    CHECK(!evt_close(port), "close our port to d%u", peer);
}

TEST(hammer_destroy, "multi/hammer_destroy")
{
    unsigned int peers = (unsigned int)need("peers");
    long port[4];

    CHECK(peers >= 1 && peers <= 4, "peers=%u: 1 to 4", peers);
    if (peers < 1 || peers > 4)
        return;
    /* Ports first, so guest i finds dom0's port i. */
    for (unsigned int i = 0; i < peers; i++) {
        port[i] = evt_alloc_unbound((domid_t)(i + 1));
        CHECK(port[i] == (long)i + 1, "alloc_unbound for d%u: %ld", i + 1, port[i]);
    }
    for (unsigned int i = 0; i < peers; i++)
        if (port[i] > 0)
            destroy_hammering((domid_t)(i + 1), (uint32_t)port[i]);
}
