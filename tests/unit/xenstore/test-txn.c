/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/xenstore/test-txn.c - transactions: isolation, commit,
 * abort, conflicts, removal inside a transaction, ids and limits.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cunit-runner.h"
#include "harness.h"
#include "tree.h"
#include "xs-wire.h"

static uint32_t start(struct xs_conn *c)
{
    CU_ASSERT_EQUAL_FATAL(UT(c, XS_TRANSACTION_START, 0, ""), 0);
    return strtoul(ut_reply, NULL, 10);
}

static void txn_isolation_and_commit(void)
{
    struct xs_conn *a = ut_conn(0, true), *b = ut_conn(0, true);
    uint32_t tx;

    CU_ASSERT_EQUAL(ut_write(a, 0, "/t/k", "old"), 0);
    tx = start(a);
    CU_ASSERT(tx != 0);
    CU_ASSERT_EQUAL(ut_write(a, tx, "/t/k", "new"), 0);
    CU_ASSERT_EQUAL(ut_write(a, tx, "/t/n/deep", "d"), 0);
    CU_ASSERT_EQUAL(ut_read(a, tx, "/t/k"), 0);
    CU_ASSERT_STRING_EQUAL(ut_reply, "new");
    CU_ASSERT_EQUAL(ut_read(b, 0, "/t/k"), 0);
    CU_ASSERT_STRING_EQUAL(ut_reply, "old");
    CU_ASSERT_EQUAL(ut_read(b, 0, "/t/n/deep"), -ENOENT);
    CU_ASSERT_EQUAL(UT(a, XS_DIRECTORY, tx, "/t"), 0);
    CU_ASSERT_EQUAL(ut_rlen, 4);
    CU_ASSERT_EQUAL(UT(a, XS_TRANSACTION_END, tx, "T"), 0);
    CU_ASSERT_EQUAL(ut_read(b, 0, "/t/k"), 0);
    CU_ASSERT_STRING_EQUAL(ut_reply, "new");
    CU_ASSERT_EQUAL(ut_read(b, 0, "/t/n/deep"), 0);
    CU_ASSERT_EQUAL(xs_tree_check(), 0);
    /* The id is gone after END. */
    CU_ASSERT_EQUAL(UT(a, XS_TRANSACTION_END, tx, "T"), -ENOENT);
}

static void txn_abort(void)
{
    struct xs_conn *a = ut_conn(0, true);
    uint32_t tx = start(a);

    CU_ASSERT_EQUAL(ut_write(a, tx, "/ab/x", "1"), 0);
    CU_ASSERT_EQUAL(UT(a, XS_TRANSACTION_END, tx, "F"), 0);
    CU_ASSERT_EQUAL(ut_read(a, 0, "/ab/x"), -ENOENT);
    CU_ASSERT_EQUAL(ut_read(a, 0, "/ab"), -ENOENT);
}

static void txn_conflict_eagain(void)
{
    struct xs_conn *a = ut_conn(0, true), *b = ut_conn(0, true);
    uint32_t tx;

    CU_ASSERT_EQUAL(ut_write(a, 0, "/c/k", "1"), 0);
    tx = start(a);
    CU_ASSERT_EQUAL(ut_read(a, tx, "/c/k"), 0);
    CU_ASSERT_EQUAL(ut_write(a, tx, "/c/other", "x"), 0);
    CU_ASSERT_EQUAL(ut_write(b, 0, "/c/k", "2"), 0);
    CU_ASSERT_EQUAL(UT(a, XS_TRANSACTION_END, tx, "T"), -EAGAIN);
    /* A failed commit changes nothing. */
    CU_ASSERT_EQUAL(ut_read(b, 0, "/c/other"), -ENOENT);
    /* Creation of something the transaction saw as absent conflicts too. */
    tx = start(a);
    CU_ASSERT_EQUAL(ut_read(a, tx, "/c/new"), -ENOENT);
    CU_ASSERT_EQUAL(ut_write(b, 0, "/c/new", "b"), 0);
    CU_ASSERT_EQUAL(UT(a, XS_TRANSACTION_END, tx, "T"), -EAGAIN);
    /* Untouched nodes do not conflict. */
    tx = start(a);
    CU_ASSERT_EQUAL(ut_write(a, tx, "/c/k", "3"), 0);
    CU_ASSERT_EQUAL(ut_write(b, 0, "/elsewhere", "b"), 0);
    CU_ASSERT_EQUAL(UT(a, XS_TRANSACTION_END, tx, "T"), 0);
}

