/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/evtchn.c - HYPERVISOR_event_channel_op with the
 * 2-level ABI: binding (loopback interdomain, VIRQ, IPI), send, status,
 * close, unmask, reset, and delivery through the event callback with the
 * pending/mask bitmaps and the vCPU's selector word.
 *
 * Events are checked with upcalls masked (vcpu0->evtchn_upcall_mask = 1),
 * where they only show in the bitmaps, and then delivered by unmasking
 * and making any hypercall.  Every test closes what it bound.  The
 * growth test fills the whole table, so it runs last.
 */
#include <lib.h>
#include <arch.h>
#include <hypercall.h>
#include <test.h>
#include <traps.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/version.h>

#define BAD_XEN         0xffff830000000000UL
#define NO_SUCH_VCPU    100
#define NO_SUCH_DOMAIN  0x7ff4          /* DOMID_INVALID */
#define OP(cmd, arg)    HYPERVISOR_event_channel_op(EVTCHNOP_##cmd, (arg))

/* shared_info mapped over a page of our .bss (its own frame is unused). */
static uint8_t window[4096] __attribute__((aligned(4096)));
static shared_info_t *si;

static void need_shared_info(void)
{
    uint64_t pte;
    long rc;

    if (si)
        return;
    if (!vcpu0) {
        test_skip("no vcpu_info");
        test_abort();
    }
    pte = (start_info->shared_info & ~0xfffUL) | 0x63;  /* P, RW, A, D */
    rc = HYPERVISOR_update_va_mapping((uint64_t)(uintptr_t)window, pte,
                                      UVMF_INVLPG);
    if (rc) {
        test_fail("mapping shared_info: %ld", rc);
        test_abort();
    }
    si = (shared_info_t *)window;
}

static int bitmap_test(const volatile xen_ulong_t *w, unsigned int p)
{
    return (w[p / 64] >> (p % 64)) & 1;
}

static int is_pending(unsigned int p) { return bitmap_test(si->evtchn_pending, p); }

static void set_mask(unsigned int p, int on)
{
    if (on)
        __atomic_fetch_or(&si->evtchn_mask[p / 64], 1UL << (p % 64), __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_and(&si->evtchn_mask[p / 64], ~(1UL << (p % 64)), __ATOMIC_SEQ_CST);
}

/* What a guest's handler does: forget everything owed so far. */
static void ack_all(void)
{
    for (unsigned int i = 0; i < 64; i++)
        si->evtchn_pending[i] = 0;
    vcpu0->evtchn_pending_sel = 0;
    vcpu0->evtchn_upcall_pending = 0;
}

/* Unmask upcalls across one hypercall; the callbacks that ran. */
static unsigned long deliver(void)
{
    unsigned long before = event_callbacks;

    vcpu0->evtchn_upcall_mask = 0;
    HYPERVISOR_xen_version(XENVER_version, NULL);
    vcpu0->evtchn_upcall_mask = 1;
    return event_callbacks - before;
}

static long alloc_unbound(domid_t dom, domid_t remote)
{
    struct evtchn_alloc_unbound a = { .dom = dom, .remote_dom = remote };
    long rc = OP(alloc_unbound, &a);

    return rc ? rc : (long)a.port;
}

static long bind_interdomain(domid_t dom, evtchn_port_t port)
{
    struct evtchn_bind_interdomain b = { .remote_dom = dom, .remote_port = port };
    long rc = OP(bind_interdomain, &b);

    return rc ? rc : (long)b.local_port;
}

static long bind_virq(uint32_t virq, uint32_t vcpu)
{
    struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };
    long rc = OP(bind_virq, &b);

    return rc ? rc : (long)b.port;
}

static long bind_ipi(uint32_t vcpu)
{
    struct evtchn_bind_ipi b = { .vcpu = vcpu };
    long rc = OP(bind_ipi, &b);

    return rc ? rc : (long)b.port;
}

static long evtchn_close(long port)
{
    struct evtchn_close c = { .port = (evtchn_port_t)port };

    return OP(close, &c);
}

static long evtchn_send(long port)
{
    struct evtchn_send s = { .port = (evtchn_port_t)port };

    return OP(send, &s);
}

static long evtchn_unmask(long port)
{
    struct evtchn_unmask u = { .port = (evtchn_port_t)port };

    return OP(unmask, &u);
}

static struct evtchn_status st;
static long status(domid_t dom, long port)
{
    memset(&st, 0xa5, sizeof(st));
    st.dom = dom;
    st.port = (evtchn_port_t)port;
    return OP(status, &st);
}

