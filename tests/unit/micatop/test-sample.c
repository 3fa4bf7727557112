/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/micatop/test-sample.c - samples to percentages and rates:
 * CPU(%) of spinning, capped and idle domains, vCPU hot plug both ways,
 * clock skew between reads, counters that wrap or restart, the history
 * ring and the sparkline drawn from it.
 */
#include <math.h>
#include <string.h>

#include "cunit-runner.h"
#include "sample.h"

#define S 1000000000ull
#define NEAR(a, b) CU_ASSERT(fabs((a) - (b)) < 1e-6)

static struct mt_cpu_sample at(uint64_t wall, uint64_t dom, unsigned int n, const uint64_t *v)
{
    struct mt_cpu_sample s = { wall, dom, n, v };
    return s;
}

static void test_counter_delta(void)
{
    CU_ASSERT_EQUAL(mt_counter_delta(10, 25, 32), 15);
    CU_ASSERT_EQUAL(mt_counter_delta(7, 7, 32), 0);
    /* A 32-bit counter that passed 2^32 between the samples. */
    CU_ASSERT_EQUAL(mt_counter_delta(0xfffffff0u, 0x10, 32), 0x20);
    CU_ASSERT_EQUAL(mt_counter_delta(0xffffffffu, 0, 32), 1);
    CU_ASSERT_EQUAL(mt_counter_delta(0xfff0, 0x0f, 16), 0x1f);
    /* 64 bits going down: restarted, only what it counted since is known. */
    CU_ASSERT_EQUAL(mt_counter_delta(5000, 300, 64), 300);
    CU_ASSERT_EQUAL(mt_counter_delta(UINT64_MAX - 1, 2, 64), 2);
    /* Not a value a 32-bit counter holds: a restart, not a wrap. */
    CU_ASSERT_EQUAL(mt_counter_delta(1ull << 40, 9, 32), 9);
}

static void test_cpu_spin_idle_capped(void)
{
    uint64_t spin0[] = { 10 * S }, spin1[] = { 12 * S };
    uint64_t idle0[] = { 3 * S }, idle1[] = { 3 * S + 20000000 };
    uint64_t cap0[] = { 1 * S }, cap1[] = { 1 * S + S / 2 };
    struct mt_cpu_sample a, b;

    a = at(100 * S, 10 * S, 1, spin0);
    b = at(102 * S, 12 * S, 1, spin1);
    NEAR(mt_cpu_pct(&a, &b), 100.0);
    a = at(100 * S, 0, 1, idle0);
    b = at(102 * S, 0, 1, idle1);
    NEAR(mt_cpu_pct(&a, &b), 1.0);
    a = at(100 * S, 0, 1, cap0);
    b = at(102 * S, 0, 1, cap1);
    NEAR(mt_cpu_pct(&a, &b), 25.0);
}

static void test_cpu_first_and_still_clock(void)
{
    uint64_t v[] = { 5 * S };
    struct mt_cpu_sample a = at(7 * S, 5 * S, 1, v);

    /* xentop's first batch sample is 0.0 */
    NEAR(mt_cpu_pct(NULL, &a), 0.0);
    NEAR(mt_cpu_pct(&a, &a), 0.0);
}

static void test_cpu_two_vcpus_sum(void)
{
    uint64_t v0[] = { 1 * S, 1 * S }, v1[] = { 2 * S, 1 * S + S / 2 };
    struct mt_cpu_sample a = at(0, 0, 2, v0), b = at(S, 0, 2, v1);

    NEAR(mt_cpu_pct(&a, &b), 150.0);
}

static void test_cpu_clamped_per_vcpu(void)
{
    /* Read 3 ms after the clock: a vCPU cannot have run 1.003 s in 1 s. */
    uint64_t v0[] = { 0, 0 }, v1[] = { S + 3000000, S / 2 };
    struct mt_cpu_sample a = at(0, 0, 2, v0), b = at(S, 0, 2, v1);

    NEAR(mt_cpu_pct(&a, &b), 150.0);
}

