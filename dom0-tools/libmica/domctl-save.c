/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/domctl-save.c - the domctls save and restore issue
 * beyond building a domain, in Xen 4.17's layouts: a vCPU's context read
 * back (getvcpucontext), frame types (getpageframeinfo3), the TSC
 * information, and resuming a domain that suspended itself, cancelled
 * (rax = 1, as libxc's xc_domain_resume with fast = 1) or not.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "libmica-priv.h"

#define PFINFO_BATCH    1024            /* the hypervisor's bound a call */

static int save_domctl(struct mica *m, struct xen_domctl *op, uint32_t cmd,
                       uint32_t domid, const char *what)
{
    int rc;

    op->cmd = cmd;
    op->domain = (domid_t)domid;
    rc = mica_do_domctl(m, op);
    return rc ? mica_fail(m, rc, "%s %u", what, domid) : 0;
}

int mica_vcpu_getcontext(struct mica *m, uint32_t domid, unsigned int vcpu,
                         struct vcpu_guest_context *ctxt)
{
    struct xen_domctl op;
    void *buf;
    int rc;

    mica_ok(m);
    /* 5 KiB: more than the scratch page, so a buffer of its own. */
    if (!(buf = mica_buf_alloc(m, sizeof(*ctxt))))
        return mica_fail(m, -ENOMEM, "getvcpucontext %u", domid);
    memset(&op, 0, sizeof(op));
    op.u.vcpucontext.vcpu = vcpu;
    set_xen_guest_handle(op.u.vcpucontext.ctxt, buf);
    rc = save_domctl(m, &op, XEN_DOMCTL_getvcpucontext, domid, "getvcpucontext");
    if (!rc)
        memcpy(ctxt, buf, sizeof(*ctxt));
    mica_buf_free(m, buf, sizeof(*ctxt));
    return rc;
}

int mica_pageframe_types(struct mica *m, uint32_t domid, uint64_t *frames, size_t n)
{
    struct xen_domctl op;
    uint64_t *buf;
    int rc = 0;

    mica_ok(m);
    if (!(buf = mica_buf_alloc(m, PFINFO_BATCH * sizeof(*buf))))
        return mica_fail(m, -ENOMEM, "getpageframeinfo3 %u", domid);
    for (size_t done = 0; done < n && !rc; done += PFINFO_BATCH) {
        size_t k = n - done < PFINFO_BATCH ? n - done : PFINFO_BATCH;

        memcpy(buf, frames + done, k * sizeof(*buf));
        memset(&op, 0, sizeof(op));
        op.u.getpageframeinfo3.num = k;
        set_xen_guest_handle(op.u.getpageframeinfo3.array, buf);
        rc = save_domctl(m, &op, XEN_DOMCTL_getpageframeinfo3, domid, "getpageframeinfo3");
        if (!rc)
            memcpy(frames + done, buf, k * sizeof(*buf));
    }
    mica_buf_free(m, buf, PFINFO_BATCH * sizeof(*buf));
    return rc;
}

int mica_tscinfo_get(struct mica *m, uint32_t domid, struct xen_domctl_tsc_info *t)
{
    struct xen_domctl op;
    int rc;

    mica_ok(m);
    memset(&op, 0, sizeof(op));
    rc = save_domctl(m, &op, XEN_DOMCTL_gettscinfo, domid, "gettscinfo");
    if (!rc)
        *t = op.u.tsc_info;
    return rc;
}

int mica_tscinfo_set(struct mica *m, uint32_t domid, const struct xen_domctl_tsc_info *t)
{
    struct xen_domctl op;

    mica_ok(m);
    memset(&op, 0, sizeof(op));
    op.u.tsc_info = *t;
    return save_domctl(m, &op, XEN_DOMCTL_settscinfo, domid, "settscinfo");
}

/*
 * A cancelled suspend returns 1 to the guest's SCHEDOP_shutdown, so that
 * it carries on where it was (Linux keeps every connection); 0 would tell
 * it that it woke in a new domain.
 */
int mica_domain_resume(struct mica *m, uint32_t domid, bool cancelled)
{
    struct vcpu_guest_context *c;
    struct xen_domctl op;
    int rc;

    mica_ok(m);
    if (cancelled) {
        if (!(c = calloc(1, sizeof(*c))))
            return mica_fail(m, -ENOMEM, "resume %u", domid);
        rc = mica_vcpu_getcontext(m, domid, 0, c);
        if (!rc) {
            c->user_regs.rax = 1;
            rc = mica_vcpu_setcontext(m, domid, 0, c);
        }
        free(c);
        if (rc)
            return rc;
    }
    memset(&op, 0, sizeof(op));
    return save_domctl(m, &op, XEN_DOMCTL_resumedomain, domid, "resumedomain");
}

/*
 * get/setvcpuextstate: the vCPU's XSAVE state as {xcr0, xcr0_accum,
 * area}.  get with *len 0 only asks the size (0: the host has no XSAVE).
 */
int mica_vcpu_extstate(struct mica *m, uint32_t domid, unsigned int vcpu, bool set,
                       void *state, size_t *len)
{
    struct xen_domctl op;
    void *buf = NULL;
    size_t cap = *len;
    int rc;

    mica_ok(m);
    if (cap && !(buf = mica_buf_alloc(m, cap)))
        return mica_fail(m, -ENOMEM, "vcpuextstate %u", domid);
    memset(&op, 0, sizeof(op));
    op.u.vcpuextstate.vcpu = vcpu;
    op.u.vcpuextstate.size = cap;
    if (buf) {
        if (set)
            memcpy(buf, state, cap);
        set_xen_guest_handle(op.u.vcpuextstate.buffer, buf);
    }
    rc = save_domctl(m, &op, set ? XEN_DOMCTL_setvcpuextstate : XEN_DOMCTL_getvcpuextstate,
                     domid, set ? "setvcpuextstate" : "getvcpuextstate");
    if (!rc && !set) {
        if (buf)
            memcpy(state, buf, cap < op.u.vcpuextstate.size ? cap : op.u.vcpuextstate.size);
        *len = op.u.vcpuextstate.size;
    }
    if (buf)
        mica_buf_free(m, buf, cap);
    return rc;
}
