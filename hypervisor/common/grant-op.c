/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/grant-op.c - the grant_table_op hypercall: the batch
 * loops of map, unmap, unmap_and_replace and copy (each operation's
 * status written back, continuations at timer ticks), and the one-shot
 * sub-ops setup_table, query_size, set_version and get_version.  Version
 * 2, transfer, dump_table, swap_grant_ref and cache_flush answer -ENOSYS.
 */
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/guest-access.h>
#include <mica/hypercall.h>
#include "grant-table.h"

/* High bits of cmd carry a continuation argument (cache_flush only). */
#define GNTTABOP_CMD_MASK   0xfffU

/*
 * The domain a one-shot sub-op names: itself, or anyone for dom0.  On
 * GNTST_okay the caller holds a reference on *d and puts it.
 */
static int target(struct domain *cd, domid_t dom, struct domain **d)
{
    *d = gnttab_domain(cd, dom, true);
    if (!*d)
        return GNTST_bad_domain;
    if (*d != cd && !cd->is_privileged) {
        put_domain(*d);
        return GNTST_permission_denied;
    }
    return GNTST_okay;
}

static long setup_table(struct domain *cd, uint64_t uop, uint32_t count)
{
    struct gnttab_setup_table op;
    struct domain *d;

    if (count != 1)
        return -EINVAL;
    if (copy_from_guest(&op, uop, sizeof(op)))
        return -EFAULT;
    if (!guest_range_ok(op.frame_list, (uint64_t)op.nr_frames * sizeof(xen_pfn_t)))
        return -EFAULT;
    op.status = target(cd, op.dom, &d);
    if (op.status == GNTST_okay) {
        struct grant_table *gt = d->grant_table;

        spin_lock(&gt->lock);
        if (gnttab_grow(d, op.nr_frames))
            op.status = GNTST_general_error;
        for (uint32_t i = 0; op.status == GNTST_okay && i < op.nr_frames; i++) {
            xen_pfn_t mfn = gt->shared_mfn[i];

            if (copy_to_guest(op.frame_list + i * sizeof(mfn), &mfn, sizeof(mfn)))
                op.status = GNTST_bad_virt_addr;
        }
        spin_unlock(&gt->lock);
        put_domain(d);
    }
    if (copy_to_guest(uop + offsetof(struct gnttab_setup_table, status),
                      &op.status, sizeof(op.status)))
        return -EFAULT;
    return 0;
}

static long query_size(struct domain *cd, uint64_t uop, uint32_t count)
{
    struct gnttab_query_size op;
    struct domain *d;

    if (count != 1)
        return -EINVAL;
    if (copy_from_guest(&op, uop, sizeof(op)))
        return -EFAULT;
    op.status = target(cd, op.dom, &d);
    if (op.status == GNTST_okay) {
        op.nr_frames = d->grant_table->nr_frames;
        op.max_nr_frames = gnttab_max_frames(d);
        put_domain(d);
    }
    return copy_to_guest(uop, &op, sizeof(op)) ? -EFAULT : 0;
}

static long set_version(uint64_t uop)
{
    struct gnttab_set_version op;

    if (copy_from_guest(&op, uop, sizeof(op)))
        return -EFAULT;
    if (op.version != 1 && op.version != 2)
        return -EINVAL;
    if (op.version == 2)
        return -ENOSYS;             /* as Xen with max version 1 */
    return copy_to_guest(uop, &op, sizeof(op)) ? -EFAULT : 0;
}

static long get_version(struct domain *cd, uint64_t uop)
{
    struct gnttab_get_version op;
    struct domain *d;

    if (copy_from_guest(&op, uop, sizeof(op)))
        return -EFAULT;
    switch (target(cd, op.dom, &d)) {
    case GNTST_okay:
        put_domain(d);
        break;
    case GNTST_bad_domain:
        return -ESRCH;
    default:
        return -EPERM;
    }
    op.version = 1;
    return copy_to_guest(uop + offsetof(struct gnttab_get_version, version),
                         &op.version, sizeof(op.version)) ? -EFAULT : 0;
}