static void txn_remove_and_recreate(void)
{
    struct xs_conn *a = ut_conn(0, true);
    uint32_t tx;

    CU_ASSERT_EQUAL(ut_write(a, 0, "/r/a/b/c", "1"), 0);
    CU_ASSERT_EQUAL(ut_write(a, 0, "/r/a/d", "2"), 0);
    tx = start(a);
    CU_ASSERT_EQUAL(UT(a, XS_RM, tx, "/r/a"), 0);
    CU_ASSERT_EQUAL(ut_read(a, tx, "/r/a/b/c"), -ENOENT);
    CU_ASSERT_EQUAL(ut_write(a, tx, "/r/a/e", "3"), 0);
    CU_ASSERT_EQUAL(ut_read(a, tx, "/r/a/d"), -ENOENT);
    CU_ASSERT_EQUAL(ut_read(a, 0, "/r/a/d"), 0);
    CU_ASSERT_EQUAL(UT(a, XS_TRANSACTION_END, tx, "T"), 0);
    CU_ASSERT_EQUAL(ut_read(a, 0, "/r/a/d"), -ENOENT);
    CU_ASSERT_EQUAL(ut_read(a, 0, "/r/a/b"), -ENOENT);
    CU_ASSERT_EQUAL(ut_read(a, 0, "/r/a/e"), 0);
    CU_ASSERT_EQUAL(UT(a, XS_DIRECTORY, 0, "/r/a"), 0);
    CU_ASSERT_EQUAL(ut_rlen, 2);
    CU_ASSERT_EQUAL(xs_tree_check(), 0);
}

static void txn_events_on_commit_only(void)
{
    struct xs_conn *a = ut_conn(0, true), *w = ut_conn(0, true);
    char p[256], t[64];
    uint32_t tx;

    CU_ASSERT_EQUAL(UT(w, XS_WATCH, 0, "/ev\0tok"), 0);
    ut_drop_events(w);
    tx = start(a);
    CU_ASSERT_EQUAL(ut_write(a, tx, "/ev/x", "1"), 0);
    CU_ASSERT_EQUAL(ut_nr_events(w), 0);
    CU_ASSERT_EQUAL(UT(a, XS_TRANSACTION_END, tx, "T"), 0);
    CU_ASSERT_EQUAL(ut_event(w, p, t), 0);
    CU_ASSERT_STRING_EQUAL(p, "/ev/x");
    tx = start(a);
    CU_ASSERT_EQUAL(ut_write(a, tx, "/ev/y", "1"), 0);
    CU_ASSERT_EQUAL(UT(a, XS_TRANSACTION_END, tx, "F"), 0);
    CU_ASSERT_EQUAL(ut_nr_events(w), 0);
}

static void txn_ids_and_errors(void)
{
    struct xs_conn *a = ut_conn(0, true);
    uint32_t t1 = start(a), t2 = start(a);

    CU_ASSERT_EQUAL(t1, 1);
    CU_ASSERT_EQUAL(t2, 2);
    CU_ASSERT_EQUAL(UT(a, XS_TRANSACTION_START, t1, ""), -EBUSY);
    CU_ASSERT_EQUAL(UT(a, XS_TRANSACTION_END, t1, "maybe"), -EINVAL);
    CU_ASSERT_EQUAL(ut_read(a, 99, "/"), -ENOENT);
    CU_ASSERT_EQUAL(UT(a, XS_RESET_WATCHES, 0, ""), 0);
    CU_ASSERT_EQUAL(UT(a, XS_TRANSACTION_END, t1, "T"), -ENOENT);
}

static void txn_connection_gone_no_residue(void)
{
    struct xs_conn *a = ut_conn(0, true), *b = ut_conn(0, true);
    size_t nodes = xs_tree_count();
    uint32_t tx = start(a);

    CU_ASSERT_EQUAL(ut_write(a, tx, "/gone/x/y", "1"), 0);
    xs_conn_free(a);
    CU_ASSERT_EQUAL(xs_tree_count(), nodes);
    CU_ASSERT_EQUAL(ut_read(b, 0, "/gone"), -ENOENT);
}

static const struct unit_test txn_tests[] = {
    UNIT_TEST(txn_isolation_and_commit),
    UNIT_TEST(txn_abort),
    UNIT_TEST(txn_conflict_eagain),
    UNIT_TEST(txn_remove_and_recreate),
    UNIT_TEST(txn_events_on_commit_only),
    UNIT_TEST(txn_ids_and_errors),
    UNIT_TEST(txn_connection_gone_no_residue),
    UNIT_END
};
UNIT_SUITE(xs_transactions, ut_setup, ut_teardown, txn_tests)
