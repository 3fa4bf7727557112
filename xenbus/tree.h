/* SPDX-License-Identifier: MIT */
/*
 * xenbus/tree.h - the live node tree.
 */
#ifndef XENBUS_TREE_H
#define XENBUS_TREE_H

#include <stddef.h>
#include <stdint.h>
#include "hashtab.h"
#include "perms.h"

/*
 * One node, kept small for million-node stores: siblings form a list in
 * creation order (DIRECTORY order), and a global hash keyed by (parent,
 * name) finds a child without scanning. 'gen' changes whenever the value,
 * the permissions or the child list change; transactions compare it.
 */
struct xs_node {
    struct xs_node *parent;
    struct xs_node *child;      /* first child; child->prev is the last */
    struct xs_node *next;       /* next sibling, NULL at the end */
    struct xs_node *prev;       /* previous sibling (first: the last one) */
    struct xs_hlink hl;         /* in the tree's table, by parent and name */
    char *value;
    struct xs_perms *perms;
    uint64_t gen;
    uint32_t vlen;
    uint32_t dirlen;            /* bytes of the "a\0b\0" child list */
    char name[];
};

typedef void xs_account_fn(unsigned int domid, int delta);
typedef void xs_visit_fn(struct xs_node *n, void *arg);

int xs_tree_init(xs_account_fn *account);
void xs_tree_fini(void);
struct xs_node *xs_tree_root(void);
uint64_t xs_tree_gen_next(void);
size_t xs_tree_count(void);

struct xs_node *xs_tree_lookup(const char *path);
struct xs_node *xs_tree_child(const struct xs_node *parent, const char *name,
                              size_t len);
struct xs_node *xs_tree_add(struct xs_node *parent, const char *name,
                            size_t len, struct xs_perms *perms);
int xs_tree_set_value(struct xs_node *n, const void *val, size_t len);
void xs_tree_set_perms(struct xs_node *n, struct xs_perms *perms);
void xs_tree_remove(struct xs_node *n, xs_visit_fn *fn, void *arg);
void xs_tree_walk(struct xs_node *n, xs_visit_fn *fn, void *arg);
int xs_tree_path(const struct xs_node *n, char *buf, size_t size);
int xs_tree_check(void);

#endif
