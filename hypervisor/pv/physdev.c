/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/pv/physdev.c - physdev_op: a PV guest's access to physical
 * devices.  Here: its virtual I/O privilege level (PHYSDEVOP_set_iopl,
 * which decides whether port I/O is emulated for it), the legacy per-port
 * bitmap, and dom0's PCI device notifications.  The interrupt sub-ops are
 * in physdev-irq.c.
 *
 * PCI devices dom0 reports are only remembered: with no IOMMU and no MSI
 * there is nothing to set up for them, and Xen without an IOMMU answers
 * 0 as well.  Removing one never reported is -ENODEV, as in Xen.
 */
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/guest-access.h>
#include <mica/hypercall.h>
#include <mica/pirq.h>
#include <public/physdev.h>
#include <asm/spinlock.h>

#define MAX_PCI_DEVS    256

/* Locking: pci_lock covers pci_devs (a leaf). */
static spinlock_t pci_lock = SPINLOCK_INIT;
static uint32_t pci_devs[MAX_PCI_DEVS];     /* seg:bus:devfn + 1, 0: free */

static int pci_add(uint16_t seg, uint8_t bus, uint8_t devfn)
{
    uint32_t sbdf = ((uint32_t)seg << 16 | bus << 8 | devfn) + 1;
    int rc = -ENOMEM, slot = -1;

    if (!current->domain->is_privileged)
        return -EPERM;
    spin_lock(&pci_lock);
    for (int i = 0; i < MAX_PCI_DEVS; i++) {
        if (pci_devs[i] == sbdf) {
            rc = 0;                 /* known already: fine */
            goto out;
        }
        if (!pci_devs[i] && slot < 0)
            slot = i;
    }
    if (slot >= 0) {
        pci_devs[slot] = sbdf;
        rc = 0;
    }
out:
    spin_unlock(&pci_lock);
    return rc;
}

static int pci_remove(uint16_t seg, uint8_t bus, uint8_t devfn)
{
    uint32_t sbdf = ((uint32_t)seg << 16 | bus << 8 | devfn) + 1;
    int rc = -ENODEV;

    if (!current->domain->is_privileged)
        return -EPERM;
    spin_lock(&pci_lock);
    for (int i = 0; i < MAX_PCI_DEVS; i++) {
        if (pci_devs[i] == sbdf) {
            pci_devs[i] = 0;
            rc = 0;
            break;
        }
    }
    spin_unlock(&pci_lock);
    return rc;
}

static long pci_op(int cmd, uint64_t arg)
{
    switch (cmd) {
    case PHYSDEVOP_manage_pci_add:
    case PHYSDEVOP_manage_pci_remove: {
        struct physdev_manage_pci m;

        if (copy_from_guest(&m, arg, sizeof(m)))
            return -EFAULT;
        return cmd == PHYSDEVOP_manage_pci_add ? pci_add(0, m.bus, m.devfn)
                                               : pci_remove(0, m.bus, m.devfn);
    }
    case PHYSDEVOP_manage_pci_add_ext: {
        struct physdev_manage_pci_ext m;

        if (copy_from_guest(&m, arg, sizeof(m)))
            return -EFAULT;
        if (m.is_extfn > 1 || m.is_virtfn > 1)
            return -EINVAL;
        return pci_add(0, m.bus, m.devfn);
    }
    case PHYSDEVOP_pci_device_add: {
        struct physdev_pci_device_add a;

        if (copy_from_guest(&a, arg, sizeof(a)))
            return -EFAULT;
        return pci_add(a.seg, a.bus, a.devfn);
    }
    case PHYSDEVOP_pci_device_remove: {
        struct physdev_pci_device r;

        if (copy_from_guest(&r, arg, sizeof(r)))
            return -EFAULT;
        return pci_remove(r.seg, r.bus, r.devfn);
    }
    default:
        return physdev_irq_op(cmd, arg);
    }
}

long do_physdev_op(uint64_t cmd, uint64_t arg)
{
    struct vcpu *v = current;

    switch ((int)cmd) {
    case PHYSDEVOP_set_iopl: {
        struct physdev_set_iopl s;

        if (copy_from_guest(&s, arg, sizeof(s)))
            return -EFAULT;
        if (s.iopl > 3)
            return -EINVAL;
        v->arch.iopl = s.iopl;
        return 0;
    }
    case PHYSDEVOP_set_iobitmap: {
        struct physdev_set_iobitmap s;

        if (copy_from_guest(&s, arg, sizeof(s)))
            return -EFAULT;
        if (s.nr_ports > 65536)
            return -EINVAL;
        v->arch.iobmp = s.bitmap;
        v->arch.iobmp_ports = s.nr_ports;
        return 0;
    }
    default:
        return pci_op((int)cmd, arg);
    }
}
