/* SPDX-License-Identifier: MIT */
/*
 * screen.h - what the table screen (screen.c) and the detail view
 * (detail.c) share: the screen's state and the way text reaches it, cut
 * at the right edge and scrolled sideways, or wrapped as xentop wraps.
 */
#ifndef MICATOP_SCREEN_H
#define MICATOP_SCREEN_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "micatop.h"

struct scr {
    struct mt_coll *c;
    struct mt_opts *o;
    struct mt_snap *snap;
    struct mt_dom **rows;           /* snap's domains in the view's order */
    size_t n;
    size_t top, sel;                /* first domain drawn, the selected one */
    int pan;                        /* columns scrolled right (cut mode) */
    int y, x;                       /* where emit() writes: line, column in it */
    bool detail;
    uint32_t detail_domid;
    bool prompting;
    char answer[16];                /* the delay typed after D */
    bool colour;
};

/* Colour pairs, one per domain state. */
enum { MT_PAIR_RUN = 1, MT_PAIR_BLOCK, MT_PAIR_PAUSE, MT_PAIR_CRASH, MT_PAIR_DYING,
       MT_PAIR_SHUT, MT_PAIR_TOGGLE };

/* Text at the current position of the current line. */
void mt_emit(struct scr *s, const char *text, attr_t a);
/* End the line: the next emit starts a new one. */
void mt_newline(struct scr *s);
/* Whether a new line still fits above the bottom line. */
bool mt_room(const struct scr *s);
/* The three lines at the top: time and version, states, memory. */
void mt_draw_top(struct scr *s);
/* The attribute that colours a domain's state. */
attr_t mt_state_attr(const struct scr *s, uint32_t flags);
/* The detail view of s->detail_domid. */
void mt_draw_detail(struct scr *s);

#endif
