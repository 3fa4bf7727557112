/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/smp.c - a second vCPU of one guest: VCPUOP_initialise
 * and up/down, its runstate, and IPIs (EVTCHNOP_bind_ipi + send) in both
 * directions, none of them lost.
 *
 * Needs a domain with two vCPUs (dom0 on two CPUs, or a boot-time guest
 * with vcpus=2); with one vCPU every test skips.  The tests build on each
 * other in file order: bring-up first.
 */
#include <lib.h>
#include <arch.h>
#include <clock.h>
#include <hypercall.h>
#include <smp.h>
#include <test.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/vcpu.h>
#include <public/version.h>
#include "ctl-lib.h"

#define IPI_ROUNDS  1000

static void need_ap(void)
{
    if (!smp_ap_exists()) {
        test_skip("the domain has one vCPU");
        test_abort();
    }
    if (!HYPERVISOR_vcpu_op(VCPUOP_is_up, SMP_AP, NULL)) {
        long rc = smp_ap_up();

        if (rc) {
            test_fail("bringing up vCPU 1: %ld", rc);
            test_abort();
        }
    }
}

/* Wait until vCPU 1 has seen 'n' events; 0 after a second without. */
static int wait_events(uint64_t n)
{
    uint64_t limit = clock_ns() + NSEC_PER_SEC;

    while (smp_ap.events < n)
        if (clock_ns() > limit)
            return 0;
    return 1;
}

static uint8_t ap_fpu[512] __attribute__((aligned(16)));
static volatile uint32_t ap_mxcsr;

static void read_ap_mxcsr(void)
{
    uint32_t m;

    asm volatile ("stmxcsr %0" : "=m" (m));
    ap_mxcsr = m;
}

/*
 * vCPU 1 starts from an FXSAVE image of ours with every reserved MXCSR bit
 * set, as a hostile kernel may pass it: the hypervisor must drop them, or
 * its FXRSTOR/XRSTOR faults in ring 0 when vCPU 1 first runs.
 */
static void hostile_ap_fpu(void)
{
    uint32_t all = ~0U;

    asm volatile ("fxsave64 %0" : "=m" (ap_fpu));
    memcpy(ap_fpu + 24, &all, sizeof(all));
    smp_ap_set_fpu(ap_fpu);
    smp_ap.work = read_ap_mxcsr;
}

TEST(bringup, "smp/bringup")
{
    static struct vcpu_guest_context empty;
    long rc;

    if (!smp_ap_exists()) {
        test_skip("the domain has one vCPU");
        return;
    }
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_is_up, SMP_AP, NULL), 0, "vCPU 1 starts down");
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_up, SMP_AP, NULL), -EINVAL,
             "up before initialise");
    /* A context with no page tables is refused and leaves it uninitialised. */
    rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, SMP_AP, &empty);
    CHECK(rc < 0, "initialise with cr3 0: %ld", rc);
    hostile_ap_fpu();
    CHECK_EQ(smp_ap_up(), 0, "initialise and up");
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_is_up, SMP_AP, NULL), 1, "vCPU 1 up");
    CHECK(smp_ap.alive, "vCPU 1 never ran");
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_initialise, SMP_AP, &empty), -EEXIST,
             "initialise twice");
}

TEST_XEN_DIFFERS(reserved_mxcsr, "smp/initialise_reserved_mxcsr",
                 "Mica drops reserved MXCSR bits at VCPUOP_initialise; Xen "
                 "keeps them and recovers FXRSTOR/XRSTOR's fault, which "
                 "QEMU's TCG never raises, so vCPU 1 reads them back")
{
    uint64_t limit = clock_ns() + NSEC_PER_SEC;
    char extra[XEN_EXTRAVERSION_LEN + 1];
    uint32_t mask;

    need_ap();
    while (smp_ap.work && clock_ns() < limit)
        ;
    CHECK(!smp_ap.work, "vCPU 1 never ran its first work");
    memcpy(&mask, ap_fpu + 28, sizeof(mask));
    if (!mask)
        mask = 0xffbf;
    memset(extra, 0, sizeof(extra));
    HYPERVISOR_xen_version(XENVER_extraversion, extra);
    if (strstr(extra, "mica"))
        CHECK_EQ(ap_mxcsr, mask, "vCPU 1's MXCSR: the image's, reserved bits dropped");
    else
        CHECK(ap_mxcsr == mask || ap_mxcsr == ~0U,
              "vCPU 1's MXCSR %#x is neither the image's nor masked", ap_mxcsr);
}

