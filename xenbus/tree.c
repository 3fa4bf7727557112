/* SPDX-License-Identifier: MIT */
/*
 * xenbus/tree.c - the live node tree: lookup, creation, update, recursive
 * removal, and the generation counter transactions validate against.
 *
 * The tree knows nothing of connections or quotas; it reports ownership
 * changes through the account hook so domain.c can count nodes per owner.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "list.h"
#include "tree.h"

static struct xs_node *root;
static struct xs_htab children = { .first_size = 1024 };  /* by parent and name */
static size_t nr_nodes;
static uint64_t gen_counter;
static xs_account_fn *account_hook;

static void account(unsigned int domid, int delta)
{
    if (account_hook)
        account_hook(domid, delta);
}

static uint64_t hash(const struct xs_node *parent, const char *name, size_t len)
{
    return xs_fnv1a(XS_FNV_BASIS ^ (uintptr_t)parent, name, len);
}

uint64_t xs_tree_gen_next(void)
{
    return ++gen_counter;
}

size_t xs_tree_count(void)
{
    return nr_nodes;
}

struct xs_node *xs_tree_root(void)
{
    return root;
}

/* The root starts as "n0": only privileged callers may see or change it. */
int xs_tree_init(xs_account_fn *hook)
{
    account_hook = hook;
    root = calloc(1, sizeof(*root) + 1);
    if (xs_htab_reserve(&children) || !root)
        goto fail;
    root->perms = xs_perms_owned(0, XS_PERM_NONE);
    if (!root->perms)
        goto fail;
    root->gen = xs_tree_gen_next();
    nr_nodes = 1;
    account(0, 1);
    return 0;
fail:
    xs_htab_free(&children);
    free(root);
    root = NULL;
    return -ENOMEM;
}

static void free_node(struct xs_node *n)
{
    xs_perms_put(n->perms);
    free(n->value);
    free(n);
}

static void free_subtree(struct xs_node *n)
{
    struct xs_node *c, *next;

    for (c = n->child; c; c = next) {
        next = c->next;
        free_subtree(c);
    }
    free_node(n);
}

void xs_tree_fini(void)
{
    if (root)
        free_subtree(root);
    xs_htab_free(&children);
    root = NULL;
    nr_nodes = 0;
}

struct xs_node *xs_tree_child(const struct xs_node *parent, const char *name,
                              size_t len)
{
    uint64_t h = hash(parent, name, len);
    struct xs_hlink *l;

    for (l = xs_htab_chain(&children, h); l; l = l->next) {
        struct xs_node *n = xs_container_of(l, struct xs_node, hl);

        if (l->hash == h && n->parent == parent &&
            !strncmp(n->name, name, len) && n->name[len] == '\0')
            return n;
    }
    return NULL;
}

/* 'path' must already be valid and absolute. */
struct xs_node *xs_tree_lookup(const char *path)
{
    struct xs_node *n = root;
    const char *p = path + 1;

    if (path[0] != '/')
        return NULL;
    while (n && *p) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);

        n = xs_tree_child(n, p, len);
        p += len + (slash ? 1 : 0);
    }
    return n;
}

struct xs_node *xs_tree_add(struct xs_node *parent, const char *name,
                            size_t len, struct xs_perms *perms)
{
    struct xs_node *n;

    if (xs_htab_reserve(&children))
        return NULL;
    n = calloc(1, sizeof(*n) + len + 1);
    if (!n)
        return NULL;
    memcpy(n->name, name, len);
    n->parent = parent;
    n->perms = xs_perms_get(perms);
    n->gen = xs_tree_gen_next();

    if (!parent->child) {
        parent->child = n;
        n->prev = n;
    } else {
        struct xs_node *last = parent->child->prev;

        last->next = n;
        n->prev = last;
        parent->child->prev = n;
    }
    parent->dirlen += len + 1;
    parent->gen = xs_tree_gen_next();

    xs_htab_insert(&children, &n->hl, hash(parent, name, len));
    nr_nodes++;
    account(xs_perms_owner(perms), 1);
    return n;
}

