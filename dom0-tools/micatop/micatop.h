/* SPDX-License-Identifier: MIT */
/*
 * micatop.h - the options every mode of micatop shares, and its modes:
 * batch (xentop -b's table, or JSON lines) and the curses screen.
 */
#ifndef MICATOP_H
#define MICATOP_H

#include <stdbool.h>

#include "collect.h"
#include "table.h"

struct mt_opts {
    double delay;                   /* seconds between refreshes (-d) */
    long iterations;                /* -i; < 0: until quit */
    bool batch, json, wide;         /* -b, --json, -w */
    struct mt_view view;            /* -f -r -v -n -x, and the sort */
};

/* Each returns the exit status. */
int mt_batch(struct mt_coll *c, const struct mt_opts *o);
int mt_screen(struct mt_coll *c, struct mt_opts *o);

/* SIGTERM (and SIGINT in batch mode) came: finish and exit. */
bool mt_stopped(void);
/* Sleep 'seconds' unless a signal cut it short (then false). */
bool mt_sleep(double seconds);

#endif
