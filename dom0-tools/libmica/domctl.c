/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/domctl.c - typed wrappers for the domctls the tools
 * issue on one domain (create, destroy, pause, query, limits, vCPUs, the
 * credit scheduler), in Xen 4.17's layouts (include/public/domctl.h), and
 * SCHEDOP_remote_shutdown.
 */
#include <errno.h>
#include <string.h>
#include <public/sched.h>
#include "libmica-priv.h"

/* Xen's (and libxl's) defaults for a PV guest's limits. */
#define DEFAULT_MAX_EVTCHN_PORT     1023
#define DEFAULT_MAX_GRANT_FRAMES    32
#define DEFAULT_MAX_MAPTRACK_FRAMES 1024

static int domctl(struct mica *m, struct xen_domctl *op, uint32_t cmd,
                  uint32_t domid, const char *what)
{
    int rc;

    mica_ok(m);
    op->cmd = cmd;
    op->domain = (domid_t)domid;
    rc = mica_do_domctl(m, op);
    return rc ? mica_fail(m, rc, "%s %u", what, domid) : 0;
}

static int domctl_plain(struct mica *m, uint32_t cmd, uint32_t domid,
                        const char *what)
{
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    return domctl(m, &op, cmd, domid, what);
}

int mica_domain_create(struct mica *m, const struct mica_create_args *a,
                       uint32_t *domid)
{
    struct xen_domctl op;
    struct xen_domctl_createdomain *c = &op.u.createdomain;
    int rc;

    memset(&op, 0, sizeof(op));
    memcpy(c->handle, a->handle, sizeof(c->handle));
    c->max_vcpus = a->max_vcpus;
    c->max_evtchn_port = DEFAULT_MAX_EVTCHN_PORT;
    c->max_grant_frames = DEFAULT_MAX_GRANT_FRAMES;
    c->max_maptrack_frames = DEFAULT_MAX_MAPTRACK_FRAMES;
    c->grant_opts = XEN_DOMCTL_GRANT_version(1);
    rc = domctl(m, &op, XEN_DOMCTL_createdomain, a->want_domid, "createdomain");
    if (!rc)
        *domid = op.domain;
    return rc;
}

int mica_domain_destroy(struct mica *m, uint32_t domid)
{
    return domctl_plain(m, XEN_DOMCTL_destroydomain, domid, "destroydomain");
}

int mica_domain_pause(struct mica *m, uint32_t domid)
{
    return domctl_plain(m, XEN_DOMCTL_pausedomain, domid, "pausedomain");
}

int mica_domain_unpause(struct mica *m, uint32_t domid)
{
    return domctl_plain(m, XEN_DOMCTL_unpausedomain, domid, "unpausedomain");
}

int mica_domain_getinfo(struct mica *m, uint32_t domid,
                        struct xen_domctl_getdomaininfo *info)
{
    struct xen_domctl op;
    int rc;

    memset(&op, 0, sizeof(op));
    rc = domctl(m, &op, XEN_DOMCTL_getdomaininfo, domid, "getdomaininfo");
    if (rc)
        return rc;
    /* Xen answers with the next domain up when this one is gone. */
    if (op.u.getdomaininfo.domain != domid)
        return mica_fail(m, -ESRCH, "getdomaininfo %u", domid);
    *info = op.u.getdomaininfo;
    return 0;
}

int mica_domain_setmaxmem(struct mica *m, uint32_t domid, uint64_t max_kb)
{
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    op.u.max_mem.max_memkb = max_kb;
    return domctl(m, &op, XEN_DOMCTL_max_mem, domid, "max_mem");
}

int mica_domain_max_vcpus(struct mica *m, uint32_t domid, unsigned int n)
{
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    op.u.max_vcpus.max = n;
    return domctl(m, &op, XEN_DOMCTL_max_vcpus, domid, "max_vcpus");
}

int mica_domain_shutdown(struct mica *m, uint32_t domid, unsigned int reason)
{
    struct sched_remote_shutdown r = { .domain_id = (domid_t)domid, .reason = reason };
    long rc;

    mica_ok(m);
    rc = mica_cmd_hypercall(m, __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown,
                            &r, sizeof(r));
    return rc ? mica_fail(m, (int)rc, "remote_shutdown %u", domid) : 0;
}

int mica_domain_hypercall_init(struct mica *m, uint32_t domid, uint64_t gmfn)
{
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    op.u.hypercall_init.gmfn = gmfn;
    return domctl(m, &op, XEN_DOMCTL_hypercall_init, domid, "hypercall_init");
}

int mica_vcpu_getinfo(struct mica *m, uint32_t domid, unsigned int vcpu,
                      struct mica_vcpuinfo *info)
{
    struct xen_domctl op;
    struct xen_domctl_getvcpuinfo *v = &op.u.getvcpuinfo;
    int rc;

    memset(&op, 0, sizeof(op));
    v->vcpu = vcpu;
    rc = domctl(m, &op, XEN_DOMCTL_getvcpuinfo, domid, "getvcpuinfo");
    if (rc)
        return rc;
    info->online = v->online;
    info->blocked = v->blocked;
    info->running = v->running;
    info->cpu = v->cpu;
    info->cpu_time = v->cpu_time;
    return 0;
}

int mica_vcpu_setcontext(struct mica *m, uint32_t domid, unsigned int vcpu,
                         const struct vcpu_guest_context *ctxt)
{
    struct xen_domctl op;
    void *buf;
    int rc;

    /* 5 KiB: more than the scratch page, so a buffer of its own. */
    buf = mica_buf_alloc(m, sizeof(*ctxt));
    if (!buf)
        return -ENOMEM;
    memcpy(buf, ctxt, sizeof(*ctxt));
    memset(&op, 0, sizeof(op));
    op.u.vcpucontext.vcpu = vcpu;
    set_xen_guest_handle(op.u.vcpucontext.ctxt, buf);
    rc = domctl(m, &op, XEN_DOMCTL_setvcpucontext, domid, "setvcpucontext");
    mica_buf_free(m, buf, sizeof(*ctxt));
    return rc;
}
