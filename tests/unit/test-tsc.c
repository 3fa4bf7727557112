/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test-tsc.c - tsc_khz_same (mica/time.h): which TSC rates a
 * restore takes as this host's.  Two QEMU machines on one host calibrated
 * 2096003 and 2096045 kHz (20 ppm apart); a migration between them must
 * be taken, one between a 2.1 and a 2.4 GHz machine refused.
 */
#include <mica/time.h>
#include "cunit-runner.h"

static void test_same_rate(void)
{
    CU_ASSERT_TRUE(tsc_khz_same(2096003, 2096003));
    CU_ASSERT_TRUE(tsc_khz_same(2096003, 2096045));     /* both ways */
    CU_ASSERT_TRUE(tsc_khz_same(2096045, 2096003));
}

static void test_tolerance_edge(void)
{
    /* TSC_SAME_PPM of 2,000,000 kHz is 2000 kHz. */
    CU_ASSERT_TRUE(tsc_khz_same(2002000, 2000000));
    CU_ASSERT_TRUE(tsc_khz_same(1998000, 2000000));
    CU_ASSERT_FALSE(tsc_khz_same(2002001, 2000000));
    CU_ASSERT_FALSE(tsc_khz_same(1997999, 2000000));
}

static void test_other_machines(void)
{
    CU_ASSERT_FALSE(tsc_khz_same(2100000, 2400000));
    CU_ASSERT_FALSE(tsc_khz_same(4000000000u, 1000));   /* no overflow */
    CU_ASSERT_FALSE(tsc_khz_same(1, 0));
}

static const struct unit_test tests[] = {
    UNIT_TEST(test_same_rate),
    UNIT_TEST(test_tolerance_edge),
    UNIT_TEST(test_other_machines),
    UNIT_END
};
UNIT_SUITE(tsc, NULL, NULL, tests)
