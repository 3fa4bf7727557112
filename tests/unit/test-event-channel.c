/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test-event-channel.c - event channels (common/event-*.c):
 * every EVTCHNOP, every refusal, the 2-level bitmap and selector protocol,
 * growth of the port table to 4096 ports, and that close, reset and
 * destroy leave nothing behind (ASan checks for leaks).  The fake domains
 * are in evtchn-fixture.h; the hypercall layer has test-event-op.c.
 */
#include "harness.h"
#include "evtchn-fixture.h"

/* ---- tests -------------------------------------------------------------- */

static void test_port0_reserved(void)
{
    setup();
    CU_ASSERT_EQUAL(evtchn_valid_ports(D0), EVTCHNS_PER_BUCKET);
    CU_ASSERT_EQUAL(evtchn_active_ports(D0), 0);
    CU_ASSERT_EQUAL(status(D0, DOMID_SELF, 0), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_closed);
    CU_ASSERT_EQUAL(st.vcpu, 0);
    CU_ASSERT_EQUAL(evtchn_close(D0, 0), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_send(D0, 0), -EINVAL);
    CU_ASSERT_EQUAL(alloc_unbound(D0, DOMID_SELF, DOMID_SELF), 1);
    teardown();
}

static void test_alloc_unbound(void)
{
    setup();
    CU_ASSERT_EQUAL(alloc_unbound(D0, DOMID_SELF, DOMID_SELF), 1);
    CU_ASSERT_EQUAL(status(D0, 0, 1), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
    CU_ASSERT_EQUAL(st.u.unbound.dom, 0);       /* SELF is the caller */
    CU_ASSERT_EQUAL(alloc_unbound(D0, DOMID_SELF, 0x1234), 2);
    CU_ASSERT_EQUAL(status(D0, DOMID_SELF, 2), 0);
    CU_ASSERT_EQUAL(st.u.unbound.dom, 0x1234);  /* not checked */
    CU_ASSERT_EQUAL(alloc_unbound(D0, 7, 0), -ESRCH);
    CU_ASSERT_EQUAL(alloc_unbound(D0, DOMID_INVALID, 0), -ESRCH);
    /* Only the privileged domain allocates in another's table. */
    CU_ASSERT_EQUAL(alloc_unbound(D1, 0, DOMID_SELF), -EPERM);
    CU_ASSERT_EQUAL(evtchn_active_ports(D0), 2);
    CU_ASSERT_EQUAL(alloc_unbound(D0, 1, DOMID_SELF), 1);
    CU_ASSERT_EQUAL(status(D1, DOMID_SELF, 1), 0);
    CU_ASSERT_EQUAL(st.u.unbound.dom, 0);       /* SELF = dom0, the caller */
    CU_ASSERT_EQUAL(evtchn_close(D0, 1), 0);
    CU_ASSERT_EQUAL(status(D0, 0, 1), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_closed);
    CU_ASSERT_EQUAL(evtchn_close(D0, 1), -EINVAL);
    CU_ASSERT_EQUAL(alloc_unbound(D0, DOMID_SELF, 0), 1);   /* lowest free */
    teardown();
}

static void test_loopback(void)
{
    setup();
    int p = alloc_unbound(D0, DOMID_SELF, DOMID_SELF), q;

    V00->vcpu_info->evtchn_upcall_mask = 1;     /* delivery is not ours */
    q = bind_interdomain(D0, DOMID_SELF, p);
    CU_ASSERT_EQUAL(q, 2);
    /* Binding raises the new local port once. */
    CU_ASSERT_TRUE(pending(D0, q));
    CU_ASSERT_EQUAL(V00->vcpu_info->evtchn_pending_sel, 1);
    CU_ASSERT_EQUAL(V00->vcpu_info->evtchn_upcall_pending, 1);
    CU_ASSERT_EQUAL(kicks[0], 1);
    ack_all();
    CU_ASSERT_EQUAL(evtchn_send(D0, q), 0);
    CU_ASSERT_TRUE(pending(D0, p));
    CU_ASSERT_FALSE(pending(D0, q));
    CU_ASSERT_EQUAL(V00->vcpu_info->evtchn_upcall_pending, 1);
    CU_ASSERT_EQUAL(kicks[0], 1);
    CU_ASSERT_EQUAL(evtchn_send(D0, p), 0);
    CU_ASSERT_TRUE(pending(D0, q));
    CU_ASSERT_EQUAL(kicks[0], 1);               /* upcall already owed */
    CU_ASSERT_EQUAL(status(D0, DOMID_SELF, p), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_interdomain);
    CU_ASSERT_EQUAL(st.u.interdomain.dom, 0);
    CU_ASSERT_EQUAL(st.u.interdomain.port, q);
    /* Closing one end leaves the other unbound, waiting for us. */
    CU_ASSERT_EQUAL(evtchn_close(D0, p), 0);
    CU_ASSERT_FALSE(pending(D0, p));            /* no stale event */
    CU_ASSERT_EQUAL(status(D0, DOMID_SELF, q), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
    CU_ASSERT_EQUAL(st.u.unbound.dom, 0);
    CU_ASSERT_EQUAL(evtchn_send(D0, q), 0);     /* dropped */
    CU_ASSERT_EQUAL(evtchn_close(D0, q), 0);
    CU_ASSERT_EQUAL(evtchn_active_ports(D0), 0);
    teardown();
}

static void test_bind_interdomain_refusals(void)
{
    setup();
    int p = alloc_unbound(D0, DOMID_SELF, 1);   /* for dom1 only */

    CU_ASSERT_EQUAL(bind_interdomain(D0, 9, p), -ESRCH);
    CU_ASSERT_EQUAL(bind_interdomain(D0, DOMID_SELF, p), -EINVAL);
    CU_ASSERT_EQUAL(bind_interdomain(D0, DOMID_SELF, 0), -EINVAL);
    CU_ASSERT_EQUAL(bind_interdomain(D0, DOMID_SELF, 40), -EINVAL);  /* free */
    CU_ASSERT_EQUAL(bind_interdomain(D0, DOMID_SELF, 64), -EINVAL);  /* no storage */
    CU_ASSERT_EQUAL(bind_interdomain(D0, DOMID_SELF, ~0u), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_active_ports(D0), 1);    /* no residue */
    CU_ASSERT_EQUAL(bind_interdomain(D1, 0, p), 1);
    /* Already bound: no longer unbound. */
    CU_ASSERT_EQUAL(bind_interdomain(D1, 0, p), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_active_ports(D1), 1);
    teardown();
}

static void test_two_domains(void)
{
    setup();
    int p1 = alloc_unbound(D1, DOMID_SELF, 0), p0;

    ack_all();
    p0 = bind_interdomain(D0, 1, p1);
    CU_ASSERT_EQUAL(p0, 1);
    CU_ASSERT_TRUE(pending(D0, p0));
    CU_ASSERT_FALSE(pending(D1, p1));
    ack_all();
    CU_ASSERT_EQUAL(evtchn_send(D0, p0), 0);
    CU_ASSERT_TRUE(pending(D1, p1));
    CU_ASSERT_EQUAL(V10->vcpu_info->evtchn_upcall_pending, 1);
    CU_ASSERT_EQUAL(kicks[2], 1);
    CU_ASSERT_FALSE(pending(D0, p0));
    CU_ASSERT_EQUAL(evtchn_send(D1, p1), 0);
    CU_ASSERT_TRUE(pending(D0, p0));
    CU_ASSERT_EQUAL(status(D1, DOMID_SELF, p1), 0);
    CU_ASSERT_EQUAL(st.u.interdomain.dom, 0);
    CU_ASSERT_EQUAL(st.u.interdomain.port, p0);
    CU_ASSERT_EQUAL(status(D0, 1, p1), 0);      /* dom0 may look */
    CU_ASSERT_EQUAL(status(D1, 0, p0), -EPERM); /* dom1 may not */
    CU_ASSERT_EQUAL(status(D1, 0, 64), -EINVAL);    /* port checked first */
    /* Closed from the higher domid: the lock-order retry path. */
    CU_ASSERT_EQUAL(evtchn_close(D1, p1), 0);
    CU_ASSERT_EQUAL(status(D0, 0, p0), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
    CU_ASSERT_EQUAL(st.u.unbound.dom, 1);
    /* dom1 binds back to the port now waiting for it. */
    p1 = bind_interdomain(D1, 0, p0);
    CU_ASSERT_EQUAL(p1, 1);
    CU_ASSERT_EQUAL(evtchn_close(D0, p0), 0);
    CU_ASSERT_EQUAL(status(D1, DOMID_SELF, p1), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
    CU_ASSERT_EQUAL(st.u.unbound.dom, 0);
    teardown();
}

static void test_bind_virq(void)
{
    setup();
    int t0, t1, c;

    CU_ASSERT_EQUAL(bind_virq(D0, NR_VIRQS, 0), -EINVAL);
    CU_ASSERT_EQUAL(bind_virq(D0, ~0u, 0), -EINVAL);
    CU_ASSERT_EQUAL(bind_virq(D0, VIRQ_CONSOLE, 1), -EINVAL);   /* global */
    CU_ASSERT_EQUAL(bind_virq(D0, VIRQ_ARCH_0, 1), -EINVAL);    /* x86: global */
    CU_ASSERT_EQUAL(bind_virq(D0, VIRQ_CONSOLE, ~0u), -EINVAL);
    CU_ASSERT_EQUAL(bind_virq(D0, VIRQ_TIMER, 2), -ENOENT);
    CU_ASSERT_EQUAL(bind_virq(D0, VIRQ_TIMER, ~0u), -ENOENT);
    t0 = bind_virq(D0, VIRQ_TIMER, 0);
    t1 = bind_virq(D0, VIRQ_TIMER, 1);
    CU_ASSERT_EQUAL(t0, 1);
    CU_ASSERT_EQUAL(t1, 2);
    CU_ASSERT_EQUAL(bind_virq(D0, VIRQ_TIMER, 1), -EEXIST);
    c = bind_virq(D0, VIRQ_CONSOLE, 0);
    CU_ASSERT_EQUAL(c, 3);
    CU_ASSERT_EQUAL(bind_virq(D0, VIRQ_CONSOLE, 0), -EEXIST);
    CU_ASSERT_EQUAL(bind_virq(D0, VIRQ_DOM_EXC, 0), 4);
    CU_ASSERT_EQUAL(status(D0, DOMID_SELF, t1), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_virq);
    CU_ASSERT_EQUAL(st.u.virq, VIRQ_TIMER);
    CU_ASSERT_EQUAL(st.vcpu, 1);
    CU_ASSERT_EQUAL(evtchn_send(D0, t0), -EINVAL);
    ack_all();
    send_guest_vcpu_virq(V01, VIRQ_TIMER);
    CU_ASSERT_TRUE(pending(D0, t1));
    CU_ASSERT_FALSE(pending(D0, t0));
    CU_ASSERT_EQUAL(V01->vcpu_info->evtchn_upcall_pending, 1);
    CU_ASSERT_EQUAL(V00->vcpu_info->evtchn_upcall_pending, 0);
    CU_ASSERT_EQUAL(kicks[1], 1);
    send_guest_vcpu_virq(V10, VIRQ_TIMER);      /* dom1 bound none */
    CU_ASSERT_EQUAL(V10->vcpu_info->evtchn_upcall_pending, 0);
    /* A global VIRQ follows its port to another vCPU. */
    CU_ASSERT_EQUAL(evtchn_bind_vcpu(D0, c, 1), 0);
    CU_ASSERT_EQUAL(evtchn_bind_vcpu(D0, t0, 1), -EINVAL);     /* per-vCPU */
    ack_all();
    send_guest_global_virq(D0, VIRQ_CONSOLE);
    CU_ASSERT_TRUE(pending(D0, c));
    CU_ASSERT_EQUAL(kicks[1], 1);
    CU_ASSERT_EQUAL(kicks[0], 0);
    send_guest_global_virq(NULL, VIRQ_CONSOLE);
    /* Closed: the senders stop and the VIRQ can be bound again. */
    CU_ASSERT_EQUAL(evtchn_close(D0, t1), 0);
    CU_ASSERT_EQUAL(evtchn_close(D0, c), 0);
    ack_all();
    send_guest_vcpu_virq(V01, VIRQ_TIMER);
    send_guest_global_virq(D0, VIRQ_CONSOLE);
    CU_ASSERT_EQUAL(kicks[0] + kicks[1], 0);
    CU_ASSERT_EQUAL(bind_virq(D0, VIRQ_TIMER, 1), 2);
    CU_ASSERT_EQUAL(bind_virq(D0, VIRQ_CONSOLE, 0), 3);
    teardown();
}

static void test_bind_ipi(void)
{
    setup();
    int p;

    CU_ASSERT_EQUAL(bind_ipi(D0, 2), -ENOENT);
    CU_ASSERT_EQUAL(bind_ipi(D1, 1), -ENOENT);
    p = bind_ipi(D0, 1);
    CU_ASSERT_EQUAL(p, 1);
    CU_ASSERT_EQUAL(status(D0, DOMID_SELF, p), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_ipi);
    CU_ASSERT_EQUAL(st.vcpu, 1);
    ack_all();
    CU_ASSERT_EQUAL(evtchn_send(D0, p), 0);
    CU_ASSERT_TRUE(pending(D0, p));
    CU_ASSERT_EQUAL(V01->vcpu_info->evtchn_pending_sel, 1);
    CU_ASSERT_EQUAL(V00->vcpu_info->evtchn_pending_sel, 0);
    CU_ASSERT_EQUAL(kicks[1], 1);
    CU_ASSERT_EQUAL(evtchn_bind_vcpu(D0, p, 0), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_close(D0, p), 0);
    CU_ASSERT_EQUAL(evtchn_send(D0, p), -EINVAL);
    teardown();
}

static void test_mask_and_unmask(void)
{
    setup();
    shared_info_t *s = &shinfo[0];
    vcpu_info_t *vi = V00->vcpu_info;
    int p = bind_ipi(D0, 0);
    int hi = 0;

    /* A masked port records the event but owes no upcall. */
    ack_all();
    set_bit(s->evtchn_mask, p);
    CU_ASSERT_EQUAL(evtchn_send(D0, p), 0);
    CU_ASSERT_TRUE(pending(D0, p));
    CU_ASSERT_EQUAL(vi->evtchn_pending_sel, 0);
    CU_ASSERT_EQUAL(vi->evtchn_upcall_pending, 0);
    CU_ASSERT_EQUAL(kicks[0], 0);
    /* Unmask re-delivers it through the selector. */
    CU_ASSERT_EQUAL(evtchn_unmask(D0, p), 0);
    CU_ASSERT_FALSE(bit(s->evtchn_mask, p));
    CU_ASSERT_EQUAL(vi->evtchn_pending_sel, 1);
    CU_ASSERT_EQUAL(vi->evtchn_upcall_pending, 1);
    CU_ASSERT_EQUAL(kicks[0], 1);
    /* Selector already set: no second upcall. */
    vi->evtchn_upcall_pending = 0;
    set_bit(s->evtchn_mask, p);
    CU_ASSERT_EQUAL(evtchn_unmask(D0, p), 0);
    CU_ASSERT_EQUAL(vi->evtchn_upcall_pending, 0);
    /* Unmasking a port with nothing pending owes nothing. */
    ack_all();
    set_bit(s->evtchn_mask, p);
    CU_ASSERT_EQUAL(evtchn_unmask(D0, p), 0);
    CU_ASSERT_EQUAL(vi->evtchn_pending_sel, 0);
    /* Already pending: a second send changes nothing. */
    set_bit(s->evtchn_pending, p);
    CU_ASSERT_EQUAL(evtchn_send(D0, p), 0);
    CU_ASSERT_EQUAL(vi->evtchn_pending_sel, 0);
    /* upcall_pending already set: the selector is set, no kick. */
    ack_all();
    vi->evtchn_upcall_pending = 1;
    CU_ASSERT_EQUAL(evtchn_send(D0, p), 0);
    CU_ASSERT_EQUAL(vi->evtchn_pending_sel, 1);
    CU_ASSERT_EQUAL(kicks[0], 0);
    /* Free and reserved ports: accepted, but the mask bit stays. */
    set_bit(s->evtchn_mask, 40);
    set_bit(s->evtchn_mask, 0);
    CU_ASSERT_EQUAL(evtchn_unmask(D0, 40), 0);
    CU_ASSERT_EQUAL(evtchn_unmask(D0, 0), 0);
    CU_ASSERT_TRUE(bit(s->evtchn_mask, 40));
    CU_ASSERT_TRUE(bit(s->evtchn_mask, 0));
    CU_ASSERT_EQUAL(evtchn_unmask(D0, 64), -EINVAL);
    /* Ports in word 1 select bit 1. */
    for (int i = 0; i < 70; i++)
        hi = bind_ipi(D0, 0);
    CU_ASSERT_EQUAL(hi, 71);
    ack_all();
    CU_ASSERT_EQUAL(evtchn_send(D0, hi), 0);
    CU_ASSERT_EQUAL(vi->evtchn_pending_sel, 2);
    teardown();
}

static void test_bind_vcpu(void)
{
    setup();
    int p = alloc_unbound(D0, DOMID_SELF, DOMID_SELF), q;

    CU_ASSERT_EQUAL(evtchn_bind_vcpu(D0, 999, 2), -ENOENT);  /* vCPU first */
    CU_ASSERT_EQUAL(evtchn_bind_vcpu(D0, 999, 1), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_bind_vcpu(D0, 40, 1), -EINVAL);   /* free */
    CU_ASSERT_EQUAL(evtchn_bind_vcpu(D0, 0, 1), -EINVAL);    /* reserved */
    CU_ASSERT_EQUAL(evtchn_bind_vcpu(D0, p, 1), 0);
    CU_ASSERT_EQUAL(status(D0, DOMID_SELF, p), 0);
    CU_ASSERT_EQUAL(st.vcpu, 1);
    q = bind_interdomain(D0, DOMID_SELF, p);
    ack_all();
    CU_ASSERT_EQUAL(evtchn_send(D0, q), 0);     /* p notifies vCPU 1 */
    CU_ASSERT_EQUAL(kicks[1], 1);
    CU_ASSERT_EQUAL(kicks[0], 0);
    /* Closing forgets the vCPU: the next use starts on vCPU 0. */
    CU_ASSERT_EQUAL(evtchn_close(D0, p), 0);
    CU_ASSERT_EQUAL(alloc_unbound(D0, DOMID_SELF, 0), p);
    CU_ASSERT_EQUAL(status(D0, DOMID_SELF, p), 0);
    CU_ASSERT_EQUAL(st.vcpu, 0);
    teardown();
}

static void test_status_refusals(void)
{
    setup();
    CU_ASSERT_EQUAL(status(D0, 5, 1), -ESRCH);
    CU_ASSERT_EQUAL(status(D0, DOMID_IO, 1), -ESRCH);
    CU_ASSERT_EQUAL(status(D0, DOMID_SELF, 64), -EINVAL);
    CU_ASSERT_EQUAL(status(D0, DOMID_SELF, 63), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_closed);
    CU_ASSERT_EQUAL(status(D1, 0, 1), -EPERM);
    CU_ASSERT_EQUAL(status(D1, 1, 1), 0);
    teardown();
}

static void test_growth_to_4096(void)
{
    setup();
    int p = 0;

    for (int i = 1; i < EVTCHNS_PER_BUCKET; i++)
        p = alloc_unbound(D0, DOMID_SELF, 0);
    CU_ASSERT_EQUAL(p, 63);
    CU_ASSERT_EQUAL(evtchn_valid_ports(D0), 64);
    CU_ASSERT_EQUAL(alloc_unbound(D0, DOMID_SELF, 0), 64);
    CU_ASSERT_EQUAL(evtchn_valid_ports(D0), 128);
    /* Storage failure: refused, and nothing half-made stays. */
    for (int i = 65; i < 128; i++)
        alloc_unbound(D0, DOMID_SELF, 0);
    alloc_fail_after = 0;
    CU_ASSERT_EQUAL(alloc_unbound(D0, DOMID_SELF, 0), -ENOMEM);
    CU_ASSERT_EQUAL(evtchn_valid_ports(D0), 128);
    CU_ASSERT_EQUAL(evtchn_active_ports(D0), 127);
    for (int i = 128; i < (int)EVTCHN_MAX_PORTS; i++)
        p = alloc_unbound(D0, DOMID_SELF, 0);
    CU_ASSERT_EQUAL(p, 4095);
    CU_ASSERT_EQUAL(evtchn_valid_ports(D0), 4096);
    CU_ASSERT_EQUAL(alloc_unbound(D0, DOMID_SELF, 0), -ENOSPC);
    CU_ASSERT_EQUAL(bind_ipi(D0, 0), -ENOSPC);
    CU_ASSERT_EQUAL(bind_virq(D0, VIRQ_TIMER, 0), -ENOSPC);
    CU_ASSERT_EQUAL(bind_interdomain(D0, DOMID_SELF, 5), -ENOSPC);
    CU_ASSERT_EQUAL(status(D0, DOMID_SELF, 4095), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
    CU_ASSERT_EQUAL(status(D0, DOMID_SELF, 4096), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_send(D0, 4096), -EINVAL);
    CU_ASSERT_EQUAL(evtchn_close(D0, 2000), 0);
    CU_ASSERT_EQUAL(bind_ipi(D0, 0), 2000);
    CU_ASSERT_EQUAL(evtchn_reset(D0, DOMID_SELF, false), 0);
    CU_ASSERT_EQUAL(evtchn_active_ports(D0), 0);
    CU_ASSERT_EQUAL(status(D0, DOMID_SELF, 4095), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_closed);
    teardown();
}

static void test_init_failure(void)
{
    struct domain d = { .domain_id = 3, .max_vcpus = 1, .shared_info = &shinfo[0] };

    alloc_fail_after = 0;
    CU_ASSERT_EQUAL(evtchn_init(&d), -ENOMEM);
    alloc_fail_after = 1;                   /* the first bucket */
    CU_ASSERT_EQUAL(evtchn_init(&d), -ENOMEM);
    CU_ASSERT_PTR_NULL(d.evtchn);
    alloc_fail_after = -1;
}

static void test_dying_domain(void)
{
    setup();
    D1->state = DOMAIN_DYING;
    CU_ASSERT_EQUAL(alloc_unbound(D0, 1, 0), -EINVAL);
    CU_ASSERT_EQUAL(bind_ipi(D1, 0), -EINVAL);
    D1->state = DOMAIN_RUNNING;
    teardown();
}

static void test_reset(void)
{
    setup();
    int p1 = alloc_unbound(D1, DOMID_SELF, 0);
    int p0 = bind_interdomain(D0, 1, p1);
    int ipi = bind_ipi(D0, 1);

    CU_ASSERT_EQUAL(bind_virq(D0, VIRQ_TIMER, 1), 3);
    CU_ASSERT_EQUAL(bind_virq(D0, VIRQ_DOM_EXC, 0), 4);
    CU_ASSERT_EQUAL(evtchn_send(D0, ipi), 0);
    CU_ASSERT_EQUAL(evtchn_reset(D0, 9, false), -ESRCH);
    CU_ASSERT_EQUAL(evtchn_reset(D1, 0, false), -EPERM);
    CU_ASSERT_EQUAL(evtchn_reset(D0, 1, false), -EINVAL);    /* not paused */
    CU_ASSERT_EQUAL(evtchn_reset(D0, DOMID_SELF, true), -EBUSY);
    CU_ASSERT_EQUAL(evtchn_reset(D0, 0, false), 0);
    CU_ASSERT_EQUAL(evtchn_active_ports(D0), 0);
    for (int p = 1; p < 64; p++)
        CU_ASSERT_FALSE(pending(D0, p));
    CU_ASSERT_EQUAL(status(D1, DOMID_SELF, p1), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
    CU_ASSERT_EQUAL(st.u.unbound.dom, 0);
    CU_ASSERT_EQUAL(bind_virq(D0, VIRQ_TIMER, 1), 1);
    CU_ASSERT_EQUAL(bind_virq(D0, VIRQ_DOM_EXC, 0), 2);
    CU_ASSERT_EQUAL(bind_interdomain(D0, 1, p1), p0 + 2);
    (void)p0;
    teardown();
}

static void test_reset_preempted(void)
{
    setup();
    for (int i = 1; i < 300; i++)
        bind_ipi(D0, 0);
    preempt_after = 1;                  /* at the second check: port 128 */
    CU_ASSERT_EQUAL(evtchn_reset(D0, DOMID_SELF, false), -ERESTART);
    CU_ASSERT_EQUAL(evtchn_active_ports(D0), 299 - 128);
    CU_ASSERT_EQUAL(evtchn_reset(D0, DOMID_SELF, false), -EBUSY);
    CU_ASSERT_EQUAL(evtchn_reset(D0, DOMID_SELF, true), 0);
    CU_ASSERT_EQUAL(evtchn_active_ports(D0), 0);
    CU_ASSERT_EQUAL(evtchn_reset(D0, DOMID_SELF, true), -EBUSY);
    teardown();
}

static void test_destroy_unbinds_peer(void)
{
    setup();
    int p1 = alloc_unbound(D1, DOMID_SELF, 0);
    int p0 = bind_interdomain(D0, 1, p1);

    bind_virq(D1, VIRQ_TIMER, 0);
    bind_ipi(D1, 0);
    evtchn_destroy(D1);
    CU_ASSERT_PTR_NOT_NULL(D1->evtchn);                 /* until the free */
    CU_ASSERT_EQUAL(evtchn_active_ports(D1), 0);
    CU_ASSERT_EQUAL(status(D0, DOMID_SELF, p0), 0);
    CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
    CU_ASSERT_EQUAL(st.u.unbound.dom, 1);
    /* Dying: no new port, as Xen's get_free_port refuses. */
    CU_ASSERT_EQUAL(alloc_unbound(D0, 1, 0), -EINVAL);
    CU_ASSERT_EQUAL(bind_ipi(D1, 0), -EINVAL);
    CU_ASSERT_EQUAL(bind_interdomain(D0, 1, p1), -EINVAL);
    send_guest_vcpu_virq(V10, VIRQ_TIMER);              /* harmless */
    CU_ASSERT_EQUAL(evtchn_send(D0, p0), 0);            /* unbound: dropped */
    evtchn_destroy_final(D1);
    CU_ASSERT_PTR_NULL(D1->evtchn);
    CU_ASSERT_EQUAL(alloc_unbound(D0, 1, 0), -ESRCH);   /* freed: gone */
    teardown();
}

static const struct unit_test tests[] = {
    UNIT_TEST(test_port0_reserved),
    UNIT_TEST(test_alloc_unbound),
    UNIT_TEST(test_loopback),
    UNIT_TEST(test_bind_interdomain_refusals),
    UNIT_TEST(test_two_domains),
    UNIT_TEST(test_bind_virq),
    UNIT_TEST(test_bind_ipi),
    UNIT_TEST(test_mask_and_unmask),
    UNIT_TEST(test_bind_vcpu),
    UNIT_TEST(test_status_refusals),
    UNIT_TEST(test_growth_to_4096),
    UNIT_TEST(test_init_failure),
    UNIT_TEST(test_dying_domain),
    UNIT_TEST(test_reset),
    UNIT_TEST(test_reset_preempted),
    UNIT_TEST(test_destroy_unbinds_peer),
    UNIT_END
};
UNIT_SUITE(event_channel, NULL, NULL, tests)
