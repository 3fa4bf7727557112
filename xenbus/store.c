/* SPDX-License-Identifier: MIT */
/*
 * xenbus/store.c - one entry point per node operation, dispatching to the
 * live tree or to the transaction overlay, so that handlers are written
 * once. Also the access check that hides whether a node exists.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "domain.h"
#include "path.h"
#include "store.h"
#include "transaction.h"
#include "tree.h"
#include "watch.h"

int xs_store_get(struct xs_tx *tx, const char *path, struct xs_rec *rec)
{
    if (tx) {
        struct tx_node *tn;
        int rc = xs_tx_get(tx, path, &tn);

        if (rc)
            return rc;
        if (!tn->exists)
            return -ENOENT;
        rec->value = tn->value;
        rec->vlen = tn->vlen;
        rec->dirlen = tn->clen;
        rec->perms = tn->perms;
        rec->gen = tn->gen;
    } else {
        struct xs_node *n = xs_tree_lookup(path);

        if (!n)
            return -ENOENT;
        rec->value = n->value;
        rec->vlen = n->vlen;
        rec->dirlen = n->dirlen;
        rec->perms = n->perms;
        rec->gen = n->gen;
    }
    return 0;
}

/*
 * Checks 'want' on 'path'. A missing node is reported as ENOENT only if
 * the caller could see it were it there (the nearest existing ancestor
 * grants 'want'); otherwise EACCES, so existence does not leak.
 */
int xs_store_access(struct xs_tx *tx, const struct xs_who *who,
                    const char *path, unsigned int want, struct xs_rec *rec)
{
    char buf[XS_PATH_BUF];
    struct xs_rec tmp;
    size_t len;
    int rc;

    rc = xs_store_get(tx, path, rec);
    if (rc == 0)
        return (xs_perms_for(who, rec->perms) & want) == want ? 0 : -EACCES;
    if (rc != -ENOENT)
        return rc;
    len = strlen(path);
    if (len >= sizeof(buf))
        return -EINVAL;
    memcpy(buf, path, len + 1);
    while (len > 1) {
        len = xs_path_parent_len(buf);
        buf[len] = '\0';
        rc = xs_store_get(tx, buf, &tmp);
        if (rc == 0)
            return (xs_perms_for(who, tmp.perms) & want) == want ? -ENOENT
                                                                  : -EACCES;
        if (rc != -ENOENT)
            return rc;
    }
    return -ENOENT;
}

/* A malloc'd copy of the "a\0b\0" child list. */
int xs_store_children(struct xs_tx *tx, const char *path, char **buf,
                      size_t *len)
{
    struct xs_node *n, *c;
    char *out;
    size_t off = 0;

    if (tx) {
        struct tx_node *tn;
        int rc = xs_tx_get(tx, path, &tn);

        if (rc)
            return rc;
        if (!tn->exists)
            return -ENOENT;
        out = malloc(tn->clen + 1);
        if (!out)
            return -ENOMEM;
        if (tn->clen)
            memcpy(out, tn->children, tn->clen);
        *buf = out;
        *len = tn->clen;
        return 0;
    }
    n = xs_tree_lookup(path);
    if (!n)
        return -ENOENT;
    out = malloc(n->dirlen + 1);
    if (!out)
        return -ENOMEM;
    for (c = n->child; c; c = c->next) {
        size_t l = strlen(c->name) + 1;

        memcpy(out + off, c->name, l);
        off += l;
    }
    *buf = out;
    *len = off;
    return 0;
}

int xs_store_create(struct xs_tx *tx, const char *path, struct xs_perms *perms)
{
    char parent[XS_PATH_BUF];
    struct xs_node *p;
    const char *base;
    size_t plen;

    if (tx)
        return xs_tx_create(tx, path, perms);
    plen = xs_path_parent_len(path);
    memcpy(parent, path, plen);
    parent[plen] = '\0';
    p = xs_tree_lookup(parent);
    if (!p)
        return -ENOENT;
    base = xs_path_base(path);
    if (xs_tree_child(p, base, strlen(base)))
        return -EEXIST;
    return xs_tree_add(p, base, strlen(base), perms) ? 0 : -ENOMEM;
}

int xs_store_set_value(struct xs_tx *tx, const char *path, const void *val,
                       size_t len)
{
    struct xs_node *n;

    if (tx)
        return xs_tx_set_value(tx, path, val, len);
    n = xs_tree_lookup(path);
    if (!n)
        return -ENOENT;
    return xs_tree_set_value(n, val, len);
}

int xs_store_set_perms(struct xs_tx *tx, const char *path,
                       struct xs_perms *perms)
{
    struct xs_node *n;

    if (tx)
        return xs_tx_set_perms(tx, path, perms);
    n = xs_tree_lookup(path);
    if (!n)
        return -ENOENT;
    xs_tree_set_perms(n, perms);
    return 0;
}

static void removed(struct xs_node *n, void *arg)
{
    const struct xs_node *top = arg;
    char path[XS_PATH_BUF];

    /* The top node's event is the caller's; descendants fire exact watches. */
    if (n != top && xs_tree_path(n, path, sizeof(path)) > 0)
        xs_watch_fire(path, n->perms, true);
}

int xs_store_remove(struct xs_tx *tx, const char *path)
{
    struct xs_node *n;

    if (tx)
        return xs_tx_remove(tx, path);
    n = xs_tree_lookup(path);
    if (!n)
        return -ENOENT;
    xs_tree_remove(n, removed, n);
    return 0;
}

int xs_store_event(struct xs_tx *tx, const char *path, struct xs_perms *perms,
                   bool exact)
{
    if (tx)
        return xs_tx_event(tx, path, perms, exact);
    xs_watch_fire(path, perms, exact);
    return 0;
}

/* Nodes 'domid' owns as the caller would see them after its transaction. */
unsigned int xs_store_nodes_of(struct xs_tx *tx, unsigned int domid)
{
    long n = xs_domain_nodes(domid);

    if (tx)
        n += tx->node_delta;
    return n < 0 ? 0 : n;
}
