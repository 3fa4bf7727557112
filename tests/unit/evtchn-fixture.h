/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/evtchn-fixture.h - the world the event-channel unit tests
 * run in: two fake domains (dom0 privileged with two vCPUs, dom1 with one),
 * each with a fake shared_info page, and host stand-ins for the heap,
 * guest copies, preemption and vcpu_kick that can be told to fail.
 * Included once by each event-channel test program.
 */
#ifndef TESTS_UNIT_EVTCHN_FIXTURE_H
#define TESTS_UNIT_EVTCHN_FIXTURE_H

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/heap.h>
#include <mica/domain.h>
#include <mica/event.h>
#include <mica/guest-access.h>
#include <mica/hypercall.h>
#include <mica/pirq.h>
#include <asm/spinlock.h>
#include "cunit-runner.h"

/* ---- stand-ins for the rest of the hypervisor --------------------------- */

static shared_info_t shinfo[2] __aligned(4096);
static struct domain doms[2];
static struct vcpu vcpus[3];            /* d0: 0, 1; d1: 0 */

static int kicks[3];
static int alloc_fail_after = -1;       /* xzalloc fails when it reaches 0 */
static int preempt_after = -1;          /* preempt check true when it reaches 0 */
static unsigned int cont_nr;
static uint64_t cont_args[2];

/*
 * References as domain.c keeps them: d->refcnt counts the table's (set
 * by setup_domain) and every holder's; listed[] is the table, taken under
 * list_lock.  A holder's put is never the last, and nobody gets hold of
 * a domain that has none left: ref_errors counts either mistake.  Atomic,
 * as test-event-race runs these on several threads.
 */
static int dom_refs;                    /* holders' references: 0 between calls */
static int ref_errors;
static struct domain *listed[2];
static spinlock_t list_lock = SPINLOCK_INIT;

static inline void take_ref(struct domain *d)
{
    if (!__atomic_fetch_add(&d->refcnt, 1, __ATOMIC_ACQUIRE))
        __atomic_fetch_add(&ref_errors, 1, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&dom_refs, 1, __ATOMIC_SEQ_CST);
}

struct domain *get_domain_by_id(domid_t id)
{
    struct domain *d;

    if (id >= 2)
        return NULL;
    spin_lock(&list_lock);
    d = listed[id];
    if (d && !d->evtchn)
        d = NULL;
    if (d)
        take_ref(d);
    spin_unlock(&list_lock);
    return d;
}

void get_knownalive_domain(struct domain *d)
{
    take_ref(d);
}

struct domain *get_domain_by_any_id(struct domain *cd, domid_t id)
{
    if (id != DOMID_SELF)
        return get_domain_by_id(id);
    take_ref(cd);
    return cd;
}

void put_domain(struct domain *d)
{
    if (!__atomic_sub_fetch(&d->refcnt, 1, __ATOMIC_ACQ_REL))
        __atomic_fetch_add(&ref_errors, 1, __ATOMIC_SEQ_CST);
    __atomic_fetch_sub(&dom_refs, 1, __ATOMIC_SEQ_CST);
}

/*
 * Only the fixture's own vCPUs are counted (test-event-race makes more).
 * kick_refs: the domain's references at the last kick (who held it).
 */
static unsigned int kick_refs[3];
void vcpu_kick(struct vcpu *v)
{
    for (int i = 0; i < 3; i++)
        if (v == &vcpus[i]) {
            kicks[i]++;
            kick_refs[i] = __atomic_load_n(&v->domain->refcnt, __ATOMIC_ACQUIRE);
        }
}

void *xzalloc(size_t size)
{
    if (alloc_fail_after >= 0 && alloc_fail_after-- == 0)
        return NULL;
    return calloc(1, size);
}

void xfree(void *p)
{
    free(p);
}

/* Reads from BAD fault; writes to BAD or RO fault. */
#define BAD 0xdead0000UL
static char ro_buf[64];
#define RO ((uint64_t)(uintptr_t)ro_buf)

int copy_from_guest(void *dst, uint64_t va, size_t len)
{
    if (va == BAD)
        return -EFAULT;
    memcpy(dst, (void *)(uintptr_t)va, len);
    return 0;
}

int copy_to_guest(uint64_t va, const void *src, size_t len)
{
    if (va == BAD || va == RO)
        return -EFAULT;
    memcpy((void *)(uintptr_t)va, src, len);
    return 0;
}

bool hypercall_preempt_check(void)
{
    return preempt_after >= 0 && preempt_after-- == 0;
}

long hypercall_create_continuation(unsigned int nr, ...)
{
    va_list ap;

    va_start(ap, nr);
    cont_nr = nr;
    cont_args[0] = va_arg(ap, uint64_t);
    cont_args[1] = va_arg(ap, uint64_t);
    va_end(ap);
    return 0;
}

