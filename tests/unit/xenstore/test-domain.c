/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/xenstore/test-domain.c - what micastored does on VIRQ_DOM_EXC
 * (xs_domain_check): dying and vanished domains are released and their
 * nodes pass to dom0; a shut-down domain fires @releaseDomain once.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cunit-runner.h"
#include "domain.h"
#include "harness.h"
#include "tree.h"
#include "xs-wire.h"

static char ep[XENSTORE_PAYLOAD_MAX], et[XENSTORE_PAYLOAD_MAX];

static int next_is(struct xs_conn *c, const char *path, const char *token)
{
    return ut_event(c, ep, et) == 0 && !strcmp(ep, path) &&
           !strcmp(et, token);
}

static void introduce(struct xs_conn *d0, unsigned int domid)
{
    char buf[32];
    int l = snprintf(buf, sizeof(buf), "%u", domid) + 1;

    memcpy(buf + l, "0\0" "1", 4);
    CU_ASSERT_EQUAL(ut_req(d0, XS_INTRODUCE, 0, buf, l + 4), 0);
}

static int introduced(struct xs_conn *d0, const char *domid)
{
    if (ut_req(d0, XS_IS_DOMAIN_INTRODUCED, 0, domid, strlen(domid) + 1))
        return -1;
    return ut_reply[0] == 'T';
}

static struct xs_conn *watcher(void)
{
    struct xs_conn *w = ut_conn(0, true);

    CU_ASSERT_EQUAL(UT(w, XS_WATCH, 0, "@releaseDomain\0r"), 0);
    ut_drop_events(w);
    return w;
}

static void check_dying_and_vanished(void)
{
    struct xs_conn *d0 = ut_conn(0, true), *w;
    const struct xs_dominfo info[] = {
        { .domid = 0 }, { .domid = 3 }, { .domid = 4, .dying = true },
    };

    introduce(d0, 3);
    introduce(d0, 4);
    introduce(d0, 5);
    w = watcher();
    CU_ASSERT_EQUAL(xs_domain_check(info, 3), 2);
    CU_ASSERT_EQUAL(introduced(d0, "3"), 1);
    CU_ASSERT_EQUAL(introduced(d0, "4"), 0);
    CU_ASSERT_EQUAL(introduced(d0, "5"), 0);
    CU_ASSERT(next_is(w, "@releaseDomain", "r"));
    CU_ASSERT(next_is(w, "@releaseDomain", "r"));
    CU_ASSERT_EQUAL(ut_nr_events(w), 0);
    /* Nothing changed: nothing fires. */
    CU_ASSERT_EQUAL(xs_domain_check(info, 3), 0);
    CU_ASSERT_EQUAL(ut_nr_events(w), 0);
    /* Released domains can be introduced again. */
    introduce(d0, 4);
    CU_ASSERT_EQUAL(introduced(d0, "4"), 1);
    /* The suite shares one store: leave no domain introduced. */
    CU_ASSERT_EQUAL(UT(d0, XS_RELEASE, 0, "3"), 0);
    CU_ASSERT_EQUAL(UT(d0, XS_RELEASE, 0, "4"), 0);
}

static void check_shutdown_fires_once(void)
{
    struct xs_conn *d0 = ut_conn(0, true), *w;
    struct xs_dominfo info[] = { { .domid = 0 }, { .domid = 6 } };

    introduce(d0, 6);
    w = watcher();
    CU_ASSERT_EQUAL(xs_domain_check(info, 2), 0);
    CU_ASSERT_EQUAL(ut_nr_events(w), 0);
    info[1].shutdown = true;
    CU_ASSERT_EQUAL(xs_domain_check(info, 2), 0);
    CU_ASSERT(next_is(w, "@releaseDomain", "r"));
    CU_ASSERT_EQUAL(xs_domain_check(info, 2), 0);
    CU_ASSERT_EQUAL(ut_nr_events(w), 0);
    CU_ASSERT_EQUAL(introduced(d0, "6"), 1);
    /* RESUME re-arms it; then death releases it. */
    CU_ASSERT_EQUAL(UT(d0, XS_RESUME, 0, "6"), 0);
    CU_ASSERT_EQUAL(xs_domain_check(info, 2), 0);
    CU_ASSERT(next_is(w, "@releaseDomain", "r"));
    info[1].dying = true;
    CU_ASSERT_EQUAL(xs_domain_check(info, 2), 1);
    CU_ASSERT(next_is(w, "@releaseDomain", "r"));
    CU_ASSERT_EQUAL(introduced(d0, "6"), 0);
}

static void check_nodes_pass_to_dom0(void)
{
    struct xs_conn *d0 = ut_conn(0, true), *d7;
    const struct xs_dominfo info[] = { { .domid = 0 } };
    long before0;
    struct xs_node *n;

    CU_ASSERT_EQUAL(UT(d0, XS_MKDIR, 0, "/local/domain/7"), 0);
    CU_ASSERT_EQUAL(UT(d0, XS_SET_PERMS, 0, "/local/domain/7\0n7\0r8"), 0);
    introduce(d0, 7);
    d7 = ut_conn(7, false);
    CU_ASSERT_EQUAL(ut_write(d7, 0, "a", "1"), 0);
    CU_ASSERT_EQUAL(ut_write(d7, 0, "b/c", "2"), 0);
    CU_ASSERT_EQUAL(xs_domain_nodes(7), 4);
    before0 = xs_domain_nodes(0);
    CU_ASSERT_EQUAL(xs_domain_check(info, 1), 1);
    CU_ASSERT_EQUAL(xs_domain_nodes(7), 0);
    CU_ASSERT_EQUAL(xs_domain_nodes(0), before0 + 4);
    /* The owner changes; the rest of the set stays. */
    n = xs_tree_lookup("/local/domain/7/b/c");
    CU_ASSERT_PTR_NOT_NULL_FATAL(n);
    CU_ASSERT_EQUAL(n->perms->p[0].id, 0);
    CU_ASSERT_EQUAL(n->perms->num, 2);
    CU_ASSERT_EQUAL(n->perms->p[1].id, 8);
    CU_ASSERT_EQUAL(xs_domain_forget(0), -EINVAL);
}

static const struct unit_test domain_tests[] = {
    UNIT_TEST(check_dying_and_vanished),
    UNIT_TEST(check_shutdown_fires_once),
    UNIT_TEST(check_nodes_pass_to_dom0),
    UNIT_END
};
UNIT_SUITE(xs_domains, ut_setup, ut_teardown, domain_tests)
