/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/pv/physdev.c - physdev_op: a PV guest's access to physical
 * devices.  For now its virtual I/O privilege level (PHYSDEVOP_set_iopl,
 * which decides whether port I/O is emulated for it) and the legacy
 * per-port bitmap; the interrupt plumbing dom0 needs follows.
 */
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/guest-access.h>
#include <mica/hypercall.h>
#include <public/physdev.h>

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
        return -ENOSYS;
    }
}