/* An unbound port for ourselves and the port bound to it: a loopback. */
static void loopback(long *p, long *q)
{
    *p = alloc_unbound(DOMID_SELF, DOMID_SELF);
    CHECK(*p > 0, "alloc_unbound: %ld", *p);
    *q = bind_interdomain(DOMID_SELF, *p);
    CHECK(*q > 0, "bind_interdomain: %ld", *q);
    if (*p <= 0 || *q <= 0)
        test_abort();
}

TEST(status_closed, "evtchn/status_closed")
{
    CHECK_EQ(status(DOMID_SELF, 0), 0, "status of port 0");
    CHECK_EQ(st.status, EVTCHNSTAT_closed, "port 0 (reserved) reads closed");
    CHECK_EQ(st.vcpu, 0, "port 0 vcpu");
    CHECK_EQ(status(0, 63), 0, "status of a free port (own domid)");
    CHECK_EQ(st.status, EVTCHNSTAT_closed, "free port");
    /* Storage grows 64 ports at a time: beyond it, no such port. */
    CHECK_EQ(status(DOMID_SELF, 64), -EINVAL, "status of port 64");
    CHECK_EQ(status(DOMID_SELF, 100000), -EINVAL, "status of port 100000");
    CHECK_EQ(status(NO_SUCH_DOMAIN, 1), -ESRCH, "status in DOMID_INVALID");
    CHECK_EQ(status(5, 1), -ESRCH, "status in a domain that does not exist");
}

TEST(loopback, "evtchn/loopback")
{
    unsigned long n;
    long p, q;

    need_shared_info();
    ack_all();
    set_mask(1, 0);
    loopback(&p, &q);
    /* Binding raises the new local port once (lost notifications). */
    CHECK(is_pending(q), "local port %ld pending after bind", q);
    CHECK_EQ(vcpu0->evtchn_pending_sel, 1UL << (q / 64), "selector after bind");
    CHECK_EQ(vcpu0->evtchn_upcall_pending, 1, "upcall_pending after bind");

    CHECK_EQ(status(DOMID_SELF, p), 0, "status p");
    CHECK_EQ(st.status, EVTCHNSTAT_interdomain, "p is interdomain");
    CHECK_EQ(st.u.interdomain.dom, 0, "p's remote domain");
    CHECK_EQ(st.u.interdomain.port, q, "p's remote port");
    CHECK_EQ(st.vcpu, 0, "p's vcpu");
    CHECK_EQ(status(DOMID_SELF, q), 0, "status q");
    CHECK_EQ(st.u.interdomain.port, p, "q's remote port");

    ack_all();
    CHECK_EQ(evtchn_send(q), 0, "send on q");
    CHECK(is_pending(p), "send on q raised p");
    CHECK(!is_pending(q), "send on q left q alone");
    CHECK_EQ(vcpu0->evtchn_pending_sel, 1UL << (p / 64), "selector after send");
    CHECK_EQ(vcpu0->evtchn_upcall_pending, 1, "upcall_pending after send");
    n = deliver();
    CHECK_EQ(n, 1, "callbacks on unmasking");
    CHECK(is_pending(p), "p still pending (the handler clears it)");

    /* Already pending: a second send owes no new upcall. */
    CHECK_EQ(evtchn_send(q), 0, "send again");
    CHECK_EQ(vcpu0->evtchn_upcall_pending, 0, "no upcall for a pending port");
    CHECK_EQ(deliver(), 0, "no callback");

    /* Send with upcalls unmasked: the callback runs on the way back. */
    ack_all();
    vcpu0->evtchn_upcall_mask = 0;
    n = event_callbacks;
    evtchn_send(p);
    vcpu0->evtchn_upcall_mask = 1;
    CHECK_EQ(event_callbacks - n, 1, "callback straight after send");
    CHECK(is_pending(q), "q pending in the callback");

    CHECK_EQ(evtchn_close(p), 0, "close p");
    CHECK(!is_pending(p), "closing cleared p's pending bit");
    CHECK_EQ(status(DOMID_SELF, q), 0, "status q after closing p");
    CHECK_EQ(st.status, EVTCHNSTAT_unbound, "q is unbound");
    CHECK_EQ(st.u.unbound.dom, 0, "q waits for us");
    ack_all();
    CHECK_EQ(evtchn_send(q), 0, "send on unbound q is dropped");
    CHECK_EQ(vcpu0->evtchn_upcall_pending, 0, "nothing raised");
    CHECK_EQ(evtchn_close(q), 0, "close q");
    CHECK_EQ(status(DOMID_SELF, q), 0, "status q after close");
    CHECK_EQ(st.status, EVTCHNSTAT_closed, "q closed");
    ack_all();
}

