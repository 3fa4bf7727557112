/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/event-channel.c - event-channel ports: the per-domain
 * port table and the operations on it (alloc_unbound, bind_interdomain,
 * bind_ipi, bind_vcpu, send, close, status, unmask, reset), each refusing
 * with Xen's errno.  VIRQs are in event-virq.c, the 2-level bitmaps in
 * event-2l.c, the hypercall's copy-in/out in event-op.c.
 *
 * Storage: buckets of EVTCHNS_PER_BUCKET channels, allocated when a port
 * in them is first needed, up to the 2-level limit of 4096 ports.  Ports
 * below ed->valid have storage ("valid" as in Xen: a free port there can
 * be asked about, one above cannot).  Port 0 is reserved for ever.
 * Buckets are only freed with the domain, so a channel pointer obtained
 * without the lock stays a channel.
 *
 * Lifetime: evtchn_destroy(), at the domain's kill, marks the table dead
 * (no new port) and closes every port, so peers see their ends unbound;
 * the buckets and the table stay until evtchn_destroy_final() at the
 * domain's free (its last reference).  So a peer found through an
 * interdomain channel under our lock can be held (get_knownalive_domain)
 * and its lock taken after ours is let go, even if it is killed between.
 *
 * Locking: an operation that changes both ends of an interdomain channel
 * (bind_interdomain, close) takes the two domains' event_locks lower
 * domain_id first; where they sit among the other locks:
 * docs/ARCHITECTURE.md, "Lock order".  event_lock covers the table, every channel's state and binding, and
 * virq_to_evtchn updates.  EVTCHNOP_send holds only the sender's lock:
 * an interdomain binding can only be broken while holding both, so the
 * peer's port and vCPUs stay while it is held (the peer's kill closes
 * that port first, under our lock too).  VIRQ
 * senders run in interrupt context and take no lock: they read
 * virq_to_evtchn once and touch only the shared bitmaps, and close clears
 * that entry before it frees the channel.  A sender racing a close on
 * another CPU can at worst leave a spurious pending bit, which guests
 * must tolerate anyway (bind_interdomain raises one on purpose).
 */
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/heap.h>
#include <mica/hypercall.h>
#include <mica/domctl.h>
#include <mica/pirq.h>
#include "event-channel.h"

/* The domain dom names, with a reference the caller puts; NULL if none. */
static struct domain *lookup_domain(struct domain *cd, domid_t dom)
{
    struct domain *d = get_domain_by_any_id(cd, dom);

    if (d && !d->evtchn) {
        put_domain(d);
        d = NULL;
    }
    return d;
}

/* Xen's default policy for ops on another domain's ports: dom0 only. */
static bool may_target(const struct domain *cd, const struct domain *d)
{
    return cd == d || cd->is_privileged;
}

/* Both ends of an interdomain channel: lower domain_id first. */
static void lock_two(struct domain *a, struct domain *b)
{
    struct domain *first = a->domain_id < b->domain_id ? a : b;

    lock_one(first);
    if (a != b)
        lock_one(first == a ? b : a);
}

static void unlock_two(struct domain *a, struct domain *b)
{
    unlock_one(a);
    if (a != b)
        unlock_one(b);
}

/* The channel of a port that has storage, or NULL. */
static struct evtchn *lookup_port(const struct domain *d, evtchn_port_t port)
{
    const struct evtchn_domain *ed = d->evtchn;

    return port < __atomic_load_n(&ed->valid, __ATOMIC_ACQUIRE) ?
           port_chn(ed, port) : NULL;
}

/* Raise chn's event on its notify vCPU. */
void chn_raise(struct domain *d, struct evtchn *chn, unsigned int vcpu_id)
{
    struct vcpu *v = domain_vcpu(d, vcpu_id);

    if (chn_usable(chn) && v)
        evtchn_2l_set_pending(v, chn->port);
}

/* Claim 'port', adding buckets up to it. */
static int allocate_port(struct domain *d, evtchn_port_t port)
{
    struct evtchn_domain *ed = d->evtchn;

    if (port > ed->max_port || port >= EVTCHN_MAX_PORTS)
        return -ENOSPC;
    if (port < ed->valid) {
        if (port_chn(ed, port)->state != ECS_FREE)
            return -EBUSY;
    } else {
        do {
            unsigned int first = ed->valid;
            struct evtchn *b = xzalloc(EVTCHNS_PER_BUCKET * sizeof(*b));

            if (!b)
                return -ENOMEM;
            for (unsigned int i = 0; i < EVTCHNS_PER_BUCKET; i++)
                b[i].port = first + i;
            ed->bucket[first / EVTCHNS_PER_BUCKET] = b;
            /* Lock-free readers check valid: publish the bucket first. */
            __atomic_store_n(&ed->valid, first + EVTCHNS_PER_BUCKET,
                             __ATOMIC_RELEASE);
        } while (port >= ed->valid);
    }
    ed->active++;
    return 0;
}

