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

/* The argument of each sub-op, copied in before it runs. */
union physdev_irq_arg {
    struct physdev_eoi eoi;
    struct physdev_pirq_eoi_gmfn eoi_gmfn;
    struct physdev_irq_status_query status;
    struct physdev_map_pirq map;
    struct physdev_unmap_pirq unmap;
    struct physdev_apic apic;
    struct physdev_irq irq;
    struct physdev_setup_gsi gsi;
    struct physdev_get_free_pirq free_pirq;
};

/* When the argument goes back to the guest. */
enum { BACK_NEVER, BACK_ON_SUCCESS, BACK_ALWAYS };

/*
 * priv: the control domain's only, refused (-EPERM) right after the copy-in
 * and before the argument is looked at.  Sub-ops whose refusal depends on
 * what they name (map_pirq's domain, setup_gsi's range) check for
 * themselves, in Xen's order.
 */
#define ARG(op, type, back, priv) [PHYSDEVOP_##op] = { sizeof(struct type), back, priv }
static const struct {
    uint8_t size;
    uint8_t back;
    bool priv;
} op_args[] = {
    ARG(eoi, physdev_eoi, BACK_NEVER, false),
    ARG(pirq_eoi_gmfn_v1, physdev_pirq_eoi_gmfn, BACK_NEVER, false),
    ARG(pirq_eoi_gmfn_v2, physdev_pirq_eoi_gmfn, BACK_NEVER, false),
    ARG(irq_status_query, physdev_irq_status_query, BACK_ON_SUCCESS, false),
    ARG(map_pirq, physdev_map_pirq, BACK_ALWAYS, false),  /* as Xen: whatever happened */
    ARG(unmap_pirq, physdev_unmap_pirq, BACK_NEVER, false),
    ARG(apic_read, physdev_apic, BACK_ALWAYS, true),
    ARG(apic_write, physdev_apic, BACK_NEVER, true),
    ARG(alloc_irq_vector, physdev_irq, BACK_ON_SUCCESS, true),
    ARG(setup_gsi, physdev_setup_gsi, BACK_NEVER, false),
    ARG(get_free_pirq, physdev_get_free_pirq, BACK_ON_SUCCESS, false),
};

static long setup_gsi(const struct physdev_setup_gsi *s)
{
    if (s->gsi < 0 || (unsigned int)s->gsi >= ioapic_nr_gsis())
        return -EINVAL;
    if (!current->domain->is_privileged)
        return -EPERM;
    return ioapic_gsi_set_mode(s->gsi, s->triggering, s->polarity);
}

static long get_free_pirq(struct domain *cd, struct physdev_get_free_pirq *f)
{
    long rc = pirq_get_free(cd, f->type);

    if (rc < 0)
        return rc;
    f->pirq = rc;
    return 0;
}

static long irq_op(int cmd, union physdev_irq_arg *a)
{
    struct domain *cd = current->domain;

    switch (cmd) {
    case PHYSDEVOP_eoi:
        return pirq_eoi(cd, a->eoi.irq);
    case PHYSDEVOP_pirq_eoi_gmfn_v1:
    case PHYSDEVOP_pirq_eoi_gmfn_v2:
        /* A PV domain's frame numbers are machine frames. */
        return pirq_set_eoi_map(cd, a->eoi_gmfn.gmfn, cmd == PHYSDEVOP_pirq_eoi_gmfn_v1);
    case PHYSDEVOP_irq_status_query:
        return pirq_status_query(cd, a->status.irq, &a->status.flags);
    case PHYSDEVOP_map_pirq:
        return map_pirq(&a->map);
    case PHYSDEVOP_unmap_pirq:
        return unmap_pirq(&a->unmap);
    case PHYSDEVOP_apic_read:
        return ioapic_guest_read(a->apic.apic_physbase, a->apic.reg, &a->apic.value);
    case PHYSDEVOP_apic_write:
        /* The IO-APICs are the hypervisor's to program: not offered yet. */
        return -ENOSYS;
    case PHYSDEVOP_alloc_irq_vector:
        /* Vectors are the hypervisor's business; Xen hands back the IRQ. */
        a->irq.vector = a->irq.irq;
        return 0;
    case PHYSDEVOP_setup_gsi:
        return setup_gsi(&a->gsi);
    default:                        /* PHYSDEVOP_get_free_pirq */
        return get_free_pirq(cd, &a->free_pirq);
    }
}

long physdev_irq_op(int cmd, uint64_t arg)
{
    union physdev_irq_arg a;
    long rc;

    if (cmd < 0 || (unsigned int)cmd >= ARRAY_SIZE(op_args) || !op_args[cmd].size)
        return -ENOSYS;
    if (copy_from_guest(&a, arg, op_args[cmd].size))
        return -EFAULT;
    if (op_args[cmd].priv && !current->domain->is_privileged)
        return -EPERM;
    rc = irq_op(cmd, &a);
    if ((op_args[cmd].back == BACK_ALWAYS || (op_args[cmd].back == BACK_ON_SUCCESS && !rc)) &&
        copy_to_guest(arg, &a, op_args[cmd].size))
        rc = -EFAULT;
    return rc;
}
