/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/bench.c - the in-guest measurements behind `make bench`
 * (tests/bench/hypercall-bench.sh), skipped unless "bench=1" is on the
 * command line.  Each prints "BENCH name: N cycles" (rdtsc, mean of many
 * runs after a warm-up); under QEMU -icount shift=0 the TSC counts guest
 * instructions, so the figures repeat from run to run.
 */
#include <lib.h>
#include <arch.h>
#include <clock.h>
#include <hypercall.h>
#include <test.h>
#include <traps.h>
#include <public/version.h>

#define RUNS    10000
#define WARMUP  100

static void need_bench(void)
{
    uint64_t v;

    if (!cmdline_uint("bench", &v) || !v) {
        test_skip("benchmarks run only with bench=1");
        test_abort();
    }
}

TEST(null_hypercall, "bench/null_hypercall")
{
    uint64_t t0, t1;

    need_bench();
    for (int i = 0; i < WARMUP; i++)
        HYPERVISOR_xen_version(XENVER_version, NULL);
    t0 = rdtsc();
    for (int i = 0; i < RUNS; i++)
        HYPERVISOR_xen_version(XENVER_version, NULL);
    t1 = rdtsc();
    printk("BENCH null_hypercall: %lu cycles\n", (t1 - t0) / RUNS);
}

TEST(evtchn_loopback, "bench/evtchn_loopback")
{
    unsigned long before;
    uint64_t t0 = 0, t1;
    long p, q;

    need_bench();
    if (!vcpu0) {
        test_skip("no vcpu_info");
        return;
    }
    /* An interdomain channel from us to ourselves, as Xen allows. */
    p = evt_alloc_unbound(DOMID_SELF);
    q = p > 0 ? evt_bind_interdomain(DOMID_SELF, (uint32_t)p) : p;
    CHECK(p > 0 && q > 0, "loopback channel: %ld %ld", p, q);
    if (p <= 0 || q <= 0)
        return;
    evt_test_and_clear((uint32_t)q);
    vcpu0->evtchn_pending_sel = 0;
    vcpu0->evtchn_upcall_pending = 0;
    before = event_callbacks;
    /* Upcalls on: each send comes back through the event callback. */
    vcpu0->evtchn_upcall_mask = 0;
    for (int i = 0; i < RUNS + WARMUP; i++) {
        if (i == WARMUP)
            t0 = rdtsc();
        evt_send((uint32_t)q);
        evt_test_and_clear((uint32_t)p);    /* the handler's job */
    }
    t1 = rdtsc();
    vcpu0->evtchn_upcall_mask = 1;
    CHECK_EQ(event_callbacks - before, RUNS + WARMUP, "upcalls delivered");
    printk("BENCH evtchn_send_upcall: %lu cycles\n", (t1 - t0) / RUNS);
    evt_close((uint32_t)p);
    evt_close((uint32_t)q);
}
