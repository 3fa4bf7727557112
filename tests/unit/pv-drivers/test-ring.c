/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/pv-drivers/test-ring.c - the shared-ring helpers against
 * rings laid out in host memory, with indices near the u32 wrap.
 */
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "cunit-runner.h"
#include "ring.h"

static uint8_t page[4 * 4096] __attribute__((aligned(4096)));

static struct ring_back attach(size_t bytes, uint32_t start)
{
    struct ring_back r;

    memset(page, 0, sizeof(page));
    CU_ASSERT_EQUAL(ring_back_init(&r, page, bytes, 112), 0);
    r.sh->req_prod = r.sh->rsp_prod = start;
    r.sh->req_event = r.sh->rsp_event = start + 1;
    r.req_cons = r.rsp_prod_pvt = start;
    return r;
}

static void entries_are_blkif_sizes(void)
{
    CU_ASSERT_EQUAL(ring_entries(4096, 112), 32);
    CU_ASSERT_EQUAL(ring_entries(2 * 4096, 112), 64);
    CU_ASSERT_EQUAL(ring_entries(4 * 4096, 112), 128);
    CU_ASSERT_EQUAL(ring_entries(16 * 4096, 112), 512);
    CU_ASSERT_EQUAL(ring_entries(64, 112), 0);
    CU_ASSERT_EQUAL(ring_entries(100, 112), 0);
    CU_ASSERT_EQUAL(ring_entries(4096, 0), 0);
    CU_ASSERT_EQUAL(ring_entries(64 + 112 * 3, 112), 2);
}

static void ready_counts_across_wrap(void)
{
    struct ring_back r = attach(4096, 0xfffffff0u);

    CU_ASSERT_EQUAL(ring_requests_ready(&r), 0);
    r.sh->req_prod = 0xfffffff0u + 20;  /* wraps past zero */
    CU_ASSERT_EQUAL(ring_requests_ready(&r), 20);
    r.req_cons += 20;
    CU_ASSERT_EQUAL(ring_requests_ready(&r), 0);
}

static void overflow_is_refused(void)
{
    struct ring_back r = attach(4096, 7);

    r.sh->req_prod = 7 + 32;
    CU_ASSERT_EQUAL(ring_requests_ready(&r), 32);
    r.sh->req_prod = 7 + 33;
    CU_ASSERT_EQUAL(ring_requests_ready(&r), -EIO);
    /* consumed but unanswered requests count against the front end too */
    r.req_cons = 7 + 20;
    r.sh->req_prod = 7 + 34;
    CU_ASSERT_EQUAL(ring_requests_ready(&r), -EIO);
    r.rsp_prod_pvt = 7 + 20;
    CU_ASSERT_EQUAL(ring_requests_ready(&r), 14);
    /* a producer behind our consumer is a lie as well */
    r.sh->req_prod = 7 + 10;
    CU_ASSERT_EQUAL(ring_requests_ready(&r), -EIO);
}

static void slots_wrap_modulo_size(void)
{
    struct ring_back r = attach(4096, 0);

    CU_ASSERT_PTR_EQUAL(ring_slot(&r, 0), page + 64);
    CU_ASSERT_PTR_EQUAL(ring_slot(&r, 33), page + 64 + 112);
    CU_ASSERT_PTR_EQUAL(ring_slot(&r, 0xffffffffu), page + 64 + 31 * 112);
}

static void push_notifies_only_when_asked(void)
{
    struct ring_back r = attach(4096, 100);

    r.sh->rsp_event = 101;
    r.rsp_prod_pvt = 101;
    CU_ASSERT_TRUE(ring_push_responses(&r));
    CU_ASSERT_EQUAL(r.sh->rsp_prod, 101);
    /* front end not waiting for anything before 200 */
    r.sh->rsp_event = 200;
    r.rsp_prod_pvt = 105;
    CU_ASSERT_FALSE(ring_push_responses(&r));
    /* a batch that passes the event notifies once */
    r.rsp_prod_pvt = 201;
    CU_ASSERT_TRUE(ring_push_responses(&r));
    r.rsp_prod_pvt = 201;
    CU_ASSERT_FALSE(ring_push_responses(&r));
}

static void final_check_arms_event(void)
{
    struct ring_back r = attach(4096, 0xfffffffeu);

    CU_ASSERT_EQUAL(ring_final_check(&r), 0);
    CU_ASSERT_EQUAL(r.sh->req_event, 0xffffffffu);
    r.sh->req_prod += 2;
    CU_ASSERT_EQUAL(ring_final_check(&r), 2);
    CU_ASSERT_TRUE(ring_crossed(0xfffffffeu, 0, 0xffffffffu));
    CU_ASSERT_FALSE(ring_crossed(5, 6, 7));
}

static const struct unit_test tests[] = {
    UNIT_TEST(entries_are_blkif_sizes),
    UNIT_TEST(ready_counts_across_wrap),
    UNIT_TEST(overflow_is_refused),
    UNIT_TEST(slots_wrap_modulo_size),
    UNIT_TEST(push_notifies_only_when_asked),
    UNIT_TEST(final_check_arms_event),
    UNIT_END,
};
UNIT_SUITE(pv_ring, NULL, NULL, tests)
