/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/event-2l.c - the 2-level event-channel ABI: a pending
 * and a mask bit per port in shared_info, a per-vCPU selector word saying
 * which 64-port words to scan, and the vCPU's upcall_pending flag.
 *
 * The guest changes the same words concurrently on its own vCPUs (it
 * clears pending bits, sets and clears mask bits, exchanges the selector
 * with 0), so every update here is a single locked read-modify-write and
 * the order of the steps is what makes the protocol race-free:
 *
 *   raise:   set pending; if it was clear and the port is unmasked and the
 *            selector bit was clear, set upcall_pending and kick the vCPU.
 *   unmask:  clear mask; if it was set and the port is pending and the
 *            selector bit was clear, do the same.
 *
 * A guest that saw the pending bit before the selector therefore always
 * gets a later upcall, and one already owed an upcall gets no extra one.
 */
#include <mica/domain.h>
#include <mica/event.h>

#define WORD_BITS   (8 * sizeof(xen_ulong_t))

static bool test_and_set(xen_ulong_t *words, unsigned int nr)
{
    xen_ulong_t bit = (xen_ulong_t)1 << (nr % WORD_BITS);

    return __atomic_fetch_or(&words[nr / WORD_BITS], bit, __ATOMIC_SEQ_CST) & bit;
}

static bool test_and_clear(xen_ulong_t *words, unsigned int nr)
{
    xen_ulong_t bit = (xen_ulong_t)1 << (nr % WORD_BITS);

    return __atomic_fetch_and(&words[nr / WORD_BITS], ~bit, __ATOMIC_SEQ_CST) & bit;
}

static bool test(const xen_ulong_t *words, unsigned int nr)
{
    return (__atomic_load_n(&words[nr / WORD_BITS], __ATOMIC_SEQ_CST) >>
            (nr % WORD_BITS)) & 1;
}

/*
 * Owe v an upcall.  Only the 0 -> 1 transition kicks: a vCPU with the
 * flag already set will run its callback anyway.
 */
static void mark_events_pending(struct vcpu *v)
{
    if (!__atomic_exchange_n(&v->vcpu_info->evtchn_upcall_pending, 1,
                             __ATOMIC_SEQ_CST))
        vcpu_kick(v);
}

/* The selector bit for 'port' was clear: now owe the upcall. */
static void select_word(struct vcpu *v, evtchn_port_t port)
{
    if (!test_and_set(&v->vcpu_info->evtchn_pending_sel, port / WORD_BITS))
        mark_events_pending(v);
}

void evtchn_2l_set_pending(struct vcpu *v, evtchn_port_t port)
{
    shared_info_t *s = v->domain->shared_info;

    struct domain *d = v->domain;

    if (test_and_set(s->evtchn_pending, port))
        return;
    if (!test(s->evtchn_mask, port))
        select_word(v, port);
    /*
     * SCHEDOP_poll waits for ports to become pending, masked or not and
     * upcall owed or not (PV spinlocks poll masked ports): wake pollers.
     */
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpus[i] && d->vcpus[i]->sched.polling)
            vcpu_kick(d->vcpus[i]);
}

void evtchn_2l_clear_pending(struct domain *d, evtchn_port_t port)
{
    test_and_clear(d->shared_info->evtchn_pending, port);
}

/* Re-deliver an event that arrived while the port was masked. */
void evtchn_2l_unmask(struct domain *d, struct vcpu *v, evtchn_port_t port)
{
    shared_info_t *s = d->shared_info;

    if (test_and_clear(s->evtchn_mask, port) && test(s->evtchn_pending, port))
        select_word(v, port);
}

bool evtchn_2l_is_pending(const struct domain *d, evtchn_port_t port)
{
    return port < EVTCHN_MAX_PORTS && test(d->shared_info->evtchn_pending, port);
}

bool evtchn_2l_is_masked(const struct domain *d, evtchn_port_t port)
{
    return port >= EVTCHN_MAX_PORTS || test(d->shared_info->evtchn_mask, port);
}
