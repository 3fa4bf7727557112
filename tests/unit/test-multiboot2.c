/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test-multiboot2.c - the Multiboot2 information parser, fed
 * with well-formed, malformed and truncated buffers built here.
 */
#include <string.h>
#include <stdint.h>
#include <stdlib.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/bootinfo.h>
#include "cunit-runner.h"

/* A small builder for Multiboot2 information blocks. */
static uint8_t mbi[4096] __attribute__((aligned(8)));
static size_t mbi_len;
static char why[128];
static struct boot_info bi;

static void begin(void)
{
    memset(mbi, 0xcc, sizeof(mbi));
    mbi_len = 8;
}

static uint8_t *tag(uint32_t type, uint32_t size)
{
    uint8_t *t = mbi + mbi_len;

    memcpy(t, &type, 4);
    memcpy(t + 4, &size, 4);
    mbi_len = (mbi_len + size + 7) & ~7UL;
    return t;
}

static void tag_string(uint32_t type, const char *s)
{
    uint8_t *t = tag(type, 8 + strlen(s) + 1);
    memcpy(t + 8, s, strlen(s) + 1);
}

static void tag_module(uint32_t start, uint32_t end, const char *s)
{
    uint8_t *t = tag(3, 16 + strlen(s) + 1);
    memcpy(t + 8, &start, 4);
    memcpy(t + 12, &end, 4);
    memcpy(t + 16, s, strlen(s) + 1);
}

static void tag_mmap(const uint64_t (*e)[3], unsigned int n)
{
    uint8_t *t = tag(6, 16 + 24 * n);
    uint32_t esize = 24, ver = 0;

    memcpy(t + 8, &esize, 4);
    memcpy(t + 12, &ver, 4);
    for (unsigned int i = 0; i < n; i++) {
        uint32_t type = e[i][2], zero = 0;
        memcpy(t + 16 + 24 * i, &e[i][0], 8);
        memcpy(t + 24 + 24 * i, &e[i][1], 8);
        memcpy(t + 32 + 24 * i, &type, 4);
        memcpy(t + 36 + 24 * i, &zero, 4);
    }
}

static void finish(void)
{
    uint32_t total, zero = 0;

    tag(0, 8);
    total = mbi_len;
    memcpy(mbi, &total, 4);
    memcpy(mbi + 4, &zero, 4);
}

static const uint64_t qemu_map[][3] = {
    { 0, 0x9fc00, 1 }, { 0x9fc00, 0x400, 2 }, { 0xf0000, 0x10000, 2 },
    { 0x100000, 0x1fee0000, 1 }, { 0xfffc0000, 0x40000, 2 },
};

static void build_valid(void)
{
    uint8_t rsdp[20] = "RSD PTR ";

    begin();
    tag_string(1, "console=com1 loglvl=all");
    tag_string(2, "GRUB 2.06");
    tag_module(0x400000, 0x480000, "dom0 console=hvc0");
    tag_module(0x480000, 0x490000, "initrd");
    tag_mmap(qemu_map, 5);
    memcpy(tag(14, 8 + 20) + 8, rsdp, 20);
    finish();
}

static void test_valid(void)
{
    build_valid();
    CU_ASSERT_EQUAL_FATAL(mb2_parse(mbi, sizeof(mbi), &bi, why, sizeof(why)), 0);
    CU_ASSERT_STRING_EQUAL(bi.cmdline, "console=com1 loglvl=all");
    CU_ASSERT_STRING_EQUAL(bi.loader, "GRUB 2.06");
    CU_ASSERT_EQUAL(bi.nr_modules, 2);
    CU_ASSERT_EQUAL(bi.modules[0].start, 0x400000);
    CU_ASSERT_EQUAL(bi.modules[0].end, 0x480000);
    CU_ASSERT_STRING_EQUAL(bi.modules[0].string, "dom0 console=hvc0");
    CU_ASSERT_STRING_EQUAL(bi.modules[1].string, "initrd");
    CU_ASSERT_EQUAL(bi.nr_memmap, 5);
    CU_ASSERT_EQUAL(bi.memmap[3].addr, 0x100000);
    CU_ASSERT_EQUAL(bi.memmap[3].len, 0x1fee0000);
    CU_ASSERT_EQUAL(bi.memmap[3].type, MEM_AVAILABLE);
    CU_ASSERT_EQUAL(bi.memmap[4].type, MEM_RESERVED);
    CU_ASSERT_PTR_NOT_NULL(bi.rsdp);
    CU_ASSERT_EQUAL(bi.rsdp_len, 20);
    CU_ASSERT_EQUAL(bi.total_size, mbi_len);
}

static void test_no_cmdline(void)
{
    begin();
    tag_mmap(qemu_map, 1);
    finish();
    CU_ASSERT_EQUAL(mb2_parse(mbi, sizeof(mbi), &bi, why, sizeof(why)), 0);
    CU_ASSERT_STRING_EQUAL(bi.cmdline, "");
    CU_ASSERT_EQUAL(bi.nr_modules, 0);
    CU_ASSERT_PTR_NULL(bi.rsdp);
}