int xs_tree_set_value(struct xs_node *n, const void *val, size_t len)
{
    char *v = NULL;

    if (len) {
        v = malloc(len);
        if (!v)
            return -ENOMEM;
        memcpy(v, val, len);
    }
    free(n->value);
    n->value = v;
    n->vlen = len;
    n->gen = xs_tree_gen_next();
    return 0;
}

void xs_tree_set_perms(struct xs_node *n, struct xs_perms *perms)
{
    unsigned int old = xs_perms_owner(n->perms), new = xs_perms_owner(perms);

    xs_perms_get(perms);
    xs_perms_put(n->perms);
    n->perms = perms;
    n->gen = xs_tree_gen_next();
    if (old != new) {
        account(old, -1);
        account(new, 1);
    }
}

static void unlink_node(struct xs_node *n)
{
    struct xs_node *p = n->parent;

    if (p->child == n) {
        p->child = n->next;
        if (n->next)
            n->next->prev = n->prev;
    } else {
        n->prev->next = n->next;
        if (n->next)
            n->next->prev = n->prev;
        else
            p->child->prev = n->prev;
    }
    p->dirlen -= strlen(n->name) + 1;
    p->gen = xs_tree_gen_next();
    xs_htab_remove(&children, &n->hl);
}

static void remove_rec(struct xs_node *n, xs_visit_fn *fn, void *arg)
{
    struct xs_node *c, *next;

    if (fn)
        fn(n, arg);
    for (c = n->child; c; c = next) {
        next = c->next;
        unlink_node(c);
        remove_rec(c, fn, arg);
    }
    account(xs_perms_owner(n->perms), -1);
    nr_nodes--;
    free_node(n);
}

/* Removes 'n' and everything below; 'fn' sees each node before it goes. */
void xs_tree_remove(struct xs_node *n, xs_visit_fn *fn, void *arg)
{
    if (n == root)
        return;
    unlink_node(n);
    remove_rec(n, fn, arg);
}

void xs_tree_walk(struct xs_node *n, xs_visit_fn *fn, void *arg)
{
    struct xs_node *c;

    fn(n, arg);
    for (c = n->child; c; c = c->next)
        xs_tree_walk(c, fn, arg);
}

/* Rebuilds the absolute name of 'n' from the parent chain. */
int xs_tree_path(const struct xs_node *n, char *buf, size_t size)
{
    const struct xs_node *p;
    size_t len = 0, off;

    if (!n->parent) {
        if (size < 2)
            return -E2BIG;
        strcpy(buf, "/");
        return 1;
    }
    for (p = n; p->parent; p = p->parent)
        len += strlen(p->name) + 1;
    if (len + 1 > size)
        return -E2BIG;
    buf[len] = '\0';
    off = len;
    for (p = n; p->parent; p = p->parent) {
        size_t l = strlen(p->name);

        off -= l;
        memcpy(buf + off, p->name, l);
        buf[--off] = '/';
    }
    return len;
}

static size_t check_rec(const struct xs_node *n, int *bad)
{
    const struct xs_node *c;
    size_t count = 1, dirlen = 0;

    for (c = n->child; c; c = c->next) {
        if (c->parent != n || xs_tree_child(n, c->name, strlen(c->name)) != c)
            (*bad)++;
        dirlen += strlen(c->name) + 1;
        count += check_rec(c, bad);
    }
    if (dirlen != n->dirlen || !n->perms || n->perms->num < 1)
        (*bad)++;
    return count;
}

/* Consistency check for XS_CONTROL "check": returns problems found. */
int xs_tree_check(void)
{
    int bad = 0;

    if (check_rec(root, &bad) != nr_nodes)
        bad++;
    return bad;
}
