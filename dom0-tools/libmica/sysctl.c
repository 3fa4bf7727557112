/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/sysctl.c - questions about the whole machine: physinfo,
 * the domain list (getdomaininfolist) and the hypervisor's log ring
 * (readconsole), in Xen 4.17's layouts.
 */
#include <errno.h>
#include <string.h>
#include "libmica-priv.h"

int mica_physinfo(struct mica *m, struct xen_sysctl_physinfo *info)
{
    struct xen_sysctl op;
    int rc;

    mica_ok(m);
    memset(&op, 0, sizeof(op));
    op.cmd = XEN_SYSCTL_physinfo;
    rc = mica_do_sysctl(m, &op);
    if (rc)
        return mica_fail(m, rc, "physinfo");
    *info = op.u.physinfo;
    return 0;
}

int mica_domain_getinfolist(struct mica *m, uint32_t first, unsigned int max,
                            struct xen_domctl_getdomaininfo *out)
{
    size_t len = (size_t)max * sizeof(*out);
    struct xen_sysctl op;
    void *buf;
    int rc;

    mica_ok(m);
    if (!max)
        return 0;
    if (max > 65536)
        return mica_fail(m, -EINVAL, "getdomaininfolist %u", first);
    if (m->list_len < len) {
        mica_buf_free(m, m->list, m->list_len);
        m->list_len = 0;
        m->list = mica_buf_alloc(m, len);
        if (!m->list)
            return -ENOMEM;
        m->list_len = len;
    }
    buf = m->list;
    memset(&op, 0, sizeof(op));
    op.cmd = XEN_SYSCTL_getdomaininfolist;
    op.u.getdomaininfolist.first_domain = (domid_t)first;
    op.u.getdomaininfolist.max_domains = max;
    set_xen_guest_handle(op.u.getdomaininfolist.buffer, buf);
    rc = mica_do_sysctl(m, &op);
    if (rc) {
        mica_fail(m, rc, "getdomaininfolist %u", first);
    } else {
        rc = (int)op.u.getdomaininfolist.num_domains;
        if ((unsigned int)rc > max)
            rc = (int)max;
        memcpy(out, buf, (size_t)rc * sizeof(*out));
    }
    return rc;
}

int mica_readconsole(struct mica *m, char *out, size_t *len, uint32_t *index,
                     bool clear)
{
    size_t want = *len > (1U << 20) ? (1U << 20) : *len;
    struct xen_sysctl op;
    char *buf;
    int rc;

    mica_ok(m);
    if (!want)
        return 0;
    buf = mica_buf_alloc(m, want);
    if (!buf)
        return -ENOMEM;
    memset(&op, 0, sizeof(op));
    op.cmd = XEN_SYSCTL_readconsole;
    op.u.readconsole.clear = clear;
    /* Index 0 means "from the oldest kept", as a non-incremental read. */
    op.u.readconsole.incremental = *index != 0;
    op.u.readconsole.index = *index;
    set_xen_guest_handle(op.u.readconsole.buffer, buf);
    op.u.readconsole.count = (uint32_t)want;
    rc = mica_do_sysctl(m, &op);
    if (rc) {
        mica_fail(m, rc, "readconsole");
    } else {
        *len = op.u.readconsole.count > want ? want : op.u.readconsole.count;
        *index = op.u.readconsole.index;
        memcpy(out, buf, *len);
    }
    mica_buf_free(m, buf, want);
    return rc;
}
