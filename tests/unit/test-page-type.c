/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test-page-type.c - the reference and type counting of
 * struct page_info (mm/page-type.c): every transition and every refusal,
 * with the table-validation hooks played by this file.
 */
#include <string.h>
#include <stdint.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/page.h>
#include "harness.h"
#include "cunit-runner.h"

#define NR 8
static struct page_info pages[NR];
struct page_info *frame_table = pages;
mfn_t frame_table_size = NR;

/* Two fake domains: page-type.c only compares owner pointers. */
static char dom_a, dom_b;
#define A ((struct domain *)&dom_a)
#define B ((struct domain *)&dom_b)

static int validations, invalidations, releases, flushes;
static int validate_result;
static struct page_info *validate_recurse_into;     /* re-enter during validation */

int page_validate(struct page_info *pg, unsigned int type)
{
    validations++;
    if (validate_recurse_into)
        return get_page_type(validate_recurse_into, type);
    return validate_result;
}

void page_invalidate(struct page_info *pg, unsigned int type)
{
    invalidations++;
}

void page_release(struct page_info *pg)
{
    releases++;
}

void flush_tlb_retype(const struct page_info *pg)
{
    flushes++;
}

unsigned int page_cpu(void)
{
    return 0;
}

static void reset(void)
{
    memset(pages, 0, sizeof(pages));
    for (int i = 0; i < NR; i++) {
        pages[i].owner = A;
        pages[i].count = 1;                 /* the allocation reference */
        pages[i].flags = PGC_allocated | PGC_ram;
    }
    validations = invalidations = releases = flushes = 0;
    validate_result = 0;
    validate_recurse_into = NULL;
}

static void test_get_page_ownership(void)
{
    reset();
    CU_ASSERT_TRUE(get_page(&pages[0], A));
    CU_ASSERT_EQUAL(pages[0].count, 2);
    CU_ASSERT_FALSE(get_page(&pages[0], B));            /* not B's */
    CU_ASSERT_FALSE(get_page(&pages[0], NULL));
    pages[1].flags &= ~PGC_allocated;                   /* being freed */
    CU_ASSERT_FALSE(get_page(&pages[1], A));
    pages[2].owner = NULL;                              /* hypervisor's */
    CU_ASSERT_FALSE(get_page(&pages[2], A));
    CU_ASSERT_EQUAL(pages[2].count, 1);
}

static void test_count_overflow_refused(void)
{
    reset();
    pages[0].count = PAGE_COUNT_MAX;
    CU_ASSERT_FALSE(get_page(&pages[0], A));
    CU_ASSERT_EQUAL(pages[0].count, PAGE_COUNT_MAX);
    pages[1].type = PGT_writable;
    pages[1].type_count = PAGE_COUNT_MAX;
    CU_ASSERT_EQUAL(get_page_type(&pages[1], PGT_writable), -EBUSY);
}

static void test_release_on_last_put(void)
{
    reset();
    CU_ASSERT_TRUE(get_page(&pages[0], A));
    put_page(&pages[0]);
    CU_ASSERT_EQUAL(releases, 0);
    put_page(&pages[0]);                                /* allocation ref */
    CU_ASSERT_EQUAL(releases, 1);
    CU_ASSERT_EQUAL(pages[0].count, 0);
}

static void test_validate_once(void)
{
    reset();
    CU_ASSERT_EQUAL(get_page_type(&pages[0], PGT_l1), 0);
    CU_ASSERT_EQUAL(pages[0].type, PGT_l1);
    CU_ASSERT_TRUE(pages[0].type_flags & PGT_validated);
    CU_ASSERT_EQUAL(get_page_type(&pages[0], PGT_l1), 0);
    CU_ASSERT_EQUAL(validations, 1);                    /* second use: no work */
    CU_ASSERT_EQUAL(pages[0].type_count, 2);
    put_page_type(&pages[0]);
    CU_ASSERT_EQUAL(invalidations, 0);
    put_page_type(&pages[0]);                           /* last type ref */
    CU_ASSERT_EQUAL(invalidations, 1);
    CU_ASSERT_FALSE(pages[0].type_flags & PGT_validated);
    CU_ASSERT_EQUAL(pages[0].type, PGT_l1);             /* type sticks, unvalidated */
    CU_ASSERT_EQUAL(get_page_type(&pages[0], PGT_l1), 0);
    CU_ASSERT_EQUAL(validations, 2);                    /* validated afresh */
}

