/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/event-pirq.c - PIRQs: a domain's names for physical
 * interrupt lines, and the glue from a GSI firing to its event channel.
 *
 * Only the control domain maps GSIs (physdev-irq.c checks); any domain
 * has a PIRQ table, so that get_free_pirq and the EOI bitmap behave as in
 * Xen.  The table is made on first use and kept here by domain id.
 *
 * A bound PIRQ owns its GSI at the IO-APIC.  Edge-triggered lines need no
 * acknowledgement.  A level-triggered line is masked when it fires and
 * stays so, "in flight", until the domain's EOI unmasks it (Xen's
 * ACKTYPE_UNMASK); its bit in the domain's EOI bitmap tells Linux so.
 * Unlike Xen no timer forces the EOI: a domain that never acknowledges
 * only silences its own device.
 *
 * Locking: pirq_lock (interrupts off) covers every domain's table and
 * gsi_owner; it sits between event_lock and ioapic_lock
 * (docs/ARCHITECTURE.md, "Lock order").  The interrupt path takes pirq_lock, then raises the port without the
 * event_lock, as VIRQ senders do (see event-channel.c).
 */
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/heap.h>
#include <mica/page.h>
#include <mica/pirq.h>
#include <public/physdev.h>
#include <asm/config.h>
#include <asm/io-apic.h>
#include <asm/spinlock.h>
#include "event-channel.h"

#define PIRQ_FREE           (-2)
#define PIRQ_ALLOCATED      (-1)        /* get_free_pirq: reserved, no GSI */
#define NR_STATIC_PIRQS     16          /* Xen counts at least 16 GSIs */
#define EXTRA_HWDOM_PIRQS   256
#define EXTRA_DOMU_PIRQS    32          /* Xen's extra_domU_irqs */
#define MAX_GSIS            256

struct pirq {
    int16_t gsi;                        /* >= 0: mapped; or PIRQ_FREE/ALLOCATED */
    bool in_flight;                     /* level line masked until the EOI */
    evtchn_port_t port;                 /* bound event channel, 0: none */
};

struct pirq_domain {
    unsigned int nr;
    mfn_t eoi_map_mfn;                  /* 0: no EOI bitmap registered */
    bool auto_unmask;                   /* v1 bitmap: EOI unmasks the port */
    struct pirq pirqs[];
};

static spinlock_t pirq_lock = SPINLOCK_INIT;
static struct pirq_domain *tables[CONFIG_MAX_DOMAINS];
static struct {
    struct domain *d;
    unsigned int pirq;
} gsi_owner[MAX_GSIS];

static unsigned int nr_static(void)
{
    unsigned int n = ioapic_nr_gsis();

    return n < NR_STATIC_PIRQS ? NR_STATIC_PIRQS : n;
}

unsigned int pirq_count(const struct domain *d)
{
    return nr_static() + (d->is_privileged ? EXTRA_HWDOM_PIRQS : EXTRA_DOMU_PIRQS);
}

/* d's table, made on first use; NULL only when out of memory. */
static struct pirq_domain *table(struct domain *d)
{
    unsigned int n = pirq_count(d);
    struct pirq_domain **slot = &tables[d->domain_id], *old = NULL;
    struct pirq_domain *t = __atomic_load_n(slot, __ATOMIC_ACQUIRE);

