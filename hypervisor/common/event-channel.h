/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/event-channel.h - the port table, private to the
 * event-channel files (event-channel.c, event-virq.c).  Everyone else uses
 * mica/event.h.  Locking rules: see the top of event-channel.c.
 */
#ifndef COMMON_EVENT_CHANNEL_H
#define COMMON_EVENT_CHANNEL_H

#include <mica/domain.h>
#include <mica/event.h>
#include <asm/spinlock.h>

enum evtchn_state {
    ECS_FREE,                       /* available */
    ECS_RESERVED,                   /* port 0 */
    ECS_UNBOUND,                    /* waiting for remote_domid to bind */
    ECS_INTERDOMAIN,
    ECS_PIRQ,                       /* a physical IRQ (event-pirq.c) */
    ECS_VIRQ,
    ECS_IPI,
};

struct evtchn {
    uint8_t state;                  /* enum evtchn_state */
    uint16_t notify_vcpu_id;        /* the vCPU whose selector is raised */
    evtchn_port_t port;
    union {
        domid_t unbound_remote;     /* ECS_UNBOUND */
        struct {                    /* ECS_INTERDOMAIN */
            struct domain *dom;
            evtchn_port_t port;
        } remote;
        unsigned int virq;          /* ECS_VIRQ */
        unsigned int pirq;          /* ECS_PIRQ (common/event-pirq.c) */
    } u;
};

#define NR_BUCKETS  (EVTCHN_MAX_PORTS / EVTCHNS_PER_BUCKET)

struct evtchn_domain {
    spinlock_t event_lock;
    unsigned int valid;             /* ports with storage */
    unsigned int active;            /* ports not free (port 0 not counted) */
    unsigned int max_port;          /* highest port the domain may use */
    unsigned int next_reset;        /* reset progress; 0: none running */
    bool dead;                      /* being destroyed: no new ports */
    struct evtchn *bucket[NR_BUCKETS];
    /* Per vCPU: the port each VIRQ is bound to, 0 if none. */
    evtchn_port_t virq_to_evtchn[][NR_VIRQS];
};

#define lock_one(d)     spin_lock(&(d)->evtchn->event_lock)
#define unlock_one(d)   spin_unlock(&(d)->evtchn->event_lock)

static inline struct vcpu *domain_vcpu(const struct domain *d, unsigned int id)
{
    return id < d->max_vcpus ? d->vcpus[id] : NULL;
}

static inline struct evtchn *port_chn(const struct evtchn_domain *ed,
                                      evtchn_port_t port)
{
    return &ed->bucket[port / EVTCHNS_PER_BUCKET][port % EVTCHNS_PER_BUCKET];
}

/* Free and reserved ports carry no events (Xen's "usable"). */
static inline bool chn_usable(const struct evtchn *chn)
{
    return chn->state > ECS_RESERVED;
}

/* event-channel.c */
int get_free_port(struct domain *d);        /* claimed; caller holds event_lock */
void chn_raise(struct domain *d, struct evtchn *chn, unsigned int vcpu_id);

/* event-virq.c */
bool virq_is_global(unsigned int virq);
void virq_unbind(struct domain *d, struct evtchn *chn);

#endif
