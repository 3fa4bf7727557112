/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/consoled/test-ratelimit.c - xenconsoled's 30 events per
 * 200 ms, then masked until the period ends.
 */
#include "cunit-runner.h"
#include "ratelimit.h"

static void allows_limit_then_masks(void)
{
    struct ratelimit r;
    unsigned int allowed = 0;

    ratelimit_init(&r, RATELIMIT_EVENTS, RATELIMIT_PERIOD_MS);
    for (int i = 0; i < 100; i++)
        allowed += ratelimit_event(&r, 1000 + i / 10);
    CU_ASSERT_EQUAL(allowed, 30);
    CU_ASSERT_EQUAL(ratelimit_resume_at(&r), 1200);
}

static void new_period_resets(void)
{
    struct ratelimit r;

    ratelimit_init(&r, 3, 200);
    CU_ASSERT_TRUE(ratelimit_event(&r, 50));
    CU_ASSERT_TRUE(ratelimit_event(&r, 60));
    CU_ASSERT_TRUE(ratelimit_event(&r, 70));
    CU_ASSERT_FALSE(ratelimit_event(&r, 249));
    CU_ASSERT_EQUAL(ratelimit_resume_at(&r), 250);
    /* At the end of the period the count starts again. */
    CU_ASSERT_TRUE(ratelimit_event(&r, 250));
    CU_ASSERT_EQUAL(ratelimit_resume_at(&r), 450);
}

/* A slow, steady console is never masked. */
static void steady_never_masked(void)
{
    struct ratelimit r;
    bool all = true;

    ratelimit_init(&r, RATELIMIT_EVENTS, RATELIMIT_PERIOD_MS);
    for (uint64_t t = 0; t < 100000; t += 10)
        all &= ratelimit_event(&r, t);
    CU_ASSERT_TRUE(all);
}

static void clock_backwards(void)
{
    struct ratelimit r;

    ratelimit_init(&r, 1, 200);
    CU_ASSERT_TRUE(ratelimit_event(&r, 5000));
    CU_ASSERT_FALSE(ratelimit_event(&r, 5001));
    CU_ASSERT_TRUE(ratelimit_event(&r, 10));
    CU_ASSERT_EQUAL(ratelimit_resume_at(&r), 210);
}

static const struct unit_test ratelimit_tests[] = {
    UNIT_TEST(allows_limit_then_masks),
    UNIT_TEST(new_period_resets),
    UNIT_TEST(steady_never_masked),
    UNIT_TEST(clock_backwards),
    UNIT_END
};
UNIT_SUITE(consoled_ratelimit, NULL, NULL, ratelimit_tests)
