/* SPDX-License-Identifier: MIT */
/*
 * xenbus/store.h - node operations as a request sees them: on the live
 * tree, or through its transaction's overlay when it has one.
 */
#ifndef XENBUS_STORE_H
#define XENBUS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "perms.h"

struct xs_tx;

struct xs_rec {
    const char *value;
    uint32_t vlen;
    uint32_t dirlen;
    struct xs_perms *perms;
    uint64_t gen;
};

int xs_store_get(struct xs_tx *tx, const char *path, struct xs_rec *rec);
int xs_store_access(struct xs_tx *tx, const struct xs_who *who,
                    const char *path, unsigned int want, struct xs_rec *rec);
int xs_store_children(struct xs_tx *tx, const char *path, char **buf,
                      size_t *len);
int xs_store_create(struct xs_tx *tx, const char *path,
                    struct xs_perms *perms);
int xs_store_set_value(struct xs_tx *tx, const char *path, const void *val,
                       size_t len);
int xs_store_set_perms(struct xs_tx *tx, const char *path,
                       struct xs_perms *perms);
int xs_store_remove(struct xs_tx *tx, const char *path);
int xs_store_event(struct xs_tx *tx, const char *path,
                   struct xs_perms *perms, bool exact);
unsigned int xs_store_nodes_of(struct xs_tx *tx, unsigned int domid);

#endif
