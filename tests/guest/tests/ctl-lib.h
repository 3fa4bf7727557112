/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/ctl-lib.h - HYPERVISOR_domctl and HYPERVISOR_sysctl
 * wrappers for the domctl and sysctl tests: each fills in the command and
 * the interface version, so a test only sets what it is about.
 */
#ifndef TESTKERNEL_CTL_LIB_H
#define TESTKERNEL_CTL_LIB_H

#include <lib.h>
#include <arch.h>
#include <hypercall.h>
#include <test.h>
#include <public/errno.h>
#include <public/domctl.h>
#include <public/sysctl.h>

#define NO_SUCH_DOMID   0x7fef          /* below DOMID_FIRST_RESERVED, unused */

static inline long HYPERVISOR_domctl(struct xen_domctl *op)
{ return hypercall(__HYPERVISOR_domctl, HC_PTR(op), 0, 0, 0, 0); }

static inline long HYPERVISOR_sysctl(struct xen_sysctl *op)
{ return hypercall(__HYPERVISOR_sysctl, HC_PTR(op), 0, 0, 0, 0); }

/* A domctl 'cmd' on 'dom'; the caller has filled in op->u. */
static inline long domctl(struct xen_domctl *op, uint32_t cmd, domid_t dom)
{
    op->cmd = cmd;
    op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    op->domain = dom;
    return HYPERVISOR_domctl(op);
}

static inline long sysctl(struct xen_sysctl *op, uint32_t cmd)
{
    op->cmd = cmd;
    op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    return HYPERVISOR_sysctl(op);
}

static inline long domctl_info(domid_t dom, struct xen_domctl_getdomaininfo *info)
{
    struct xen_domctl op = { 0 };
    long rc = domctl(&op, XEN_DOMCTL_getdomaininfo, dom);

    *info = op.u.getdomaininfo;
    return rc;
}

/*
 * createdomain for a PV domain with default event and grant limits, grant
 * tables v1 and 'max_vcpus' vCPUs, as domain 'want' (0: any free id) with
 * 'handle' (NULL: zeros); the new id in *id (if not NULL).  0 or -errno.
 */
static inline long domctl_create(domid_t want, uint32_t max_vcpus,
                                 const uint8_t *handle, domid_t *id)
{
    struct xen_domctl op = { 0 };
    long rc;

    op.u.createdomain.max_vcpus = max_vcpus;
    op.u.createdomain.max_evtchn_port = 1023;
    op.u.createdomain.max_grant_frames = -1;
    op.u.createdomain.max_maptrack_frames = -1;
    op.u.createdomain.grant_opts = XEN_DOMCTL_GRANT_version(1);
    if (handle)
        memcpy(op.u.createdomain.handle, handle, sizeof(xen_domain_handle_t));
    rc = domctl(&op, XEN_DOMCTL_createdomain, want);
    if (!rc && id)
        *id = op.domain;
    return rc;
}

static inline long domctl_create_pv(uint32_t max_vcpus, domid_t *id)
{
    return domctl_create(0, max_vcpus, NULL, id);
}

/* sysctl physinfo's free_pages, or 0 if the call fails. */
static inline uint64_t sysctl_free_pages(void)
{
    struct xen_sysctl op = { 0 };

    return sysctl(&op, XEN_SYSCTL_physinfo) ? 0 : op.u.physinfo.free_pages;
}

/* Our own domain id: the first one getdomaininfolist reports as running. */
static inline domid_t self_domid(void)
{
    return 0;                           /* the test kernel runs as dom0 */
}

#endif /* TESTKERNEL_CTL_LIB_H */
