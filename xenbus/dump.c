/* SPDX-License-Identifier: MIT */
/*
 * xenbus/dump.c - the state file behind --dump/--restore, so the daemon
 * can be restarted or upgraded while guests keep their state.
 *
 * What survives: every node (value and permissions), the permissions of
 * the special nodes, the domains (introduction, target, ring coordinates)
 * and the watches of domain connections, whose rings are simply mapped
 * again. Socket clients and open transactions do not survive; socket
 * clients reconnect and transactions end with ENOENT, which clients treat
 * like any failed transaction.
 *
 * Format: "MICAXSD1", then records tagged N (node), S (special perms),
 * D (domain), W (watch), E (end); integers little-endian as on the host.
 * The reader trusts nothing: every length is bounded before use.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "conn.h"
#include "domain.h"
#include "dump.h"
#include "log.h"
#include "path.h"
#include "tree.h"
#include "watch.h"

#define DUMP_MAGIC "MICAXSD1"
#define MAX_PERMS 4096

struct writer {
    FILE *f;
    int err;
};

static void put(struct writer *w, const void *p, size_t len)
{
    if (!w->err && len && fwrite(p, 1, len, w->f) != len)
        w->err = -EIO;
}

static void put32(struct writer *w, uint32_t v)
{
    put(w, &v, sizeof(v));
}

static void put_str(struct writer *w, const char *s)
{
    uint32_t len = strlen(s);

    put32(w, len);
    put(w, s, len);
}

static void put_perms(struct writer *w, const struct xs_perms *p)
{
    uint32_t i;

    put32(w, p->num);
    for (i = 0; i < p->num; i++) {
        put32(w, p->p[i].id);
        put(w, &p->p[i].perm, 1);
    }
}

static void dump_node(struct xs_node *n, void *arg)
{
    struct writer *w = arg;
    char path[XS_PATH_BUF];

    if (xs_tree_path(n, path, sizeof(path)) < 0) {
        w->err = -E2BIG;
        return;
    }
    put(w, "N", 1);
    put_str(w, path);
    put32(w, n->vlen);
    put(w, n->value, n->vlen);
    put_perms(w, n->perms);
}

static void dump_domain(struct xs_domain *d, void *arg)
{
    struct writer *w = arg;
    uint8_t intro = d->introduced;

    if (!d->introduced && d->target == XS_DOMID_INVALID)
        return;
    put(w, "D", 1);
    put32(w, d->domid);
    put32(w, d->target);
    put(w, &intro, 1);
    put(w, &d->gfn, sizeof(d->gfn));
    put32(w, d->evtchn);
}

static void dump_watches(struct writer *w)
{
    struct xs_list *pos, *tmp;

    xs_list_for_each_safe(pos, tmp, xs_watch_list()) {
        struct xs_watch *wa = xs_container_of(pos, struct xs_watch, glink);

        if (!wa->conn->ops->is_ring)
            continue;
        put(w, "W", 1);
        put32(w, wa->conn->who.domid);
        put32(w, wa->rel_off);
        put_str(w, wa->path);
        put_str(w, wa->token);
    }
}

/* Written to FILE.tmp and renamed, so a crash never leaves half a dump. */
int xs_dump_write(const char *file)
{
    static const char *const specials[] = { "@introduceDomain",
                                            "@releaseDomain" };
    struct writer w = { NULL, 0 };
    char tmp[4096];
    unsigned int i;

    if (snprintf(tmp, sizeof(tmp), "%s.tmp", file) >= (int)sizeof(tmp))
        return -ENAMETOOLONG;
    w.f = fopen(tmp, "wb");
    if (!w.f)
        return -errno;
    put(&w, DUMP_MAGIC, 8);
    xs_tree_walk(xs_tree_root(), dump_node, &w);
    for (i = 0; i < 2; i++) {
        put(&w, "S", 1);
        put_str(&w, specials[i]);
        put_perms(&w, xs_special_perms(specials[i]));
    }
    xs_domain_foreach(dump_domain, &w);
    dump_watches(&w);
    put(&w, "E", 1);
    if (fclose(w.f) && !w.err)
        w.err = -errno;
    if (!w.err && rename(tmp, file) < 0)
        w.err = -errno;
    if (w.err)
        unlink(tmp);
    return w.err;
}

struct reader {
    FILE *f;
    int err;
};

static void get(struct reader *r, void *p, size_t len)
{
    if (!r->err && len && fread(p, 1, len, r->f) != len)
        r->err = -EINVAL;
}

static uint32_t get32(struct reader *r)
{
    uint32_t v = 0;

    get(r, &v, sizeof(v));
    return v;
}