TEST(runstate, "smp/runstate")
{
    struct vcpu_runstate_info rs;
    uint64_t limit;

    need_ap();
    /* vCPU 1 blocks as soon as it has nothing to do. */
    limit = clock_ns() + NSEC_PER_SEC;
    do
        CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, SMP_AP, &rs), 0,
                 "get_runstate_info");
    while (rs.state != RUNSTATE_blocked && clock_ns() < limit);
    CHECK_EQ(rs.state, RUNSTATE_blocked, "vCPU 1's state");
    CHECK(rs.time[RUNSTATE_running] > 0, "vCPU 1 has run: %lu ns",
          rs.time[RUNSTATE_running]);
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 2, &rs), -ENOENT,
             "vCPU 2");
}

TEST(ipi, "smp/ipi")
{
    struct evtchn_status st = { .dom = DOMID_SELF };
    uint64_t base;
    long port;
    int i;

    need_ap();
    port = evt_bind_ipi(SMP_AP);
    CHECK(port > 0, "bind_ipi for vCPU 1: %ld", port);
    if (port <= 0)
        return;
    st.port = (evtchn_port_t)port;
    CHECK_EQ(HYPERVISOR_event_channel_op(EVTCHNOP_status, &st), 0, "status");
    CHECK_EQ(st.status, EVTCHNSTAT_ipi, "an IPI port");
    CHECK_EQ(st.vcpu, SMP_AP, "bound to vCPU 1");
    smp_ap.reply_port = 0;
    base = smp_ap.events;
    smp_ap.ipi_port = (uint32_t)port;
    /* One at a time: each must reach vCPU 1's callback before the next. */
    for (i = 0; i < IPI_ROUNDS; i++) {
        CHECK_EQ(evt_send((uint32_t)port), 0, "send");
        if (!wait_events(base + i + 1)) {
            test_fail("IPI %d never reached vCPU 1 (%lu seen)", i,
                      smp_ap.events - base);
            break;
        }
    }
    test_note("%lu IPIs sent, %lu delivered, %lu upcalls on vCPU 1 (%lu stray)",
              (unsigned long)i, smp_ap.events - base, smp_ap.callbacks, smp_ap.stray);
    smp_ap.ipi_port = 0;
    CHECK_EQ(evt_close((uint32_t)port), 0, "close");
    CHECK_EQ(evt_send((uint32_t)port), -EINVAL, "send on the closed IPI port");
}

TEST(ipi_pingpong, "smp/ipi_pingpong")
{
    long to_ap, to_bsp;
    uint64_t base;
    unsigned int got = 0, polls = 0;

    need_ap();
    to_ap = evt_bind_ipi(SMP_AP);
    to_bsp = evt_bind_ipi(0);
    CHECK(to_ap > 0 && to_bsp > 0, "bind_ipi: %ld %ld", to_ap, to_bsp);
    if (to_ap <= 0 || to_bsp <= 0)
        return;
    evt_test_and_clear((uint32_t)to_bsp);
    base = smp_ap.events;
    smp_ap.reply_port = (uint32_t)to_bsp;
    smp_ap.ipi_port = (uint32_t)to_ap;
    /* vCPU 0 waits in SCHEDOP_poll for each answer from vCPU 1's callback. */
    for (unsigned int i = 0; i < IPI_ROUNDS; i++) {
        uint64_t limit = clock_ns() + NSEC_PER_SEC;

        evt_send((uint32_t)to_ap);
        while (!evt_test_and_clear((uint32_t)to_bsp) && clock_ns() < limit) {
            evt_poll((uint32_t)to_bsp, clock_ns() + 100 * NSEC_PER_MSEC);
            polls++;
        }
        if (clock_ns() >= limit) {
            test_fail("round %u: no answer from vCPU 1", i);
            break;
        }
        got++;
    }
    smp_ap.ipi_port = 0;
    smp_ap.reply_port = 0;
    CHECK_EQ(got, IPI_ROUNDS, "answers");
    CHECK_EQ(smp_ap.events - base, got, "IPIs vCPU 1 saw");
    CHECK_EQ(smp_ap.reply_errors, 0, "vCPU 1's sends");
    test_note("%u round trips, %u polls", got, polls);
    evt_close((uint32_t)to_ap);
    evt_close((uint32_t)to_bsp);
}