/* The lowest free port, claimed; or a negative errno. */
int get_free_port(struct domain *d)
{
    struct evtchn_domain *ed = d->evtchn;

    ASSERT(spin_is_locked_by_me(&ed->event_lock));
    if (ed->dead || d->state == DOMAIN_DYING)
        return -EINVAL;
    for (evtchn_port_t port = 0; port <= ed->max_port; port++) {
        int rc = allocate_port(d, port);

        if (rc != -EBUSY)
            return rc ? rc : (int)port;
    }
    return -ENOSPC;
}

/* Give back a port claimed by get_free_port whose binding then failed. */
static void unclaim_port(struct domain *d, evtchn_port_t port)
{
    ASSERT(spin_is_locked_by_me(&d->evtchn->event_lock));
    ASSERT(port_chn(d->evtchn, port)->state == ECS_FREE);
    d->evtchn->active--;
}

static void evtchn_free(struct domain *d, struct evtchn *chn)
{
    /* A stale pending bit would fire on the port's next binding. */
    if (chn_usable(chn))
        evtchn_2l_clear_pending(d, chn->port);
    d->evtchn->active--;
    chn->state = ECS_FREE;
    chn->notify_vcpu_id = 0;
}

int evtchn_init(struct domain *d)
{
    struct evtchn_domain *ed;
    int rc;

    ASSERT(d->max_vcpus && !d->evtchn);
    ed = xzalloc(sizeof(*ed) + d->max_vcpus * sizeof(ed->virq_to_evtchn[0]));
    if (!ed)
        return -ENOMEM;
    ed->max_port = EVTCHN_MAX_PORTS - 1;
    d->evtchn = ed;
    lock_one(d);                    /* no one else sees it yet: for the rule */
    rc = get_free_port(d);
    unlock_one(d);
    if (rc != 0) {
        d->evtchn = NULL;
        xfree(ed->bucket[0]);
        xfree(ed);
        return -ENOMEM;
    }
    port_chn(ed, 0)->state = ECS_RESERVED;
    ed->active = 0;
    return 0;
}

/*
 * The toolstack's limit on ports (createdomain, set_max_evtchn).  Ports
 * in use above a lowered limit would become unreachable, so they refuse.
 */
int evtchn_set_max_port(struct domain *d, unsigned int max_port)
{
    struct evtchn_domain *ed = d->evtchn;
    int rc = 0;

    if (max_port >= EVTCHN_MAX_PORTS)
        max_port = EVTCHN_MAX_PORTS - 1;
    lock_one(d);
    for (unsigned int port = max_port + 1; port < ed->valid && !rc; port++)
        if (port_chn(ed, port)->state != ECS_FREE)
            rc = -EBUSY;
    if (!rc)
        ed->max_port = max_port;
    unlock_one(d);
    return rc;
}

unsigned int evtchn_valid_ports(const struct domain *d)
{
    return d->evtchn ? d->evtchn->valid : 0;
}

unsigned int evtchn_active_ports(const struct domain *d)
{
    return d->evtchn ? d->evtchn->active : 0;
}

int evtchn_alloc_unbound(struct domain *cd, struct evtchn_alloc_unbound *op)
{
    struct domain *d = lookup_domain(cd, op->dom);
    struct evtchn *chn;
    int port, rc = 0;

    if (!d)
        return -ESRCH;
    lock_one(d);
    port = get_free_port(d);
    if (port < 0) {
        rc = port;
        goto out;
    }
    if (!may_target(cd, d)) {
        unclaim_port(d, port);
        rc = -EPERM;
        goto out;
    }
    chn = port_chn(d->evtchn, port);
    chn->state = ECS_UNBOUND;
    chn->u.unbound_remote = op->remote_dom == DOMID_SELF ? cd->domain_id
                                                         : op->remote_dom;
    op->port = port;
out:
    unlock_one(d);
    put_domain(d);
    return rc;
}

int evtchn_bind_interdomain(struct domain *ld, struct evtchn_bind_interdomain *op)
{
    struct domain *rd = lookup_domain(ld, op->remote_dom);
    evtchn_port_t rport = op->remote_port;
    struct evtchn *lchn, *rchn;
    int lport, rc = 0;

    if (!rd)
        return -ESRCH;
    lock_two(ld, rd);
    lport = get_free_port(ld);
    if (lport < 0) {
        rc = lport;
        goto out;
    }
    rchn = lookup_port(rd, rport);
    if (!rchn || rchn->state != ECS_UNBOUND ||
        rchn->u.unbound_remote != ld->domain_id) {
        unclaim_port(ld, lport);
        rc = -EINVAL;
        goto out;
    }
    lchn = port_chn(ld->evtchn, lport);
    lchn->state = ECS_INTERDOMAIN;
    lchn->u.remote.dom = rd;
    lchn->u.remote.port = rport;
    rchn->state = ECS_INTERDOMAIN;
    rchn->u.remote.dom = ld;
    rchn->u.remote.port = lport;
    /*
     * Sends to the unbound remote end were dropped; like Xen, make up for
     * any of them by always raising the new local port once.
     */
    chn_raise(ld, lchn, lchn->notify_vcpu_id);
    op->local_port = lport;
out:
    unlock_two(ld, rd);
    put_domain(rd);
    return rc;
}

