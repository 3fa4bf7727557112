/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test-cmdline.c - the command-line parser and the
 * hypervisor's own option table (common/params.c).
 */
#include <string.h>
#include <stdint.h>
#include <mica/lib.h>
#include <mica/cmdline.h>
#include <mica/params.h>
#include "harness.h"
#include "cunit-runner.h"

static char reports[1024];
static void report(const char *msg)
{
    strncat(reports, msg, sizeof(reports) - strlen(reports) - 2);
    strcat(reports, "\n");
}

static bool flag;
static uint64_t num, size;
static char str[16];
static int custom_calls;
static int custom(const char *val, void *var)
{
    custom_calls++;
    return val && !strcmp(val, "ok") ? 0 : -22;
}

static const struct param table[] = {
    { "flag", PARAM_BOOL, &flag, 0, NULL },
    { "num", PARAM_UINT, &num, 0, NULL },
    { "size", PARAM_SIZE, &size, 0, NULL },
    { "str", PARAM_STRING, str, sizeof(str), NULL },
    { "custom", PARAM_CUSTOM, NULL, 0, custom },
};

static int parse(const char *s)
{
    reports[0] = '\0';
    return cmdline_parse(s, table, sizeof(table) / sizeof(table[0]), report);
}

static void test_values(void)
{
    CU_ASSERT_EQUAL(parse("flag num=0x10 size=512M str=hello custom=ok"), 0);
    CU_ASSERT_TRUE(flag);
    CU_ASSERT_EQUAL(num, 16);
    CU_ASSERT_EQUAL(size, 512ULL << 20);
    CU_ASSERT_STRING_EQUAL(str, "hello");
    CU_ASSERT_STRING_EQUAL(reports, "");
    CU_ASSERT_EQUAL(parse("  no-flag   num=7\tsize=4 "), 0);
    CU_ASSERT_FALSE(flag);
    CU_ASSERT_EQUAL(num, 7);
    CU_ASSERT_EQUAL(size, 4096);                /* no suffix: KiB */
    CU_ASSERT_EQUAL(parse("flag=off size=2G"), 0);
    CU_ASSERT_FALSE(flag);
    CU_ASSERT_EQUAL(size, 2ULL << 30);
    CU_ASSERT_EQUAL(parse(""), 0);
    CU_ASSERT_EQUAL(parse(NULL), 0);
}

static void test_unknown_and_malformed(void)
{
    num = 1;
    CU_ASSERT_EQUAL(parse("bogus num=12 =5"), 2);
    CU_ASSERT_EQUAL(num, 12);                   /* good options still apply */
    CU_ASSERT_PTR_NOT_NULL(strstr(reports, "unknown option 'bogus'"));
    CU_ASSERT_PTR_NOT_NULL(strstr(reports, "missing option name in '=5'"));

    CU_ASSERT_EQUAL(parse("num=12x"), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(reports, "bad value in 'num=12x'"));
    CU_ASSERT_EQUAL(parse("num="), 1);
    CU_ASSERT_EQUAL(parse("num"), 1);
    CU_ASSERT_EQUAL(parse("num=99999999999999999999999"), 1);
    CU_ASSERT_EQUAL(parse("size=20000000000T"), 1);
    CU_ASSERT_EQUAL(parse("flag=maybe"), 1);
    CU_ASSERT_EQUAL(parse("str=waytoolongforthebuffer"), 1);
    CU_ASSERT_EQUAL(parse("custom=bad custom=ok"), 1);
    CU_ASSERT_EQUAL(parse("no-num"), 1);        /* no- only for booleans */
}

static void test_long_token(void)
{
    char big[600];

    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    CU_ASSERT_EQUAL(parse(big), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(reports, "option too long"));
}

static void test_hypervisor_options(void)
{
    harness_reset_log();
    CU_ASSERT_EQUAL(params_parse("loglvl=debug dom0_mem=512M,max:1G console=com1 "
                                 "com1=115200,8n1 selftest=timer,heap debug_exit=0xf4"), 0);
    CU_ASSERT_EQUAL(opt_loglvl, LOG_DEBUG);
    CU_ASSERT_EQUAL(opt_dom0_mem, 512ULL << 20);
    CU_ASSERT_EQUAL(opt_dom0_mem_max, 1ULL << 30);
    CU_ASSERT_EQUAL(opt_com1_baud, 115200);
    CU_ASSERT_EQUAL(opt_debug_exit, 0xf4);
    CU_ASSERT_TRUE(list_contains(opt_selftest, "heap"));
    CU_ASSERT_TRUE(list_contains(opt_selftest, "timer"));
    CU_ASSERT_FALSE(list_contains(opt_selftest, "time"));

    CU_ASSERT_EQUAL(params_parse("dom0_mem=1G,max:512M loglvl=loud com1=9600,7e1 "
                                 "console=vga dom0_max=3"), 5);
    CU_ASSERT_PTR_NOT_NULL(strstr(harness_log, "unknown option 'dom0_max'"));
    CU_ASSERT_PTR_NOT_NULL(strstr(harness_log, "bad value in 'loglvl=loud'"));
    CU_ASSERT_EQUAL(opt_dom0_mem, 512ULL << 20);    /* unchanged by the bad one */
}

/*
 * The words Debian's GRUB generator puts on the hypervisor's line (and
 * Xen ignores): no warning, whatever their form, and the rest still counts.
 */
static void test_debian_grub_words(void)
{
    harness_reset_log();
    CU_ASSERT_EQUAL(params_parse("placeholder console=com1 dom0_mem=256M "
                                 "no-real-mode edd=off edid=no real-mode edd"), 0);
    CU_ASSERT_PTR_NULL(strstr(harness_log, "cmdline:"));
    CU_ASSERT_EQUAL(opt_dom0_mem, 256ULL << 20);
    CU_ASSERT_EQUAL(params_parse("placeholders no-edds"), 2);
}

static const struct unit_test tests[] = {
    UNIT_TEST(test_debian_grub_words),
    UNIT_TEST(test_values),
    UNIT_TEST(test_unknown_and_malformed),
    UNIT_TEST(test_long_token),
    UNIT_TEST(test_hypervisor_options),
    UNIT_END
};
UNIT_SUITE(cmdline, NULL, NULL, tests)
