/* SPDX-License-Identifier: MIT */
/*
 * cli.c - what every verb needs: the libmica and xenstore handles, opened
 * once with a one-line error, and domain arguments resolved as xl
 * resolves them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmica.h>
#include <public/sysctl.h>
#include <micaxs.h>

#include "domain.h"
#include "domspec.h"
#include "mica.h"

struct mica *cli_hv(struct mica_ctx *c)
{
    if (!c->hv) {
        c->hv = mica_open();
        if (!c->hv) {
            fprintf(stderr, "mica: cannot open /dev/xen/privcmd: %s (not dom0?)\n",
                    strerror(errno));
            exit(1);
        }
    }
    return c->hv;
}

struct mxs_handle *cli_xs(struct mica_ctx *c)
{
    if (!c->xs) {
        c->xs = mxs_open(NULL);
        if (!c->xs) {
            fprintf(stderr, "mica: cannot connect to xenstore: %s (is micastored running?)\n",
                    strerror(errno));
            exit(1);
        }
    }
    return c->xs;
}

uint32_t cli_find_domain(struct mica_ctx *c, const char *arg)
{
    struct xen_domctl_getdomaininfo info;
    uint32_t id;
    int rc = domspec_parse(arg, &id);

    if (rc == 0 && !mica_domain_getinfo(cli_hv(c), id, &info))
        return id;
    if (rc == -ENOENT && !dom_find_name(cli_hv(c), cli_xs(c), arg, &id))
        return id;
    fprintf(stderr, "%s is an invalid domain identifier (rc=-6)\n", arg);
    exit(1);
}

/* XEN_SYSCTL_sched_id by name: "credit", "credit2", ... or "unknown". */
const char *cli_sched_name(struct mica *hv)
{
    struct xen_sysctl *op = mica_buf_alloc(hv, sizeof(*op));
    const char *name = "unknown";

    if (!op)
        return name;
    memset(op, 0, sizeof(*op));
    op->cmd = XEN_SYSCTL_sched_id;
    op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    if (mica_hypercall(hv, __HYPERVISOR_sysctl, (uint64_t)(uintptr_t)op, 0, 0, 0, 0) == 0) {
        switch (op->u.sched_id.sched_id) {
        case XEN_SCHEDULER_CREDIT: name = "credit"; break;
        case XEN_SCHEDULER_CREDIT2: name = "credit2"; break;
        case XEN_SCHEDULER_RTDS: name = "rtds"; break;
        case XEN_SCHEDULER_NULL: name = "null"; break;
        }
    }
    mica_buf_free(hv, op, sizeof(*op));
    return name;
}

int cli_not_implemented(const char *what)
{
    fprintf(stderr, "%s: command not implemented by Mica yet\n", what);
    return 1;
}
