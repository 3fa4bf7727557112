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

int cli_not_implemented(const char *what)
{
    fprintf(stderr, "%s: command not implemented by Mica yet\n", what);
    return 1;
}
