/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/xenstore/test-quota.c - per-domain limits and their errors,
 * the quota table, and the outstanding-reply throttle.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cunit-runner.h"
#include "harness.h"
#include "proto.h"
#include "quota.h"
#include "xs-wire.h"

static struct xs_conn *domu(unsigned int domid)
{
    struct xs_conn *d0 = ut_conn(0, true);
    char buf[64], perm[8];
    size_t l;

    l = snprintf(buf, sizeof(buf), "/local/domain/%u", domid) + 1;
    snprintf(perm, sizeof(perm), "n%u", domid);
    CU_ASSERT_EQUAL(ut_req(d0, XS_MKDIR, 0, buf, l), 0);
    memcpy(buf + l, perm, strlen(perm) + 1);
    CU_ASSERT_EQUAL(ut_req(d0, XS_SET_PERMS, 0, buf, l + strlen(perm) + 1), 0);
    return ut_conn(domid, false);
}

static void quota_table(void)
{
    char buf[1024];

    CU_ASSERT_EQUAL(xs_quota.nodes, 1000);
    CU_ASSERT_EQUAL(xs_quota.watches, 128);
    CU_ASSERT_EQUAL(xs_quota.transactions, 10);
    CU_ASSERT_EQUAL(xs_quota.node_size, 2048);
    CU_ASSERT_EQUAL(xs_quota_parse("nodes=5"), 0);
    CU_ASSERT_EQUAL(xs_quota.nodes, 5);
    CU_ASSERT_EQUAL(xs_quota_parse("nodes=x"), -EINVAL);
    CU_ASSERT_EQUAL(xs_quota_parse("nodes"), -EINVAL);
    CU_ASSERT_EQUAL(xs_quota_parse("bogus=1"), -ENOENT);
    CU_ASSERT_EQUAL(xs_quota_parse("path-max=5000"), -EINVAL);
    CU_ASSERT(xs_quota_format(buf, sizeof(buf)) > 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "transaction-nodes"));
}

static void quota_nodes(void)
{
    struct xs_conn *d = domu(5), *d0 = ut_conn(0, true);
    char path[32];
    int i, rc = 0;

    xs_quota.nodes = 10;
    /* The home directory itself counts: 9 more fit. */
    for (i = 0; i < 9 && !rc; i++) {
        snprintf(path, sizeof(path), "n%d", i);
        rc = ut_write(d, 0, path, "v");
    }
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_EQUAL(ut_write(d, 0, "one-more", "v"), -ENOSPC);
    /* Rewriting an existing node needs no new node. */
    CU_ASSERT_EQUAL(ut_write(d, 0, "n0", "w"), 0);
    CU_ASSERT_EQUAL(UT(d, XS_RM, 0, "n0"), 0);
    CU_ASSERT_EQUAL(ut_write(d, 0, "one-more", "v"), 0);
    /* dom0 is exempt. */
    CU_ASSERT_EQUAL(ut_write(d0, 0, "/local/domain/5/by-dom0", "v"), 0);
}

static void quota_node_size(void)
{
    struct xs_conn *d = domu(6), *d0 = ut_conn(0, true);
    char buf[3100];

    memset(buf, 'a', sizeof(buf));
    memcpy(buf, "big", 4);
    CU_ASSERT_EQUAL(ut_req(d, XS_WRITE, 0, buf, 4 + 2000), 0);
    CU_ASSERT_EQUAL(ut_req(d, XS_WRITE, 0, buf, 4 + 2100), -ENOSPC);
    memcpy(buf, "/big", 5);
    CU_ASSERT_EQUAL(ut_req(d0, XS_WRITE, 0, buf, 5 + 3000), 0);
}

static void quota_watches_and_transactions(void)
{
    struct xs_conn *d = domu(7);
    char buf[32];
    int i, rc = 0;

    xs_quota.watches = 3;
    xs_quota.transactions = 2;
    for (i = 0; i < 3 && !rc; i++) {
        size_t l = snprintf(buf, sizeof(buf), "w%d", i) + 1;

        buf[l] = 't';
        buf[l + 1] = '\0';
        rc = ut_req(d, XS_WATCH, 0, buf, l + 2);
    }
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_EQUAL(UT(d, XS_WATCH, 0, "w9\0t"), -E2BIG);
    CU_ASSERT_EQUAL(UT(d, XS_TRANSACTION_START, 0, ""), 0);
    CU_ASSERT_EQUAL(UT(d, XS_TRANSACTION_START, 0, ""), 0);
    CU_ASSERT_EQUAL(UT(d, XS_TRANSACTION_START, 0, ""), -ENOSPC);
}

static void quota_transaction_nodes_and_perms(void)
{
    struct xs_conn *d = domu(8);
    char path[32];
    uint32_t tx;
    int i, rc = 0;

    xs_quota.tx_nodes = 4;
    CU_ASSERT_EQUAL(UT(d, XS_TRANSACTION_START, 0, ""), 0);
    tx = strtoul(ut_reply, NULL, 10);
    for (i = 0; i < 8 && !rc; i++) {
        snprintf(path, sizeof(path), "x%d", i);
        rc = ut_read(d, tx, path);
        if (rc == -ENOENT)
            rc = 0;
    }
    CU_ASSERT_EQUAL(rc, -ENOSPC);
    CU_ASSERT_EQUAL(ut_write(d, 0, "p", "v"), 0);
    CU_ASSERT_EQUAL(UT(d, XS_SET_PERMS, 0, "p\0n8\0r1\0r2\0r3\0r4\0r5"),
                    -ENOSPC);
    CU_ASSERT_EQUAL(UT(d, XS_SET_PERMS, 0, "p\0n8\0r1\0r2\0r3\0r4"), 0);
}

static void quota_outstanding_throttle(void)
{
    struct xs_conn *d = domu(9), *d0 = ut_conn(0, true);
    struct xsd_sockmsg hdr = { XS_READ, 0, 0, 2 };
    unsigned int i;

    /* Replies the peer does not consume stop further reads from it. */
    for (i = 0; i < xs_quota.outstanding; i++) {
        CU_ASSERT(xs_conn_can_read(d));
        xs_proto_handle(d, &hdr, "/");
    }
    CU_ASSERT(!xs_conn_can_read(d));
    CU_ASSERT(xs_conn_can_read(d0));
    free(xs_conn_pop(d));
    CU_ASSERT(xs_conn_can_read(d));
}

static const struct unit_test quota_tests[] = {
    UNIT_TEST(quota_table),
    UNIT_TEST(quota_nodes),
    UNIT_TEST(quota_node_size),
    UNIT_TEST(quota_watches_and_transactions),
    UNIT_TEST(quota_transaction_nodes_and_perms),
    UNIT_TEST(quota_outstanding_throttle),
    UNIT_END
};
UNIT_SUITE(xs_quotas, ut_setup, ut_teardown, quota_tests)
