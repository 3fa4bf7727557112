/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/consoled/test-backlog.c - the bounded output history and its
 * readers: kept bytes, forgotten bytes, lapped readers.
 */
#include <errno.h>
#include <string.h>
#include "cunit-runner.h"
#include "backlog.h"

/* Read everything a reader at *off can see into out; returns the count. */
static size_t read_all(const struct backlog *b, uint64_t *off, char *out,
                       size_t max, uint64_t *lost)
{
    size_t got = 0, n;
    const char *p;

    while ((n = backlog_peek(b, off, &p, lost)) > 0 && got < max) {
        if (n > max - got)
            n = max - got;
        memcpy(out + got, p, n);
        got += n;
        *off += n;
    }
    return got;
}

static void init_rounds_up(void)
{
    struct backlog b;

    CU_ASSERT_EQUAL(backlog_init(&b, 0), -EINVAL);
    CU_ASSERT_EQUAL_FATAL(backlog_init(&b, 100), 0);
    CU_ASSERT_EQUAL(b.bl_cap, 128);
    CU_ASSERT_EQUAL(b.bl_head, 0);
    CU_ASSERT_EQUAL(backlog_oldest(&b), 0);
    backlog_free(&b);
}

static void keeps_everything_below_cap(void)
{
    struct backlog b;
    uint64_t off = 0, lost = 0;
    char out[64];

    CU_ASSERT_EQUAL_FATAL(backlog_init(&b, 64), 0);
    backlog_append(&b, "boot ", 5);
    backlog_append(&b, "log", 3);
    CU_ASSERT_EQUAL(read_all(&b, &off, out, sizeof(out), &lost), 8);
    CU_ASSERT_NSTRING_EQUAL(out, "boot log", 8);
    CU_ASSERT_EQUAL(lost, 0);
    CU_ASSERT_EQUAL(off, 8);
    /* An up-to-date reader sees nothing more. */
    CU_ASSERT_EQUAL(read_all(&b, &off, out, sizeof(out), &lost), 0);
    backlog_free(&b);
}

static void keeps_last_cap_bytes(void)
{
    struct backlog b;
    uint64_t off = 0, lost = 0;
    char out[16];

    CU_ASSERT_EQUAL_FATAL(backlog_init(&b, 8), 0);
    backlog_append(&b, "0123456789", 10);
    CU_ASSERT_EQUAL(backlog_oldest(&b), 2);
    CU_ASSERT_EQUAL(read_all(&b, &off, out, sizeof(out), &lost), 8);
    CU_ASSERT_NSTRING_EQUAL(out, "23456789", 8);
    CU_ASSERT_EQUAL(lost, 2);
    backlog_free(&b);
}

static void huge_append(void)
{
    struct backlog b;
    static char big[1000];
    uint64_t off = 0, lost = 0;
    char out[16];

    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (char)('a' + i % 26);
    CU_ASSERT_EQUAL_FATAL(backlog_init(&b, 16), 0);
    backlog_append(&b, "xy", 2);
    backlog_append(&b, big, sizeof(big));
    CU_ASSERT_EQUAL(b.bl_head, 1002);
    CU_ASSERT_EQUAL(read_all(&b, &off, out, sizeof(out), &lost), 16);
    CU_ASSERT_EQUAL(memcmp(out, big + sizeof(big) - 16, 16), 0);
    CU_ASSERT_EQUAL(lost, 986);
    backlog_free(&b);
}

/* Two readers at different places; one is lapped, one is not. */
static void readers_independent(void)
{
    struct backlog b;
    uint64_t fast = 0, slow = 0, lost = 0;
    char out[32];

    CU_ASSERT_EQUAL_FATAL(backlog_init(&b, 8), 0);
    backlog_append(&b, "abcd", 4);
    CU_ASSERT_EQUAL(read_all(&b, &fast, out, sizeof(out), NULL), 4);
    backlog_append(&b, "efgh", 4);
    CU_ASSERT_EQUAL(read_all(&b, &fast, out, sizeof(out), NULL), 4);
    CU_ASSERT_NSTRING_EQUAL(out, "efgh", 4);
    backlog_append(&b, "ij", 2);
    CU_ASSERT_EQUAL(read_all(&b, &slow, out, sizeof(out), &lost), 8);
    CU_ASSERT_NSTRING_EQUAL(out, "cdefghij", 8);
    CU_ASSERT_EQUAL(lost, 2);
    CU_ASSERT_EQUAL(read_all(&b, &fast, out, sizeof(out), NULL), 2);
    CU_ASSERT_NSTRING_EQUAL(out, "ij", 2);
    backlog_free(&b);
}

/* A peek never hands out a run that crosses the end of the buffer. */
static void peek_splits_at_wrap(void)
{
    struct backlog b;
    uint64_t off = 6;
    const char *p;

    CU_ASSERT_EQUAL_FATAL(backlog_init(&b, 8), 0);
    backlog_append(&b, "0123456789", 10);
    CU_ASSERT_EQUAL(backlog_peek(&b, &off, &p, NULL), 2);
    CU_ASSERT_NSTRING_EQUAL(p, "67", 2);
    off += 2;
    CU_ASSERT_EQUAL(backlog_peek(&b, &off, &p, NULL), 2);
    CU_ASSERT_NSTRING_EQUAL(p, "89", 2);
    backlog_free(&b);
}

static void reader_ahead_is_clamped(void)
{
    struct backlog b;
    uint64_t off = 1000;
    const char *p;

    CU_ASSERT_EQUAL_FATAL(backlog_init(&b, 8), 0);
    backlog_append(&b, "abc", 3);
    CU_ASSERT_EQUAL(backlog_peek(&b, &off, &p, NULL), 0);
    CU_ASSERT_EQUAL(off, 3);
    backlog_free(&b);
}

static const struct unit_test backlog_tests[] = {
    UNIT_TEST(init_rounds_up),
    UNIT_TEST(keeps_everything_below_cap),
    UNIT_TEST(keeps_last_cap_bytes),
    UNIT_TEST(huge_append),
    UNIT_TEST(readers_independent),
    UNIT_TEST(peek_splits_at_wrap),
    UNIT_TEST(reader_ahead_is_clamped),
    UNIT_END
};
UNIT_SUITE(consoled_backlog, NULL, NULL, backlog_tests)
