/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/bench.c - the in-guest measurements behind `make bench`
 * (tests/bench/hypercall-bench.sh), skipped unless "bench=1" is on the
 * command line.  Each prints "BENCH name: N cycles" (rdtsc, mean of many
 * runs after a warm-up) or, for a domain's life, "BENCH name: N us" of
 * system time (a domU's TSC need not be dom0's); under QEMU -icount
 * shift=0 both count guest instructions, so the figures repeat.
 */
#include <lib.h>
#include <arch.h>
#include <clock.h>
#include <hypercall.h>
#include <test.h>
#include <traps.h>
#include <public/grant_table.h>
#include <public/version.h>
#include "builder-lib.h"

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
    long want, bad = 0;

    need_bench();
    want = HYPERVISOR_xen_version(XENVER_version, NULL);
    CHECK(want > 0, "xen_version(XENVER_version) = %ld", want);
    for (int i = 0; i < WARMUP; i++)
        HYPERVISOR_xen_version(XENVER_version, NULL);
    t0 = rdtsc();
    for (int i = 0; i < RUNS; i++)
        bad += HYPERVISOR_xen_version(XENVER_version, NULL) != want;
    t1 = rdtsc();
    /* A figure for a call that failed would time the error path. */
    CHECK(bad == 0, "%ld of %d calls did not return the version", bad, RUNS);
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

/* ---- grant tables: our own page granted to ourselves, as Xen allows ---- */

#define BENCH_GREF  21
static uint8_t grant_src[PAGE_SIZE] __attribute__((aligned(4096)));
static uint8_t grant_dst[PAGE_SIZE] __attribute__((aligned(4096)));
static uint8_t grant_at[PAGE_SIZE] __attribute__((aligned(4096)));

static long gnttab_op(unsigned int cmd, void *op)
{
    return hypercall(__HYPERVISOR_grant_table_op, cmd, HC_PTR(op), 1, 0, 0);
}

/* Grant grant_src to domain 0 (we are dom0 when benchmarking). */
static volatile grant_entry_v1_t *grant_self(void)
{
    volatile grant_entry_v1_t *gt = grant_table_self();

    if (!gt)
        test_abort();
    gt[BENCH_GREF].domid = 0;
    gt[BENCH_GREF].frame = virt_to_mfn(grant_src);
    __atomic_store_n(&gt[BENCH_GREF].flags, GTF_permit_access, __ATOMIC_RELEASE);
    return gt;
}

/* One map at grant_at's address and its unmap: 0 or the failing status. */
static int map_unmap(void)
{
    struct gnttab_map_grant_ref m = { .host_addr = (uint64_t)(uintptr_t)grant_at,
                                      .flags = GNTMAP_host_map, .ref = BENCH_GREF,
                                      .dom = 0 };
    struct gnttab_unmap_grant_ref u = { .host_addr = m.host_addr };

    if (gnttab_op(GNTTABOP_map_grant_ref, &m) || m.status)
        return m.status ? m.status : -1;
    u.handle = m.handle;
    if (gnttab_op(GNTTABOP_unmap_grant_ref, &u) || u.status)
        return u.status ? u.status : -1;
    return 0;
}

TEST(grant_map, "bench/grant_map_unmap")
{
    volatile grant_entry_v1_t *gt;
    uint64_t t0, t1;
    int rc = 0;

    need_bench();
    gt = grant_self();
    for (int i = 0; i < WARMUP && !rc; i++)
        rc = map_unmap();
    t0 = rdtsc();
    for (int i = 0; i < RUNS && !rc; i++)
        rc = map_unmap();
    t1 = rdtsc();
    /* The unmap left the address empty: our own page goes back under it. */
    HYPERVISOR_update_va_mapping((uint64_t)(uintptr_t)grant_at,
                                 (virt_to_mfn(grant_at) << 12) | 0x67, UVMF_INVLPG);
    gt[BENCH_GREF].flags = 0;
    CHECK_EQ(rc, 0, "map/unmap status");
    if (!rc)
        printk("BENCH grant_map_unmap: %lu cycles\n", (t1 - t0) / RUNS);
}

TEST(grant_copy, "bench/grant_copy_4k")
{
    volatile grant_entry_v1_t *gt;
    struct gnttab_copy c = {
        .source = { .u.ref = BENCH_GREF, .domid = 0 },
        .dest = { .domid = DOMID_SELF },
        .len = PAGE_SIZE, .flags = GNTCOPY_source_gref,
    };
    uint64_t t0 = 0, t1;
    int bad = 0;

    need_bench();
    gt = grant_self();
    c.dest.u.gmfn = virt_to_mfn(grant_dst);
    memset(grant_src, 0x5a, PAGE_SIZE);
    memset(grant_dst, 0, PAGE_SIZE);
    for (int i = 0; i < RUNS + WARMUP; i++) {
        if (i == WARMUP)
            t0 = rdtsc();
        if (gnttab_op(GNTTABOP_copy, &c) || c.status)
            bad++;
    }
    t1 = rdtsc();
    gt[BENCH_GREF].flags = 0;
    CHECK_EQ(bad, 0, "copies that failed");
    CHECK(grant_dst[0] == 0x5a && grant_dst[PAGE_SIZE - 1] == 0x5a, "the copy arrived");
    if (!bad)
        printk("BENCH grant_copy_4k: %lu cycles\n", (t1 - t0) / RUNS);
}

/* ---- a domain's life: build, boot to its first console line, destroy ---- */

#define DOMAIN_RUNS 10

TEST(domain_create, "bench/domain_create")
{
    uint64_t build = 0, first_line = 0, first_event = 0, destroy = 0;
    struct dom_times t;

    need_bench();
    if (!start_info->mod_len) {
        test_skip("no domU kernel (dom0 was given no module)");
        return;
    }
    /* One warm-up domain, then the measured ones. */
    for (unsigned int i = 0; i <= DOMAIN_RUNS; i++) {
        if (dom_cycle((const void *)(uintptr_t)start_info->mod_start,
                      start_info->mod_len, i, &t))
            return;
        if (!i)
            continue;
        build += t.built - t.create;
        first_line += t.first_line - t.create;
        first_event += t.first_event - t.create;
        destroy += t.destroyed - t.shutdown;
    }
    printk("BENCH domain_build: %lu us\n", build / DOMAIN_RUNS / 1000);
    printk("BENCH domain_first_line: %lu us\n", first_line / DOMAIN_RUNS / 1000);
    printk("BENCH domain_first_event: %lu us\n", first_event / DOMAIN_RUNS / 1000);
    printk("BENCH domain_destroy: %lu us\n", destroy / DOMAIN_RUNS / 1000);
}
