/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/xenstore/test-perms.c - permission strings, access rules and
 * what each request enforces (hidden existence, ownership, SET_TARGET).
 */
#include <errno.h>
#include <string.h>
#include "cunit-runner.h"
#include "harness.h"
#include "perms.h"
#include "xs-wire.h"

static struct xs_perms *parse(const char *s, size_t len, unsigned int n)
{
    struct xs_perms *p = NULL;

    CU_ASSERT_EQUAL(xs_perms_parse(s, len, n, &p), 0);
    return p;
}

static void perms_parse_format(void)
{
    struct xs_perms *p = parse("n0\0r5\0b7\0w12", 13, 4), *q = NULL;
    char buf[64];

    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(p->num, 4);
    CU_ASSERT_EQUAL(xs_perms_owner(p), 0);
    CU_ASSERT_EQUAL(p->p[3].id, 12);
    CU_ASSERT_EQUAL(p->p[3].perm, XS_PERM_WRITE);
    CU_ASSERT_EQUAL(xs_perms_format(p, buf, sizeof(buf)), 13);
    CU_ASSERT_EQUAL(memcmp(buf, "n0\0r5\0b7\0w12", 13), 0);
    xs_perms_put(p);
    CU_ASSERT_EQUAL(xs_perms_parse("x1", 3, 1, &q), -EINVAL);
    CU_ASSERT_EQUAL(xs_perms_parse("r", 2, 1, &q), -EINVAL);
    CU_ASSERT_EQUAL(xs_perms_parse("r1x", 4, 1, &q), -EINVAL);
    CU_ASSERT_EQUAL(xs_perms_parse("r99999", 7, 1, &q), -EINVAL);
    CU_ASSERT_EQUAL(xs_perms_parse("", 1, 0, &q), -EINVAL);
}

static void perms_rules(void)
{
    struct xs_perms *p = parse("r3\0n5\0w6", 9, 3);
    struct xs_who dom0 = { 0, XS_DOMID_INVALID, true };
    struct xs_who owner = { 3, XS_DOMID_INVALID, false };
    struct xs_who d5 = { 5, XS_DOMID_INVALID, false };
    struct xs_who d6 = { 6, XS_DOMID_INVALID, false };
    struct xs_who d9 = { 9, XS_DOMID_INVALID, false };
    struct xs_who dm = { 8, 3, false };

    CU_ASSERT_EQUAL(xs_perms_for(&dom0, p), XS_PERM_ALL);
    CU_ASSERT_EQUAL(xs_perms_for(&owner, p), XS_PERM_ALL);
    CU_ASSERT_EQUAL(xs_perms_for(&d5, p), XS_PERM_NONE);
    CU_ASSERT_EQUAL(xs_perms_for(&d6, p), XS_PERM_WRITE);
    /* Nobody named: the owner entry's letter is the default. */
    CU_ASSERT_EQUAL(xs_perms_for(&d9, p), XS_PERM_READ);
    /* A device model acts with its target's rights. */
    CU_ASSERT_EQUAL(xs_perms_for(&dm, p), XS_PERM_ALL);
    xs_perms_put(p);
}

static void perms_hide_existence(void)
{
    struct xs_conn *d0 = ut_conn(0, true), *d5 = ut_conn(5, false);

    CU_ASSERT_EQUAL(ut_write(d0, 0, "/secret/a", "x"), 0);
    CU_ASSERT_EQUAL(ut_read(d5, 0, "/secret/a"), -EACCES);
    CU_ASSERT_EQUAL(ut_read(d5, 0, "/secret/none"), -EACCES);
    CU_ASSERT_EQUAL(UT(d0, XS_SET_PERMS, 0, "/secret\0n0\0r5"), 0);
    CU_ASSERT_EQUAL(ut_read(d5, 0, "/secret/none"), -ENOENT);
    CU_ASSERT_EQUAL(ut_read(d5, 0, "/secret/a"), -EACCES);
    CU_ASSERT_EQUAL(ut_write(d5, 0, "/secret/b", "x"), -EACCES);
}

