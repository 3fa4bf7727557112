/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/event-op.c - the event_channel_op hypercall: copy the
 * sub-op's argument in, run the operation (event-channel.c), copy the OUT
 * fields back.  Nothing here knows how ports are kept.
 */
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/event.h>
#include <mica/pirq.h>
#include <mica/guest-access.h>
#include <mica/hypercall.h>

/* Every sub-op's argument, copied in whole and (for OUT fields) back. */
union evtchn_op_arg {
    struct evtchn_bind_interdomain bind_interdomain;
    struct evtchn_bind_virq bind_virq;
    struct evtchn_bind_pirq bind_pirq;
    struct evtchn_close close;
    struct evtchn_send send;
    struct evtchn_status status;
    struct evtchn_alloc_unbound alloc_unbound;
    struct evtchn_bind_ipi bind_ipi;
    struct evtchn_bind_vcpu bind_vcpu;
    struct evtchn_unmask unmask;
    struct evtchn_reset reset;
    struct evtchn_init_control init_control;
    struct evtchn_expand_array expand_array;
    struct evtchn_set_priority set_priority;
};

#define ARG(op, type, out) [EVTCHNOP_##op] = { sizeof(struct type), out }
static const struct {
    uint8_t size;
    bool out;                       /* copied back on success */
} op_args[] = {
    ARG(bind_interdomain, evtchn_bind_interdomain, true),
    ARG(bind_virq, evtchn_bind_virq, true),
    ARG(bind_pirq, evtchn_bind_pirq, true),
    ARG(close, evtchn_close, false),
    ARG(send, evtchn_send, false),
    ARG(status, evtchn_status, true),
    ARG(alloc_unbound, evtchn_alloc_unbound, true),
    ARG(bind_ipi, evtchn_bind_ipi, true),
    ARG(bind_vcpu, evtchn_bind_vcpu, false),
    ARG(unmask, evtchn_unmask, false),
    ARG(reset, evtchn_reset, false),
    ARG(init_control, evtchn_init_control, true),
    ARG(expand_array, evtchn_expand_array, false),
    ARG(set_priority, evtchn_set_priority, false),
    ARG(reset_cont, evtchn_reset, false),
};

static int evtchn_op(struct domain *d, int cmd, union evtchn_op_arg *a)
{
    switch (cmd) {
    case EVTCHNOP_bind_interdomain:
        return evtchn_bind_interdomain(d, &a->bind_interdomain);
    case EVTCHNOP_bind_virq:
        return evtchn_bind_virq(d, &a->bind_virq);
    case EVTCHNOP_bind_pirq:
        return evtchn_bind_pirq(d, &a->bind_pirq);
    case EVTCHNOP_close:
        return evtchn_close(d, a->close.port);
    case EVTCHNOP_send:
        return evtchn_send(d, a->send.port);
    case EVTCHNOP_status:
        return evtchn_status(d, &a->status);
    case EVTCHNOP_alloc_unbound:
        return evtchn_alloc_unbound(d, &a->alloc_unbound);
    case EVTCHNOP_bind_ipi:
        return evtchn_bind_ipi(d, &a->bind_ipi);
    case EVTCHNOP_bind_vcpu:
        return evtchn_bind_vcpu(d, a->bind_vcpu.port, a->bind_vcpu.vcpu);
    case EVTCHNOP_unmask:
        return evtchn_unmask(d, a->unmask.port);
    case EVTCHNOP_reset:
    case EVTCHNOP_reset_cont:
        return evtchn_reset(d, a->reset.dom, cmd == EVTCHNOP_reset_cont);
    case EVTCHNOP_set_priority:
        return evtchn_set_priority(d, &a->set_priority);
    default:
        /*
         * init_control, expand_array: no FIFO ABI yet; failing the probe
         * is what makes Linux settle on the 2-level ABI.
         */
        return -ENOSYS;
    }
}

long evtchn_do_op(struct domain *d, uint64_t cmd64, uint64_t arg)
{
    int cmd = (int)cmd64;           /* Xen's handler takes an int */
    union evtchn_op_arg a;
    int rc;

    if (cmd < 0 || (unsigned int)cmd >= ARRAY_SIZE(op_args) || !op_args[cmd].size)
        return -ENOSYS;
    if (copy_from_guest(&a, arg, op_args[cmd].size))
        return -EFAULT;
    rc = evtchn_op(d, cmd, &a);
    if (rc == -ERESTART)
        return hypercall_create_continuation(__HYPERVISOR_event_channel_op,
                                             (uint64_t)EVTCHNOP_reset_cont, arg);
    /* A result lost here cannot be undone: the port stays bound, as in Xen. */
    if (!rc && op_args[cmd].out && copy_to_guest(arg, &a, op_args[cmd].size))
        rc = -EFAULT;
    return rc;
}

long do_event_channel_op(uint64_t cmd, uint64_t arg)
{
    return evtchn_do_op(current->domain, cmd, arg);
}
