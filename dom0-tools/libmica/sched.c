/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/sched.c - where a vCPU may run (setvcpuaffinity /
 * getvcpuaffinity, hard affinity only) and the credit scheduler's weight
 * and cap (scheduler_op), in Xen 4.17's layouts.
 */
#include <errno.h>
#include <string.h>
#include "libmica-priv.h"

/*
 * The CPU bitmap travels in the second half of the scratch page, after
 * the domctl itself: 2048 bytes, 16384 CPUs.
 */
#define MAP_OFFSET      2048
#define MAP_MAX_BYTES   (MICA_PAGE_SIZE - MAP_OFFSET)

static int affinity(struct mica *m, uint32_t cmd, uint32_t domid,
                    unsigned int vcpu, uint8_t *map, unsigned int nr_bits)
{
    const char *what = cmd == XEN_DOMCTL_setvcpuaffinity ? "setvcpuaffinity"
                                                         : "getvcpuaffinity";
    uint8_t *buf = (uint8_t *)m->scratch + MAP_OFFSET;
    size_t bytes = (nr_bits + 7) / 8;
    struct xen_domctl op;
    int rc;

    mica_ok(m);
    if (!nr_bits || bytes > MAP_MAX_BYTES)
        return mica_fail(m, -EINVAL, "%s %u", what, domid);
    memset(&op, 0, sizeof(op));
    op.cmd = cmd;
    op.domain = (domid_t)domid;
    op.u.vcpuaffinity.vcpu = vcpu;
    op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD;
    set_xen_guest_handle(op.u.vcpuaffinity.cpumap_hard.bitmap, buf);
    op.u.vcpuaffinity.cpumap_hard.nr_bits = nr_bits;
    memcpy(buf, map, bytes);
    rc = mica_do_domctl(m, &op);
    if (rc)
        return mica_fail(m, rc, "%s %u vcpu %u", what, domid, vcpu);
    memcpy(map, buf, bytes);
    return 0;
}

int mica_vcpu_setaffinity(struct mica *m, uint32_t domid, unsigned int vcpu,
                          const uint8_t *map, unsigned int nr_bits)
{
    uint8_t copy[MAP_MAX_BYTES];

    if (nr_bits && (nr_bits + 7) / 8 <= sizeof(copy))
        memcpy(copy, map, (nr_bits + 7) / 8);
    return affinity(m, XEN_DOMCTL_setvcpuaffinity, domid, vcpu, copy, nr_bits);
}

int mica_vcpu_getaffinity(struct mica *m, uint32_t domid, unsigned int vcpu,
                          uint8_t *map, unsigned int nr_bits)
{
    if (nr_bits && (nr_bits + 7) / 8 <= MAP_MAX_BYTES)
        memset(map, 0, (nr_bits + 7) / 8);
    return affinity(m, XEN_DOMCTL_getvcpuaffinity, domid, vcpu, map, nr_bits);
}

static int credit(struct mica *m, uint32_t domid, uint32_t cmd,
                  struct xen_domctl_sched_credit *c)
{
    struct xen_domctl op;
    int rc;

    mica_ok(m);
    memset(&op, 0, sizeof(op));
    op.cmd = XEN_DOMCTL_scheduler_op;
    op.domain = (domid_t)domid;
    op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
    op.u.scheduler_op.cmd = cmd;
    op.u.scheduler_op.u.credit = *c;
    rc = mica_do_domctl(m, &op);
    if (rc)
        return mica_fail(m, rc, "sched_credit %u", domid);
    *c = op.u.scheduler_op.u.credit;
    return 0;
}

int mica_sched_credit_get(struct mica *m, uint32_t domid, uint16_t *weight,
                          uint16_t *cap)
{
    struct xen_domctl_sched_credit c = { 0 };
    int rc = credit(m, domid, XEN_DOMCTL_SCHEDOP_getinfo, &c);

    if (!rc) {
        *weight = c.weight;
        *cap = c.cap;
    }
    return rc;
}

int mica_sched_credit_set(struct mica *m, uint32_t domid, uint16_t weight,
                          uint16_t cap)
{
    struct xen_domctl_sched_credit c = { .weight = weight, .cap = cap };

    return credit(m, domid, XEN_DOMCTL_SCHEDOP_putinfo, &c);
}