TEST(down_up, "smp/down_up")
{
    struct vcpu_runstate_info rs;
    uint64_t base, limit;
    long port;

    need_ap();
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_down, SMP_AP, NULL), 0, "down");
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_is_up, SMP_AP, NULL), 0, "is_up after down");
    limit = clock_ns() + NSEC_PER_SEC;
    do
        HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, SMP_AP, &rs);
    while (rs.state == RUNSTATE_running && clock_ns() < limit);
    /* Xen leaves a vCPU that was blocked when taken down "blocked". */
    CHECK(rs.state == RUNSTATE_offline || rs.state == RUNSTATE_blocked,
          "runstate of a down vCPU: %d", rs.state);

    /* An IPI to a down vCPU waits in its pending bit for the vCPU. */
    port = evt_bind_ipi(SMP_AP);
    CHECK(port > 0, "bind_ipi: %ld", port);
    if (port <= 0)
        return;
    base = smp_ap.events;
    smp_ap.reply_port = 0;
    smp_ap.ipi_port = (uint32_t)port;
    CHECK_EQ(evt_send((uint32_t)port), 0, "send to the down vCPU");
    limit = clock_ns() + 50 * NSEC_PER_MSEC;
    while (clock_ns() < limit)
        ;
    CHECK_EQ(smp_ap.events - base, 0, "a down vCPU took an event");
    CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_up, SMP_AP, NULL), 0, "up again");
    CHECK(wait_events(base + 1), "the held IPI was not delivered after up");
    smp_ap.ipi_port = 0;
    evt_close((uint32_t)port);
}

/* vCPU 1's side: sleep in short polls, so it keeps waking and may be
 * moved to whichever CPU is idle (its timers move with it). */
static volatile int hop_stop;
static volatile uint64_t hops;
static volatile uint32_t hop_port;

static void hop_around(void)
{
    while (!hop_stop) {
        evt_poll(hop_port, clock_ns() + 20000);
        hops++;
    }
}

/*
 * vCPU 0 arms and stops vCPU 1's periodic timer over and over while vCPU 1
 * wakes and sleeps: arming it races the scheduler moving it between CPU
 * lists.  The timer must end on one list only (a timer left on a second
 * list outlives its vCPU: the host fails later, or at teardown).
 */
TEST(periodic_race, "smp/periodic_timer_vs_migration")
{
    uint64_t limit, rounds = 0;
    long port;

    need_ap();
    port = evt_bind_ipi(SMP_AP);
    CHECK(port > 0, "bind_ipi: %ld", port);
    if (port <= 0)
        return;
    hop_port = (uint32_t)port;
    hop_stop = 0;
    hops = 0;
    smp_ap.work_started = 0;
    smp_ap.work = hop_around;
    limit = clock_ns() + NSEC_PER_SEC;
    while (!smp_ap.work_started && clock_ns() < limit)
        evt_send((uint32_t)port);
    CHECK(smp_ap.work_started, "vCPU 1 did not start");
    limit = clock_ns() + 2 * NSEC_PER_SEC;
    while (clock_ns() < limit) {
        struct vcpu_set_periodic_timer p = {
            .period_ns = 1000000 + (rounds & 7) * 1000,
        };

        CHECK_EQ(HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, SMP_AP, &p), 0,
                 "set vCPU 1's periodic timer");
        if (rounds & 1)
            HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, SMP_AP, NULL);
        rounds++;
    }
    HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, SMP_AP, NULL);
    hop_stop = 1;
    limit = clock_ns() + NSEC_PER_SEC;
    while (smp_ap.work && clock_ns() < limit)
        evt_send((uint32_t)port);
    evt_close((uint32_t)port);
    test_note("%lu arms, vCPU 1 woke %lu times", rounds, hops);
    CHECK(hops > 0, "vCPU 1 never woke");
}

/*
 * The data segment selectors are each vCPU's own, like its registers:
 * vCPU 1 keeps %fs loaded with a 32-bit data selector while it sleeps and
 * wakes in short polls, and vCPU 0, with a null %fs and an FS base of its
 * own, checks both after each of its own sleeps.  Both are pinned to
 * CPU 0 meanwhile, where they can (each would have a CPU to itself
 * otherwise), so a selector the hypervisor left loaded on a CPU would show
 * here (Linux takes a non-null %fs to mean "base from the descriptor" and
 * loses a process's TLS base).
 */
