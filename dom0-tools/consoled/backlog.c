/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/consoled/backlog.c - the bounded output history of a console.
 *
 * Why offsets rather than a queue per reader: a guest that floods and a
 * client that stops reading must cost a bounded amount of memory.  The one
 * buffer overwrites its oldest bytes, and a reader that fell further behind
 * than the capacity simply resumes at the oldest byte still kept.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "backlog.h"

int backlog_init(struct backlog *b, size_t cap)
{
    size_t c = 1;

    if (!cap || cap > ((size_t)1 << 30))
        return -EINVAL;
    while (c < cap)
        c <<= 1;
    b->bl_buf = malloc(c);
    if (!b->bl_buf)
        return -ENOMEM;
    b->bl_cap = c;
    b->bl_head = 0;
    return 0;
}

void backlog_free(struct backlog *b)
{
    free(b->bl_buf);
    b->bl_buf = NULL;
    b->bl_cap = 0;
}

void backlog_append(struct backlog *b, const void *p, size_t n)
{
    const char *src = p;
    size_t at, first;

    /* Only the last 'cap' bytes of a huge append can survive it. */
    if (n > b->bl_cap) {
        b->bl_head += n - b->bl_cap;
        src += n - b->bl_cap;
        n = b->bl_cap;
    }
    at = b->bl_head & (b->bl_cap - 1);
    first = b->bl_cap - at;
    if (first > n)
        first = n;
    memcpy(b->bl_buf + at, src, first);
    memcpy(b->bl_buf, src + first, n - first);
    b->bl_head += n;
}

uint64_t backlog_oldest(const struct backlog *b)
{
    return b->bl_head > b->bl_cap ? b->bl_head - b->bl_cap : 0;
}

size_t backlog_peek(const struct backlog *b, uint64_t *off, const char **p,
                    uint64_t *lost)
{
    uint64_t oldest = backlog_oldest(b);
    size_t at, run;

    if (*off < oldest) {
        if (lost)
            *lost += oldest - *off;
        *off = oldest;
    }
    if (*off >= b->bl_head) {
        /* A reader from the future (a bug or a reset): bring it back. */
        *off = b->bl_head;
        return 0;
    }
    at = *off & (b->bl_cap - 1);
    run = b->bl_cap - at;
    if (run > b->bl_head - *off)
        run = b->bl_head - *off;
    *p = b->bl_buf + at;
    return run;
}
