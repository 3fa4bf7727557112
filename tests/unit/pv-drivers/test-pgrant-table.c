/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/pv-drivers/test-pgrant-table.c - blkback's persistent-grant
 * table: what was added is found, the bound holds whatever refs the front
 * end picks, and draining hands back every page once.
 */
#include <errno.h>
#include <stdint.h>
#include "cunit-runner.h"
#include "pgrant-table.h"

static char pages[64][1];

static void add_find(void)
{
    struct pgrant_table t;

    CU_ASSERT_EQUAL_FATAL(pgrant_table_init(&t, 8), 0);
    CU_ASSERT_PTR_NULL(pgrant_find(&t, 5));
    CU_ASSERT_EQUAL(pgrant_add(&t, 5, pages[0]), 0);
    CU_ASSERT_EQUAL(pgrant_add(&t, 0, pages[1]), 0);        /* ref 0 is a ref too */
    CU_ASSERT_EQUAL(pgrant_add(&t, UINT32_MAX, pages[2]), 0);
    CU_ASSERT_PTR_EQUAL(pgrant_find(&t, 5), pages[0]);
    CU_ASSERT_PTR_EQUAL(pgrant_find(&t, 0), pages[1]);
    CU_ASSERT_PTR_EQUAL(pgrant_find(&t, UINT32_MAX), pages[2]);
    CU_ASSERT_PTR_NULL(pgrant_find(&t, 6));
    CU_ASSERT_EQUAL(pgrant_add(&t, 5, pages[3]), -EEXIST);
    CU_ASSERT_PTR_EQUAL(pgrant_find(&t, 5), pages[0]);
    CU_ASSERT_EQUAL(pgrant_add(&t, 7, NULL), -EINVAL);
    pgrant_table_free(&t);
}

/* Refs that all hash near each other, and more of them than the bound. */
static void bounded(void)
{
    struct pgrant_table t;
    unsigned int added = 0;

    CU_ASSERT_EQUAL_FATAL(pgrant_table_init(&t, 32), 0);
    for (uint32_t i = 0; i < 64; i++) {
        int rc = pgrant_add(&t, i << 20, pages[i]);

        CU_ASSERT(rc == 0 || (rc == -ENOSPC && added == 32));
        added += rc == 0;
    }
    CU_ASSERT_EQUAL(added, 32);
    CU_ASSERT_EQUAL(t.n, 32);
    for (uint32_t i = 0; i < 64; i++)
        CU_ASSERT_PTR_EQUAL(pgrant_find(&t, i << 20), i < 32 ? pages[i] : NULL);
    pgrant_table_free(&t);
}

static void count_page(void *page, void *arg)
{
    unsigned int *seen = arg;

    seen[(char (*)[1])page - pages]++;
}

static void drain(void)
{
    struct pgrant_table t;
    unsigned int seen[64] = { 0 };

    CU_ASSERT_EQUAL_FATAL(pgrant_table_init(&t, 16), 0);
    for (uint32_t i = 0; i < 16; i++)
        CU_ASSERT_EQUAL(pgrant_add(&t, 1000 + 3 * i, pages[i]), 0);
    pgrant_drain(&t, count_page, seen);
    for (unsigned int i = 0; i < 64; i++)
        CU_ASSERT_EQUAL(seen[i], i < 16 ? 1u : 0u);
    CU_ASSERT_EQUAL(t.n, 0);
    CU_ASSERT_PTR_NULL(pgrant_find(&t, 1000));
    CU_ASSERT_EQUAL(pgrant_add(&t, 1000, pages[20]), 0);   /* usable again */
    pgrant_table_free(&t);
    CU_ASSERT_PTR_NULL(pgrant_find(&t, 1000));
}

static const struct unit_test tests[] = {
    UNIT_TEST(add_find),
    UNIT_TEST(bounded),
    UNIT_TEST(drain),
    UNIT_END,
};
UNIT_SUITE(pgrant_table, NULL, NULL, tests)