TEST(mask_unmask, "evtchn/mask_unmask")
{
    long p, q;

    need_shared_info();
    loopback(&p, &q);
    ack_all();
    set_mask(p, 1);
    CHECK_EQ(evtchn_send(q), 0, "send to masked p");
    CHECK(is_pending(p), "masked p pending");
    CHECK_EQ(vcpu0->evtchn_pending_sel, 0, "no selector for a masked port");
    CHECK_EQ(vcpu0->evtchn_upcall_pending, 0, "no upcall for a masked port");
    CHECK_EQ(deliver(), 0, "no callback while masked");

    /* The hypercall unmask re-delivers through the selector. */
    CHECK_EQ(evtchn_unmask(p), 0, "unmask p");
    CHECK(!bitmap_test(si->evtchn_mask, p), "p unmasked");
    CHECK_EQ(vcpu0->evtchn_pending_sel, 1UL << (p / 64), "selector after unmask");
    CHECK_EQ(vcpu0->evtchn_upcall_pending, 1, "upcall_pending after unmask");
    CHECK_EQ(deliver(), 1, "callback after unmask");

    /* Selector bit already set: unmask owes no second upcall. */
    vcpu0->evtchn_pending_sel = 1UL << (p / 64);
    vcpu0->evtchn_upcall_pending = 0;
    set_mask(p, 1);
    CHECK_EQ(evtchn_unmask(p), 0, "unmask with the selector set");
    CHECK_EQ(vcpu0->evtchn_upcall_pending, 0, "no new upcall");

    /* Nothing pending: unmask just clears the bit. */
    ack_all();
    set_mask(p, 1);
    CHECK_EQ(evtchn_unmask(p), 0, "unmask idle p");
    CHECK_EQ(vcpu0->evtchn_pending_sel, 0, "selector stays clear");

    /* Free and reserved ports: accepted, mask bit left alone. */
    set_mask(40, 1);
    set_mask(0, 1);
    CHECK_EQ(evtchn_unmask(40), 0, "unmask a free port");
    CHECK_EQ(evtchn_unmask(0), 0, "unmask port 0");
    CHECK(bitmap_test(si->evtchn_mask, 40), "free port's mask bit kept");
    CHECK(bitmap_test(si->evtchn_mask, 0), "port 0's mask bit kept");
    set_mask(40, 0);
    set_mask(0, 0);
    CHECK_EQ(evtchn_unmask(100000), -EINVAL, "unmask port 100000");
    evtchn_close(p);
    evtchn_close(q);
    ack_all();
}

TEST(bind_virq, "evtchn/bind_virq")
{
    long t, d, c;

    CHECK_EQ(bind_virq(NR_VIRQS, 0), -EINVAL, "virq 24");
    CHECK_EQ(bind_virq(0xffffffff, 0), -EINVAL, "virq ~0");
    CHECK_EQ(bind_virq(VIRQ_DOM_EXC, 1), -EINVAL, "global VIRQ on vCPU 1");
    CHECK_EQ(bind_virq(VIRQ_ARCH_0, NO_SUCH_VCPU), -EINVAL, "arch VIRQ (global) on vCPU 100");
    CHECK_EQ(bind_virq(VIRQ_DEBUG, NO_SUCH_VCPU), -ENOENT, "per-vCPU VIRQ on vCPU 100");

    t = bind_virq(VIRQ_TIMER, 0);
    CHECK(t > 0, "bind VIRQ_TIMER: %ld", t);
    CHECK_EQ(evtchn_close(t), 0, "close VIRQ_TIMER");

    d = bind_virq(VIRQ_DEBUG, 0);
    CHECK(d > 0, "bind VIRQ_DEBUG: %ld", d);
    CHECK_EQ(bind_virq(VIRQ_DEBUG, 0), -EEXIST, "VIRQ_DEBUG again");
    CHECK_EQ(status(DOMID_SELF, d), 0, "status");
    CHECK_EQ(st.status, EVTCHNSTAT_virq, "virq port");
    CHECK_EQ(st.u.virq, VIRQ_DEBUG, "which virq");
    CHECK_EQ(st.vcpu, 0, "its vcpu");
    CHECK_EQ(evtchn_send(d), -EINVAL, "send on a VIRQ port");
    CHECK_EQ(OP(bind_vcpu, &((struct evtchn_bind_vcpu){ .port = (evtchn_port_t)d })),
             -EINVAL, "bind_vcpu of a per-vCPU VIRQ");

    c = bind_virq(VIRQ_DOM_EXC, 0);
    CHECK(c > 0, "bind VIRQ_DOM_EXC: %ld", c);
    CHECK_EQ(bind_virq(VIRQ_DOM_EXC, 0), -EEXIST, "VIRQ_DOM_EXC again");
    CHECK_EQ(OP(bind_vcpu, &((struct evtchn_bind_vcpu){ .port = (evtchn_port_t)c })),
             0, "bind_vcpu of a global VIRQ");

    CHECK_EQ(evtchn_close(d), 0, "close VIRQ_DEBUG");
    CHECK_EQ(evtchn_close(c), 0, "close VIRQ_DOM_EXC");
    d = bind_virq(VIRQ_DEBUG, 0);
    CHECK(d > 0, "VIRQ_DEBUG can be bound again: %ld", d);
    evtchn_close(d);
}

