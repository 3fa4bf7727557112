/* SPDX-License-Identifier: MIT */
/*
 * xenbus/transaction.c - transaction life cycle: START/END, conflict
 * detection at commit, replay of the overlay onto the live tree.
 *
 * Conflicts follow 4.17: any node the transaction touched (read or
 * written) whose generation moved meanwhile fails the commit with EAGAIN.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conn.h"
#include "log.h"
#include "path.h"
#include "proto.h"
#include "quota.h"
#include "transaction.h"
#include "tree.h"
#include "watch.h"

struct xs_tx *xs_tx_lookup(struct xs_conn *c, uint32_t id)
{
    struct xs_list *pos, *tmp;

    xs_list_for_each_safe(pos, tmp, &c->txs) {
        struct xs_tx *tx = xs_container_of(pos, struct xs_tx, link);

        if (tx->id == id)
            return tx;
    }
    return NULL;
}

struct xs_tx *xs_tx_new(struct xs_conn *c)
{
    struct xs_tx *tx = calloc(1, sizeof(*tx));

    if (!tx)
        return NULL;
    /* Ids count up per connection, skipping 0 and ids still in use. */
    do {
        tx->id = c->next_tx_id++;
    } while (!tx->id || xs_tx_lookup(c, tx->id));
    tx->conn = c;
    xs_list_init(&tx->events);
    xs_list_add_tail(&c->txs, &tx->link);
    c->nr_tx++;
    return tx;
}

void xs_tx_free(struct xs_tx *tx)
{
    xs_tx_overlay_free(tx);
    xs_list_del(&tx->link);
    tx->conn->nr_tx--;
    free(tx);
}

/* A vanished client's transactions never touched the live tree: just drop. */
void xs_tx_conn_gone(struct xs_conn *c)
{
    while (!xs_list_empty(&c->txs))
        xs_tx_free(xs_container_of(c->txs.next, struct xs_tx, link));
}

static bool still_valid(const struct tx_node *tn)
{
    struct xs_node *n = xs_tree_lookup(tn->path);

    if (!tn->base_gen)
        return !n;
    return n && n->gen == tn->base_gen;
}

static unsigned int depth(const char *path)
{
    unsigned int d = 0;

    for (; *path; path++)
        d += *path == '/';
    return d;
}

static int by_depth(const void *a, const void *b)
{
    const struct tx_node *x = *(const struct tx_node *const *)a;
    const struct tx_node *y = *(const struct tx_node *const *)b;
    unsigned int dx = depth(x->path), dy = depth(y->path);

    /* Siblings are created in the order the transaction created them. */
    if (dx != dy)
        return dx < dy ? -1 : 1;
    return x->created < y->created ? -1 : x->created > y->created;
}

static int apply_one(const struct tx_node *tn)
{
    struct xs_node *n = xs_tree_lookup(tn->path);
    char parent[XS_PATH_BUF];
    size_t plen;
    int rc;

    if (!tn->exists) {
        if (n)
            xs_tree_remove(n, NULL, NULL);
        return 0;
    }
    if (!n) {
        struct xs_node *p;
        const char *base = xs_path_base(tn->path);

        plen = xs_path_parent_len(tn->path);
        memcpy(parent, tn->path, plen);
        parent[plen] = '\0';
        p = xs_tree_lookup(parent);
        if (!p)
            return -ENOENT;
        n = xs_tree_add(p, base, strlen(base), tn->perms);
        if (!n)
            return -ENOMEM;
    } else if (!xs_perms_equal(n->perms, tn->perms)) {
        xs_tree_set_perms(n, tn->perms);
    }
    rc = xs_tree_set_value(n, tn->value, tn->vlen);
    return rc;
}

/*
 * Validate everything first, so a conflicting transaction changes nothing;
 * then replay parents before children so every creation finds its parent.
 */
int xs_tx_commit(struct xs_tx *tx)
{
    struct tx_node **mods = NULL;
    struct xs_list *pos, *tmp;
    struct xs_hlink *l, *next;
    unsigned int nr = 0;
    size_t i;
    int rc = 0;

    xs_htab_for_each_safe(&tx->nodes, i, l, next) {
        struct tx_node *tn = xs_container_of(l, struct tx_node, hl);

        if (!still_valid(tn))
            return -EAGAIN;
        nr += tn->modified;
    }
    if (nr) {
        mods = malloc(nr * sizeof(*mods));
        if (!mods)
            return -ENOMEM;
        nr = 0;
        xs_htab_for_each_safe(&tx->nodes, i, l, next) {
            struct tx_node *tn = xs_container_of(l, struct tx_node, hl);

            if (tn->modified)
                mods[nr++] = tn;
        }
        qsort(mods, nr, sizeof(*mods), by_depth);
        for (i = 0; i < nr; i++) {
            int r = apply_one(mods[i]);

            if (r) {
                log_err("transaction %u: replaying %s failed (%d)", tx->id,
                        mods[i]->path, r);
                rc = r;
            }
        }
        free(mods);
    }
    xs_list_for_each_safe(pos, tmp, &tx->events) {
        struct tx_event *e = xs_container_of(pos, struct tx_event, link);

        xs_watch_fire(e->path, e->perms, e->exact);
    }
    return rc;
}

int xs_do_tx_start(struct xs_req *r)
{
    struct xs_conn *c = r->conn;
    struct xs_tx *tx;
    char id[16];

    if (r->hdr->tx_id)
        return -EBUSY;
    if (!c->who.priv && c->nr_tx >= xs_quota.transactions)
        return -ENOSPC;
    tx = xs_tx_new(c);
    if (!tx)
        return -ENOMEM;
    snprintf(id, sizeof(id), "%" PRIu32, tx->id);
    return xs_reply_str(r, id);
}

int xs_do_tx_end(struct xs_req *r)
{
    const char *arg = xs_req_path_arg(r);
    struct xs_tx *tx;
    bool commit;
    int rc;

    tx = xs_tx_lookup(r->conn, r->hdr->tx_id);
    if (!tx)
        return -ENOENT;
    if (!arg || (strcmp(arg, "T") && strcmp(arg, "F")))
        return -EINVAL;
    commit = arg[0] == 'T';
    rc = commit ? xs_tx_commit(tx) : 0;
    xs_tx_free(tx);
    if (rc)
        return rc;
    return xs_reply_ok(r);
}