static volatile int sel_stop;
static volatile uint64_t sel_rounds, sel_bad_ap;
static volatile uint32_t sel_port;
static uint64_t sel_fs_var = 0x5e15e15e15e15e1UL;

/*
 * Hard affinity of this domain's vCPU 'vcpu': CPU 0 alone, or every CPU
 * ('all').  Only a control domain may (the smp boot runs as dom0, id 0).
 */
static long pin_vcpu(uint32_t vcpu, int all)
{
    static uint8_t map[8];
    struct xen_domctl op = { 0 };

    memset(map, all ? 0xff : 0, sizeof(map));
    map[0] |= 1;
    op.u.vcpuaffinity.vcpu = vcpu;
    op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD;
    op.u.vcpuaffinity.cpumap_hard.bitmap = HC_PTR(map);
    op.u.vcpuaffinity.cpumap_hard.nr_bits = 64;
    return domctl(&op, XEN_DOMCTL_setvcpuaffinity, 0);
}

static uint16_t read_fs_sel(void)
{
    uint16_t v;

    asm volatile("mov %%fs, %0" : "=r"(v));
    return v;
}

static void keep_fs_loaded(void)
{
    uint32_t sel = FLAT_USER_DS32;

    asm volatile("mov %k0, %%fs" :: "r"(sel));
    while (!sel_stop) {
        evt_poll(sel_port, clock_ns() + 2000000);
        if (read_fs_sel() != FLAT_USER_DS32)
            sel_bad_ap++;
        sel_rounds++;
    }
    asm volatile("mov %k0, %%fs" :: "r"(0));
}

TEST(selectors, "smp/segment_selectors_per_vcpu")
{
    uint64_t limit, checks = 0, bad_sel = 0, bad_base = 0, fs0;
    uint16_t sel, first_bad = 0;
    int pinned;
    long port;

    need_ap();
    port = evt_bind_ipi(SMP_AP);
    CHECK(port > 0, "bind_ipi: %ld", port);
    if (port <= 0)
        return;
    sel_port = (uint32_t)port;
    pinned = !pin_vcpu(0, 0) && !pin_vcpu(SMP_AP, 0);
    sel_stop = 0;
    sel_rounds = sel_bad_ap = 0;
    asm volatile("mov %k0, %%fs" :: "r"(0));
    CHECK_EQ(HYPERVISOR_set_segment_base(SEGBASE_FS, (uint64_t)(uintptr_t)&sel_fs_var), 0,
             "set FS base");
    smp_ap.work_started = 0;
    smp_ap.work = keep_fs_loaded;
    limit = clock_ns() + NSEC_PER_SEC;
    while (!smp_ap.work_started && clock_ns() < limit)
        evt_send((uint32_t)port);
    CHECK(smp_ap.work_started, "vCPU 1 did not start");
    limit = clock_ns() + NSEC_PER_SEC;
    while (clock_ns() < limit) {
        evt_poll((uint32_t)port, clock_ns() + 1000000);
        sel = read_fs_sel();
        asm volatile("mov %%fs:0, %0" : "=r"(fs0));
        if (sel && !bad_sel++)
            first_bad = sel;
        bad_base += fs0 != sel_fs_var;
        checks++;
    }
    sel_stop = 1;
    limit = clock_ns() + NSEC_PER_SEC;
    while (smp_ap.work && clock_ns() < limit)
        evt_send((uint32_t)port);
    evt_close((uint32_t)port);
    pin_vcpu(0, 1);
    pin_vcpu(SMP_AP, 1);
    HYPERVISOR_set_segment_base(SEGBASE_FS, 0);
    test_note("%lu checks on vCPU 0, %lu wake-ups on vCPU 1, %s", checks, sel_rounds,
              pinned ? "both on CPU 0" : "not pinned (not a control domain)");
    CHECK(!bad_sel, "vCPU 0's null %%fs read %#x (%lu of %lu checks)", first_bad, bad_sel, checks);
    CHECK(!bad_base, "vCPU 0's %%fs:0 was wrong %lu of %lu times", bad_base, checks);
    CHECK(!sel_bad_ap, "vCPU 1's %%fs lost its selector %lu times", sel_bad_ap);
}
