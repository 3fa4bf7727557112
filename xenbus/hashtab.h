/* SPDX-License-Identifier: MIT */
/*
 * xenbus/hashtab.h - micastored's one hash table: FNV-1a over bytes, and
 * chains threaded through a link embedded in each entry (struct xs_hlink),
 * so an entry is found without a separate allocation.  The live tree keys
 * nodes by parent and name, a transaction's overlay by path.
 *
 * Each link keeps its full hash: a chain walk compares keys only on a hash
 * match, and growing needs no key.  The owner of the entries frees them;
 * the table frees only its bucket array.  Not thread-safe (micastored has
 * one thread).
 */
#ifndef XS_HASHTAB_H
#define XS_HASHTAB_H

#include <stddef.h>
#include <stdint.h>

#define XS_FNV_BASIS    14695981039346656037ull

struct xs_hlink {
    struct xs_hlink *next;
    uint64_t hash;
};

struct xs_htab {
    struct xs_hlink **b;
    size_t size;                /* buckets: 0 or a power of two */
    size_t count;               /* entries */
    size_t first_size;          /* buckets allocated on first use */
};

/* FNV-1a: continue hash h over len bytes (start from XS_FNV_BASIS). */
uint64_t xs_fnv1a(uint64_t h, const void *p, size_t len);

/*
 * Make room for one more entry (allocating or doubling the buckets), so
 * that the following xs_htab_insert cannot fail.  0 or -ENOMEM.
 */
int xs_htab_reserve(struct xs_htab *t);
void xs_htab_insert(struct xs_htab *t, struct xs_hlink *l, uint64_t hash);
void xs_htab_remove(struct xs_htab *t, struct xs_hlink *l);
/* The chain that holds entries with this hash (and others); NULL if empty. */
struct xs_hlink *xs_htab_chain(const struct xs_htab *t, uint64_t hash);
/* Forget every entry (their owner frees them) and the buckets. */
void xs_htab_free(struct xs_htab *t);

/* Every entry, in no useful order; the body may free 'l' (n is saved). */
#define xs_htab_for_each_safe(t, i, l, n)                                   \
    for ((i) = 0; (i) < (t)->size; (i)++)                                   \
        for ((l) = (t)->b[i]; (l) && ((n) = (l)->next, 1); (l) = (n))

#endif /* XS_HASHTAB_H */
