/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/blkback/pgrant-table.h - the persistent grants of one ring:
 * grant ref -> where its page is mapped in dom0, at most 'cap' of them
 * (a front end picks the refs, so it must not be able to make us map
 * without bound).  Pure code: mapping and unmapping are the caller's.
 */
#ifndef PGRANT_TABLE_H
#define PGRANT_TABLE_H

#include <stdint.h>

struct pgrant {
    uint32_t ref;
    void *page;                     /* NULL: an empty slot */
};

struct pgrant_table {
    struct pgrant *slot;            /* 2 * cap of them, open addressing */
    unsigned int nslots, n, cap;
};

/* A table for at most 'cap' grants: 0 or -ENOMEM. */
int pgrant_table_init(struct pgrant_table *t, unsigned int cap);
void pgrant_table_free(struct pgrant_table *t);

/* The page mapped for 'ref', or NULL. */
void *pgrant_find(const struct pgrant_table *t, uint32_t ref);

/*
 * Remember 'page' for 'ref': 0, -EEXIST when 'ref' has one already, or
 * -ENOSPC when the table is full (the caller then copies that grant).
 */
int pgrant_add(struct pgrant_table *t, uint32_t ref, void *page);

/* fn(page, arg) for each remembered page (to unmap it); the table is left empty. */
void pgrant_drain(struct pgrant_table *t, void (*fn)(void *page, void *arg), void *arg);

#endif