/* One operation of a batch: read it, do it, write back its results. */
static long batch_one(struct domain *cd, unsigned int cmd, uint64_t at)
{
    union {
        struct gnttab_map_grant_ref map;
        struct gnttab_unmap_grant_ref unmap;
        struct gnttab_unmap_and_replace replace;
        struct gnttab_copy copy;
    } op;
    static const uint8_t size[] = {
        [GNTTABOP_map_grant_ref] = sizeof(op.map),
        [GNTTABOP_unmap_grant_ref] = sizeof(op.unmap),
        [GNTTABOP_unmap_and_replace] = sizeof(op.replace),
        [GNTTABOP_copy] = sizeof(op.copy),
    };

    if (copy_from_guest(&op, at, size[cmd]))
        return -EFAULT;
    switch (cmd) {
    case GNTTABOP_map_grant_ref:
        op.map.status = gnttab_map_one(cd, &op.map);
        /* Xen writes back handle and dev_bus_addr only on success. */
        if (op.map.status == GNTST_okay)
            return copy_to_guest(at, &op.map, sizeof(op.map)) ? -EFAULT : 0;
        return copy_to_guest(at + offsetof(struct gnttab_map_grant_ref, status),
                             &op.map.status, sizeof(op.map.status)) ? -EFAULT : 0;
    case GNTTABOP_unmap_grant_ref:
        op.unmap.status = gnttab_unmap_one(cd, op.unmap.host_addr,
                                           op.unmap.dev_bus_addr, op.unmap.handle, 0);
        return copy_to_guest(at + offsetof(struct gnttab_unmap_grant_ref, status),
                             &op.unmap.status, sizeof(op.unmap.status)) ? -EFAULT : 0;
    case GNTTABOP_unmap_and_replace:
        op.replace.status = gnttab_unmap_one(cd, op.replace.host_addr, 0,
                                             op.replace.handle, op.replace.new_addr);
        return copy_to_guest(at + offsetof(struct gnttab_unmap_and_replace, status),
                             &op.replace.status, sizeof(op.replace.status)) ? -EFAULT : 0;
    default:
        op.copy.status = gnttab_copy_one(cd, &op.copy);
        return copy_to_guest(at + offsetof(struct gnttab_copy, status),
                             &op.copy.status, sizeof(op.copy.status)) ? -EFAULT : 0;
    }
}

static long batch(struct domain *cd, unsigned int cmd, uint64_t uop,
                  uint32_t count, size_t size)
{
    if (!guest_range_ok(uop, (uint64_t)count * size))
        return -EFAULT;
    for (uint32_t i = 0; i < count; i++) {
        long rc;

        if (i && hypercall_preempt_check())
            return hypercall_create_continuation(__HYPERVISOR_grant_table_op,
                                                 (uint64_t)cmd, uop + i * size,
                                                 (uint64_t)(count - i));
        rc = batch_one(cd, cmd, uop + i * size);
        if (rc)
            return rc;
    }
    return 0;
}

long do_grant_table_op(uint64_t ucmd, uint64_t uop, uint64_t ucount)
{
    struct domain *cd = current->domain;
    unsigned int cmd = (unsigned int)ucmd;
    uint32_t count = (uint32_t)ucount;

    if ((int32_t)count < 0)
        return -EINVAL;
    if ((cmd & ~GNTTABOP_CMD_MASK) && (cmd & GNTTABOP_CMD_MASK) != GNTTABOP_cache_flush)
        return -EINVAL;
    cmd &= GNTTABOP_CMD_MASK;
    if (!cd->grant_table)
        return -ENOSYS;
    switch (cmd) {
    case GNTTABOP_map_grant_ref:
        return batch(cd, cmd, uop, count, sizeof(struct gnttab_map_grant_ref));
    case GNTTABOP_unmap_grant_ref:
        return batch(cd, cmd, uop, count, sizeof(struct gnttab_unmap_grant_ref));
    case GNTTABOP_unmap_and_replace:
        return batch(cd, cmd, uop, count, sizeof(struct gnttab_unmap_and_replace));
    case GNTTABOP_copy:
        return batch(cd, cmd, uop, count, sizeof(struct gnttab_copy));
    case GNTTABOP_setup_table:
        return setup_table(cd, uop, count);
    case GNTTABOP_query_size:
        return query_size(cd, uop, count);
    case GNTTABOP_set_version:
        return set_version(uop);
    case GNTTABOP_get_version:
        return get_version(cd, uop);
    default:
        return -ENOSYS;
    }
}
