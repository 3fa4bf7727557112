/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/smp-mm.c - both vCPUs of one guest hammer the same
 * frames with the memory-management hypercalls at once: pin and unpin
 * (as L1), entries written with mmu_update into tables that are pinned
 * or plain at that moment, mappings of the same frames with
 * update_va_mapping, and pins of frames that the other vCPU maps
 * writable.  Every call may fail only with the errors a type conflict
 * gives (-EINVAL, -EBUSY); afterwards every frame must be free of types
 * and references again - it can be written as a plain page, pinned and
 * unpinned, mapped writable - and the hypervisor must still be healthy.
 * The teardown report (0 frames leaked) covers the general references.
 *
 * Also: a TLB flush for another vCPU reaches it (smpmm/flush_multi).
 *
 * Needs two vCPUs (multidomain-tests.sh "smpmm" boots dom0 on -smp 2);
 * with one it skips.  Its own area, not "smp/": it brings vCPU 1 up,
 * which smp/bringup must find down.
 */
#include "mm-lib.h"
#include <clock.h>
#include <smp.h>
#include <public/vcpu.h>

#define NR_TABLES   2
#define NR_DATA     3
#define NR_ENTRIES  4               /* L1 slots written in each table */
#define STRESS_NS   (3 * NSEC_PER_SEC)

static uint64_t tables[NR_TABLES], data[NR_DATA];
static volatile uint64_t stress_until;

struct stress_stats {
    uint64_t ops, ok, bad;
    long bad_rc;
    unsigned int bad_op;
};
static struct stress_stats stats[2];

