/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test-event-op.c - the event_channel_op hypercall layer
 * (common/event-op.c): which sub-ops exist, how much of the argument is
 * read and written back, -EFAULT on either copy, and a preempted reset
 * turning into a continuation.  Guest addresses are host pointers; BAD
 * cannot be read or written and RO cannot be written (evtchn-fixture.h).
 */
#include "harness.h"
#include "evtchn-fixture.h"

#define P(x) ((uint64_t)(uintptr_t)(x))

static void test_unknown_ops(void)
{
    setup();
    CU_ASSERT_EQUAL(evtchn_do_op(D0, 15, BAD), -ENOSYS);
    CU_ASSERT_EQUAL(evtchn_do_op(D0, 255, BAD), -ENOSYS);
    CU_ASSERT_EQUAL(evtchn_do_op(D0, -1UL, BAD), -ENOSYS);
    CU_ASSERT_EQUAL(evtchn_do_op(D0, 0x80000000UL, BAD), -ENOSYS);
    teardown();
}

static void test_not_yet_ops(void)
{
    struct evtchn_init_control ic = { .vcpu = 0 };
    struct evtchn_expand_array ea = { 0 };
    struct evtchn_bind_pirq bp = { 0 };
    struct evtchn_set_priority sp = { .port = 1, .priority = 3 };

    setup();
    /* The argument is still read first, as Xen does. */
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_init_control, BAD), -EFAULT);
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_init_control, P(&ic)), -ENOSYS);
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_expand_array, BAD), -EFAULT);
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_expand_array, P(&ea)), -ENOSYS);
    /* bind_pirq is dispatched; nothing is mapped in the host fixture. */
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_bind_pirq, BAD), -EFAULT);
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_bind_pirq, P(&bp)), -EPERM);
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_set_priority, P(&sp)), -ENOSYS);
    sp.port = 64;
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_set_priority, P(&sp)), -EINVAL);
    teardown();
}

static void test_round_trip(void)
{
    struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
    struct evtchn_bind_interdomain bi = { .remote_dom = DOMID_SELF };
    struct evtchn_status es = { .dom = DOMID_SELF };
    struct evtchn_bind_virq bv = { .virq = VIRQ_DEBUG, .vcpu = 1 };
    struct evtchn_bind_ipi ip = { .vcpu = 1 };
    struct evtchn_bind_vcpu bc = { .vcpu = 1 };
    struct evtchn_send sd;
    struct evtchn_unmask um;
    struct evtchn_close cl;

    setup();
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_alloc_unbound, P(&au)), 0);
    CU_ASSERT_EQUAL(au.port, 1);
    /* Only the low 32 bits of cmd count (an int in Xen). */
    bi.remote_port = au.port;
    CU_ASSERT_EQUAL(evtchn_do_op(D0, 0x100000000UL | EVTCHNOP_bind_interdomain,
                                 P(&bi)), 0);
    CU_ASSERT_EQUAL(bi.local_port, 2);
    es.port = 2;
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_status, P(&es)), 0);
    CU_ASSERT_EQUAL(es.status, EVTCHNSTAT_interdomain);
    CU_ASSERT_EQUAL(es.u.interdomain.port, 1);
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_bind_virq, P(&bv)), 0);
    CU_ASSERT_EQUAL(bv.port, 3);
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_bind_ipi, P(&ip)), 0);
    CU_ASSERT_EQUAL(ip.port, 4);
    bc.port = 1;
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_bind_vcpu, P(&bc)), 0);
    ack_all();
    sd.port = 2;
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_send, P(&sd)), 0);
    CU_ASSERT_TRUE(pending(D0, 1));
    CU_ASSERT_EQUAL(kicks[1], 1);
    um.port = 64;
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_unmask, P(&um)), -EINVAL);
    um.port = 1;
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_unmask, P(&um)), 0);
    cl.port = 4;
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_close, P(&cl)), 0);
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_close, P(&cl)), -EINVAL);
    /* Refusals are not copied back. */
    memset(&ip, 0xee, sizeof(ip));
    ip.vcpu = 9;
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_bind_ipi, P(&ip)), -ENOENT);
    CU_ASSERT_EQUAL(ip.port, 0xeeeeeeee);
    teardown();
}

static void test_faults(void)
{
    struct evtchn_bind_ipi ip = { .vcpu = 0 };

    setup();
    for (unsigned int cmd = 0; cmd <= EVTCHNOP_reset_cont; cmd++)
        CU_ASSERT_EQUAL(evtchn_do_op(D0, cmd, BAD), -EFAULT);
    CU_ASSERT_EQUAL(evtchn_active_ports(D0), 0);
    /* The result cannot be written back: -EFAULT, but the port is bound. */
    memcpy(ro_buf, &ip, sizeof(ip));
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_bind_ipi, RO), -EFAULT);
    CU_ASSERT_EQUAL(evtchn_active_ports(D0), 1);
    /* Ops without OUT fields never write. */
    memset(ro_buf, 0, sizeof(ro_buf));
    ((struct evtchn_close *)ro_buf)->port = 1;
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_close, RO), 0);
    teardown();
}

static void test_reset_continuation(void)
{
    struct evtchn_reset r = { .dom = DOMID_SELF };

    setup();
    for (int i = 1; i < 200; i++)
        bind_ipi(D0, 0);
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_reset_cont, P(&r)), -EBUSY);
    cont_nr = 0;
    preempt_after = 0;
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_reset, P(&r)), 0);
    CU_ASSERT_EQUAL(cont_nr, __HYPERVISOR_event_channel_op);
    CU_ASSERT_EQUAL(cont_args[0], EVTCHNOP_reset_cont);
    CU_ASSERT_EQUAL(cont_args[1], P(&r));
    CU_ASSERT_EQUAL(evtchn_active_ports(D0), 199 - 64);
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_reset_cont, P(&r)), 0);
    CU_ASSERT_EQUAL(evtchn_active_ports(D0), 0);
    r.dom = 9;
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_reset, P(&r)), -ESRCH);
    r.dom = 1;
    CU_ASSERT_EQUAL(evtchn_do_op(D0, EVTCHNOP_reset, P(&r)), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_do_op(D1, EVTCHNOP_reset, P(&r)), 0);
    r.dom = 0;
    CU_ASSERT_EQUAL(evtchn_do_op(D1, EVTCHNOP_reset, P(&r)), -EPERM);
    teardown();
}

static const struct unit_test tests[] = {
    UNIT_TEST(test_unknown_ops),
    UNIT_TEST(test_not_yet_ops),
    UNIT_TEST(test_round_trip),
    UNIT_TEST(test_faults),
    UNIT_TEST(test_reset_continuation),
    UNIT_END
};
UNIT_SUITE(event_op, NULL, NULL, tests)