/*
 * Physical IRQs need the IO-APIC, which the host has not: no PIRQ is ever
 * mapped here, so binding one fails as Xen fails for an unmapped PIRQ.
 * (test-event-pirq links the real ones over these.)
 */
__attribute__((weak)) int evtchn_bind_pirq(struct domain *d, struct evtchn_bind_pirq *op)
{
    (void)d;
    (void)op;
    return -EPERM;
}

__attribute__((weak)) void pirq_unbind(struct domain *d, struct evtchn *chn)
{
    (void)d;
    (void)chn;
    CU_FAIL("no PIRQ port can exist in the host tests");
}

/* ---- helpers ------------------------------------------------------------ */

#define D0 (&doms[0])
#define D1 (&doms[1])
#define V00 (&vcpus[0])
#define V01 (&vcpus[1])
#define V10 (&vcpus[2])

static inline void setup_domain(struct domain *d, domid_t id, bool priv,
                         unsigned int nvcpus, struct vcpu *v)
{
    memset(d, 0, sizeof(*d));
    d->domain_id = id;
    d->is_privileged = priv;
    d->max_vcpus = nvcpus;
    d->shared_info = &shinfo[id];
    for (unsigned int i = 0; i < nvcpus; i++) {
        v[i].domain = d;
        v[i].vcpu_id = i;
        v[i].vcpu_info = &shinfo[id].vcpu_info[i];
        d->vcpus[i] = &v[i];
    }
    CU_ASSERT_EQUAL_FATAL(evtchn_init(d), 0);
    d->refcnt = 1;                      /* the table's */
    listed[id] = d;
}

static inline int setup(void)
{
    memset(shinfo, 0, sizeof(shinfo));
    memset(vcpus, 0, sizeof(vcpus));
    memset(kicks, 0, sizeof(kicks));
    alloc_fail_after = preempt_after = -1;
    setup_domain(D0, 0, true, 2, &vcpus[0]);
    setup_domain(D1, 1, false, 1, &vcpus[2]);
    return 0;
}

/* Kill and free both domains, in domain.c's order. */
static inline int teardown(void)
{
    evtchn_destroy(D0);
    evtchn_destroy(D1);
    CU_ASSERT_PTR_NOT_NULL(D0->evtchn);     /* kept until the free */
    evtchn_destroy_final(D0);
    evtchn_destroy_final(D1);
    CU_ASSERT_PTR_NULL(D0->evtchn);
    CU_ASSERT_EQUAL(dom_refs, 0);       /* every lookup was put */
    CU_ASSERT_EQUAL(ref_errors, 0);
    return 0;
}

static inline bool bit(const xen_ulong_t *w, unsigned int n)
{
    return (w[n / 64] >> (n % 64)) & 1;
}

static inline void set_bit(xen_ulong_t *w, unsigned int n)
{
    w[n / 64] |= 1UL << (n % 64);
}

static inline bool pending(struct domain *d, unsigned int p)
{
    return bit(d->shared_info->evtchn_pending, p);
}

/* Forget all delivery state, as a guest's upcall handler would. */
static inline void ack_all(void)
{
    memset(shinfo[0].evtchn_pending, 0, sizeof(shinfo[0].evtchn_pending));
    memset(shinfo[1].evtchn_pending, 0, sizeof(shinfo[1].evtchn_pending));
    for (int i = 0; i < 3; i++) {
        vcpus[i].vcpu_info->evtchn_upcall_pending = 0;
        vcpus[i].vcpu_info->evtchn_pending_sel = 0;
        kicks[i] = 0;
    }
}

static inline int alloc_unbound(struct domain *cd, domid_t dom, domid_t remote)
{
    struct evtchn_alloc_unbound op = { .dom = dom, .remote_dom = remote };
    int rc = evtchn_alloc_unbound(cd, &op);

    return rc ? rc : (int)op.port;
}

static inline int bind_interdomain(struct domain *ld, domid_t rdom, evtchn_port_t rport)
{
    struct evtchn_bind_interdomain op = { .remote_dom = rdom, .remote_port = rport };
    int rc = evtchn_bind_interdomain(ld, &op);

    return rc ? rc : (int)op.local_port;
}

static inline int bind_virq(struct domain *d, uint32_t virq, uint32_t vcpu)
{
    struct evtchn_bind_virq op = { .virq = virq, .vcpu = vcpu };
    int rc = evtchn_bind_virq(d, &op);

    return rc ? rc : (int)op.port;
}

static inline int bind_ipi(struct domain *d, uint32_t vcpu)
{
    struct evtchn_bind_ipi op = { .vcpu = vcpu };
    int rc = evtchn_bind_ipi(d, &op);

    return rc ? rc : (int)op.port;
}

static struct evtchn_status st __attribute__((unused));
static inline int status(struct domain *cd, domid_t dom, evtchn_port_t port)
{
    memset(&st, 0xa5, sizeof(st));
    st.dom = dom;
    st.port = port;
    return evtchn_status(cd, &st);
}

#endif
