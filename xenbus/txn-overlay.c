/* SPDX-License-Identifier: MIT */
/*
 * xenbus/txn-overlay.c - a transaction's private copies of the nodes it has
 * touched, and the node operations performed on them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "conn.h"
#include "path.h"
#include "quota.h"
#include "transaction.h"
#include "tree.h"

static uint64_t path_hash(const char *path)
{
    return xs_fnv1a(XS_FNV_BASIS, path, strlen(path));
}

static struct tx_node *find(struct xs_tx *tx, const char *path)
{
    uint64_t h = path_hash(path);
    struct xs_hlink *l;

    for (l = xs_htab_chain(&tx->nodes, h); l; l = l->next) {
        struct tx_node *tn = xs_container_of(l, struct tx_node, hl);

        if (l->hash == h && !strcmp(tn->path, path))
            return tn;
    }
    return NULL;
}

static int insert(struct xs_tx *tx, struct tx_node *tn)
{
    if (xs_htab_reserve(&tx->nodes))
        return -ENOMEM;
    xs_htab_insert(&tx->nodes, &tn->hl, path_hash(tn->path));
    return 0;
}

static void tn_free(struct tx_node *tn)
{
    xs_perms_put(tn->perms);
    free(tn->value);
    free(tn->children);
    free(tn);
}

/* Copy of the live node (or a note that it is absent), without the hash. */
static struct tx_node *load(const char *path)
{
    size_t plen = strlen(path);
    struct tx_node *tn = calloc(1, sizeof(*tn) + plen + 1);
    struct xs_node *n, *c;

    if (!tn)
        return NULL;
    memcpy(tn->path, path, plen + 1);
    n = xs_tree_lookup(path);
    if (!n)
        return tn;
    tn->exists = true;
    tn->base_gen = tn->gen = n->gen;
    tn->perms = xs_perms_get(n->perms);
    if (n->vlen) {
        tn->value = malloc(n->vlen);
        if (!tn->value)
            goto fail;
        memcpy(tn->value, n->value, n->vlen);
        tn->vlen = n->vlen;
    }
    if (n->dirlen) {
        tn->children = malloc(n->dirlen);
        if (!tn->children)
            goto fail;
        for (c = n->child; c; c = c->next) {
            size_t l = strlen(c->name) + 1;

            memcpy(tn->children + tn->clen, c->name, l);
            tn->clen += l;
        }
        tn->ccap = tn->clen;
    }
    return tn;
fail:
    tn_free(tn);
    return NULL;
}

/* The transaction's view of 'path'; copies the live node on first touch. */
int xs_tx_get(struct xs_tx *tx, const char *path, struct tx_node **out)
{
    struct tx_node *tn = find(tx, path);
    int rc;

    if (!tn) {
        if (!tx->conn->who.priv && tx->nodes.count >= xs_quota.tx_nodes)
            return -ENOSPC;
        tn = load(path);
        if (!tn)
            return -ENOMEM;
        rc = insert(tx, tn);
        if (rc) {
            tn_free(tn);
            return rc;
        }
    }
    *out = tn;
    return 0;
}

static int child_add(struct tx_node *parent, const char *name)
{
    size_t l = strlen(name) + 1;

    if (parent->clen + l > parent->ccap) {
        uint32_t cap = (parent->clen + l) * 2;
        char *c = realloc(parent->children, cap);

        if (!c)
            return -ENOMEM;
        parent->children = c;
        parent->ccap = cap;
    }
    memcpy(parent->children + parent->clen, name, l);
    parent->clen += l;
    return 0;
}

static void child_del(struct tx_node *parent, const char *name)
{
    uint32_t off = 0;
    size_t l = strlen(name) + 1;

    while (off < parent->clen) {
        char *s = parent->children + off;
        size_t sl = strlen(s) + 1;

        if (sl == l && !memcmp(s, name, l)) {
            memmove(s, s + l, parent->clen - off - l);
            parent->clen -= l;
            return;
        }
        off += sl;
    }
}

static void touch(struct tx_node *tn)
{
    tn->modified = true;
    tn->gen = xs_tree_gen_next();
}

static int get_parent(struct xs_tx *tx, const char *path, struct tx_node **out)
{
    char buf[XS_PATH_BUF];
    size_t len = xs_path_parent_len(path);

    memcpy(buf, path, len);
    buf[len] = '\0';
    return xs_tx_get(tx, buf, out);
}