int evtchn_bind_ipi(struct domain *d, struct evtchn_bind_ipi *op)
{
    struct evtchn *chn;
    int port;

    if (!domain_vcpu(d, op->vcpu))
        return -ENOENT;
    lock_one(d);
    port = get_free_port(d);
    if (port >= 0) {
        chn = port_chn(d->evtchn, port);
        chn->state = ECS_IPI;
        chn->notify_vcpu_id = op->vcpu;
        op->port = port;
    }
    unlock_one(d);
    return port < 0 ? port : 0;
}

int evtchn_close(struct domain *d1, evtchn_port_t port)
{
    struct evtchn *chn1 = lookup_port(d1, port), *chn2;
    struct domain *d2 = NULL;
    int rc = 0;

    if (!chn1)
        return -EINVAL;
again:
    lock_one(d1);
    switch (chn1->state) {
    case ECS_FREE:
    case ECS_RESERVED:
        rc = -EINVAL;
        goto out;
    case ECS_UNBOUND:
    case ECS_IPI:
        break;
    case ECS_VIRQ:
        virq_unbind(d1, chn1);
        break;
    case ECS_INTERDOMAIN:
        if (!d2) {
            /* The other end changes too: take its lock in domid order.
             * Held, as it may be killed while d1 is unlocked. */
            d2 = chn1->u.remote.dom;
            get_knownalive_domain(d2);
            if (d1->domain_id < d2->domain_id) {
                lock_one(d2);
            } else if (d1 != d2) {
                unlock_one(d1);
                lock_one(d2);
                goto again;
            }
        } else if (d2 != chn1->u.remote.dom) {
            /* Closed and re-bound while d1 was unlocked: it was free. */
            rc = -EINVAL;
            goto out;
        }
        chn2 = lookup_port(d2, chn1->u.remote.port);
        BUG_ON(!chn2 || chn2->state != ECS_INTERDOMAIN || chn2->u.remote.dom != d1);
        evtchn_free(d1, chn1);
        chn2->state = ECS_UNBOUND;
        chn2->u.unbound_remote = d1->domain_id;
        goto out;
    case ECS_PIRQ:
        pirq_unbind(d1, chn1);
        break;
    default:
        BUG();
    }
    evtchn_free(d1, chn1);
out:
    if (d2 && d2 != d1)
        unlock_one(d2);
    unlock_one(d1);
    if (d2)
        put_domain(d2);             /* never the last: see domain.c */
    return rc;
}

int evtchn_send(struct domain *ld, evtchn_port_t port)
{
    struct evtchn *lchn = lookup_port(ld, port), *rchn;
    struct domain *rd;
    int rc = 0;

    if (!lchn)
        return -EINVAL;
    lock_one(ld);
    switch (lchn->state) {
    case ECS_INTERDOMAIN:
        rd = lchn->u.remote.dom;
        rchn = port_chn(rd->evtchn, lchn->u.remote.port);
        chn_raise(rd, rchn, rchn->notify_vcpu_id);
        break;
    case ECS_IPI:
        chn_raise(ld, lchn, lchn->notify_vcpu_id);
        break;
    case ECS_UNBOUND:
        break;                      /* nobody to tell: dropped */
    default:
        rc = -EINVAL;
        break;
    }
    unlock_one(ld);
    return rc;
}

int evtchn_status(struct domain *cd, struct evtchn_status *op)
{
    struct domain *d = lookup_domain(cd, op->dom);
    struct evtchn *chn;
    int rc = 0;

    if (!d)
        return -ESRCH;
    chn = lookup_port(d, op->port);
    if (!chn) {
        put_domain(d);
        return -EINVAL;
    }
    lock_one(d);
    if (!may_target(cd, d)) {
        rc = -EPERM;
        goto out;
    }
    switch (chn->state) {
    case ECS_FREE:
    case ECS_RESERVED:
        op->status = EVTCHNSTAT_closed;
        break;
    case ECS_UNBOUND:
        op->status = EVTCHNSTAT_unbound;
        op->u.unbound.dom = chn->u.unbound_remote;
        break;
    case ECS_INTERDOMAIN:
        op->status = EVTCHNSTAT_interdomain;
        op->u.interdomain.dom = chn->u.remote.dom->domain_id;
        op->u.interdomain.port = chn->u.remote.port;
        break;
    case ECS_VIRQ:
        op->status = EVTCHNSTAT_virq;
        op->u.virq = chn->u.virq;
        break;
    case ECS_IPI:
        op->status = EVTCHNSTAT_ipi;
        break;
    case ECS_PIRQ:
        op->status = EVTCHNSTAT_pirq;
        op->u.pirq = chn->u.pirq;
        break;
    default:
        BUG();
    }
    op->vcpu = chn->notify_vcpu_id;
out:
    unlock_one(d);
    put_domain(d);
    return rc;
}

