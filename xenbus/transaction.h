/* SPDX-License-Identifier: MIT */
/*
 * xenbus/transaction.h - transactions as overlays on the live tree.
 *
 * A transaction never copies the tree. The first time it touches a node it
 * copies just that node (value, permissions, child names) into its overlay
 * and remembers the node's generation; later accesses use the copy, writes
 * change only the copy. Commit checks that every touched node still has the
 * generation seen (else EAGAIN) and replays the modified copies onto the
 * live tree, parents first.
 */
#ifndef XENBUS_TRANSACTION_H
#define XENBUS_TRANSACTION_H

#include <stdbool.h>
#include <stdint.h>
#include "hashtab.h"
#include "list.h"
#include "perms.h"

struct xs_conn;

struct tx_node {
    struct xs_hlink hl;         /* in the transaction's table, by path */
    uint64_t base_gen;          /* live generation when copied; 0 = absent */
    uint64_t gen;               /* what DIRECTORY_PART reports in the tx */
    uint64_t created;           /* creation order inside the tx, or 0 */
    bool exists, modified;
    uint32_t vlen, clen, ccap;
    char *value;
    struct xs_perms *perms;
    char *children;             /* "a\0b\0" */
    char path[];
};

/* A watch event held back until the transaction commits. */
struct tx_event {
    struct xs_list link;
    struct xs_perms *perms;
    bool exact;
    char path[];
};

struct xs_tx {
    struct xs_list link;        /* conn->txs */
    struct xs_conn *conn;
    uint32_t id;
    struct xs_htab nodes;       /* tx_nodes: copies of what it touched */
    int node_delta;             /* nodes created minus removed */
    struct xs_list events;      /* fired on commit */
};

struct xs_tx *xs_tx_new(struct xs_conn *c);
struct xs_tx *xs_tx_lookup(struct xs_conn *c, uint32_t id);
void xs_tx_free(struct xs_tx *tx);
void xs_tx_conn_gone(struct xs_conn *c);
int xs_tx_commit(struct xs_tx *tx);

/* Overlay access (txn-overlay.c). */
int xs_tx_get(struct xs_tx *tx, const char *path, struct tx_node **out);
int xs_tx_create(struct xs_tx *tx, const char *path, struct xs_perms *perms);
int xs_tx_set_value(struct xs_tx *tx, const char *path, const void *val,
                    uint32_t len);
int xs_tx_set_perms(struct xs_tx *tx, const char *path,
                    struct xs_perms *perms);
int xs_tx_remove(struct xs_tx *tx, const char *path);
int xs_tx_event(struct xs_tx *tx, const char *path,
                struct xs_perms *perms, bool exact);
void xs_tx_overlay_free(struct xs_tx *tx);

#endif
