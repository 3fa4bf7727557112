/* SPDX-License-Identifier: MIT */
/*
 * mica/event.h - event channels: the per-domain port table, the
 * EVTCHNOP_* operations and raising events (VIRQs) from the hypervisor.
 *
 * Ports are numbered 1..4095 (port 0 is reserved); each is a pending and a
 * mask bit in the domain's shared_info (the 2-level ABI) plus the binding
 * kept here.  The core operations take the calling domain explicitly and a
 * kernel-side copy of the guest's argument, so they run unchanged in the
 * host unit tests; do_event_channel_op() only copies in and out.
 */
#ifndef MICA_EVENT_H
#define MICA_EVENT_H

#include <mica/types.h>
#include <public/xen.h>
#include <public/event_channel.h>

struct domain;
struct vcpu;

/*
 * The sub-op a preempted EVTCHNOP_reset is re-issued as (Xen's number; it
 * is hypervisor-internal, so not in the public header).
 */
#define EVTCHNOP_reset_cont 14

/* Ports per storage bucket: the table grows by this many at a time. */
#define EVTCHNS_PER_BUCKET  64
#define EVTCHN_MAX_PORTS    EVTCHN_2L_NR_CHANNELS

/*
 * Domain lifetime (common/domain.c).  evtchn_init needs d->max_vcpus.
 * evtchn_destroy at the kill closes every port; the storage stays, for
 * peers and senders still holding the domain, until evtchn_destroy_final
 * at its free.
 */
int evtchn_init(struct domain *d);
void evtchn_destroy(struct domain *d);
void evtchn_destroy_final(struct domain *d);
/* Raise or lower the highest port d may bind (the toolstack's limit). */
int evtchn_set_max_port(struct domain *d, unsigned int max_port);

/* Raise a per-vCPU VIRQ (TIMER, DEBUG, ...) on v, if the guest bound it. */
void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq);
/* Raise a global VIRQ (CONSOLE, DOM_EXC, ...) bound on d's vCPU 0. */
void send_guest_global_virq(struct domain *d, unsigned int virq);

/*
 * Make v notice newly pending events soon: wake it if it blocks, or
 * interrupt the CPU running it.  Provided by the scheduler (sched/core.c).
 */
extern void vcpu_kick(struct vcpu *v);

long do_event_channel_op(uint64_t cmd, uint64_t arg);
/* The same for domain d's vCPU: what do_event_channel_op runs. */
long evtchn_do_op(struct domain *d, uint64_t cmd, uint64_t arg);

/*
 * The operations behind the hypercall.  'cd' is the calling domain (it
 * resolves DOMID_SELF and is checked for privilege); results go into the
 * OUT fields of the argument.  Each returns 0 or a negative errno exactly
 * as Xen's EVTCHNOP_* would; evtchn_reset may return -ERESTART, meaning
 * "call again with resuming = true".
 */
int evtchn_alloc_unbound(struct domain *cd, struct evtchn_alloc_unbound *op);
int evtchn_bind_interdomain(struct domain *ld, struct evtchn_bind_interdomain *op);
int evtchn_bind_virq(struct domain *d, struct evtchn_bind_virq *op);
int evtchn_bind_ipi(struct domain *d, struct evtchn_bind_ipi *op);
int evtchn_bind_vcpu(struct domain *d, evtchn_port_t port, unsigned int vcpu_id);
int evtchn_close(struct domain *d, evtchn_port_t port);
int evtchn_send(struct domain *d, evtchn_port_t port);
int evtchn_status(struct domain *cd, struct evtchn_status *op);
int evtchn_unmask(struct domain *d, evtchn_port_t port);
int evtchn_set_priority(struct domain *d, const struct evtchn_set_priority *op);
int evtchn_reset(struct domain *cd, domid_t dom, bool resuming);

/* Table size, for diagnostics and tests: ports with storage, ports in use. */
unsigned int evtchn_valid_ports(const struct domain *d);
unsigned int evtchn_active_ports(const struct domain *d);

/*
 * The 2-level ABI's bitmap protocol (common/event-2l.c), used by
 * event-channel.c only.  v is the vCPU whose selector is updated.
 */
void evtchn_2l_set_pending(struct vcpu *v, evtchn_port_t port);
void evtchn_2l_clear_pending(struct domain *d, evtchn_port_t port);
void evtchn_2l_unmask(struct domain *d, struct vcpu *v, evtchn_port_t port);
bool evtchn_2l_is_pending(const struct domain *d, evtchn_port_t port);
bool evtchn_2l_is_masked(const struct domain *d, evtchn_port_t port);

#endif