static void perms_domain_creates_owned_nodes(void)
{
    struct xs_conn *d0 = ut_conn(0, true), *d5 = ut_conn(5, false);

    CU_ASSERT_EQUAL(UT(d0, XS_MKDIR, 0, "/local/domain/5/data"), 0);
    CU_ASSERT_EQUAL(UT(d0, XS_SET_PERMS, 0, "/local/domain/5/data\0n0\0b5"),
                    0);
    CU_ASSERT_EQUAL(ut_write(d5, 0, "data/a/b", "v"), 0);
    CU_ASSERT_EQUAL(UT(d0, XS_GET_PERMS, 0, "/local/domain/5/data/a/b"), 0);
    CU_ASSERT_EQUAL(ut_rlen, 6);
    CU_ASSERT_EQUAL(memcmp(ut_reply, "n5\0b5\0", 6), 0);
    /* Unprivileged callers may not give nodes away... */
    CU_ASSERT_EQUAL(UT(d5, XS_SET_PERMS, 0, "data/a\0n7"), -EPERM);
    /* ...but may change the rest, and need ownership to do so. */
    CU_ASSERT_EQUAL(UT(d5, XS_SET_PERMS, 0, "data/a\0n5\0r7"), 0);
    CU_ASSERT_EQUAL(UT(d5, XS_SET_PERMS, 0, "data\0n5"), -EACCES);
    CU_ASSERT_EQUAL(UT(d0, XS_SET_PERMS, 0, "/local/domain/5/data\0n5"), 0);
    CU_ASSERT_EQUAL(UT(d5, XS_SET_PERMS, 0, "data\0n5\0r1"), 0);
}

static void perms_priv_only_requests(void)
{
    struct xs_conn *d5 = ut_conn(5, false);

    CU_ASSERT_EQUAL(UT(d5, XS_INTRODUCE, 0, "6\0" "1\0" "2"), -EACCES);
    CU_ASSERT_EQUAL(UT(d5, XS_RELEASE, 0, "6"), -EACCES);
    CU_ASSERT_EQUAL(UT(d5, XS_SET_TARGET, 0, "6\0" "5"), -EACCES);
    CU_ASSERT_EQUAL(UT(d5, XS_CONTROL, 0, "check"), -EACCES);
    CU_ASSERT_EQUAL(UT(d5, XS_GET_DOMAIN_PATH, 0, "5"), 0);
    CU_ASSERT_STRING_EQUAL(ut_reply, "/local/domain/5");
}

static void perms_special_nodes(void)
{
    struct xs_conn *d0 = ut_conn(0, true), *d5 = ut_conn(5, false);
    char p[64], t[64];

    CU_ASSERT_EQUAL(UT(d5, XS_WATCH, 0, "@releaseDomain\0r"), 0);
    CU_ASSERT_EQUAL(ut_event(d5, p, t), 0);     /* the initial event */
    CU_ASSERT_EQUAL(UT(d0, XS_INTRODUCE, 0, "7\0" "1\0" "2"), 0);
    CU_ASSERT_EQUAL(UT(d0, XS_RELEASE, 0, "7"), 0);
    CU_ASSERT_EQUAL(ut_nr_events(d5), 0);
    CU_ASSERT_EQUAL(UT(d5, XS_SET_PERMS, 0, "@releaseDomain\0n5"), -EACCES);
    CU_ASSERT_EQUAL(UT(d0, XS_SET_PERMS, 0, "@releaseDomain\0n0\0r5"), 0);
    CU_ASSERT_EQUAL(UT(d0, XS_INTRODUCE, 0, "7\0" "1\0" "2"), 0);
    CU_ASSERT_EQUAL(UT(d0, XS_RELEASE, 0, "7"), 0);
    CU_ASSERT_EQUAL(ut_event(d5, p, t), 0);
    CU_ASSERT_STRING_EQUAL(p, "@releaseDomain");
    CU_ASSERT_EQUAL(UT(d0, XS_SET_PERMS, 0, "@other\0n0"), -EINVAL);
}

static void perms_set_target(void)
{
    struct xs_conn *d0 = ut_conn(0, true), *dm = ut_conn(8, false);

    CU_ASSERT_EQUAL(ut_write(d0, 0, "/local/domain/3/x", "v"), 0);
    CU_ASSERT_EQUAL(UT(d0, XS_SET_PERMS, 0, "/local/domain/3/x\0n3"), 0);
    CU_ASSERT_EQUAL(ut_read(dm, 0, "/local/domain/3/x"), -EACCES);
    /* The harness connection is not the domain's ring: set it directly. */
    CU_ASSERT_EQUAL(UT(d0, XS_SET_TARGET, 0, "8\0" "3"), 0);
    dm->who.target = 3;
    CU_ASSERT_EQUAL(ut_read(dm, 0, "/local/domain/3/x"), 0);
}

static const struct unit_test perms_tests[] = {
    UNIT_TEST(perms_parse_format),
    UNIT_TEST(perms_rules),
    UNIT_TEST(perms_hide_existence),
    UNIT_TEST(perms_domain_creates_owned_nodes),
    UNIT_TEST(perms_priv_only_requests),
    UNIT_TEST(perms_special_nodes),
    UNIT_TEST(perms_set_target),
    UNIT_END
};
UNIT_SUITE(xs_perms, ut_setup, ut_teardown, perms_tests)
