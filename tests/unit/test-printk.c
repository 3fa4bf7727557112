/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test-printk.c - the hypervisor's vsnprintf: every conversion,
 * flag and length printk relies on, truncation and the return value.
 */
#include <string.h>
#include <stdint.h>
#include <mica/lib.h>
#include "cunit-runner.h"

/* Some cases below are deliberately malformed formats: they test how the
 * implementation copes, so the compiler's format checks are off here. */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-overflow"

static char buf[128];

#define CHECK_FMT(expect, ...)                                          \
    do {                                                                \
        int n_ = snprintf(buf, sizeof(buf), __VA_ARGS__);               \
        CU_ASSERT_STRING_EQUAL(buf, expect);                            \
        CU_ASSERT_EQUAL(n_, (int)strlen(expect));                       \
    } while (0)

static void test_integers(void)
{
    CHECK_FMT("42", "%d", 42);
    CHECK_FMT("-42", "%i", -42);
    CHECK_FMT("4294967295", "%u", 0xffffffffu);
    CHECK_FMT("-2147483648", "%d", INT32_MIN);
    CHECK_FMT("-9223372036854775808", "%ld", INT64_MIN);
    CHECK_FMT("18446744073709551615", "%lu", UINT64_MAX);
    CHECK_FMT("255", "%hhu", 0x1ff);
    CHECK_FMT("-1", "%hd", 0xffff);
    CHECK_FMT("12345678901", "%zu", (size_t)12345678901ULL);
    CHECK_FMT("0", "%d", 0);
}

static void test_hex_octal(void)
{
    CHECK_FMT("ff", "%x", 255);
    CHECK_FMT("FF", "%X", 255);
    CHECK_FMT("0xff", "%#x", 255);
    CHECK_FMT("deadbeefcafe", "%lx", 0xdeadbeefcafeUL);
    CHECK_FMT("ffffffffffffffff", "%llx", ~0ULL);
    CHECK_FMT("17", "%o", 15);
    CHECK_FMT("017", "%#o", 15);
}

static void test_width_padding(void)
{
    CHECK_FMT("   42", "%5d", 42);
    CHECK_FMT("00042", "%05d", 42);
    CHECK_FMT("-0042", "%05d", -42);
    CHECK_FMT("42   |", "%-5d|", 42);
    CHECK_FMT("0000beef", "%08x", 0xbeef);
    CHECK_FMT("0x00beef", "%#08x", 0xbeef);
    CHECK_FMT("  007", "%5.3d", 7);
    CHECK_FMT("   42", "%*d", 5, 42);
    CHECK_FMT("42   |", "%*d|", -5, 42);
    CHECK_FMT("+5 -5", "%+d %+d", 5, -5);
    CHECK_FMT(" 5", "% d", 5);
    CHECK_FMT("", "%.0d", 0);
}

static void test_strings_chars(void)
{
    CHECK_FMT("hello", "%s", "hello");
    CHECK_FMT("  abc", "%5s", "abc");
    CHECK_FMT("abc  |", "%-5s|", "abc");
    CHECK_FMT("ab", "%.2s", "abcdef");
    CHECK_FMT("abc", "%.*s", 3, "abcdef");
    CHECK_FMT("(null)", "%s", (char *)NULL);
    CHECK_FMT("x", "%c", 'x');
    CHECK_FMT("  x", "%3c", 'x');
    CHECK_FMT("100%", "%d%%", 100);
}

static void test_pointer(void)
{
    CHECK_FMT("0xffff830000200000", "%p", (void *)0xffff830000200000UL);
    CHECK_FMT("0x0000000000001000", "%p", (void *)0x1000);
}

static void test_truncation(void)
{
    char small[8];
    int n;

    memset(small, 'Z', sizeof(small));
    n = snprintf(small, sizeof(small), "%s", "0123456789");
    CU_ASSERT_EQUAL(n, 10);
    CU_ASSERT_STRING_EQUAL(small, "0123456");
    n = snprintf(small, 1, "%d", 12345);
    CU_ASSERT_EQUAL(n, 5);
    CU_ASSERT_EQUAL(small[0], '\0');
    /* size 0: nothing written at all, length still reported. */
    small[0] = 'Q';
    n = snprintf(small, 0, "%d", 123);
    CU_ASSERT_EQUAL(n, 3);
    CU_ASSERT_EQUAL(small[0], 'Q');
}

static void test_unknown_conversion(void)
{
    CHECK_FMT("%q", "%q");
    CHECK_FMT("a%", "a%");
}

static const struct unit_test tests[] = {
    UNIT_TEST(test_integers),
    UNIT_TEST(test_hex_octal),
    UNIT_TEST(test_width_padding),
    UNIT_TEST(test_strings_chars),
    UNIT_TEST(test_pointer),
    UNIT_TEST(test_truncation),
    UNIT_TEST(test_unknown_conversion),
    UNIT_END
};
UNIT_SUITE(printk, NULL, NULL, tests)
