/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/vcpu-op.c - vcpu_op: per-vCPU registration of the
 * vcpu_info and runstate areas, and vCPU state queries.
 *
 * Bringing vCPUs up and down and their timers arrive with the scheduler;
 * those sub-ops answer -ENOSYS until then.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/guest-access.h>
#include <mica/hypercall.h>
#include <mica/time.h>
#include <public/vcpu.h>
#include <mica/page.h>
#include <asm/config.h>

/*
 * Move vcpu_info into a guest page.  Allowed once; the block must not
 * straddle a page, and the frame must be the domain's own.  As Xen does,
 * the guest is told to rescan every event word afterwards.
 */
static long register_vcpu_info(struct vcpu *v, uint64_t arg)
{
    struct vcpu_register_vcpu_info info;
    vcpu_info_t *new;

    if (copy_from_guest(&info, arg, sizeof(info)))
        return -EFAULT;
    if (info.offset > PAGE_SIZE - sizeof(vcpu_info_t) ||
        (info.offset & (_Alignof(vcpu_info_t) - 1)))
        return -ENXIO;
    if (v->vcpu_info_registered || (v != current && v->is_up))
        return -EINVAL;
    /* Held writable while registered: it can never become a page table. */
    if (!mfn_valid(info.mfn) ||
        get_page_and_type(mfn_to_page(info.mfn), v->domain, PGT_writable))
        return -EINVAL;
    new = __va((info.mfn << PAGE_SHIFT) + info.offset);
    memcpy(new, v->vcpu_info, sizeof(*new));
    new->evtchn_upcall_pending = 1;
    new->evtchn_pending_sel = ~0UL;
    v->vcpu_info = new;
    v->vcpu_info_registered = true;
    return 0;
}

static void update_runstate(struct vcpu *v)
{
    struct vcpu_runstate_info rs;

    if (!v->runstate_guest || v != current)
        return;
    memset(&rs, 0, sizeof(rs));
    rs.state = RUNSTATE_running;
    rs.state_entry_time = now_ns();
    rs.time[RUNSTATE_running] = rs.state_entry_time;
    /* A stale or unmapped area is the guest's problem, as in Xen. */
    (void)copy_to_guest(v->runstate_guest, &rs, sizeof(rs));
}

long do_vcpu_op(uint64_t cmd, uint64_t vcpuid, uint64_t arg)
{
    struct domain *d = current->domain;
    struct vcpu *v;

    vcpuid = (uint32_t)vcpuid;
    if (vcpuid >= d->max_vcpus || !(v = d->vcpus[vcpuid]))
        return -ENOENT;

    switch ((int)cmd) {
    case VCPUOP_is_up:
        return v->is_up;
    case VCPUOP_send_nmi:
        if (arg)
            return -EINVAL;
        v->arch.nmi_pending = true;     /* delivered on the way back in */
        return 0;
    case VCPUOP_register_vcpu_info:
        return register_vcpu_info(v, arg);
    case VCPUOP_register_runstate_memory_area: {
        struct vcpu_register_runstate_memory_area area;

        if (copy_from_guest(&area, arg, sizeof(area)))
            return -EFAULT;
        if (!guest_range_ok(area.addr.p, sizeof(struct vcpu_runstate_info)))
            return -EFAULT;
        v->runstate_guest = area.addr.p;
        update_runstate(v);
        return 0;
    }
    default:
        return -ENOSYS;
    }
}
