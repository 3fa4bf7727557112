/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/vm-assist.c - vm_assist: the per-domain switches for
 * optional hypervisor assistance (VMASST_TYPE_*), which the PV layer reads
 * from d->vm_assist where each applies.  Two vCPUs may switch bits at
 * once, hence the atomic operations.
 */
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/hypercall.h>
#include <mica/sched.h>          /* VM_ASSIST_VALID */
#include <public/xen.h>

long do_vm_assist(uint64_t cmd, uint64_t type)
{
    struct domain *d = current->domain;

    type = (uint32_t)type;
    if (type >= 64 || !(VM_ASSIST_VALID & (1UL << type)))
        return -EINVAL;
    switch ((uint32_t)cmd) {
    case VMASST_CMD_enable:
        __atomic_fetch_or(&d->vm_assist, 1UL << type, __ATOMIC_RELAXED);
        return 0;
    case VMASST_CMD_disable:
        __atomic_fetch_and(&d->vm_assist, ~(1UL << type), __ATOMIC_RELAXED);
        return 0;
    default:
        return -ENOSYS;
    }
}