TEST(ipi, "evtchn/ipi")
{
    long p;

    need_shared_info();
    CHECK_EQ(bind_ipi(NO_SUCH_VCPU), -ENOENT, "bind_ipi on vCPU 100");
    p = bind_ipi(0);
    CHECK(p > 0, "bind_ipi: %ld", p);
    if (p <= 0)
        return;
    CHECK_EQ(status(DOMID_SELF, p), 0, "status");
    CHECK_EQ(st.status, EVTCHNSTAT_ipi, "ipi port");
    CHECK_EQ(st.vcpu, 0, "ipi vcpu");
    ack_all();
    set_mask(p, 0);
    CHECK_EQ(evtchn_send(p), 0, "send");
    CHECK(is_pending(p), "ipi pending");
    CHECK_EQ(vcpu0->evtchn_pending_sel, 1UL << (p / 64), "selector");
    CHECK_EQ(deliver(), 1, "callback");
    CHECK_EQ(OP(bind_vcpu, &((struct evtchn_bind_vcpu){ .port = (evtchn_port_t)p })),
             -EINVAL, "bind_vcpu of an IPI port");
    CHECK_EQ(evtchn_close(p), 0, "close");
    CHECK_EQ(evtchn_send(p), -EINVAL, "send on a closed port");
    ack_all();
}

TEST(refusals, "evtchn/refusals")
{
    struct evtchn_bind_vcpu bv = { .port = 1, .vcpu = NO_SUCH_VCPU };
    long p;

    CHECK_EQ(evtchn_close(0), -EINVAL, "close port 0");
    CHECK_EQ(evtchn_close(40), -EINVAL, "close a free port");
    CHECK_EQ(evtchn_close(100000), -EINVAL, "close port 100000");
    CHECK_EQ(evtchn_send(0), -EINVAL, "send on port 0");
    CHECK_EQ(evtchn_send(40), -EINVAL, "send on a free port");
    CHECK_EQ(alloc_unbound(NO_SUCH_DOMAIN, DOMID_SELF), -ESRCH, "alloc_unbound in DOMID_INVALID");
    CHECK_EQ(bind_interdomain(NO_SUCH_DOMAIN, 1), -ESRCH, "bind to DOMID_INVALID");
    CHECK_EQ(bind_interdomain(DOMID_SELF, 0), -EINVAL, "bind to port 0");
    CHECK_EQ(bind_interdomain(DOMID_SELF, 40), -EINVAL, "bind to a free port");
    CHECK_EQ(bind_interdomain(DOMID_SELF, 100000), -EINVAL, "bind to port 100000");
    CHECK_EQ(OP(bind_vcpu, &bv), -ENOENT, "bind_vcpu to vCPU 100");

    /* Unbound for another domain: we may not bind it. */
    p = alloc_unbound(DOMID_SELF, 5);
    CHECK(p > 0, "alloc_unbound for dom5: %ld", p);
    CHECK_EQ(status(DOMID_SELF, p), 0, "status");
    CHECK_EQ(st.status, EVTCHNSTAT_unbound, "unbound");
    CHECK_EQ(st.u.unbound.dom, 5, "remote domain 5");
    CHECK_EQ(bind_interdomain(DOMID_SELF, p), -EINVAL, "bind to dom5's port");
    bv.port = (evtchn_port_t)p;
    bv.vcpu = 0;
    CHECK_EQ(OP(bind_vcpu, &bv), 0, "bind_vcpu of an unbound port");
    CHECK_EQ(evtchn_close(p), 0, "close");
    CHECK_EQ(evtchn_close(p), -EINVAL, "close twice");
}