static unsigned int next_rand(unsigned int *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

static long ext_op(unsigned int cmd, uint64_t mfn)
{
    struct mmuext_op op = { .cmd = cmd };

    op.arg1.mfn = mfn;
    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static long pt_write(uint64_t table, unsigned int idx, uint64_t val)
{
    struct mmu_update u = { .ptr = (table << 12) + idx * 8, .val = val };

    return HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF);
}

/* One random operation on the shared frames; 'slot' is this vCPU's VA. */
static void stress_one(struct stress_stats *s, unsigned int *seed, int slot)
{
    unsigned int r = next_rand(seed), op = (r >> 6) % 6;
    uint64_t t = tables[r % NR_TABLES], d = data[(r >> 2) % NR_DATA];
    uint64_t pte = (r & (1u << 12)) ? 0 :
                   mfn_to_pte(d, (r & (1u << 13)) ? PTE_RW_FLAGS : PTE_RO_FLAGS);
    long rc = 0;

    switch (op) {
    case 0:
        rc = ext_op(MMUEXT_PIN_L1_TABLE, t);
        break;
    case 1:
        rc = ext_op(MMUEXT_UNPIN_TABLE, t);
        break;
    case 2:
        rc = pt_write(t, (r >> 14) % NR_ENTRIES, pte);
        break;
    case 3:
        rc = ext_op(MMUEXT_PIN_L1_TABLE, d);
        break;
    case 4:
        rc = ext_op(MMUEXT_UNPIN_TABLE, d);
        break;
    case 5:
        rc = HYPERVISOR_update_va_mapping(mm_slot_va(slot), pte, UVMF_INVLPG | UVMF_LOCAL);
        break;
    }
    s->ops++;
    if (rc == 0) {
        s->ok++;
    } else if (rc != -EINVAL && rc != -EBUSY) {
        s->bad++;
        s->bad_rc = rc;
        s->bad_op = op;
    }
}

static void stress_loop(unsigned int cpu)
{
    unsigned int seed = 0x1234567u * (cpu + 1);

    while (clock_ns() < stress_until)
        stress_one(&stats[cpu], &seed, cpu ? MM_SLOT_B : MM_SLOT_A);
}

static void ap_stress(void)
{
    stress_loop(1);
}

/* Have vCPU 1 start 'fn': wake it until it says it has started. */
static int start_on_ap(void (*fn)(void), uint32_t port)
{
    smp_ap.work_started = 0;
    smp_ap.work = fn;
    for (int tries = 0; tries < 20; tries++) {
        uint64_t limit = clock_ns() + 100 * NSEC_PER_MSEC;

        evt_send(port);
        while (clock_ns() < limit)
            if (smp_ap.work_started)
                return 1;
    }
    return 0;
}

/* vCPU 1 up, with an IPI port to wake it; the port, or <= 0 (failed). */
static long ap_port(void)
{
    long port;

    if (!HYPERVISOR_vcpu_op(VCPUOP_is_up, SMP_AP, NULL))
        CHECK_EQ(smp_ap_up(), 0, "bring up vCPU 1");
    port = evt_bind_ipi(SMP_AP);
    CHECK(port > 0, "bind_ipi for vCPU 1: %ld", port);
    if (port > 0)
        smp_ap.ipi_port = (uint32_t)port;
    return port;
}

/* Every frame back to a plain page with no references left over. */
static void check_frames_clean(void)
{
    for (int i = 0; i < NR_TABLES; i++)
        for (unsigned int e = 0; e < NR_ENTRIES; e++)
            MM_RC(pt_write(tables[i], e, 0), 0, "clear an entry of an unpinned table");
    for (int i = 0; i < NR_TABLES + NR_DATA; i++) {
        uint64_t f = i < NR_TABLES ? tables[i] : data[i - NR_TABLES];

        MM_RC(ext_op(MMUEXT_PIN_L1_TABLE, f), 0, "pin afterwards");
        MM_RC(ext_op(MMUEXT_UNPIN_TABLE, f), 0, "unpin afterwards");
        MM_RC(mm_map_rc(MM_SLOT_A, f, PTE_RW_FLAGS), 0, "map writable afterwards");
        mm_unmap(MM_SLOT_A);
    }
}

TEST(mm_stress, "smpmm/stress")
{
    uint64_t t0, elapsed;
    long port;

    if (!smp_ap_exists()) {
        test_skip("the domain has one vCPU");
        return;
    }
    mm_begin();
    for (int i = 0; i < NR_TABLES; i++)
        tables[i] = mm_alloc();
    for (int i = 0; i < NR_DATA; i++)
        data[i] = mm_alloc();
    port = ap_port();
    if (port <= 0)
        return;

    t0 = clock_ns();
    stress_until = t0 + STRESS_NS;
    CHECK(start_on_ap(ap_stress, (uint32_t)port), "vCPU 1 did not start its part");
    stress_loop(0);
    while (smp_ap.work && clock_ns() < stress_until + 5 * NSEC_PER_SEC)
        ;
    elapsed = clock_ns() - t0;
    CHECK(!smp_ap.work, "vCPU 1 did not finish its part");
    smp_ap.ipi_port = 0;
    evt_close((uint32_t)port);

    for (int c = 0; c < 2; c++)
        CHECK(!stats[c].bad, "vCPU %d: %lu unexpected results, last %ld from op %u",
              c, stats[c].bad, stats[c].bad_rc, stats[c].bad_op);
    CHECK(stats[0].ok > 0 && stats[1].ok > 0, "no operation succeeded on some vCPU");
    test_note("vCPU 0: %lu ops (%lu ok), vCPU 1: %lu ops (%lu ok), in %lu ms",
              stats[0].ops, stats[0].ok, stats[1].ops, stats[1].ok,
              elapsed / NSEC_PER_MSEC);

    /* Whatever each vCPU left pinned or mapped goes; then all is clean. */
    for (int i = 0; i < NR_TABLES; i++)
        ext_op(MMUEXT_UNPIN_TABLE, tables[i]);
    for (int i = 0; i < NR_DATA; i++)
        ext_op(MMUEXT_UNPIN_TABLE, data[i]);
    mm_unmap(MM_SLOT_A);
    mm_unmap(MM_SLOT_B);
    check_frames_clean();
    mm_check_healthy();
}

/*
 * A flush for another vCPU reaches it: vCPU 1 spins reading a scratch VA
 * (so it keeps its TLB entry, never switched out), vCPU 0 points the
 * entry at another frame and flushes with MMUEXT_INVLPG_MULTI naming
 * vCPU 1, which must then read the new frame.
 */
#define FLUSH_OLD   0x6f6c64206672616dUL
#define FLUSH_NEW   0x6e65772066726d21UL

static volatile uint64_t flush_va, flush_seen;

static void ap_watch(void)
{
    uint64_t limit = clock_ns() + 3 * NSEC_PER_SEC;

    while (clock_ns() < limit) {
        flush_seen = *(volatile uint64_t *)flush_va;
        if (flush_seen == FLUSH_NEW)
            return;
    }
}

TEST(flush_multi, "smpmm/flush_multi")
{
    struct mmuext_op op = { .cmd = MMUEXT_INVLPG_MULTI };
    uint64_t mask = 1UL << SMP_AP, f_old, f_new, limit;
    long port;

    if (!smp_ap_exists()) {
        test_skip("the domain has one vCPU");
        return;
    }
    mm_begin();
    f_old = mm_alloc();
    f_new = mm_alloc();
    mm_poke(f_old, 0, FLUSH_OLD);
    mm_poke(f_new, 0, FLUSH_NEW);
    if (!mm_map(MM_SLOT_C, f_old, PTE_RO_FLAGS))
        return;
    flush_va = mm_slot_va(MM_SLOT_C);
    flush_seen = 0;
    port = ap_port();
    if (port <= 0)
        return;
    CHECK(start_on_ap(ap_watch, (uint32_t)port), "vCPU 1 did not start watching");
    limit = clock_ns() + NSEC_PER_SEC;
    while (flush_seen != FLUSH_OLD && clock_ns() < limit)
        ;
    CHECK_EQ(flush_seen, FLUSH_OLD, "vCPU 1 reads the old frame");

    /* The entry changes without a flush, then vCPU 1's TLB is flushed. */
    MM_RC(mm_pt_write(mm_slot_pte_maddr(MM_SLOT_C), mfn_to_pte(f_new, PTE_RO_FLAGS)), 0,
          "point the entry at the new frame");
    op.arg1.linear_addr = flush_va;
    op.arg2.vcpumask = (uint64_t)(uintptr_t)&mask;
    MM_RC(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), 0, "INVLPG_MULTI for vCPU 1");
    limit = clock_ns() + NSEC_PER_SEC;
    while (flush_seen != FLUSH_NEW && clock_ns() < limit)
        ;
    CHECK_EQ(flush_seen, FLUSH_NEW, "vCPU 1 reads the new frame after the flush");
    while (smp_ap.work && clock_ns() < limit + 3 * NSEC_PER_SEC)
        ;
    smp_ap.ipi_port = 0;
    evt_close((uint32_t)port);
    mm_unmap(MM_SLOT_C);
}
