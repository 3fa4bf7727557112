/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/consoled/backlog.h - a domain's console output kept in
 * memory: the last 'cap' bytes, addressed by absolute offsets so that any
 * number of readers (the pty, socket clients) each keep their own place
 * without a buffer of their own.
 */
#ifndef CONSOLED_BACKLOG_H
#define CONSOLED_BACKLOG_H

#include <stddef.h>
#include <stdint.h>

struct backlog {
    char *bl_buf;
    size_t bl_cap;          /* a power of two */
    uint64_t bl_head;       /* bytes ever appended: the next byte's offset */
};

/* 'cap' is rounded up to a power of two; -ENOMEM or -EINVAL. */
int backlog_init(struct backlog *b, size_t cap);
void backlog_free(struct backlog *b);
/* Never fails: older bytes beyond the capacity are forgotten. */
void backlog_append(struct backlog *b, const void *p, size_t n);
/* Offset of the oldest byte still kept. */
uint64_t backlog_oldest(const struct backlog *b);

/*
 * A reader at *off: first moves *off up to the oldest kept byte (adding
 * what it skipped to *lost, which may be NULL), then points *p at the
 * longest contiguous run from *off and returns its length (0: the reader
 * is up to date).  The reader adds what it consumed to *off itself.
 */
size_t backlog_peek(const struct backlog *b, uint64_t *off, const char **p,
                    uint64_t *lost);

#endif
