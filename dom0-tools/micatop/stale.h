/* SPDX-License-Identifier: MIT */
/*
 * stale.h - which cached figures a xenstore change makes stale.  micatop
 * keeps each domain's name and device lists from one snapshot to the
 * next, and its device counters too, and watches /local/domain: a watch
 * event names the path that changed, and this says what to read again.
 *
 * Pure: no xenstore here (collect.c drains the watch), so the paths, which
 * guests partly choose, are unit tested and fuzzed (tests/fuzz/micatop).
 */
#ifndef MICATOP_STALE_H
#define MICATOP_STALE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MT_STALE_NAME   1u      /* /local/domain/N or .../name */
#define MT_STALE_VBD    2u      /* /local/domain/0/backend/vbd/N/... */
#define MT_STALE_VIF    4u      /* /local/domain/0/backend/vif/N/... */
#define MT_STALE_ALL    8u      /* above any one domain: everything */

/* The MT_STALE_* bits a change of 'path' means, for domain *domid. */
unsigned int mt_stale_of_path(const char *path, uint32_t *domid);

/* What changed since the last snapshot, by domain. */
struct mt_stale {
    bool all;                   /* read everything (start, overflow, no watch) */
    size_t n, cap;
    uint32_t *domid;
    unsigned int *bits;
};

/* A watch event for 'path'; after more than MT_STALE_MAX, everything. */
#define MT_STALE_MAX    256
void mt_stale_mark(struct mt_stale *st, const char *path);
/* MT_STALE_* bits of one domain (all of them when st->all). */
unsigned int mt_stale_get(const struct mt_stale *st, uint32_t domid);
/* Forget the marks (after a snapshot read what they named). */
void mt_stale_clear(struct mt_stale *st);
void mt_stale_free(struct mt_stale *st);

#endif