static void test_cpu_hotplug_appears(void)
{
    /* vCPU 1 created between the samples: it counts from zero. */
    uint64_t v0[] = { 4 * S }, v1[] = { 5 * S, S / 4 };
    struct mt_cpu_sample a = at(10 * S, 0, 1, v0), b = at(11 * S, 0, 2, v1);

    NEAR(mt_cpu_pct(&a, &b), 125.0);
    /* One that did not answer last time counts the same way, clamped. */
    uint64_t w0[] = { 4 * S, MT_VCPU_ABSENT }, w1[] = { 5 * S, 9 * S };
    a = at(10 * S, 0, 2, w0);
    b = at(11 * S, 0, 2, w1);
    NEAR(mt_cpu_pct(&a, &b), 200.0);
}

static void test_cpu_hotplug_disappears(void)
{
    uint64_t v0[] = { 4 * S, 2 * S }, v1[] = { 4 * S + S / 2 };
    uint64_t w1[] = { 4 * S + S / 2, MT_VCPU_ABSENT };
    struct mt_cpu_sample a = at(0, 0, 2, v0), b = at(S, 0, 1, v1);

    NEAR(mt_cpu_pct(&a, &b), 50.0);
    b = at(S, 0, 2, w1);
    NEAR(mt_cpu_pct(&a, &b), 50.0);
}

static void test_cpu_domain_total_fallback(void)
{
    struct mt_cpu_sample a = at(0, 3 * S, 0, NULL), b = at(2 * S, 4 * S, 0, NULL);

    NEAR(mt_cpu_pct(&a, &b), 50.0);
    /* The total going backwards (a restarted count) is taken from zero. */
    b = at(2 * S, S / 10, 0, NULL);
    NEAR(mt_cpu_pct(&a, &b), 5.0);
}

static void test_rate(void)
{
    NEAR(mt_rate(3000, 2 * S), 1500.0);
    NEAR(mt_rate(3000, 0), 0.0);
    NEAR(mt_rate(mt_counter_delta(0xffffff00u, 0x100, 32), S / 2), 1024.0);
}

static void test_hist_ring(void)
{
    struct mt_hist h;
    unsigned int i;

    memset(&h, 0, sizeof(h));
    mt_hist_push(&h, 1.0);
    mt_hist_push(&h, 2.0);
    CU_ASSERT_EQUAL(h.len, 2);
    NEAR(mt_hist_get(&h, 0), 2.0);
    NEAR(mt_hist_get(&h, 1), 1.0);
    for (i = 0; i < MT_HIST_LEN + 5; i++)
        mt_hist_push(&h, (double)i);
    CU_ASSERT_EQUAL(h.len, MT_HIST_LEN);
    NEAR(mt_hist_get(&h, 0), MT_HIST_LEN + 4);
    NEAR(mt_hist_get(&h, MT_HIST_LEN - 1), 5.0);
}

static void test_sparkline(void)
{
    struct mt_hist h;
    char out[9];

    memset(&h, 0, sizeof(h));
    mt_sparkline(&h, 100, out, 8);
    CU_ASSERT_STRING_EQUAL(out, "        ");
    mt_hist_push(&h, 0);
    mt_hist_push(&h, 2);
    mt_hist_push(&h, 50);
    mt_hist_push(&h, 100);
    mt_hist_push(&h, 130);
    mt_sparkline(&h, 100, out, 8);
    CU_ASSERT_STRING_EQUAL(out, "    _=##");
    /* Narrower than the history: only the newest. */
    mt_sparkline(&h, 100, out, 2);
    CU_ASSERT_STRING_EQUAL(out, "##");
    /* Two vCPUs' worth of scale: 100% is half way. */
    mt_sparkline(&h, 200, out, 3);
    CU_ASSERT_STRING_EQUAL(out, "-=+");
}

static const struct unit_test sample_tests[] = {
    UNIT_TEST(test_counter_delta),
    UNIT_TEST(test_cpu_spin_idle_capped),
    UNIT_TEST(test_cpu_first_and_still_clock),
    UNIT_TEST(test_cpu_two_vcpus_sum),
    UNIT_TEST(test_cpu_clamped_per_vcpu),
    UNIT_TEST(test_cpu_hotplug_appears),
    UNIT_TEST(test_cpu_hotplug_disappears),
    UNIT_TEST(test_cpu_domain_total_fallback),
    UNIT_TEST(test_rate),
    UNIT_TEST(test_hist_ring),
    UNIT_TEST(test_sparkline),
    UNIT_END,
};
UNIT_SUITE(micatop_sample, NULL, NULL, sample_tests);
