/* SPDX-License-Identifier: MIT */
/*
 * xs-layout.c - the xenstore layout of a PV domU, node by node, with
 * libxl's permissions: the guest reads its home (n0,rN) and owns the
 * nodes it must write (control/shutdown, feature-*, data, device/suspend
 * ...), which is how an unmodified Linux acknowledges a shutdown request.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs-layout.h"

struct builder {
    struct xs_plan *p;
    uint32_t domid;
    int rc;
};

enum access { RO, GUEST, GUEST_R0, DOM0 };

static void add(struct builder *b, enum access acc, const char *value,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void add(struct builder *b, enum access acc, const char *value,
                const char *fmt, ...)
{
    struct xs_node *n;
    va_list ap;
    int len;

    if (b->rc)
        return;
    if ((b->p->n & (b->p->n - 1)) == 0) {
        n = realloc(b->p->nodes, (b->p->n ? b->p->n * 2 : 1) * sizeof(*n));
        if (!n)
            goto nomem;
        b->p->nodes = n;
    }
    n = &b->p->nodes[b->p->n];
    memset(n, 0, sizeof(*n));
    va_start(ap, fmt);
    len = vasprintf(&n->path, fmt, ap);
    va_end(ap);
    if (len < 0 || !(n->value = strdup(value))) {
        if (len >= 0)
            free(n->path);
        goto nomem;
    }
    switch (acc) {
    case RO:        /* (n0,rN): dom0's, the guest may read */
        n->perms[0] = (struct xs_perm){ 0, 'n' };
        n->perms[1] = (struct xs_perm){ b->domid, 'r' };
        n->nperms = 2;
        break;
    case GUEST:     /* (nN): the guest's own */
        n->perms[0] = (struct xs_perm){ b->domid, 'n' };
        n->nperms = 1;
        break;
    case GUEST_R0:  /* (nN,r0) */
        n->perms[0] = (struct xs_perm){ b->domid, 'n' };
        n->perms[1] = (struct xs_perm){ 0, 'r' };
        n->nperms = 2;
        break;
    case DOM0:      /* (n0) */
        n->perms[0] = (struct xs_perm){ 0, 'n' };
        n->nperms = 1;
        break;
    }
    b->p->n++;
    return;
nomem:
    b->rc = -ENOMEM;
}

static void home(struct builder *b, const struct xs_layout_args *a, const char *h)
{
    static const char *const guest_dirs[] = { "data", "drivers", "feature", "attr", "error" };
    static const char *const control[] = {
        "shutdown", "feature-poweroff", "feature-reboot", "feature-suspend", "sysrq",
    };
    char num[24], vm[64];
    unsigned int i;

    snprintf(vm, sizeof(vm), "/vm/%s", a->uuid);
    snprintf(num, sizeof(num), "%u", a->domid);
    add(b, RO, "", "%s", h);
    add(b, RO, vm, "%s/vm", h);
    add(b, RO, a->name, "%s/name", h);
    add(b, RO, num, "%s/domid", h);
    add(b, RO, "", "%s/cpu", h);
    for (i = 0; i < a->maxvcpus; i++) {
        add(b, RO, "", "%s/cpu/%u", h, i);
        add(b, RO, i < a->vcpus ? "online" : "offline", "%s/cpu/%u/availability", h, i);
    }
    add(b, RO, "", "%s/memory", h);
    snprintf(num, sizeof(num), "%llu", (unsigned long long)a->max_kb);
    add(b, RO, num, "%s/memory/static-max", h);
    snprintf(num, sizeof(num), "%llu", (unsigned long long)a->target_kb);
    add(b, RO, num, "%s/memory/target", h);
    add(b, RO, "0", "%s/memory/videoram", h);
    add(b, RO, "", "%s/device", h);
    add(b, RO, "", "%s/device/suspend", h);
    add(b, GUEST, "", "%s/device/suspend/event-channel", h);
    add(b, RO, "", "%s/control", h);
    for (i = 0; i < sizeof(control) / sizeof(control[0]); i++)
        add(b, GUEST, "", "%s/control/%s", h, control[i]);
    add(b, RO, "1", "%s/control/platform-feature-multiprocessor-suspend", h);
    add(b, RO, "1", "%s/control/platform-feature-xs_reset_watches", h);
    for (i = 0; i < sizeof(guest_dirs) / sizeof(guest_dirs[0]); i++)
        add(b, GUEST, "", "%s/%s", h, guest_dirs[i]);
}

