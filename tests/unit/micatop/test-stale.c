/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/micatop/test-stale.c - from a changed xenstore path to what
 * micatop reads again (stale.c): names, each kind of device, everything
 * for a change above the domains, nothing for the rest; malformed domids;
 * the marks by domain, their overflow into "everything", and clearing.
 */
#include <stdio.h>
#include <string.h>

#include "cunit-runner.h"
#include "stale.h"

static unsigned int of(const char *path, uint32_t want_domid)
{
    uint32_t domid = 12345;
    unsigned int bits = mt_stale_of_path(path, &domid);

    if (bits && !(bits & MT_STALE_ALL))
        CU_ASSERT_EQUAL(domid, want_domid);
    return bits;
}

static void test_paths(void)
{
    CU_ASSERT_EQUAL(of("/local/domain/7/name", 7), MT_STALE_NAME);
    CU_ASSERT_EQUAL(of("/local/domain/7", 7), MT_STALE_NAME);
    CU_ASSERT_EQUAL(of("/local/domain/0/name", 0), MT_STALE_NAME);
    CU_ASSERT_EQUAL(of("/local/domain/0/backend/vbd/3/51712/statistics/rd_req", 3),
                    MT_STALE_VBD);
    CU_ASSERT_EQUAL(of("/local/domain/0/backend/vbd/3", 3), MT_STALE_VBD);
    CU_ASSERT_EQUAL(of("/local/domain/0/backend/vif/12/0/statistics/tx_bytes", 12),
                    MT_STALE_VIF);
    CU_ASSERT_EQUAL(of("/local/domain", 0), MT_STALE_ALL);
    CU_ASSERT_EQUAL(of("/local/domain/0/backend", 0), MT_STALE_ALL);
    CU_ASSERT_EQUAL(of("/local/domain/0/backend/vif", 0), MT_STALE_ALL);
    /* What micatop does not show changes nothing. */
    CU_ASSERT_EQUAL(of("/local/domain/7/device/vif/0/state", 7), 0);
    CU_ASSERT_EQUAL(of("/local/domain/7/names", 7), 0);
    CU_ASSERT_EQUAL(of("/local/domain/0/backend/console/3/0", 0), 0);
    CU_ASSERT_EQUAL(of("/local/domain/0/backendx/vbd/3", 0), 0);
    /* Only dom0's back ends count: a guest's own "backend" dir is its own. */
    CU_ASSERT_EQUAL(of("/local/domain/5/backend/vbd/3/0", 0), 0);
    CU_ASSERT_EQUAL(of("/vm/abc", 0), 0);
    CU_ASSERT_EQUAL(of("/local/domainx/1", 0), 0);
    CU_ASSERT_EQUAL(of("", 0), 0);
    CU_ASSERT_EQUAL(of("@introduceDomain", 0), 0);
}

static void test_bad_domids(void)
{
    CU_ASSERT_EQUAL(of("/local/domain//name", 0), 0);
    CU_ASSERT_EQUAL(of("/local/domain/", 0), 0);
    CU_ASSERT_EQUAL(of("/local/domain/07/name", 0), 0);
    CU_ASSERT_EQUAL(of("/local/domain/-1/name", 0), 0);
    CU_ASSERT_EQUAL(of("/local/domain/1x/name", 0), 0);
    CU_ASSERT_EQUAL(of("/local/domain/2147483648", 0), 0);
    CU_ASSERT_EQUAL(of("/local/domain/99999999999/name", 0), 0);
    CU_ASSERT_EQUAL(of("/local/domain/2147483647", 2147483647u), MT_STALE_NAME);
    CU_ASSERT_EQUAL(of("/local/domain/0/backend/vbd/x1/0", 0), 0);
}

static void test_marks(void)
{
    struct mt_stale st = { 0 };

    mt_stale_mark(&st, "/local/domain/4/name");
    mt_stale_mark(&st, "/local/domain/0/backend/vif/4/0/statistics/rx_bytes");
    mt_stale_mark(&st, "/local/domain/0/backend/vbd/9/768/statistics/wr_req");
    mt_stale_mark(&st, "/local/domain/9/device/vbd/768/state");
    CU_ASSERT_FALSE(st.all);
    CU_ASSERT_EQUAL(mt_stale_get(&st, 4), MT_STALE_NAME | MT_STALE_VIF);
    CU_ASSERT_EQUAL(mt_stale_get(&st, 9), MT_STALE_VBD);
    CU_ASSERT_EQUAL(mt_stale_get(&st, 5), 0);
    mt_stale_clear(&st);
    CU_ASSERT_EQUAL(mt_stale_get(&st, 4), 0);
    mt_stale_mark(&st, "/local/domain");
    CU_ASSERT_TRUE(st.all);
    CU_ASSERT_EQUAL(mt_stale_get(&st, 77), MT_STALE_NAME | MT_STALE_VBD | MT_STALE_VIF);
    mt_stale_clear(&st);
    CU_ASSERT_FALSE(st.all);
    mt_stale_free(&st);
}

static void test_overflow(void)
{
    struct mt_stale st = { 0 };
    char path[64];
    unsigned int i;

    for (i = 0; i < MT_STALE_MAX; i++) {
        snprintf(path, sizeof(path), "/local/domain/%u/name", i + 1);
        mt_stale_mark(&st, path);
    }
    CU_ASSERT_FALSE(st.all);
    CU_ASSERT_EQUAL(mt_stale_get(&st, MT_STALE_MAX), MT_STALE_NAME);
    /* A domain already marked takes no room; a new one is one too many. */
    mt_stale_mark(&st, "/local/domain/1/name");
    CU_ASSERT_FALSE(st.all);
    mt_stale_mark(&st, "/local/domain/100000/name");
    CU_ASSERT_TRUE(st.all);
    mt_stale_free(&st);
}

static const struct unit_test stale_tests[] = {
    UNIT_TEST(test_paths),
    UNIT_TEST(test_bad_domids),
    UNIT_TEST(test_marks),
    UNIT_TEST(test_overflow),
    UNIT_END,
};
UNIT_SUITE(micatop_stale, NULL, NULL, stale_tests);