/* Reads a length-prefixed string of at most size-1 bytes. */
static void get_str(struct reader *r, char *buf, size_t size)
{
    uint32_t len = get32(r);

    if (!r->err && len >= size)
        r->err = -EINVAL;
    get(r, buf, r->err ? 0 : len);
    buf[r->err ? 0 : len] = '\0';
}

static struct xs_perms *get_perms(struct reader *r)
{
    uint32_t num = get32(r), i;
    struct xs_perms *p;

    if (r->err || num < 1 || num > MAX_PERMS) {
        r->err = -EINVAL;
        return NULL;
    }
    p = xs_perms_new(num);
    if (!p) {
        r->err = -ENOMEM;
        return NULL;
    }
    for (i = 0; i < num; i++) {
        uint32_t id = get32(r);

        get(r, &p->p[i].perm, 1);
        if (id >= XS_DOMID_INVALID || p->p[i].perm > XS_PERM_BOTH)
            r->err = -EINVAL;
        p->p[i].id = id;
    }
    if (r->err) {
        xs_perms_put(p);
        return NULL;
    }
    return p;
}

static void restore_node(struct reader *r)
{
    char path[XS_PATH_BUF], *val = NULL;
    struct xs_node *n, *parent;
    struct xs_perms *perms = NULL;
    uint32_t vlen;
    size_t plen;

    get_str(r, path, sizeof(path));
    vlen = get32(r);
    if (r->err || vlen > XENSTORE_PAYLOAD_MAX || path[0] != '/') {
        r->err = -EINVAL;
        return;
    }
    val = malloc(vlen + 1);
    if (!val) {
        r->err = -ENOMEM;
        return;
    }
    get(r, val, vlen);
    perms = get_perms(r);
    if (r->err)
        goto out;
    n = xs_tree_lookup(path);
    if (!n) {
        const char *base = xs_path_base(path);
        char pname[XS_PATH_BUF];

        plen = xs_path_parent_len(path);
        memcpy(pname, path, plen);
        pname[plen] = '\0';
        parent = xs_tree_lookup(pname);
        n = parent ? xs_tree_add(parent, base, strlen(base), perms) : NULL;
        if (!n) {
            r->err = -EINVAL;
            goto out;
        }
    }
    xs_tree_set_perms(n, perms);
    if (xs_tree_set_value(n, val, vlen))
        r->err = -ENOMEM;
out:
    xs_perms_put(perms);
    free(val);
}

static void restore_special(struct reader *r)
{
    char name[64];
    struct xs_perms *p;

    get_str(r, name, sizeof(name));
    p = get_perms(r);
    if (p && xs_special_set_perms(name, p))
        r->err = -EINVAL;
    xs_perms_put(p);
}

static void restore_domain(struct reader *r)
{
    uint32_t domid = get32(r), target = get32(r), evtchn;
    struct xs_domain *d;
    uint8_t intro = 0;
    uint64_t gfn = 0;

    get(r, &intro, 1);
    get(r, &gfn, sizeof(gfn));
    evtchn = get32(r);
    if (r->err || domid >= XS_DOMID_INVALID) {
        r->err = -EINVAL;
        return;
    }
    d = xs_domain_get(domid);
    if (!d) {
        r->err = -ENOMEM;
        return;
    }
    d->target = target > XS_DOMID_INVALID ? XS_DOMID_INVALID : target;
    if (intro && xs_domain_introduce(domid, gfn, evtchn))
        log_warn("restore: domain %u could not be reconnected", domid);
}

static void restore_watch(struct reader *r)
{
    char path[XS_PATH_BUF], token[XENSTORE_PAYLOAD_MAX];
    uint32_t domid = get32(r), rel_off = get32(r);
    struct xs_domain *d;

    get_str(r, path, sizeof(path));
    get_str(r, token, sizeof(token));
    if (r->err || rel_off >= strlen(path)) {
        r->err = -EINVAL;
        return;
    }
    d = xs_domain_find(domid);
    if (d && d->conn)
        xs_watch_add(d->conn, path, rel_off, token);
}

/* Must run on an empty store, before any client is served. */
int xs_dump_read(const char *file)
{
    struct reader r = { NULL, 0 };
    char magic[8];
    char tag = 0;

    r.f = fopen(file, "rb");
    if (!r.f)
        return -errno;
    get(&r, magic, sizeof(magic));
    if (r.err || memcmp(magic, DUMP_MAGIC, sizeof(magic)))
        r.err = -EINVAL;
    while (!r.err) {
        get(&r, &tag, 1);
        if (r.err || tag == 'E')
            break;
        switch (tag) {
        case 'N': restore_node(&r); break;
        case 'S': restore_special(&r); break;
        case 'D': restore_domain(&r); break;
        case 'W': restore_watch(&r); break;
        default: r.err = -EINVAL; break;
        }
    }
    fclose(r.f);
    return r.err;
}