int evtchn_bind_vcpu(struct domain *d, evtchn_port_t port, unsigned int vcpu_id)
{
    struct evtchn *chn;
    int rc = 0;

    if (!domain_vcpu(d, vcpu_id))
        return -ENOENT;
    chn = lookup_port(d, port);
    if (!chn)
        return -EINVAL;
    lock_one(d);
    switch (chn->state) {
    case ECS_VIRQ:
        /* A per-vCPU VIRQ belongs to the vCPU it was bound on. */
        if (virq_is_global(chn->u.virq))
            chn->notify_vcpu_id = vcpu_id;
        else
            rc = -EINVAL;
        break;
    case ECS_UNBOUND:
    case ECS_INTERDOMAIN:
    case ECS_PIRQ:
        chn->notify_vcpu_id = vcpu_id;
        break;
    default:
        rc = -EINVAL;
        break;
    }
    unlock_one(d);
    return rc;
}

int evtchn_unmask(struct domain *d, evtchn_port_t port)
{
    struct evtchn *chn = lookup_port(d, port);
    struct vcpu *v;

    if (!chn)
        return -EINVAL;
    /* A free port's mask bit is left alone, as Xen does. */
    v = domain_vcpu(d, chn->notify_vcpu_id);
    if (chn_usable(chn) && v)
        evtchn_2l_unmask(d, v, port);
    return 0;
}

int evtchn_set_priority(struct domain *d, const struct evtchn_set_priority *op)
{
    /* Priorities are a FIFO-ABI notion; the port is still checked first. */
    return lookup_port(d, op->port) ? -ENOSYS : -EINVAL;
}

/*
 * Close every port.  Long, so preemptible: -ERESTART asks the caller to
 * come back with resuming set; a second reset while one is under way, or
 * a resumption with none, is -EBUSY.
 */
int evtchn_reset(struct domain *cd, domid_t dom, bool resuming)
{
    struct domain *d = lookup_domain(cd, dom);
    struct evtchn_domain *ed;
    unsigned int i;
    int rc = 0;

    if (!d)
        return -ESRCH;
    /*
     * Only the caller's own ports.  Xen also resets another domain's while
     * its controller keeps it paused; nothing here needs that yet.
     */
    rc = !may_target(cd, d) ? -EPERM : d != cd ? -EINVAL : 0;
    put_domain(d);                  /* d is the caller from here on */
    if (rc)
        return rc;
    ed = d->evtchn;
    lock_one(d);
    i = resuming ? ed->next_reset : !ed->next_reset;
    if (i > ed->next_reset)
        ed->next_reset = i;
    unlock_one(d);
    if (!i)
        return -EBUSY;

    for (; i < ed->valid && ed->active; i++) {
        (void)evtchn_close(d, i);
        if (!(i & 0x3f) && hypercall_preempt_check()) {
            lock_one(d);
            ed->next_reset = i;
            unlock_one(d);
            return -ERESTART;
        }
    }
    lock_one(d);
    ed->next_reset = 0;
    if (ed->active)
        rc = -EAGAIN;
    unlock_one(d);
    return rc;
}

/* The kill: every port closed, none opened again; the storage stays. */
void evtchn_destroy(struct domain *d)
{
    struct evtchn_domain *ed = d->evtchn;
    unsigned int valid;

    if (!ed)
        return;
    /* Under the lock: a binding under way either sees dead or is closed
     * below, as valid is read after it. */
    lock_one(d);
    ed->dead = true;
    valid = ed->valid;
    unlock_one(d);
    /* Interdomain peers see their end become unbound. */
    for (unsigned int port = valid; --port;)
        (void)evtchn_close(d, port);
    ASSERT(!ed->active);
}

/* The domain's free: nobody holds it, so nobody reaches the ports. */
void evtchn_destroy_final(struct domain *d)
{
    struct evtchn_domain *ed = d->evtchn;

    if (!ed)
        return;
    ASSERT(!ed->active);
    d->evtchn = NULL;
    for (unsigned int i = 0; i < NR_BUCKETS; i++)
        xfree(ed->bucket[i]);
    xfree(ed);
}
