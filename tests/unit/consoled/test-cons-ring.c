/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/consoled/test-cons-ring.c - the console page's rings with
 * honest and hostile indices, wrapping at the ring's end.
 */
#include <errno.h>
#include <string.h>
#include "cunit-runner.h"
#include "cons-ring.h"

static struct xencons_interface page;

static int ring_reset(void)
{
    memset(&page, 0, sizeof(page));
    return 0;
}

/* The guest's side: append to out[] as hvc_xen does. */
static void guest_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        page.out[MASK_XENCONS_IDX(page.out_prod + i, page.out)] = s[i];
    page.out_prod += n;
}

static void take_empty(void)
{
    char buf[16];

    ring_reset();
    CU_ASSERT_EQUAL(cons_ring_take(&page, buf, sizeof(buf)), 0);
    CU_ASSERT_EQUAL(page.out_cons, 0);
}

static void take_simple(void)
{
    char buf[16] = "";

    ring_reset();
    guest_write("hello", 5);
    CU_ASSERT_EQUAL(cons_ring_take(&page, buf, sizeof(buf)), 5);
    CU_ASSERT_NSTRING_EQUAL(buf, "hello", 5);
    CU_ASSERT_EQUAL(page.out_cons, 5);
    CU_ASSERT_EQUAL(cons_ring_take(&page, buf, sizeof(buf)), 0);
}

static void take_short_buffer(void)
{
    char buf[3];

    ring_reset();
    guest_write("abcdef", 6);
    CU_ASSERT_EQUAL(cons_ring_take(&page, buf, sizeof(buf)), 3);
    CU_ASSERT_NSTRING_EQUAL(buf, "abc", 3);
    CU_ASSERT_EQUAL(cons_ring_take(&page, buf, sizeof(buf)), 3);
    CU_ASSERT_NSTRING_EQUAL(buf, "def", 3);
    CU_ASSERT_EQUAL(page.out_cons, 6);
}

/* Indices near 2^32 and a copy that straddles the end of out[]. */
static void take_wraps(void)
{
    char buf[32] = "";

    ring_reset();
    page.out_cons = page.out_prod = 0xfffffff0u - 2048 + 2044;
    guest_write("0123456789", 10);
    CU_ASSERT_EQUAL(cons_ring_take(&page, buf, sizeof(buf)), 10);
    CU_ASSERT_NSTRING_EQUAL(buf, "0123456789", 10);
    page.out_cons = page.out_prod = 0xfffffffcu;
    guest_write("wrap-around", 11);
    CU_ASSERT_EQUAL(page.out_prod, 7);
    CU_ASSERT_EQUAL(cons_ring_take(&page, buf, sizeof(buf)), 11);
    CU_ASSERT_NSTRING_EQUAL(buf, "wrap-around", 11);
    CU_ASSERT_EQUAL(page.out_cons, 7);
}

static void take_full_ring(void)
{
    static char want[2048], buf[4096];

    ring_reset();
    for (size_t i = 0; i < sizeof(want); i++)
        want[i] = (char)(i * 7);
    page.out_cons = page.out_prod = 100;
    guest_write(want, sizeof(want));
    CU_ASSERT_EQUAL(cons_ring_take(&page, buf, sizeof(buf)), 2048);
    CU_ASSERT_EQUAL(memcmp(buf, want, sizeof(want)), 0);
}

static void take_hostile(void)
{
    char buf[16];

    ring_reset();
    page.out_prod = 2049;
    CU_ASSERT_EQUAL(cons_ring_take(&page, buf, sizeof(buf)), -EIO);
    CU_ASSERT_EQUAL(page.out_cons, 0);
    /* prod behind cons is "4 GiB available": also hostile. */
    page.out_cons = 10;
    page.out_prod = 5;
    CU_ASSERT_EQUAL(cons_ring_take(&page, buf, sizeof(buf)), -EIO);
    CU_ASSERT_EQUAL(page.out_cons, 10);
}

static void give_obeys_space(void)
{
    char big[1500];

    ring_reset();
    memset(big, 'x', sizeof(big));
    CU_ASSERT_EQUAL(cons_ring_in_space(&page), 1024);
    CU_ASSERT_EQUAL(cons_ring_give(&page, big, sizeof(big)), 1024);
    CU_ASSERT_EQUAL(page.in_prod, 1024);
    CU_ASSERT_EQUAL(cons_ring_in_space(&page), 0);
    CU_ASSERT_EQUAL(cons_ring_give(&page, big, sizeof(big)), 0);
    page.in_cons = 1000;
    CU_ASSERT_EQUAL(cons_ring_in_space(&page), 1000);
    CU_ASSERT_EQUAL(cons_ring_give(&page, "ab", 2), 2);
    /* Written at in_prod 1024, which masks to index 0. */
    CU_ASSERT_EQUAL(page.in[0], 'a');
    CU_ASSERT_EQUAL(page.in[1], 'b');
}

static void give_wraps(void)
{
    ring_reset();
    page.in_cons = page.in_prod = 1022;
    CU_ASSERT_EQUAL(cons_ring_give(&page, "abcd", 4), 4);
    CU_ASSERT_EQUAL(page.in[1022], 'a');
    CU_ASSERT_EQUAL(page.in[1023], 'b');
    CU_ASSERT_EQUAL(page.in[0], 'c');
    CU_ASSERT_EQUAL(page.in[1], 'd');
    CU_ASSERT_EQUAL(page.in_prod, 1026);
}

static void give_hostile(void)
{
    ring_reset();
    page.in_cons = 0;
    page.in_prod = 1025;
    CU_ASSERT_EQUAL(cons_ring_in_space(&page), -EIO);
    CU_ASSERT_EQUAL(cons_ring_give(&page, "a", 1), -EIO);
    CU_ASSERT_EQUAL(page.in_prod, 1025);
    /* The guest moved in_cons past our in_prod. */
    page.in_cons = 2000;
    page.in_prod = 1000;
    CU_ASSERT_EQUAL(cons_ring_give(&page, "a", 1), -EIO);
}

static const struct unit_test ring_tests[] = {
    UNIT_TEST(take_empty),
    UNIT_TEST(take_simple),
    UNIT_TEST(take_short_buffer),
    UNIT_TEST(take_wraps),
    UNIT_TEST(take_full_ring),
    UNIT_TEST(take_hostile),
    UNIT_TEST(give_obeys_space),
    UNIT_TEST(give_wraps),
    UNIT_TEST(give_hostile),
    UNIT_END
};
UNIT_SUITE(consoled_ring, NULL, NULL, ring_tests)
