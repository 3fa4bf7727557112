/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/blkback/pgrant-table.c - grant ref -> mapped page, bounded.
 * Entries are never removed one at a time (persistent grants live as
 * long as the ring), so linear probing needs no tombstones; the table is
 * kept at most half full, which keeps probes short whatever refs the
 * front end chooses.
 */
#include <errno.h>
#include <stdlib.h>

#include "pgrant-table.h"

int pgrant_table_init(struct pgrant_table *t, unsigned int cap)
{
    t->cap = cap;
    t->n = 0;
    t->nslots = 2 * (cap ? cap : 1);
    t->slot = calloc(t->nslots, sizeof(*t->slot));
    return t->slot ? 0 : -ENOMEM;
}

void pgrant_table_free(struct pgrant_table *t)
{
    free(t->slot);
    t->slot = NULL;
    t->n = t->nslots = 0;
}

/* Fibonacci hashing: consecutive refs (blkfront's usual) spread out. */
static unsigned int home(const struct pgrant_table *t, uint32_t ref)
{
    return (unsigned int)(((uint64_t)(ref * 2654435769u) * t->nslots) >> 32);
}

static struct pgrant *probe(const struct pgrant_table *t, uint32_t ref)
{
    unsigned int i = home(t, ref);

    while (t->slot[i].page && t->slot[i].ref != ref)
        i = i + 1 == t->nslots ? 0 : i + 1;
    return &t->slot[i];
}

void *pgrant_find(const struct pgrant_table *t, uint32_t ref)
{
    return t->slot ? probe(t, ref)->page : NULL;
}

int pgrant_add(struct pgrant_table *t, uint32_t ref, void *page)
{
    struct pgrant *p;

    if (!t->slot || !page)
        return -EINVAL;
    p = probe(t, ref);
    if (p->page)
        return -EEXIST;
    if (t->n == t->cap)
        return -ENOSPC;
    *p = (struct pgrant){ .ref = ref, .page = page };
    t->n++;
    return 0;
}

void pgrant_drain(struct pgrant_table *t, void (*fn)(void *page, void *arg), void *arg)
{
    for (unsigned int i = 0; t->n && i < t->nslots; i++) {
        if (t->slot[i].page) {
            fn(t->slot[i].page, arg);
            t->slot[i].page = NULL;
            t->n--;
        }
    }
}
