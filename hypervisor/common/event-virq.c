/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/event-virq.c - virtual IRQs: binding a VIRQ to a port
 * (EVTCHNOP_bind_virq) and raising it from the hypervisor.
 *
 * Per-vCPU VIRQs (TIMER, DEBUG, XENOPROF, XENPMU) are bound separately on
 * each vCPU and always delivered to it; the others are global, bound once
 * on vCPU 0 and delivered to whichever vCPU the port was moved to with
 * bind_vcpu.  virq_to_evtchn is written under event_lock and read without
 * it by the senders, which may run in interrupt context.
 */
#include <mica/lib.h>
#include <mica/errno.h>
#include "event-channel.h"

bool virq_is_global(unsigned int virq)
{
    switch (virq) {
    case VIRQ_TIMER:
    case VIRQ_DEBUG:
    case VIRQ_XENOPROF:
    case VIRQ_XENPMU:
        return false;
    default:
        return true;                /* x86: all VIRQ_ARCH_* too */
    }
}

int evtchn_bind_virq(struct domain *d, struct evtchn_bind_virq *op)
{
    unsigned int virq = op->virq;
    evtchn_port_t *slot;
    struct evtchn *chn;
    int port, rc = 0;

    if (virq >= NR_VIRQS)
        return -EINVAL;
    if (virq_is_global(virq) && op->vcpu != 0)
        return -EINVAL;
    if (!domain_vcpu(d, op->vcpu))
        return -ENOENT;
    lock_one(d);
    slot = &d->evtchn->virq_to_evtchn[op->vcpu][virq];
    if (*slot) {
        rc = -EEXIST;
        goto out;
    }
    port = get_free_port(d);
    if (port < 0) {
        rc = port;
        goto out;
    }
    chn = port_chn(d->evtchn, port);
    chn->state = ECS_VIRQ;
    chn->notify_vcpu_id = op->vcpu;
    chn->u.virq = virq;
    op->port = port;
    /* Last: interrupt-time senders may use the port from here on. */
    __atomic_store_n(slot, port, __ATOMIC_RELEASE);
out:
    unlock_one(d);
    return rc;
}

/* Closing: the senders stop using the port before it is freed. */
void virq_unbind(struct domain *d, struct evtchn *chn)
{
    unsigned int virq = chn->u.virq;
    struct vcpu *v = domain_vcpu(d, virq_is_global(virq) ? 0 : chn->notify_vcpu_id);

    ASSERT(spin_is_locked_by_me(&d->evtchn->event_lock));
    if (v)
        __atomic_store_n(&d->evtchn->virq_to_evtchn[v->vcpu_id][virq], 0,
                         __ATOMIC_RELEASE);
}

void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq)
{
    struct evtchn_domain *ed = v->domain->evtchn;
    evtchn_port_t port;

    ASSERT(virq < NR_VIRQS && !virq_is_global(virq));
    if (!ed || virq >= NR_VIRQS)
        return;
    port = __atomic_load_n(&ed->virq_to_evtchn[v->vcpu_id][virq], __ATOMIC_ACQUIRE);
    if (port)
        evtchn_2l_set_pending(v, port);
}

void send_guest_global_virq(struct domain *d, unsigned int virq)
{
    struct evtchn_domain *ed;
    evtchn_port_t port;

    ASSERT(virq < NR_VIRQS && virq_is_global(virq));
    if (!d || !(ed = d->evtchn) || !d->vcpus[0] || virq >= NR_VIRQS)
        return;
    port = __atomic_load_n(&ed->virq_to_evtchn[0][virq], __ATOMIC_ACQUIRE);
    if (port)
        chn_raise(d, port_chn(ed, port), port_chn(ed, port)->notify_vcpu_id);
}
