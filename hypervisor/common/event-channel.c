/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/event-channel.c - event-channel ports: the per-domain
 * port table, binding (unbound, interdomain, VIRQ, IPI), send, close,
 * status, unmask and reset, with Xen's errno for every refusal, and the
 * event_channel_op hypercall.  The bitmap protocol is in event-2l.c.
 *
 * Storage: buckets of EVTCHNS_PER_BUCKET channels allocated as ports are
 * first needed, up to the 2-level limit of 4096 ports; ports below
 * ed->valid have storage ("valid" as in Xen: a free port there can be
 * asked about, one above cannot).  Port 0 is reserved for ever.
 *
 * Locking (one CPU today: the locks are taken but never contended):
 *   1. event_lock of the domain with the lower domain_id,
 *   2. event_lock of the other one, when an operation changes both ends
 *      of an interdomain channel (bind_interdomain, close).
 * event_lock covers the table, every channel's state and binding, and
 * virq_to_evtchn updates.  Senders (EVTCHNOP_send) hold only the sending
 * domain's lock: an interdomain binding can only be broken with both.
 * VIRQ senders run from interrupts and take no lock: they read
 * virq_to_evtchn once and only touch the shared bitmaps, and close clears
 * that entry before it frees the channel.  With several CPUs a per-vCPU
 * virq_lock (irqsave) around both sides closes the remaining window.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/heap.h>
#include <mica/domain.h>
#include <mica/event.h>
#include <mica/guest-access.h>
#include <mica/hypercall.h>
#include <asm/spinlock.h>

enum evtchn_state {
    ECS_FREE,                       /* available */
    ECS_RESERVED,                   /* port 0 */
    ECS_UNBOUND,                    /* waiting for remote_domid to bind */
    ECS_INTERDOMAIN,
    ECS_PIRQ,                       /* not bound by anything yet */
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

/*
 * The scheduler's vcpu_kick replaces this.  With one CPU the vCPU that
 * must notice an event is either the one running, which checks on its
 * way back to the guest, or one that is not running at all.
 */
__attribute__((weak)) void vcpu_kick(struct vcpu *v)
{
}

static bool virq_is_global(unsigned int virq)
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

static struct vcpu *domain_vcpu(const struct domain *d, unsigned int id)
{
    return id < d->max_vcpus ? d->vcpus[id] : NULL;
}

static struct domain *lookup_domain(struct domain *cd, domid_t dom)
{
    struct domain *d = dom == DOMID_SELF ? cd : domain_by_id(dom);

    return d && d->evtchn ? d : NULL;
}

/* Xen's default policy for ops on another domain's ports: dom0 only. */
static bool may_target(const struct domain *cd, const struct domain *d)
{
    return cd == d || cd->is_privileged;
}

static void lock_one(struct domain *d)
{
    spin_lock(&d->evtchn->event_lock);
}

static void unlock_one(struct domain *d)
{
    spin_unlock(&d->evtchn->event_lock);
}

static void lock_two(struct domain *a, struct domain *b)
{
    if (a == b) {
        lock_one(a);
    } else if (a->domain_id < b->domain_id) {
        lock_one(a);
        lock_one(b);
    } else {
        lock_one(b);
        lock_one(a);
    }
}

static void unlock_two(struct domain *a, struct domain *b)
{
    unlock_one(a);
    if (a != b)
        unlock_one(b);
}

static struct evtchn *port_chn(const struct evtchn_domain *ed, evtchn_port_t port)
{
    return &ed->bucket[port / EVTCHNS_PER_BUCKET][port % EVTCHNS_PER_BUCKET];
}

/* The channel of a port that has storage, or NULL. */
static struct evtchn *lookup_port(const struct domain *d, evtchn_port_t port)
{
    const struct evtchn_domain *ed = d->evtchn;

    return port < __atomic_load_n(&ed->valid, __ATOMIC_ACQUIRE) ?
           port_chn(ed, port) : NULL;
}

/* Free and reserved ports carry no events (Xen's "usable"). */
static bool chn_usable(const struct evtchn *chn)
{
    return chn->state > ECS_RESERVED;
}

/* Raise chn's event on its notify vCPU. */
static void chn_raise(struct domain *d, struct evtchn *chn, unsigned int vcpu_id)
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
static int get_free_port(struct domain *d)
{
    struct evtchn_domain *ed = d->evtchn;

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

    ASSERT(d->max_vcpus && !d->evtchn);
    ed = xzalloc(sizeof(*ed) + d->max_vcpus * sizeof(ed->virq_to_evtchn[0]));
    if (!ed)
        return -ENOMEM;
    ed->max_port = EVTCHN_MAX_PORTS - 1;
    d->evtchn = ed;
    if (get_free_port(d) != 0) {
        d->evtchn = NULL;
        xfree(ed->bucket[0]);
        xfree(ed);
        return -ENOMEM;
    }
    port_chn(ed, 0)->state = ECS_RESERVED;
    ed->active = 0;
    return 0;
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
    return rc;
}

int evtchn_bind_virq(struct domain *d, struct evtchn_bind_virq *op)
{
    unsigned int virq = op->virq;
    int vcpu_id = (int)op->vcpu;    /* Xen compares it as a signed int */
    evtchn_port_t *slot;
    struct evtchn *chn;
    int port, rc = 0;

    if (virq >= NR_VIRQS)
        return -EINVAL;
    if (virq_is_global(virq) && vcpu_id != 0)
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
    struct vcpu *v;
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
        v = domain_vcpu(d1, virq_is_global(chn1->u.virq) ? 0 : chn1->notify_vcpu_id);
        if (v)
            __atomic_store_n(&d1->evtchn->virq_to_evtchn[v->vcpu_id][chn1->u.virq],
                             0, __ATOMIC_RELEASE);
        break;
    case ECS_INTERDOMAIN:
        if (!d2) {
            /* The other end changes too: take its lock in domid order. */
            d2 = chn1->u.remote.dom;
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
    default:
        /* PIRQ ports cannot be bound yet. */
        BUG();
    }
    evtchn_free(d1, chn1);
out:
    if (d2 && d2 != d1)
        unlock_one(d2);
    unlock_one(d1);
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
    if (!chn)
        return -EINVAL;
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
    default:
        BUG();
    }
    op->vcpu = chn->notify_vcpu_id;
out:
    unlock_one(d);
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
    if (!may_target(cd, d))
        return -EPERM;
    /* Another domain's ports only while it is paused: no pausing yet. */
    if (d != cd)
        return -EINVAL;
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

void evtchn_destroy(struct domain *d)
{
    struct evtchn_domain *ed = d->evtchn;

    if (!ed)
        return;
    ed->dead = true;
    /* Interdomain peers see their end become unbound. */
    for (unsigned int port = ed->valid; --port;)
        (void)evtchn_close(d, port);
    ASSERT(!ed->active);
    d->evtchn = NULL;
    for (unsigned int i = 0; i < NR_BUCKETS; i++)
        xfree(ed->bucket[i]);
    xfree(ed);
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
