/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/pv/physdev-irq.c - the interrupt half of physdev_op: PIRQ
 * mapping, EOIs and the EOI bitmap, GSI set-up, IO-APIC register reads.
 * Each sub-op copies its argument in, checks who may ask (as Xen's XSM
 * default policy does: the control domain for anything touching real
 * lines) and calls common/event-pirq.c or the IO-APIC driver.
 *
 * MSI mappings answer -ENOSYS: no MSI support yet.  Linux then leaves
 * such devices on their INTx line.
 */
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/domctl.h>
#include <mica/guest-access.h>
#include <mica/hypercall.h>
#include <mica/pirq.h>
#include <public/physdev.h>
#include <asm/io-apic.h>

static long map_pirq(struct physdev_map_pirq *m)
{
    struct domain *d;
    long rc = 0;
    int pirq = m->pirq;

    if (!(d = target_domain_get(m->domid, &rc)))
        return rc;
    if (!current->domain->is_privileged) {
        rc = -EPERM;
        goto out;
    }
    switch (m->type) {
    case MAP_PIRQ_TYPE_GSI:
        rc = pirq_map_gsi(d, m->index, &pirq);
        if (!rc)
            m->pirq = pirq;
        break;
    case MAP_PIRQ_TYPE_MSI:
    case MAP_PIRQ_TYPE_MSI_SEG:
    case MAP_PIRQ_TYPE_MULTI_MSI:
        rc = -ENOSYS;
        break;
    default:
        rc = -EINVAL;
        break;
    }
out:
    target_domain_put(d);
    return rc;
}

static long unmap_pirq(const struct physdev_unmap_pirq *u)
{
    struct domain *d;
    long rc = 0;

    if (!(d = target_domain_get(u->domid, &rc)))
        return rc;
    rc = current->domain->is_privileged ? pirq_unmap(d, u->pirq) : -EPERM;
    target_domain_put(d);
    return rc;
}

/* Copy the argument in, or return -EFAULT. */
#define COPY_IN(s) do { if (copy_from_guest(&(s), arg, sizeof(s))) return -EFAULT; } while (0)

long physdev_irq_op(int cmd, uint64_t arg)
{
    struct domain *cd = current->domain;
    long rc;

    switch (cmd) {
    case PHYSDEVOP_eoi: {
        struct physdev_eoi e;

        COPY_IN(e);
        return pirq_eoi(cd, e.irq);
    }
    case PHYSDEVOP_pirq_eoi_gmfn_v1:
    case PHYSDEVOP_pirq_eoi_gmfn_v2: {
        struct physdev_pirq_eoi_gmfn g;

        COPY_IN(g);
        /* A PV domain's frame numbers are machine frames. */
        return pirq_set_eoi_map(cd, g.gmfn, cmd == PHYSDEVOP_pirq_eoi_gmfn_v1);
    }
    case PHYSDEVOP_irq_status_query: {
        struct physdev_irq_status_query q;

        COPY_IN(q);
        rc = pirq_status_query(cd, q.irq, &q.flags);
        if (!rc && copy_to_guest(arg, &q, sizeof(q)))
            rc = -EFAULT;
        return rc;
    }
    case PHYSDEVOP_map_pirq: {
        struct physdev_map_pirq m;

        COPY_IN(m);
        rc = map_pirq(&m);
        /* Xen writes the argument back whatever happened. */
        if (copy_to_guest(arg, &m, sizeof(m)))
            rc = -EFAULT;
        return rc;
    }
    case PHYSDEVOP_unmap_pirq: {
        struct physdev_unmap_pirq u;

        COPY_IN(u);
        return unmap_pirq(&u);
    }
    case PHYSDEVOP_apic_read: {
        struct physdev_apic a;

        COPY_IN(a);
        if (!cd->is_privileged)
            return -EPERM;
        rc = ioapic_guest_read(a.apic_physbase, a.reg, &a.value);
        if (copy_to_guest(arg, &a, sizeof(a)))
            rc = -EFAULT;
        return rc;
    }
    case PHYSDEVOP_apic_write: {
        struct physdev_apic a;

        COPY_IN(a);
        /* The IO-APICs are the hypervisor's to program: not offered yet. */
        return cd->is_privileged ? -ENOSYS : -EPERM;
    }
    case PHYSDEVOP_alloc_irq_vector: {
        struct physdev_irq i;

        COPY_IN(i);
        if (!cd->is_privileged)
            return -EPERM;
        /* Vectors are the hypervisor's business; Xen hands back the IRQ. */
        i.vector = i.irq;
        return copy_to_guest(arg, &i, sizeof(i)) ? -EFAULT : 0;
    }
    case PHYSDEVOP_setup_gsi: {
        struct physdev_setup_gsi s;

        COPY_IN(s);
        if (s.gsi < 0 || (unsigned int)s.gsi >= ioapic_nr_gsis())
            return -EINVAL;
        if (!cd->is_privileged)
            return -EPERM;
        return ioapic_gsi_set_mode(s.gsi, s.triggering, s.polarity);
    }
    case PHYSDEVOP_get_free_pirq: {
        struct physdev_get_free_pirq f;

        COPY_IN(f);
        rc = pirq_get_free(cd, f.type);
        if (rc < 0)
            return rc;
        f.pirq = rc;
        return copy_to_guest(arg, &f, sizeof(f)) ? -EFAULT : 0;
    }
    default:
        return -ENOSYS;
    }
}
