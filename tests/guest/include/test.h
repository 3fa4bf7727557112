/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/include/test.h - the test registry and the verdict API.
 *
 * Each test file defines its tests with TEST(); the linker gathers the
 * descriptors into one array that main.c walks.  A test reports through
 * test_fail()/test_skip(); returning without either means PASS.  The first
 * failure wins: later ones are only printed as extra detail.
 */
#ifndef TESTKERNEL_TEST_H
#define TESTKERNEL_TEST_H

#include <stdint.h>

struct test_desc {
    const char *name;           /* "area/what", printed in the TEST line */
    void (*fn)(void);
    /*
     * Non-NULL when Mica is known and accepted to behave differently from
     * Xen for this test: the reason, shown by compare.sh instead of failing.
     */
    const char *xen_differs;
};

/* TEST(name_ident, "area/name") { ... }  with optional .xen_differs */
#define TEST_REGISTER(ident, tname, ...)                                    \
    static void test_##ident(void);                                         \
    static const struct test_desc test_##ident##_desc                       \
        __attribute__((used, section(".test_registry"), aligned(8))) = {   \
        .name = tname, .fn = test_##ident, __VA_ARGS__ };                   \
    static void test_##ident(void)

#define TEST(ident, tname) TEST_REGISTER(ident, tname, .xen_differs = 0)
#define TEST_XEN_DIFFERS(ident, tname, why) \
    TEST_REGISTER(ident, tname, .xen_differs = why)

void test_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void test_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Printed as "note: ..." under the current test, for context only. */
void test_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Give up on the current test now (after test_fail/test_skip). */
void test_abort(void) __attribute__((noreturn));

/* Check helpers: print what was expected and what was seen. */
#define CHECK(cond, ...)                                                    \
    do { if (!(cond)) test_fail(__VA_ARGS__); } while (0)

#define CHECK_EQ(got, want, what)                                           \
    do {                                                                    \
        int64_t got_ = (int64_t)(got), want_ = (int64_t)(want);            \
        if (got_ != want_)                                                  \
            test_fail("%s: got %ld (%#lx), want %ld (%#lx)", what,          \
                      got_, got_, want_, want_);                            \
    } while (0)

#endif /* TESTKERNEL_TEST_H */
