/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/xenstore/test-watch.c - watch matching and event paths.
 */
#include <errno.h>
#include <string.h>
#include "cunit-runner.h"
#include "harness.h"
#include "xs-wire.h"

static char ep[XENSTORE_PAYLOAD_MAX], et[XENSTORE_PAYLOAD_MAX];

static int next_is(struct xs_conn *c, const char *path, const char *token)
{
    return ut_event(c, ep, et) == 0 && !strcmp(ep, path) &&
           !strcmp(et, token);
}

static void watch_initial_event(void)
{
    struct xs_conn *w = ut_conn(0, true);

    CU_ASSERT_EQUAL(UT(w, XS_WATCH, 0, "/nothing/here\0t1"), 0);
    CU_ASSERT(next_is(w, "/nothing/here", "t1"));
    CU_ASSERT_EQUAL(UT(w, XS_WATCH, 0, "@introduceDomain\0t2"), 0);
    CU_ASSERT(next_is(w, "@introduceDomain", "t2"));
    CU_ASSERT_EQUAL(ut_nr_events(w), 0);
}

static void watch_component_match(void)
{
    struct xs_conn *w = ut_conn(0, true), *c = ut_conn(0, true);

    CU_ASSERT_EQUAL(UT(w, XS_WATCH, 0, "/w\0tok"), 0);
    ut_drop_events(w);
    CU_ASSERT_EQUAL(ut_write(c, 0, "/wx", "1"), 0);
    CU_ASSERT_EQUAL(ut_nr_events(w), 0);
    CU_ASSERT_EQUAL(ut_write(c, 0, "/w/a/b", "1"), 0);
    CU_ASSERT(next_is(w, "/w/a/b", "tok"));
    /* Same value again still fires; so do MKDIR of a new node and perms. */
    CU_ASSERT_EQUAL(ut_write(c, 0, "/w/a/b", "1"), 0);
    CU_ASSERT(next_is(w, "/w/a/b", "tok"));
    CU_ASSERT_EQUAL(UT(c, XS_MKDIR, 0, "/w/m"), 0);
    CU_ASSERT(next_is(w, "/w/m", "tok"));
    CU_ASSERT_EQUAL(UT(c, XS_MKDIR, 0, "/w/m"), 0);
    CU_ASSERT_EQUAL(ut_nr_events(w), 0);
    CU_ASSERT_EQUAL(UT(c, XS_SET_PERMS, 0, "/w/m\0n0\0r1"), 0);
    CU_ASSERT(next_is(w, "/w/m", "tok"));
}

static void watch_recursive_rm(void)
{
    struct xs_conn *w = ut_conn(0, true), *c = ut_conn(0, true);

    CU_ASSERT_EQUAL(ut_write(c, 0, "/q3/sub/leaf", "1"), 0);
    CU_ASSERT_EQUAL(UT(w, XS_WATCH, 0, "/q3/sub\0below"), 0);
    CU_ASSERT_EQUAL(UT(w, XS_WATCH, 0, "/\0root"), 0);
    ut_drop_events(w);
    CU_ASSERT_EQUAL(UT(c, XS_RM, 0, "/q3"), 0);
    /* The watch below the removed node sees its own path. */
    CU_ASSERT(next_is(w, "/q3/sub", "below"));
    CU_ASSERT(next_is(w, "/q3", "root"));
    CU_ASSERT_EQUAL(ut_nr_events(w), 0);
}

static void watch_relative_paths(void)
{
    struct xs_conn *w = ut_conn(4, true), *c = ut_conn(0, true);

    CU_ASSERT_EQUAL(UT(w, XS_WATCH, 0, "rel\0r"), 0);
    CU_ASSERT(next_is(w, "rel", "r"));
    CU_ASSERT_EQUAL(UT(w, XS_WATCH, 0, "/local/domain/4/rel\0a"), 0);
    ut_drop_events(w);
    CU_ASSERT_EQUAL(ut_write(c, 0, "/local/domain/4/rel/k", "1"), 0);
    CU_ASSERT(next_is(w, "rel/k", "r"));
    CU_ASSERT(next_is(w, "/local/domain/4/rel/k", "a"));
    CU_ASSERT_EQUAL(UT(w, XS_UNWATCH, 0, "rel\0r"), 0);
    CU_ASSERT_EQUAL(UT(w, XS_UNWATCH, 0, "rel\0r"), -ENOENT);
}