static void test_type_conflicts(void)
{
    reset();
    CU_ASSERT_EQUAL(get_page_type(&pages[0], PGT_l2), 0);
    CU_ASSERT_EQUAL(get_page_type(&pages[0], PGT_writable), -EINVAL);
    CU_ASSERT_EQUAL(get_page_type(&pages[0], PGT_l1), -EINVAL);
    CU_ASSERT_EQUAL(get_page_type(&pages[0], PGT_seg_desc), -EINVAL);
    CU_ASSERT_EQUAL(pages[0].type_count, 1);
    CU_ASSERT_EQUAL(get_page_type(&pages[1], PGT_writable), 0);
    CU_ASSERT_EQUAL(get_page_type(&pages[1], PGT_l4), -EINVAL);
    CU_ASSERT_EQUAL(validations, 1);                    /* only the L2 */
}

static void test_writable_to_table_flushes(void)
{
    reset();
    CU_ASSERT_EQUAL(get_page_type(&pages[0], PGT_writable), 0);
    put_page_type(&pages[0]);
    CU_ASSERT_EQUAL(flushes, 0);
    CU_ASSERT_EQUAL(get_page_type(&pages[0], PGT_l1), 0);
    CU_ASSERT_EQUAL(flushes, 1);            /* stale writable TLB entries gone */
    put_page_type(&pages[0]);
    CU_ASSERT_EQUAL(get_page_type(&pages[0], PGT_l2), 0);
    CU_ASSERT_EQUAL(flushes, 1);            /* table to table: no flush needed */
}

static void test_validation_failure(void)
{
    reset();
    validate_result = -EBUSY;
    CU_ASSERT_EQUAL(get_page_type(&pages[0], PGT_l3), -EBUSY);
    CU_ASSERT_EQUAL(pages[0].type_count, 0);
    CU_ASSERT_EQUAL(pages[0].type, PGT_none);
    CU_ASSERT_FALSE(pages[0].type_flags & PGT_validated);
    /* get_page_and_type gives the general reference back too. */
    CU_ASSERT_EQUAL(get_page_and_type(&pages[0], A, PGT_l3), -EBUSY);
    CU_ASSERT_EQUAL(pages[0].count, 1);
    validate_result = 0;
    CU_ASSERT_EQUAL(get_page_and_type(&pages[0], A, PGT_l3), 0);
    CU_ASSERT_EQUAL(pages[0].count, 2);
    CU_ASSERT_EQUAL(get_page_and_type(&pages[0], B, PGT_l3), -EINVAL);
}

static void test_self_reference_refused(void)
{
    /* A table whose validation needs itself (as another level) fails. */
    reset();
    validate_recurse_into = &pages[0];
    CU_ASSERT_EQUAL(get_page_type(&pages[0], PGT_l2), -EINVAL);
    CU_ASSERT_EQUAL(pages[0].type_count, 0);
    CU_ASSERT_EQUAL(pages[0].type, PGT_none);
}

static void test_descriptor_pages_validated(void)
{
    reset();
    CU_ASSERT_EQUAL(get_page_type(&pages[3], PGT_seg_desc), 0);
    CU_ASSERT_EQUAL(validations, 1);
    put_page_type(&pages[3]);
    CU_ASSERT_EQUAL(invalidations, 1);
    CU_ASSERT_EQUAL(get_page_type(&pages[4], PGT_writable), 0);
    CU_ASSERT_EQUAL(validations, 1);                    /* writable: nothing to check */
    put_page_type(&pages[4]);
    CU_ASSERT_EQUAL(invalidations, 1);
}

static const struct unit_test tests[] = {
    UNIT_TEST(test_get_page_ownership),
    UNIT_TEST(test_count_overflow_refused),
    UNIT_TEST(test_release_on_last_put),
    UNIT_TEST(test_validate_once),
    UNIT_TEST(test_type_conflicts),
    UNIT_TEST(test_writable_to_table_flushes),
    UNIT_TEST(test_validation_failure),
    UNIT_TEST(test_self_reference_refused),
    UNIT_TEST(test_descriptor_pages_validated),
    UNIT_END
};
UNIT_SUITE(page_type, NULL, NULL, tests)
