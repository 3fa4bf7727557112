/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/pv-drivers/test-xenbus-be.c - the back end's xenbus state
 * machine through the handshakes Linux's front ends make: first connect,
 * orderly close, a guest that vanishes, a reconnect, and garbage.
 */
#include <errno.h>
#include "cunit-runner.h"
#include "xenbus-be.h"

static enum xb_state run(enum xb_state be, int fe, enum xbe_action want)
{
    struct xbe_step s = xbe_on_frontend(be, fe);

    CU_ASSERT_EQUAL(s.action, want);
    return s.next;
}

static void connect_then_close(void)
{
    enum xb_state be = XB_INITWAIT;

    be = run(be, XB_INITIALISING, XBE_NONE);
    CU_ASSERT_EQUAL(be, XB_INITWAIT);
    be = run(be, XB_INITIALISED, XBE_CONNECT);
    CU_ASSERT_EQUAL(be, XB_CONNECTED);
    be = run(be, XB_CONNECTED, XBE_NONE);
    CU_ASSERT_EQUAL(be, XB_CONNECTED);
    be = run(be, XB_CLOSING, XBE_DISCONNECT);
    CU_ASSERT_EQUAL(be, XB_CLOSING);
    CU_ASSERT_FALSE(xbe_finished(be, XB_CLOSING));
    be = run(be, XB_CLOSED, XBE_NONE);
    CU_ASSERT_EQUAL(be, XB_CLOSED);
    CU_ASSERT_TRUE(xbe_finished(be, XB_CLOSED));
}

static void frontend_vanishes(void)
{
    CU_ASSERT_EQUAL(run(XB_CONNECTED, XB_UNKNOWN, XBE_DISCONNECT), XB_CLOSED);
    CU_ASSERT_EQUAL(run(XB_INITWAIT, XB_CLOSED, XBE_NONE), XB_CLOSED);
    CU_ASSERT_TRUE(xbe_finished(XB_CLOSED, XB_UNKNOWN));
}

static void reconnect_after_close(void)
{
    enum xb_state be = run(XB_CLOSED, XB_INITIALISING, XBE_REINIT);

    CU_ASSERT_EQUAL(be, XB_INITWAIT);
    CU_ASSERT_EQUAL(run(be, XB_INITIALISED, XBE_CONNECT), XB_CONNECTED);
    /* a back end restarted under a connected front end connects again */
    CU_ASSERT_EQUAL(run(XB_INITWAIT, XB_CONNECTED, XBE_CONNECT), XB_CONNECTED);
    /* a guest that resets its side while connected gets a clean start */
    CU_ASSERT_EQUAL(run(XB_CONNECTED, XB_INITIALISING, XBE_DISCONNECT), XB_INITWAIT);
}

static void garbage_changes_nothing(void)
{
    int bad[] = { -1, 2, 7, 8, 9, 1000 };

    for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CU_ASSERT_EQUAL(run(XB_CONNECTED, bad[i], XBE_NONE), XB_CONNECTED);
        CU_ASSERT_EQUAL(run(XB_INITWAIT, bad[i], XBE_NONE), XB_INITWAIT);
    }
    /* no connect before InitWait was published */
    CU_ASSERT_EQUAL(run(XB_INITIALISING, XB_INITIALISED, XBE_NONE), XB_INITIALISING);
    CU_ASSERT_EQUAL(xbe_connect_failed(), XB_CLOSING);
}

static void state_strings(void)
{
    CU_ASSERT_EQUAL(xb_state_parse("4"), 4);
    CU_ASSERT_EQUAL(xb_state_parse("0"), 0);
    CU_ASSERT_EQUAL(xb_state_parse("9"), -EINVAL);
    CU_ASSERT_EQUAL(xb_state_parse("4x"), -EINVAL);
    CU_ASSERT_EQUAL(xb_state_parse(""), -EINVAL);
    CU_ASSERT_EQUAL(xb_state_parse("-1"), -EINVAL);
    CU_ASSERT_EQUAL(xb_state_parse(NULL), -EINVAL);
    CU_ASSERT_STRING_EQUAL(xb_state_name(4), "Connected");
    CU_ASSERT_STRING_EQUAL(xb_state_name(42), "invalid");
}

static const struct unit_test tests[] = {
    UNIT_TEST(connect_then_close),
    UNIT_TEST(frontend_vanishes),
    UNIT_TEST(reconnect_after_close),
    UNIT_TEST(garbage_changes_nothing),
    UNIT_TEST(state_strings),
    UNIT_END,
};
UNIT_SUITE(pv_xenbus_be, NULL, NULL, tests)