    ASSERT(d->domain_id < CONFIG_MAX_DOMAINS);
    if (t)
        return t;
    t = xzalloc(sizeof(*t) + n * sizeof(t->pirqs[0]));
    if (!t)
        return NULL;
    t->nr = n;
    for (unsigned int i = 0; i < n; i++)
        t->pirqs[i].gsi = PIRQ_FREE;
    if (!__atomic_compare_exchange_n(slot, &old, t, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
        xfree(t);
        t = old;
    }
    return t;
}

/* d's table if it has one (no allocation). */
static struct pirq_domain *existing(const struct domain *d)
{
    return __atomic_load_n(&tables[d->domain_id], __ATOMIC_ACQUIRE);
}

/* Xen's test: no GSI, not reserved (a bound but unmapped PIRQ is not free). */
static bool is_free(const struct pirq *p)
{
    return p->gsi == PIRQ_FREE && !p->port;
}

static void set_eoi_bit(struct pirq_domain *t, unsigned int pirq, bool on)
{
    uint64_t *map;

    if (!t->eoi_map_mfn)
        return;
    ASSERT(pirq < PAGE_SIZE * 8);
    map = __va(t->eoi_map_mfn << PAGE_SHIFT);
    if (on)
        __atomic_fetch_or(&map[pirq / 64], 1UL << (pirq % 64), __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_and(&map[pirq / 64], ~(1UL << (pirq % 64)), __ATOMIC_SEQ_CST);
}

/* The free PIRQ Xen would pick: GSI-type ones among the GSI numbers first. */
static int find_free(const struct pirq_domain *t, int type)
{
    unsigned int gsis = nr_static();

    if (type == MAP_PIRQ_TYPE_GSI)
        for (unsigned int i = NR_STATIC_PIRQS; i < gsis; i++)
            if (is_free(&t->pirqs[i]))
                return i;
    for (unsigned int i = t->nr; i-- > gsis; )
        if (is_free(&t->pirqs[i]))
            return i;
    return -ENOSPC;
}

int pirq_get_free(struct domain *d, int type)
{
    struct pirq_domain *t = table(d);
    unsigned long flags;
    int pirq;

    if (!t)
        return -ENOMEM;
    flags = spin_lock_irqsave(&pirq_lock);
    pirq = find_free(t, type);
    if (pirq >= 0)
        t->pirqs[pirq].gsi = PIRQ_ALLOCATED;
    spin_unlock_irqrestore(&pirq_lock, flags);
    return pirq;
}

int pirq_map_gsi(struct domain *d, int gsi, int *pirq_p)
{
    struct pirq_domain *t = table(d);
    unsigned long flags;
    int pirq = *pirq_p, cur = -1, rc = 0;

    if (gsi < 0 || (unsigned int)gsi >= nr_static() || gsi >= MAX_GSIS)
        return -EINVAL;
    if (!t)
        return -ENOMEM;
    flags = spin_lock_irqsave(&pirq_lock);
    for (unsigned int i = 0; i < t->nr && cur < 0; i++)
        if (t->pirqs[i].gsi == gsi)
            cur = i;
    if (pirq < 0) {
        pirq = cur >= 0 ? cur : find_free(t, MAP_PIRQ_TYPE_GSI);
        if (pirq < 0) {
            rc = pirq;
            goto out;
        }
    } else if (cur >= 0 && pirq != cur) {
        rc = -EEXIST;                   /* the GSI has another PIRQ */
        goto out;
    }
    if ((unsigned int)pirq >= t->nr) {
        rc = -EINVAL;
        goto out;
    }
    /* A PIRQ already naming another GSI stays as it is; Xen says 0 too. */
    if (t->pirqs[pirq].gsi < 0 && (gsi_owner[gsi].d == NULL || gsi_owner[gsi].d == d)) {
        t->pirqs[pirq].gsi = gsi;
        gsi_owner[gsi].d = d;
        gsi_owner[gsi].pirq = pirq;
    } else if (t->pirqs[pirq].gsi < 0) {
        rc = -EBUSY;                    /* another domain has the line */
        goto out;
    }
    *pirq_p = pirq;
out:
    spin_unlock_irqrestore(&pirq_lock, flags);
    return rc;
}

/* Stop the line and forget it; the caller holds pirq_lock. */
static void release_gsi(struct domain *d, struct pirq *p)
{
    int gsi = p->gsi;

    if (gsi < 0)
        return;
    if (p->port)
        ioapic_gsi_disable(gsi);
    p->in_flight = false;
    if (gsi_owner[gsi].d == d)
        gsi_owner[gsi].d = NULL;
}

int pirq_unmap(struct domain *d, int pirq)
{
    struct pirq_domain *t = existing(d);
    unsigned long flags;
    int rc = 0;

    if (pirq < 0 || (unsigned int)pirq >= pirq_count(d))
        return -EINVAL;
    if (!t)
        return -EINVAL;
    flags = spin_lock_irqsave(&pirq_lock);
    if (t->pirqs[pirq].gsi < 0) {
        rc = -EINVAL;                   /* not mapped */
    } else {
        /* Still bound: the port stays, but it will never fire again. */
        release_gsi(d, &t->pirqs[pirq]);
        t->pirqs[pirq].gsi = PIRQ_FREE;
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
    return rc;
}

/* Does Xen know this PIRQ (mapped, reserved or bound)? */
static struct pirq *known(struct domain *d, unsigned int pirq)
{
    struct pirq_domain *t = existing(d);

    return t && pirq < t->nr && !is_free(&t->pirqs[pirq]) ? &t->pirqs[pirq] : NULL;
}

int pirq_eoi(struct domain *d, unsigned int pirq)
{
    struct pirq *p;
    unsigned long flags;
    evtchn_port_t port = 0;
    int rc = 0;

    if (pirq >= pirq_count(d))
        return -EINVAL;
    flags = spin_lock_irqsave(&pirq_lock);
    p = known(d, pirq);
    if (!p) {
        rc = -EINVAL;
    } else {
        if (existing(d)->auto_unmask)
            port = p->port;
        if (p->in_flight) {
            p->in_flight = false;
            ioapic_gsi_unmask(p->gsi);
        }
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
    if (port)
        evtchn_unmask(d, port);
    return rc;
}

int pirq_status_query(struct domain *d, unsigned int pirq, uint32_t *flags)
{
    if (pirq >= pirq_count(d))
        return -EINVAL;
    /*
     * Xen always says "needs EOI" to a PV domain: a domain without the
     * bitmap must acknowledge every interrupt to be safe.  Lines are
     * never shared between domains here.
     */
    *flags = XENIRQSTAT_needs_eoi;
    return 0;
}

int pirq_set_eoi_map(struct domain *d, mfn_t mfn, bool v1)
{
    struct pirq_domain *t = table(d);
    unsigned long flags;
    int rc = 0;

    if (!t)
        return -ENOMEM;
    if (!mfn_valid(mfn) || get_page_and_type(mfn_to_page(mfn), d, PGT_writable))
        return -EINVAL;
    flags = spin_lock_irqsave(&pirq_lock);
    if (t->eoi_map_mfn) {
        rc = -EBUSY;
    } else {
        t->eoi_map_mfn = mfn;
        t->auto_unmask = v1;
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
    if (rc)
        put_page_and_type(mfn_to_page(mfn));
    return rc;
}

/*
 * A GSI fired (interrupt context, the IO-APIC has masked a level line).
 * The owner is held across the raise: its kill (pirq_destroy, under
 * pirq_lock) may run on another CPU once the lock is let go, and the
 * reference keeps its port storage until we are done.  The put is never
 * the last: an owner found here is not yet killed, so the table's
 * reference is still there and domain_reap() waits for ours.  A port
 * closed in the gap gets at most a spurious pending bit, as with VIRQs.
 */
static void gsi_fired(unsigned int gsi)
{
    struct domain *d;
    struct pirq *p;
    struct evtchn *chn;
    evtchn_port_t port = 0;

    spin_lock(&pirq_lock);
    d = gsi < MAX_GSIS ? gsi_owner[gsi].d : NULL;
    if (d) {
        p = &existing(d)->pirqs[gsi_owner[gsi].pirq];
        port = p->port;
        if (port && ioapic_gsi_is_level(gsi))
            p->in_flight = true;
        if (port)
            get_knownalive_domain(d);
    }
    spin_unlock(&pirq_lock);
    if (!port)
        return;
    chn = port_chn(d->evtchn, port);
    chn_raise(d, chn, chn->notify_vcpu_id);
    put_domain(d);
}

int evtchn_bind_pirq(struct domain *d, struct evtchn_bind_pirq *op)
{
    struct pirq_domain *t;
    struct pirq *p;
    struct evtchn *chn;
    unsigned long flags;
    int port, rc;

    if (op->pirq >= pirq_count(d))
        return -EINVAL;
    t = existing(d);
    lock_one(d);
    flags = spin_lock_irqsave(&pirq_lock);
    p = t ? &t->pirqs[op->pirq] : NULL;
    if (!p || p->gsi < 0) {
        rc = -EPERM;                    /* no line behind it */
        goto out;
    }
    if (p->port) {
        rc = -EEXIST;
        goto out;
    }
    if (ioapic_gsi_reserved(p->gsi)) {
        rc = -EBUSY;                    /* the hypervisor's own */
        goto out;
    }
    /* Nothing reaches gsi_fired before the port is set: pirq_lock is held. */
    rc = ioapic_gsi_enable(p->gsi, gsi_fired);
    if (rc)
        goto out;
    port = get_free_port(d);
    if (port < 0) {
        ioapic_gsi_disable(p->gsi);
        rc = port;
        goto out;
    }
    chn = port_chn(d->evtchn, port);
    chn->state = ECS_PIRQ;
    chn->notify_vcpu_id = 0;
    chn->u.pirq = op->pirq;
    p->port = port;
    p->in_flight = false;
    set_eoi_bit(t, op->pirq, ioapic_gsi_is_level(p->gsi));
    op->port = port;
out:
    spin_unlock_irqrestore(&pirq_lock, flags);
    unlock_one(d);
    return rc;
}

void pirq_unbind(struct domain *d, struct evtchn *chn)
{
    struct pirq_domain *t = existing(d);
    unsigned long flags;
    struct pirq *p;

    ASSERT(chn->state == ECS_PIRQ && t && chn->u.pirq < t->nr);
    ASSERT(spin_is_locked_by_me(&d->evtchn->event_lock));
    flags = spin_lock_irqsave(&pirq_lock);
    p = &t->pirqs[chn->u.pirq];
    if (p->gsi >= 0)
        ioapic_gsi_disable(p->gsi);
    p->in_flight = false;
    p->port = 0;
    set_eoi_bit(t, chn->u.pirq, false);
    spin_unlock_irqrestore(&pirq_lock, flags);
}

void pirq_destroy(struct domain *d)
{
    struct pirq_domain *t = existing(d);
    unsigned long flags;

    if (!t)
        return;
    flags = spin_lock_irqsave(&pirq_lock);
    for (unsigned int i = 0; i < t->nr; i++)
        release_gsi(d, &t->pirqs[i]);
    tables[d->domain_id] = NULL;
    spin_unlock_irqrestore(&pirq_lock, flags);
    if (t->eoi_map_mfn)
        put_page_and_type(mfn_to_page(t->eoi_map_mfn));
    xfree(t);
}