TEST(abi_probes, "evtchn/abi_probes")
{
    struct evtchn_init_control ic = { .vcpu = NO_SUCH_VCPU };
    struct evtchn_set_priority sp = { .port = 100000 };
    long rc;

    /* Mica has no FIFO ABI (-ENOSYS); Xen checks the vCPU (-ENOENT). */
    rc = OP(init_control, &ic);
    CHECK(rc == -ENOSYS || rc == -ENOENT, "init_control: %ld", rc);
    test_note("init_control answered %ld", rc);
    CHECK_EQ(OP(set_priority, &sp), -EINVAL, "set_priority of port 100000");
    sp.port = 0;
    CHECK_EQ(OP(set_priority, &sp), -ENOSYS, "set_priority under 2-level");
    CHECK_EQ(HYPERVISOR_event_channel_op(15, NULL), -ENOSYS, "sub-op 15");
    CHECK_EQ(HYPERVISOR_event_channel_op(-1, NULL), -ENOSYS, "sub-op -1");
}

TEST(efault, "evtchn/efault")
{
    static const int ops[] = {
        EVTCHNOP_bind_interdomain, EVTCHNOP_bind_virq, EVTCHNOP_close,
        EVTCHNOP_send, EVTCHNOP_status, EVTCHNOP_alloc_unbound,
        EVTCHNOP_bind_ipi, EVTCHNOP_bind_vcpu, EVTCHNOP_unmask,
        EVTCHNOP_reset, EVTCHNOP_init_control, EVTCHNOP_expand_array,
        EVTCHNOP_set_priority,
    };

    for (unsigned int i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        long rc = HYPERVISOR_event_channel_op(ops[i], (void *)BAD_XEN);

        if (rc != -EFAULT)
            test_fail("sub-op %d with a hypervisor address: %ld", ops[i], rc);
    }
}

TEST(reset, "evtchn/reset")
{
    struct evtchn_reset r = { .dom = DOMID_SELF };
    long p, q, v, i;

    need_shared_info();
    loopback(&p, &q);
    v = bind_virq(VIRQ_DEBUG, 0);
    i = bind_ipi(0);
    CHECK(v > 0 && i > 0, "bind: %ld %ld", v, i);
    evtchn_send(i);
    CHECK_EQ(HYPERVISOR_event_channel_op(14, &r), -EBUSY, "reset_cont with no reset");
    r.dom = NO_SUCH_DOMAIN;
    CHECK_EQ(OP(reset, &r), -ESRCH, "reset DOMID_INVALID");
    r.dom = DOMID_SELF;
    CHECK_EQ(OP(reset, &r), 0, "reset");
    for (long port = 1; port < 64; port++) {
        if (status(DOMID_SELF, port) || st.status != EVTCHNSTAT_closed)
            test_fail("port %ld not closed after reset", port);
        if (is_pending(port))
            test_fail("port %ld still pending after reset", port);
    }
    v = bind_virq(VIRQ_DEBUG, 0);
    CHECK(v > 0, "VIRQ_DEBUG free again: %ld", v);
    evtchn_close(v);
    ack_all();
}

TEST(growth, "evtchn/growth")
{
    struct evtchn_reset r = { .dom = 0 };
    long p = 0, n = 0;

    /* Every port up to the 2-level limit, then one too many. */
    while ((p = alloc_unbound(DOMID_SELF, DOMID_SELF)) > 0)
        n = p;
    CHECK_EQ(p, -ENOSPC, "allocation past the last port");
    CHECK_EQ(n, 4095, "last port");
    CHECK_EQ(bind_ipi(0), -ENOSPC, "bind_ipi in a full table");
    CHECK_EQ(status(DOMID_SELF, 4095), 0, "status 4095");
    CHECK_EQ(st.status, EVTCHNSTAT_unbound, "4095 unbound");
    CHECK_EQ(status(DOMID_SELF, 4096), -EINVAL, "status 4096");
    CHECK_EQ(evtchn_close(2000), 0, "close 2000");
    CHECK_EQ(bind_ipi(0), 2000, "lowest free port reused");
    /* A long reset may be preempted; the guest never sees it. */
    CHECK_EQ(OP(reset, &r), 0, "reset");
    CHECK_EQ(status(DOMID_SELF, 4095), 0, "status 4095 after reset");
    CHECK_EQ(st.status, EVTCHNSTAT_closed, "4095 closed");
}
