/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/consoled/fake-dom0.h - what the console daemon's I/O files
 * see of dom0, played on the host: libmica's foreign map and event
 * channel (the "guest" page is ordinary memory, events are counters) and
 * a tiny in-memory xenstore for mxs_read / mxs_write.
 */
#ifndef TESTS_CONSOLED_FAKE_DOM0_H
#define TESTS_CONSOLED_FAKE_DOM0_H

#include <stdbool.h>
#include <stdint.h>
#include <public/io/console.h>

struct fake_dom0 {
    struct xencons_interface page;  /* what mica_map_foreign hands out */
    unsigned int maps, unmaps;      /* foreign maps made / released */
    unsigned int opens, closes;     /* evtchn handles */
    unsigned int notifies, unmasks;
    unsigned int fired;             /* events waiting for _pending() */
    bool map_fails;
    int pending_err;                /* _pending() fails with this */
};

extern struct fake_dom0 fake;

void fake_reset(void);
/* The store: a node set, read back, or removed (val NULL). */
void fake_store_set(const char *path, const char *val);
const char *fake_store_get(const char *path);
/* The guest: print into out[] and notify. */
void fake_guest_print(const void *s, size_t n);

#endif
