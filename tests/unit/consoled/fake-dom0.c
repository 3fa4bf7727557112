/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/consoled/fake-dom0.c - see fake-dom0.h.  These replace the
 * device layer (libmica) and the xenstore client (libmicaxs) only; every
 * file of the daemon under test is the real one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fake-dom0.h"
#include "libmica.h"
#include "micaxs.h"

#define NODES 32

struct fake_dom0 fake;
static struct { char path[96]; char val[96]; bool used; } nodes[NODES];
static int evtchn_token;

void fake_reset(void)
{
    memset(&fake, 0, sizeof(fake));
    memset(nodes, 0, sizeof(nodes));
}

void fake_store_set(const char *path, const char *val)
{
    int free_slot = -1;

    for (int i = 0; i < NODES; i++) {
        if (nodes[i].used && !strcmp(nodes[i].path, path)) {
            nodes[i].used = val != NULL;
            if (val)
                snprintf(nodes[i].val, sizeof(nodes[i].val), "%s", val);
            return;
        }
        if (!nodes[i].used && free_slot < 0)
            free_slot = i;
    }
    if (!val || free_slot < 0)
        return;
    nodes[free_slot].used = true;
    snprintf(nodes[free_slot].path, sizeof(nodes[0].path), "%s", path);
    snprintf(nodes[free_slot].val, sizeof(nodes[0].val), "%s", val);
}

const char *fake_store_get(const char *path)
{
    for (int i = 0; i < NODES; i++)
        if (nodes[i].used && !strcmp(nodes[i].path, path))
            return nodes[i].val;
    return NULL;
}

void fake_guest_print(const void *s, size_t n)
{
    const char *p = s;

    for (size_t i = 0; i < n; i++)
        fake.page.out[MASK_XENCONS_IDX(fake.page.out_prod + i,
                                       fake.page.out)] = p[i];
    fake.page.out_prod += (uint32_t)n;
    fake.fired++;
}

/* ---- libmica ---- */

const char *mica_errmsg(const struct mica *m)
{
    (void)m;
    return "fake map failure";
}

void *mica_map_foreign(struct mica *m, uint32_t domid, int prot,
                       const uint64_t *gfns, int *errs, size_t n)
{
    (void)m; (void)domid; (void)prot; (void)gfns; (void)errs; (void)n;
    if (fake.map_fails)
        return NULL;
    fake.maps++;
    return &fake.page;
}

void mica_unmap(void *p, size_t n)
{
    (void)p; (void)n;
    fake.unmaps++;
}

struct mica_evtchn *mica_evtchn_open(void)
{
    fake.opens++;
    return (struct mica_evtchn *)&evtchn_token;
}

void mica_evtchn_close(struct mica_evtchn *e)
{
    (void)e;
    fake.closes++;
}

int mica_evtchn_fd(const struct mica_evtchn *e)
{
    (void)e;
    return -1;
}

int mica_evtchn_bind_interdomain(struct mica_evtchn *e, uint32_t domid,
                                 uint32_t remote_port)
{
    (void)e; (void)domid; (void)remote_port;
    fake.fired++;       /* as Xen: the new port starts pending */
    return 17;
}

int mica_evtchn_notify(struct mica_evtchn *e, uint32_t port)
{
    (void)e; (void)port;
    fake.notifies++;
    return 0;
}

int mica_evtchn_pending(struct mica_evtchn *e)
{
    (void)e;
    if (fake.pending_err)
        return fake.pending_err;
    if (!fake.fired)
        return -EAGAIN;
    fake.fired = 0;     /* the device delivers a port once until unmasked */
    return 17;
}

int mica_evtchn_unmask(struct mica_evtchn *e, uint32_t port)
{
    (void)e; (void)port;
    fake.unmasks++;
    return 0;
}

/* ---- libmicaxs ---- */

int mxs_read(struct mxs_handle *h, uint32_t tx, const char *path,
             char **val, unsigned int *len)
{
    const char *v = fake_store_get(path);

    (void)h; (void)tx;
    if (!v)
        return -ENOENT;
    *val = strdup(v);
    if (len)
        *len = (unsigned int)strlen(v);
    return *val ? 0 : -ENOMEM;
}

int mxs_write(struct mxs_handle *h, uint32_t tx, const char *path,
              const void *val, unsigned int len)
{
    char buf[96];

    (void)h; (void)tx;
    snprintf(buf, sizeof(buf), "%.*s", (int)len, (const char *)val);
    fake_store_set(path, buf);
    return 0;
}
