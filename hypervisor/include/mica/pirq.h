/* SPDX-License-Identifier: MIT */
/*
 * mica/pirq.h - physical IRQs as a domain sees them (PIRQs): numbers that
 * dom0 maps to GSIs (PHYSDEVOP_map_pirq), binds to event channels
 * (EVTCHNOP_bind_pirq) and acknowledges (PHYSDEVOP_eoi, or the EOI bitmap
 * page it registers).  The operations return 0 or Xen's negative errno;
 * the physdev_op hypercall (pv/physdev-irq.c) checks privilege and copies.
 */
#ifndef MICA_PIRQ_H
#define MICA_PIRQ_H

#include <mica/types.h>
#include <public/event_channel.h>

struct domain;
struct evtchn;

/* How many PIRQs d has: the GSIs, then room for dynamically chosen ones. */
unsigned int pirq_count(const struct domain *d);

/*
 * Map GSI 'gsi' into d: *pirq < 0 picks a free PIRQ (or the one already
 * mapped to that GSI); the PIRQ used is written back.
 */
int pirq_map_gsi(struct domain *d, int gsi, int *pirq);
int pirq_unmap(struct domain *d, int pirq);
/* Reserve a free PIRQ of a MAP_PIRQ_TYPE_*; returns it or -ENOSPC. */
int pirq_get_free(struct domain *d, int type);
int pirq_eoi(struct domain *d, unsigned int pirq);
int pirq_status_query(struct domain *d, unsigned int pirq, uint32_t *flags);
/* The page whose bit N says "PIRQ N needs an EOI" (v1: EOI also unmasks). */
int pirq_set_eoi_map(struct domain *d, mfn_t mfn, bool v1);

/* Event channels: bind takes d's event_lock itself (then pirq_lock); close
 * (common/event-channel.c) calls unbind with it held. */
int evtchn_bind_pirq(struct domain *d, struct evtchn_bind_pirq *op);
void pirq_unbind(struct domain *d, struct evtchn *chn);

/* physdev_op's interrupt sub-ops (pv/physdev-irq.c); -ENOSYS for others. */
long physdev_irq_op(int cmd, uint64_t arg);

/* Domain teardown, after its event channels are closed. */
void pirq_destroy(struct domain *d);

#endif
