/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/common/be-xs.c - one back end's xenstore life (be-xs.h):
 * the same for a disk and a network device, so kept once here.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmica.h>
#include <micaxs.h>

#include "be-xs.h"

void bex_init(struct be_xs *x, const char *prog, const char *kind, uint32_t domid,
              uint32_t devid)
{
    x->prog = prog;
    x->kind = kind;
    x->domid = domid;
    x->devid = devid;
    x->state = XB_INITIALISING;
    snprintf(x->be, sizeof(x->be), "/local/domain/0/backend/%s/%u/%u", kind, domid, devid);
    snprintf(x->fe, sizeof(x->fe), "/local/domain/%u/device/%s/%u", domid, kind, devid);
}

void bex_log(const struct be_xs *x, const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s %u/%u: %s\n", x->prog, x->domid, x->devid, msg);
}

int bex_read(struct be_xs *x, const char *dir, const char *key, char **val)
{
    char path[160];
    unsigned int len;

    snprintf(path, sizeof(path), "%s/%s", dir, key);
    *val = NULL;
    return mxs_read(x->xs, 0, path, val, &len);
}

int bex_read_uint(struct be_xs *x, const char *dir, const char *key, unsigned long *out)
{
    char *v, *end;
    int rc = bex_read(x, dir, key, &v);

    if (rc)
        return rc;
    *out = strtoul(v, &end, 10);
    rc = (*v < '0' || *v > '9' || *end) ? -EINVAL : 0;
    free(v);
    return rc;
}

int bex_write(struct be_xs *x, const char *dir, const char *key, const char *fmt, ...)
{
    char path[160], val[64];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(val, sizeof(val), fmt, ap);
    va_end(ap);
    snprintf(path, sizeof(path), "%s/%s", dir, key);
    return mxs_write(x->xs, 0, path, val, (unsigned int)strlen(val));
}

int bex_set_state(struct be_xs *x, enum xb_state s)
{
    int rc = bex_write(x, x->be, "state", "%d", (int)s);

    if (!rc && s != x->state)
        bex_log(x, "state %s -> %s", xb_state_name(x->state), xb_state_name(s));
    if (!rc)
        x->state = s;
    return rc;
}

int bex_frontend_state(struct be_xs *x)
{
    char *v;
    int s;

    if (bex_read(x, x->fe, "state", &v))
        return XB_UNKNOWN;
    s = xb_state_parse(v);
    free(v);
    return s < 0 ? XB_UNKNOWN : s;
}

int bex_watch(struct be_xs *x)
{
    char fe_state[128];
    int rc;

    snprintf(fe_state, sizeof(fe_state), "%s/state", x->fe);
    rc = mxs_watch(x->xs, fe_state, "fe");
    if (!rc)
        rc = mxs_watch(x->xs, x->be, "be");
    if (!rc)
        rc = mxs_watch(x->xs, "@releaseDomain", "dom");
    return rc;
}

void bex_drain_watches(struct be_xs *x)
{
    char *path, *token;

    while (!mxs_read_watch(x->xs, 0, &path, &token)) {
        free(path);
        free(token);
    }
}

bool bex_domain_over(struct be_xs *x)
{
    struct xen_domctl_getdomaininfo info;
    int rc = mica_domain_getinfo(x->hv, x->domid, &info);

    if (rc)
        return rc == -ESRCH || rc == -ENOENT || rc == -EINVAL;
    return info.domain != x->domid || (info.flags & XEN_DOMINF_dying);
}

bool bex_dir_gone(struct be_xs *x)
{
    char *v;

    if (bex_read(x, x->be, "state", &v))
        return true;
    free(v);
    return false;
}

/* The toolstack's detach took the device offline: close it with the guest. */
static bool offline(struct be_xs *x)
{
    char *v;
    bool off = false;

    if (!bex_read(x, x->be, "online", &v)) {
        off = !strcmp(v, "0");
        free(v);
    }
    return off;
}

void bex_follow_frontend(struct be_xs *x, const struct bex_ops *ops, void *ctx)
{
    struct xbe_step s = xbe_on_frontend(x->state, bex_frontend_state(x));

    if (offline(x) && x->state != XB_CLOSING && x->state != XB_CLOSED) {
        ops->disconnect(ctx);
        bex_set_state(x, XB_CLOSING);
        return;
    }
    switch (s.action) {
    case XBE_CONNECT:
        if (ops->connect(ctx)) {
            bex_set_state(x, xbe_connect_failed());
            return;
        }
        break;
    case XBE_DISCONNECT:
        ops->disconnect(ctx);
        break;
    case XBE_REINIT:
        ops->publish(ctx);
        break;
    case XBE_NONE:
        break;
    }
    if (s.next != x->state)
        bex_set_state(x, s.next);
    ops->kick(ctx);
}

bool bex_finished(struct be_xs *x)
{
    return xbe_finished(x->state, bex_frontend_state(x));
}

void bex_publish_stats(struct be_xs *x, const char *const *keys, const uint64_t *now,
                       unsigned int n)
{
    char key[32];

    for (unsigned int i = 0; i < n && i < BEX_MAX_STATS; i++) {
        if (now[i] == x->published[i] && x->stats_written)
            continue;
        snprintf(key, sizeof(key), "statistics/%s", keys[i]);
        if (!bex_write(x, x->be, key, "%llu", (unsigned long long)now[i]))
            x->published[i] = now[i];
    }
    x->stats_written = true;
}

void bex_close(struct be_xs *x)
{
    char parent[96], **names = NULL;
    unsigned int n = 0;

    if (!x->xs)
        return;
    if (!bex_domain_over(x) && !bex_dir_gone(x))
        bex_set_state(x, XB_CLOSED);
    mxs_rm(x->xs, 0, x->be);
    snprintf(parent, sizeof(parent), "/local/domain/0/backend/%s/%u", x->kind, x->domid);
    if (!mxs_directory(x->xs, 0, parent, &names, &n) && !n)
        mxs_rm(x->xs, 0, parent);
    free(names);
}
