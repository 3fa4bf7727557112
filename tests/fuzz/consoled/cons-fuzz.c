/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/consoled/cons-fuzz.c - libFuzzer target over the console
 * page's consumption: a hostile guest owns the whole page.
 *
 * The input's first 3088 bytes are the page as the guest left it (indices
 * included); the rest is a script of one-byte steps: drain out[] into the
 * backlog with a buffer of some size, feed in[], let the "guest" rewrite
 * one index, or let a backlog reader catch up.  Every step checks what
 * the daemon relies on: no count beyond the ring or the buffer, indices
 * moved by exactly the count, and readers never handed bytes that are
 * not kept.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "backlog.h"
#include "cons-ring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
    if (!cond)
        abort();
}

static void step_take(struct xencons_interface *p, struct backlog *b,
                      uint8_t arg)
{
    static char buf[4096];
    size_t len = (size_t)arg * 16 + 1;
    uint32_t before = p->out_cons, avail = p->out_prod - p->out_cons;
    int n = cons_ring_take(p, buf, len);

    if (avail > CONS_OUT_SIZE) {
        check(n == -EIO && p->out_cons == before);
        return;
    }
    check(n >= 0 && (size_t)n <= len && (uint32_t)n <= avail);
    check(p->out_cons == before + (uint32_t)n);
    backlog_append(b, buf, (size_t)n);
}

static void step_give(struct xencons_interface *p, uint8_t arg)
{
    static const char keys[256];
    uint32_t before = p->in_prod, used = p->in_prod - p->in_cons;
    int space = cons_ring_in_space(p);
    int n = cons_ring_give(p, keys, arg);

    if (used > CONS_IN_SIZE) {
        check(space == -EIO && n == -EIO && p->in_prod == before);
        return;
    }
    check(space == (int)(CONS_IN_SIZE - used));
    check(n >= 0 && n <= arg && n <= space);
    check(p->in_prod == before + (uint32_t)n);
}

static void step_read(const struct backlog *b, uint64_t *off)
{
    const char *s;
    size_t n = backlog_peek(b, off, &s, NULL);

    check(*off >= backlog_oldest(b) && *off + n <= b->bl_head);
    check(n == 0 || (s >= b->bl_buf && s + n <= b->bl_buf + b->bl_cap));
    *off += n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct xencons_interface page;
    struct backlog b;
    uint64_t off = 0;

    if (size < sizeof(page) || backlog_init(&b, 4096))
        return 0;
    memcpy(&page, data, sizeof(page));
    for (size_t i = sizeof(page); i + 1 < size; i += 2) {
        uint8_t op = data[i], arg = data[i + 1];

        switch (op & 7) {
        case 0: case 1: step_take(&page, &b, arg); break;
        case 2: step_give(&page, arg); break;
        case 3: page.out_prod += arg; break;
        case 4: page.in_cons += arg; break;
        case 5: page.out_prod = (uint32_t)arg << (op >> 3 & 31); break;
        case 6: page.in_cons = (uint32_t)arg << (op >> 3 & 31); break;
        default: step_read(&b, &off); break;
        }
    }
    backlog_free(&b);
    return 0;
}
