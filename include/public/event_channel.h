/* SPDX-License-Identifier: MIT */
/*
 * include/public/event_channel.h - HYPERVISOR_event_channel_op(cmd, arg):
 * allocating, binding, signalling and closing event-channel ports.
 *
 * A port is a pending bit plus a mask bit (2-level ABI in shared_info, or a
 * FIFO event word).  Every struct below is one sub-op's argument; fields
 * marked OUT are written back by the hypervisor on success.
 */
#ifndef MICA_PUBLIC_EVENT_CHANNEL_H
#define MICA_PUBLIC_EVENT_CHANNEL_H

#include "xen.h"

typedef uint32_t evtchn_port_t;

#define EVTCHNOP_bind_interdomain   0
#define EVTCHNOP_bind_virq          1
#define EVTCHNOP_bind_pirq          2
#define EVTCHNOP_close              3
#define EVTCHNOP_send               4
#define EVTCHNOP_status             5
#define EVTCHNOP_alloc_unbound      6
#define EVTCHNOP_bind_ipi           7
#define EVTCHNOP_bind_vcpu          8
#define EVTCHNOP_unmask             9
#define EVTCHNOP_reset             10
#define EVTCHNOP_init_control      11   /* FIFO ABI */
#define EVTCHNOP_expand_array      12   /* FIFO ABI */
#define EVTCHNOP_set_priority      13   /* FIFO ABI */

/* A port in domain dom that remote_dom may later bind to. */
struct evtchn_alloc_unbound {
    domid_t dom, remote_dom;
    evtchn_port_t port;                 /* OUT */
};
typedef struct evtchn_alloc_unbound evtchn_alloc_unbound_t;
_Static_assert(sizeof(struct evtchn_alloc_unbound) == 8, "alloc_unbound");

/* Connect to a port left unbound for us by remote_dom. */
struct evtchn_bind_interdomain {
    domid_t remote_dom;
    evtchn_port_t remote_port;
    evtchn_port_t local_port;           /* OUT */
};
typedef struct evtchn_bind_interdomain evtchn_bind_interdomain_t;
_Static_assert(sizeof(struct evtchn_bind_interdomain) == 12, "bind_interdomain");

struct evtchn_bind_virq {
    uint32_t virq;                      /* VIRQ_* */
    uint32_t vcpu;
    evtchn_port_t port;                 /* OUT */
};
typedef struct evtchn_bind_virq evtchn_bind_virq_t;
_Static_assert(sizeof(struct evtchn_bind_virq) == 12, "bind_virq");

#define BIND_PIRQ__WILL_SHARE   1
struct evtchn_bind_pirq {
    uint32_t pirq;
    uint32_t flags;                     /* BIND_PIRQ__* */
    evtchn_port_t port;                 /* OUT */
};
typedef struct evtchn_bind_pirq evtchn_bind_pirq_t;
_Static_assert(sizeof(struct evtchn_bind_pirq) == 12, "bind_pirq");

/* A port for inter-processor interrupts within the domain. */
struct evtchn_bind_ipi {
    uint32_t vcpu;
    evtchn_port_t port;                 /* OUT */
};
typedef struct evtchn_bind_ipi evtchn_bind_ipi_t;
_Static_assert(sizeof(struct evtchn_bind_ipi) == 8, "bind_ipi");

struct evtchn_close {
    evtchn_port_t port;
};
typedef struct evtchn_close evtchn_close_t;

struct evtchn_send {
    evtchn_port_t port;
};
typedef struct evtchn_send evtchn_send_t;

#define EVTCHNSTAT_closed       0
#define EVTCHNSTAT_unbound      1
#define EVTCHNSTAT_interdomain  2
#define EVTCHNSTAT_pirq         3
#define EVTCHNSTAT_virq         4
#define EVTCHNSTAT_ipi          5

struct evtchn_status {
    domid_t dom;
    evtchn_port_t port;
    uint32_t status;                    /* OUT: EVTCHNSTAT_* */
    uint32_t vcpu;                      /* OUT: vCPU notified */
    union {                             /* OUT: depends on status */
        struct { domid_t dom; } unbound;
        struct { domid_t dom; evtchn_port_t port; } interdomain;
        uint32_t pirq;
        uint32_t virq;
    } u;
};
typedef struct evtchn_status evtchn_status_t;
_Static_assert(sizeof(struct evtchn_status) == 24, "evtchn_status");

/* Deliver the port's events to another vCPU. */
struct evtchn_bind_vcpu {
    evtchn_port_t port;
    uint32_t vcpu;
};
typedef struct evtchn_bind_vcpu evtchn_bind_vcpu_t;

struct evtchn_unmask {
    evtchn_port_t port;
};
typedef struct evtchn_unmask evtchn_unmask_t;

/* Close every port of a domain (kexec, soft reset). */
struct evtchn_reset {
    domid_t dom;
};
typedef struct evtchn_reset evtchn_reset_t;

/* Switch to the FIFO ABI; the control block lives at offset in the gfn. */
struct evtchn_init_control {
    uint64_t control_gfn;
    uint32_t offset;
    uint32_t vcpu;
    uint8_t link_bits;                  /* OUT */
    uint8_t _pad[7];
};
typedef struct evtchn_init_control evtchn_init_control_t;
_Static_assert(sizeof(struct evtchn_init_control) == 24, "init_control");

struct evtchn_expand_array {
    uint64_t array_gfn;
};
typedef struct evtchn_expand_array evtchn_expand_array_t;

struct evtchn_set_priority {
    evtchn_port_t port;
    uint32_t priority;
};
typedef struct evtchn_set_priority evtchn_set_priority_t;

/* Ports of the 2-level ABI: one bit per port in a word of words. */
#define EVTCHN_2L_NR_CHANNELS   (sizeof(xen_ulong_t) * sizeof(xen_ulong_t) * 64)

/* FIFO ABI: one 32-bit word per port, 16 priority queues per vCPU. */
typedef uint32_t event_word_t;

#define EVTCHN_FIFO_PRIORITY_MAX        0
#define EVTCHN_FIFO_PRIORITY_DEFAULT    7
#define EVTCHN_FIFO_PRIORITY_MIN       15
#define EVTCHN_FIFO_MAX_QUEUES  (EVTCHN_FIFO_PRIORITY_MIN + 1)

#define EVTCHN_FIFO_PENDING     31
#define EVTCHN_FIFO_MASKED      30
#define EVTCHN_FIFO_LINKED      29
#define EVTCHN_FIFO_BUSY        28
#define EVTCHN_FIFO_LINK_BITS   17
#define EVTCHN_FIFO_LINK_MASK   ((1 << EVTCHN_FIFO_LINK_BITS) - 1)
#define EVTCHN_FIFO_NR_CHANNELS (1 << EVTCHN_FIFO_LINK_BITS)

struct evtchn_fifo_control_block {
    uint32_t ready;                     /* one bit per non-empty queue */
    uint32_t _rsvd;
    event_word_t head[EVTCHN_FIFO_MAX_QUEUES];
};
typedef struct evtchn_fifo_control_block evtchn_fifo_control_block_t;
_Static_assert(sizeof(struct evtchn_fifo_control_block) == 72, "fifo_cb");

#endif /* MICA_PUBLIC_EVENT_CHANNEL_H */