static void watch_permission_filter(void)
{
    struct xs_conn *d0 = ut_conn(0, true), *d5 = ut_conn(5, false);

    CU_ASSERT_EQUAL(ut_write(d0, 0, "/pf/open", "1"), 0);
    CU_ASSERT_EQUAL(UT(d0, XS_SET_PERMS, 0, "/pf\0n0\0r5"), 0);
    CU_ASSERT_EQUAL(UT(d0, XS_SET_PERMS, 0, "/pf/open\0n0\0r5"), 0);
    CU_ASSERT_EQUAL(UT(d5, XS_WATCH, 0, "/pf\0t"), 0);
    ut_drop_events(d5);
    CU_ASSERT_EQUAL(ut_write(d0, 0, "/pf/open", "2"), 0);
    CU_ASSERT(next_is(d5, "/pf/open", "t"));
    CU_ASSERT_EQUAL(ut_write(d0, 0, "/pf/hidden", "2"), 0);
    CU_ASSERT_EQUAL(UT(d0, XS_SET_PERMS, 0, "/pf/hidden\0n0"), 0);
    ut_drop_events(d5);
    CU_ASSERT_EQUAL(ut_write(d0, 0, "/pf/hidden", "3"), 0);
    CU_ASSERT_EQUAL(ut_nr_events(d5), 0);
}

static void watch_duplicates_and_args(void)
{
    struct xs_conn *w = ut_conn(0, true);

    CU_ASSERT_EQUAL(UT(w, XS_WATCH, 0, "/d\0t"), 0);
    CU_ASSERT_EQUAL(UT(w, XS_WATCH, 0, "/d\0t"), -EEXIST);
    CU_ASSERT_EQUAL(UT(w, XS_WATCH, 0, "/d\0u"), 0);
    CU_ASSERT_EQUAL(UT(w, XS_WATCH, 0, "/d"), -EINVAL);
    CU_ASSERT_EQUAL(UT(w, XS_WATCH, 0, "/d\0t\0" "1"), -EINVAL);
    CU_ASSERT_EQUAL(UT(w, XS_WATCH, 0, "/d.x\0t"), -EINVAL);
    /* RESET_WATCHES drops them all. */
    CU_ASSERT_EQUAL(UT(w, XS_RESET_WATCHES, 0, ""), 0);
    CU_ASSERT_EQUAL(UT(w, XS_UNWATCH, 0, "/d\0t"), -ENOENT);
}

static void watch_domain_events(void)
{
    struct xs_conn *w = ut_conn(0, true);

    CU_ASSERT_EQUAL(UT(w, XS_WATCH, 0, "@introduceDomain\0i"), 0);
    CU_ASSERT_EQUAL(UT(w, XS_WATCH, 0, "@releaseDomain\0r"), 0);
    CU_ASSERT_EQUAL(UT(w, XS_WATCH, 0, "/\0all"), 0);
    ut_drop_events(w);
    CU_ASSERT_EQUAL(UT(w, XS_INTRODUCE, 0, "3\0" "0\0" "1"), 0);
    CU_ASSERT(next_is(w, "@introduceDomain", "i"));
    CU_ASSERT_EQUAL(UT(w, XS_IS_DOMAIN_INTRODUCED, 0, "3"), 0);
    CU_ASSERT_STRING_EQUAL(ut_reply, "T");
    CU_ASSERT_EQUAL(UT(w, XS_RELEASE, 0, "3"), 0);
    CU_ASSERT(next_is(w, "@releaseDomain", "r"));
    CU_ASSERT_EQUAL(ut_nr_events(w), 0);
    CU_ASSERT_EQUAL(UT(w, XS_RELEASE, 0, "3"), -ENOENT);
}

static const struct unit_test watch_tests[] = {
    UNIT_TEST(watch_initial_event),
    UNIT_TEST(watch_component_match),
    UNIT_TEST(watch_recursive_rm),
    UNIT_TEST(watch_relative_paths),
    UNIT_TEST(watch_permission_filter),
    UNIT_TEST(watch_duplicates_and_args),
    UNIT_TEST(watch_domain_events),
    UNIT_END
};
UNIT_SUITE(xs_watches, ut_setup, ut_teardown, watch_tests)
