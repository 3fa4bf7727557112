/* SPDX-License-Identifier: MIT */
/*
 * xenbus/hashtab.c - the chained hash table of hashtab.h.  It doubles when
 * it holds as many entries as buckets, which keeps chains near one entry
 * for the tree (tens of thousands of nodes with many guests) and for a
 * transaction's few touched paths alike.
 */
#include <errno.h>
#include <stdlib.h>
#include "hashtab.h"

uint64_t xs_fnv1a(uint64_t h, const void *p, size_t len)
{
    const unsigned char *c = p;

    while (len--)
        h = (h ^ *c++) * 1099511628211ull;
    return h;
}

/* FNV's low bits alone are weak for short keys: fold the high bits in. */
static size_t bucket(uint64_t hash, size_t size)
{
    return (size_t)(hash ^ (hash >> 31)) & (size - 1);
}

int xs_htab_reserve(struct xs_htab *t)
{
    size_t size, i;
    struct xs_hlink **nb;

    if (t->count < t->size)
        return 0;
    size = t->size ? t->size * 2 : (t->first_size ? t->first_size : 16);
    nb = calloc(size, sizeof(*nb));
    if (!nb)
        return -ENOMEM;
    for (i = 0; i < t->size; i++) {
        struct xs_hlink *l = t->b[i], *next;

        for (; l; l = next) {
            size_t h = bucket(l->hash, size);

            next = l->next;
            l->next = nb[h];
            nb[h] = l;
        }
    }
    free(t->b);
    t->b = nb;
    t->size = size;
    return 0;
}

void xs_htab_insert(struct xs_htab *t, struct xs_hlink *l, uint64_t hash)
{
    size_t h = bucket(hash, t->size);

    l->hash = hash;
    l->next = t->b[h];
    t->b[h] = l;
    t->count++;
}

void xs_htab_remove(struct xs_htab *t, struct xs_hlink *l)
{
    struct xs_hlink **pp = &t->b[bucket(l->hash, t->size)];

    while (*pp != l)
        pp = &(*pp)->next;
    *pp = l->next;
    t->count--;
}

struct xs_hlink *xs_htab_chain(const struct xs_htab *t, uint64_t hash)
{
    return t->size ? t->b[bucket(hash, t->size)] : NULL;
}

void xs_htab_free(struct xs_htab *t)
{
    free(t->b);
    t->b = NULL;
    t->size = t->count = 0;
}
