/* SPDX-License-Identifier: MIT */
/*
 * domain.c - finding domains by name, renaming them, and destroying them
 * as libxl does: the hypervisor's domain, then its xenstore subtrees
 * (xs-layout.h), then XS_RELEASE, and only then "done", once the domain
 * is gone from the list.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmica.h>
#include <micaxs.h>

#include "domain.h"
#include "vbd.h"
#include "xs-layout.h"

/* Enough for any honest race; a store that always says EAGAIN is broken. */
#define XS_TX_TRIES 16

int dom_xs_transaction(struct mxs_handle *xs, dom_xs_tx_fn *fn, void *arg)
{
    uint32_t tx;
    int rc = -EAGAIN, tries;

    for (tries = 0; tries < XS_TX_TRIES && rc == -EAGAIN; tries++) {
        rc = mxs_transaction_start(xs, &tx);
        if (rc)
            return rc;
        rc = fn(xs, tx, arg);
        if (rc) {
            mxs_transaction_end(xs, tx, true);
            return rc;
        }
        rc = mxs_transaction_end(xs, tx, false);
    }
    return rc;
}

char *dom_name(struct mxs_handle *xs, uint32_t domid)
{
    char path[48], *val = NULL;
    unsigned int len;

    snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
    if (mxs_read(xs, 0, path, &val, &len))
        return NULL;
    return val;
}

int dom_list(struct mica *hv, struct xen_domctl_getdomaininfo **out)
{
    struct xen_domctl_getdomaininfo *all = NULL, *n;
    uint32_t first = 0;
    int total = 0, got;

    do {
        n = realloc(all, (size_t)(total + 64) * sizeof(*all));
        if (!n) {
            free(all);
            return -ENOMEM;
        }
        all = n;
        got = mica_domain_getinfolist(hv, first, 64, all + total);
        if (got < 0) {
            free(all);
            return got;
        }
        total += got;
        if (got)
            first = all[total - 1].domain + 1u;
    } while (got == 64);
    *out = all;
    return total;
}

int dom_find_name(struct mica *hv, struct mxs_handle *xs, const char *name,
                  uint32_t *domid)
{
    struct xen_domctl_getdomaininfo *all;
    int n = dom_list(hv, &all), i, rc = -ENOENT;

    for (i = 0; i < n && rc; i++) {
        char *s = dom_name(xs, all[i].domain);

        if (s && !strcmp(s, name)) {
            *domid = all[i].domain;
            rc = 0;
        }
        free(s);
    }
    if (n >= 0)
        free(all);
    return n < 0 ? n : rc;
}

int dom_request_shutdown(struct mxs_handle *xs, uint32_t domid, const char *what)
{
    char path[64];

    snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", domid);
    return mxs_write(xs, 0, path, what, (unsigned int)strlen(what));
}

static int xs_rm_subtrees(struct mxs_handle *xs, uint32_t domid)
{
    char path[48], *uuid = NULL, *sub[4];
    unsigned int len;
    int n, rc = 0, i;

    snprintf(path, sizeof(path), XS_MICA_ROOT "/%u/uuid", domid);
    if (mxs_read(xs, 0, path, &uuid, &len))
        uuid = NULL;
    n = xs_layout_subtrees(domid, uuid, sub);
    free(uuid);
    for (i = 0; i < n; i++) {
        int r = mxs_rm(xs, 0, sub[i]);

        if (r && r != -ENOENT && !rc)
            rc = r;
        free(sub[i]);
    }
    return n < 0 ? n : rc;
}

int dom_destroy(struct mica *hv, struct mxs_handle *xs, uint32_t domid)
{
    struct xen_domctl_getdomaininfo info;
    int rc, tries;

    rc = mica_domain_destroy(hv, domid);
    for (tries = 0; rc == -EAGAIN && tries < 1000; tries++)
        rc = mica_domain_destroy(hv, domid);
    if (rc == -ESRCH)
        rc = 0;
    if (xs) {
        int r = xs_rm_subtrees(xs, domid);

        if (!rc)
            rc = r;
        /* the daemon may have released it on the domain's death already */
        r = mxs_release(xs, domid);
        if (!rc && r && r != -ENOENT && r != -EINVAL)
            rc = r;
    }
    /* gone from the list (its memory back) before we return, as xl */
    for (tries = 0; tries < 500 && !mica_domain_getinfo(hv, domid, &info); tries++)
        usleep(10000);
    if (xs)
        vbd_destroy_cleanup(xs, domid);
    return rc;
}

int dom_rename(struct mxs_handle *xs, uint32_t domid, const char *to)
{
    char path[64], *vm = NULL;
    unsigned int len;
    int rc;

    snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
    rc = mxs_write(xs, 0, path, to, (unsigned int)strlen(to));
    snprintf(path, sizeof(path), "/local/domain/%u/vm", domid);
    if (!rc && !mxs_read(xs, 0, path, &vm, &len) && vm[0]) {
        char vmname[128];

        snprintf(vmname, sizeof(vmname), "%s/name", vm);
        rc = mxs_write(xs, 0, vmname, to, (unsigned int)strlen(to));
    }
    free(vm);
    return rc;
}