static void store_console(struct builder *b, const struct xs_layout_args *a, const char *h)
{
    char num[24], be[96], fe[64];

    add(b, RO, "", "%s/store", h);
    snprintf(num, sizeof(num), "%u", a->store_port);
    add(b, RO, num, "%s/store/port", h);
    snprintf(num, sizeof(num), "%llu", (unsigned long long)a->store_mfn);
    add(b, RO, num, "%s/store/ring-ref", h);

    snprintf(be, sizeof(be), "/local/domain/%u/backend/console/%u/0", a->console_backend,
             a->domid);
    add(b, RO, "", "%s/console", h);
    add(b, RO, be, "%s/console/backend", h);
    snprintf(num, sizeof(num), "%u", a->console_backend);
    add(b, GUEST_R0, num, "%s/console/backend-id", h);
    add(b, RO, "1048576", "%s/console/limit", h);
    add(b, RO, "xenconsoled", "%s/console/type", h);
    add(b, RO, "pty", "%s/console/output", h);
    snprintf(num, sizeof(num), "%u", a->console_port);
    add(b, RO, num, "%s/console/port", h);
    snprintf(num, sizeof(num), "%llu", (unsigned long long)a->console_mfn);
    add(b, RO, num, "%s/console/ring-ref", h);

    /* the back end's half, under the console daemon's domain */
    add(b, DOM0, "", "/local/domain/%u/backend/console/%u", a->console_backend, a->domid);
    add(b, RO, "", "%s", be);
    snprintf(fe, sizeof(fe), "%s/console", h);
    add(b, RO, fe, "%s/frontend", be);
    snprintf(num, sizeof(num), "%u", a->domid);
    add(b, RO, num, "%s/frontend-id", be);
    add(b, RO, "1", "%s/online", be);
    add(b, RO, "1", "%s/state", be);
    add(b, RO, "vt100", "%s/protocol", be);
}

int xs_layout_plan(struct xs_plan *p, const struct xs_layout_args *a)
{
    struct builder b = { p, a->domid, 0 };
    char h[48];

    memset(p, 0, sizeof(*p));
    snprintf(h, sizeof(h), "/local/domain/%u", a->domid);
    home(&b, a, h);
    store_console(&b, a, h);
    add(&b, RO, "", "/vm/%s", a->uuid);
    add(&b, RO, a->name, "/vm/%s/name", a->uuid);
    add(&b, RO, a->uuid, "/vm/%s/uuid", a->uuid);
    add(&b, RO, "", "/vm/%s/image", a->uuid);
    add(&b, RO, "linux", "/vm/%s/image/ostype", a->uuid);
    add(&b, RO, a->kernel, "/vm/%s/image/kernel", a->uuid);
    add(&b, RO, a->start_time, "/vm/%s/start_time", a->uuid);
    add(&b, DOM0, "", XS_MICA_ROOT "/%u", a->domid);
    add(&b, DOM0, "pv", XS_MICA_ROOT "/%u/type", a->domid);
    add(&b, DOM0, a->uuid, XS_MICA_ROOT "/%u/uuid", a->domid);
    if (b.rc)
        xs_plan_free(p);
    return b.rc;
}

/* The length of the parent's path in 'path' ("/a/b" -> 2), 0 for "/a". */
static size_t parent_len(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? (size_t)(slash - path) : 0;
}

void xs_plan_parents(const struct xs_plan *p, long *parent)
{
    for (size_t i = 0; i < p->n; i++) {
        const char *path = p->nodes[i].path;
        size_t len = parent_len(path);

        parent[i] = -1;
        /* the nearest earlier match: a plan names each node once */
        for (size_t j = i; len && j-- > 0;) {
            if (!strncmp(p->nodes[j].path, path, len) && !p->nodes[j].path[len]) {
                parent[i] = (long)j;
                break;
            }
        }
    }
}

static int same_perms(const struct xs_node *a, const struct xs_node *b)
{
    if (a->nperms != b->nperms)
        return 0;
    for (unsigned int k = 0; k < a->nperms; k++)
        if (a->perms[k].id != b->perms[k].id || a->perms[k].perm != b->perms[k].perm)
            return 0;
    return 1;
}

int xs_node_needs_perms(const struct xs_plan *p, const long *parent, size_t i,
                        int parent_new)
{
    if (parent[i] < 0 || !parent_new)
        return 1;
    return !same_perms(&p->nodes[i], &p->nodes[parent[i]]);
}

void xs_plan_free(struct xs_plan *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->nodes[i].path);
        free(p->nodes[i].value);
    }
    free(p->nodes);
    memset(p, 0, sizeof(*p));
}

int xs_layout_subtrees(uint32_t domid, const char *uuid, char *out[4])
{
    int n = 0;

    if (asprintf(&out[n], "/local/domain/%u", domid) >= 0)
        n++;
    if (n == 1 && asprintf(&out[n], "/local/domain/0/backend/console/%u", domid) >= 0)
        n++;
    if (n == 2 && asprintf(&out[n], XS_MICA_ROOT "/%u", domid) >= 0)
        n++;
    if (n == 3 && uuid && asprintf(&out[n], "/vm/%s", uuid) >= 0)
        n++;
    if (n < (uuid ? 4 : 3)) {
        while (n)
            free(out[--n]);
        return -ENOMEM;
    }
    return n;
}