/* Creates 'path' with an empty value; its parent must exist in the view. */
int xs_tx_create(struct xs_tx *tx, const char *path, struct xs_perms *perms)
{
    struct tx_node *parent, *tn;
    int rc;

    rc = get_parent(tx, path, &parent);
    if (rc)
        return rc;
    if (!parent->exists)
        return -ENOENT;
    rc = xs_tx_get(tx, path, &tn);
    if (rc)
        return rc;
    if (tn->exists)
        return -EEXIST;
    rc = child_add(parent, xs_path_base(path));
    if (rc)
        return rc;
    touch(parent);
    tn->exists = true;
    tn->vlen = 0;
    free(tn->value);
    tn->value = NULL;
    tn->clen = 0;
    xs_perms_put(tn->perms);
    tn->perms = xs_perms_get(perms);
    touch(tn);
    tn->created = tn->gen;
    tx->node_delta++;
    return 0;
}

int xs_tx_set_value(struct xs_tx *tx, const char *path, const void *val,
                    uint32_t len)
{
    struct tx_node *tn;
    char *v = NULL;
    int rc = xs_tx_get(tx, path, &tn);

    if (rc)
        return rc;
    if (!tn->exists)
        return -ENOENT;
    if (len) {
        v = malloc(len);
        if (!v)
            return -ENOMEM;
        memcpy(v, val, len);
    }
    free(tn->value);
    tn->value = v;
    tn->vlen = len;
    touch(tn);
    return 0;
}

int xs_tx_set_perms(struct xs_tx *tx, const char *path,
                    struct xs_perms *perms)
{
    struct tx_node *tn;
    int rc = xs_tx_get(tx, path, &tn);

    if (rc)
        return rc;
    if (!tn->exists)
        return -ENOENT;
    xs_perms_get(perms);
    xs_perms_put(tn->perms);
    tn->perms = perms;
    touch(tn);
    return 0;
}

/*
 * Marks 'tn' and, through its child list, every descendant as deleted, so
 * later lookups inside the transaction never fall through to live nodes
 * that the commit will remove.
 */
static int remove_rec(struct xs_tx *tx, struct tx_node *tn, bool top)
{
    char buf[XS_PATH_BUF];
    size_t plen = strlen(tn->path);
    uint32_t off = 0;
    int rc;

    while (off < tn->clen) {
        const char *name = tn->children + off;
        size_t l = strlen(name);
        struct tx_node *c;

        off += l + 1;
        if (plen + 1 + l >= sizeof(buf))
            continue;
        memcpy(buf, tn->path, plen);
        buf[plen] = '/';
        memcpy(buf + plen + 1, name, l + 1);
        if (plen == 1)
            memmove(buf + 1, buf + 2, l + 1);
        rc = xs_tx_get(tx, buf, &c);
        if (rc)
            return rc;
        if (c->exists) {
            rc = remove_rec(tx, c, false);
            if (rc)
                return rc;
        }
    }
    if (!top) {
        rc = xs_tx_event(tx, tn->path, tn->perms, true);
        if (rc)
            return rc;
    }
    tn->exists = false;
    tn->clen = 0;
    touch(tn);
    tx->node_delta--;
    return 0;
}

int xs_tx_remove(struct xs_tx *tx, const char *path)
{
    struct tx_node *parent, *tn;
    int rc;

    rc = get_parent(tx, path, &parent);
    if (rc)
        return rc;
    rc = xs_tx_get(tx, path, &tn);
    if (rc)
        return rc;
    if (!tn->exists)
        return -ENOENT;
    rc = remove_rec(tx, tn, true);
    if (rc)
        return rc;
    child_del(parent, xs_path_base(path));
    touch(parent);
    return 0;
}

int xs_tx_event(struct xs_tx *tx, const char *path, struct xs_perms *perms,
                bool exact)
{
    size_t l = strlen(path) + 1;
    struct tx_event *e = malloc(sizeof(*e) + l);

    if (!e)
        return -ENOMEM;
    memcpy(e->path, path, l);
    e->perms = xs_perms_get(perms);
    e->exact = exact;
    xs_list_add_tail(&tx->events, &e->link);
    return 0;
}

void xs_tx_overlay_free(struct xs_tx *tx)
{
    struct xs_list *pos, *tmp;
    struct xs_hlink *l, *next;
    size_t i;

    xs_htab_for_each_safe(&tx->nodes, i, l, next)
        tn_free(xs_container_of(l, struct tx_node, hl));
    xs_htab_free(&tx->nodes);
    xs_list_for_each_safe(pos, tmp, &tx->events) {
        struct tx_event *e = xs_container_of(pos, struct tx_event, link);

        xs_list_del(pos);
        xs_perms_put(e->perms);
        free(e);
    }
}