#define EXPECT_REJECT(text)                                                  \
    do {                                                                     \
        CU_ASSERT_EQUAL(mb2_parse(mbi, sizeof(mbi), &bi, why, sizeof(why)),  \
                        -EINVAL);                                            \
        CU_ASSERT_PTR_NOT_NULL(strstr(why, text));                           \
    } while (0)

static void test_malformed(void)
{
    uint32_t v;

    build_valid();
    v = 4;                                  /* total_size below the minimum */
    memcpy(mbi, &v, 4);
    EXPECT_REJECT("size");

    build_valid();
    v = sizeof(mbi) + 8;                    /* bigger than the buffer */
    memcpy(mbi, &v, 4);
    EXPECT_REJECT("size");

    build_valid();
    v = 0x7fffffff;                         /* first tag runs past the end */
    memcpy(mbi + 12, &v, 4);
    EXPECT_REJECT("bad size");

    build_valid();
    v = 3;                                  /* tag size below its header */
    memcpy(mbi + 12, &v, 4);
    EXPECT_REJECT("bad size");

    begin();
    tag_mmap(qemu_map, 1);
    {
        uint8_t *t = tag(1, 12);
        memcpy(t + 8, "abcd", 4);           /* command line without NUL */
    }
    finish();
    EXPECT_REJECT("not terminated");

    begin();
    tag_mmap(qemu_map, 1);
    {
        uint8_t *t = tag(3, 20);
        uint32_t s = 0x2000, e = 0x1000;
        memcpy(t + 8, &s, 4);
        memcpy(t + 12, &e, 4);
        memcpy(t + 16, "abc", 4);
    }
    finish();
    EXPECT_REJECT("ends before it starts");

    begin();
    tag_string(1, "x");
    finish();
    EXPECT_REJECT("no memory map");

    begin();
    {
        uint8_t *t = tag(6, 16 + 20);
        uint32_t esize = 20;                /* entries must be >= 24 bytes */
        memcpy(t + 8, &esize, 4);
    }
    finish();
    EXPECT_REJECT("entry size");

    begin();
    for (int i = 0; i < BOOT_MAX_MODULES + 1; i++)
        tag_module(0x1000, 0x2000, "m");
    tag_mmap(qemu_map, 1);
    finish();
    EXPECT_REJECT("more than");

    CU_ASSERT_EQUAL(mb2_parse(mbi + 1, sizeof(mbi) - 1, &bi, why, sizeof(why)), -EINVAL);
    CU_ASSERT_EQUAL(mb2_parse(NULL, sizeof(mbi), &bi, why, sizeof(why)), -EINVAL);
}

static void test_missing_end_tag(void)
{
    build_valid();
    /* Chop off the end tag but keep total_size consistent. */
    mbi_len -= 8;
    {
        uint32_t total = mbi_len;
        memcpy(mbi, &total, 4);
    }
    EXPECT_REJECT("no end tag");
}

/*
 * Every prefix of a valid block, copied into an exactly-sized heap buffer
 * so AddressSanitizer catches any read past 'avail': the parser must fail
 * cleanly (or succeed only with the whole block) and never read outside.
 */
static void test_truncated(void)
{
    build_valid();
    for (size_t len = 0; len <= mbi_len; len++) {
        uint8_t *copy = malloc(len ? len : 1);
        int rc;

        memcpy(copy, mbi, len);
        rc = mb2_parse(len ? copy : NULL, len, &bi, why, sizeof(why));
        CU_ASSERT_EQUAL(rc, len == mbi_len ? 0 : -EINVAL);
        free(copy);
    }
}

/* Deterministic random corruption of a valid block: never a crash. */
static void test_fuzzed(void)
{
    uint32_t seed = 12345;

    for (int round = 0; round < 5000; round++) {
        uint8_t *copy;

        build_valid();
        for (int flips = 0; flips < 4; flips++) {
            seed = seed * 1103515245 + 12345;
            mbi[(seed >> 8) % mbi_len] ^= 1 << ((seed >> 4) & 7);
        }
        copy = malloc(mbi_len);
        memcpy(copy, mbi, mbi_len);
        if (mb2_parse(copy, mbi_len, &bi, why, sizeof(why)) == 0) {
            for (unsigned int i = 0; i < bi.nr_modules; i++)
                CU_ASSERT(strlen(bi.modules[i].string) < mbi_len);
            CU_ASSERT(strlen(bi.cmdline) < mbi_len);
        }
        free(copy);
    }
}

static const struct unit_test tests[] = {
    UNIT_TEST(test_valid),
    UNIT_TEST(test_no_cmdline),
    UNIT_TEST(test_malformed),
    UNIT_TEST(test_missing_end_tag),
    UNIT_TEST(test_truncated),
    UNIT_TEST(test_fuzzed),
    UNIT_END
};
UNIT_SUITE(multiboot2, NULL, NULL, tests)
