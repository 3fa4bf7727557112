/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test-frame-alloc.c - the frame allocator and the placement of
 * its bitmap: reserved ranges are never handed out, blocks are aligned,
 * frees return frames, double frees are caught.
 */
#include <string.h>
#include <stdint.h>
#include <stdlib.h>
#include <mica/lib.h>
#include <mica/frame-alloc.h>
#include "harness.h"
#include "cunit-runner.h"

#define MB (1UL << 20)
#define FRAMES (64 * MB / 4096)         /* a 64 MiB machine */

static uint64_t *bitmap;

static const struct memmap_entry map[] = {
    { 0, 0x9fc00, MEM_AVAILABLE },
    { 0x9fc00, 0x400, MEM_RESERVED },
    { 0x100000, 64 * MB - 0x100000 - 0x20000, MEM_AVAILABLE },
    { 64 * MB - 0x20000, 0x20000, MEM_RESERVED },
};

static const struct phys_range reserved[] = {
    { 0, MB },                          /* low memory */
    { 2 * MB, 2 * MB + 0x33000 },       /* hypervisor image */
    { 0x11f000, 0x11f600 },             /* boot information */
    { 4 * MB, 12 * MB + 123 },          /* a module, unaligned end */
};

static int setup(void)
{
    bitmap = malloc(frames_bitmap_bytes(FRAMES));
    return bitmap ? 0 : 1;
}

static int teardown(void)
{
    free(bitmap);
    return 0;
}

static void init_machine(void)
{
    frames_init(bitmap, FRAMES);
    for (unsigned int i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (map[i].type == MEM_AVAILABLE)
            frames_add_free(map[i].addr, map[i].addr + map[i].len);
    for (unsigned int i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
        frames_reserve(reserved[i].start, reserved[i].end);
}

static bool in_reserved(mfn_t m, unsigned int order)
{
    paddr_t s = m << 12, e = (m + (1UL << order)) << 12;

    for (unsigned int i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
        if (s < reserved[i].end && reserved[i].start < e)
            return true;
    for (unsigned int i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (map[i].type != MEM_AVAILABLE && s < map[i].addr + map[i].len &&
            map[i].addr < e)
            return true;
    return false;
}

static void test_counts(void)
{
    uint64_t expect;

    init_machine();
    /* 64 MiB minus low MiB, image (0x33 frames), boot info (1 frame),
     * module (8 MiB + 1 frame), top 128 KiB. */
    expect = FRAMES - 256 - 0x33 - 1 - (8 * MB / 4096 + 1) - 0x20;
    CU_ASSERT_EQUAL(frames_free_count(), expect);
    CU_ASSERT_EQUAL(frames_max_mfn(), FRAMES);
}

static void test_never_reserved(void)
{
    mfn_t m;
    uint64_t n = 0;

    init_machine();
    while ((m = alloc_frames(0)) != INVALID_MFN) {
        CU_ASSERT_FALSE(in_reserved(m, 0));
        n++;
    }
    CU_ASSERT_EQUAL(frames_free_count(), 0);
    CU_ASSERT(n > 0);
}

static void test_orders_aligned(void)
{
    init_machine();
    for (unsigned int order = 0; order <= 9; order++) {
        mfn_t m = alloc_frames(order);

        CU_ASSERT_NOT_EQUAL_FATAL(m, INVALID_MFN);
        CU_ASSERT_EQUAL(m & ((1UL << order) - 1), 0);
        CU_ASSERT_FALSE(in_reserved(m, order));
    }
    /* 64 MiB cannot hold a 1 GiB block; too-large orders fail cleanly. */
    CU_ASSERT_EQUAL(alloc_frames(MAX_ORDER), INVALID_MFN);
    CU_ASSERT_EQUAL(alloc_frames(MAX_ORDER + 1), INVALID_MFN);
}

static void test_free_and_reuse(void)
{
    uint64_t before;
    mfn_t a, b;

    init_machine();
    before = frames_free_count();
    a = alloc_frames(3);
    CU_ASSERT_EQUAL(frames_free_count(), before - 8);
    CU_ASSERT_FALSE(frame_is_free(a));
    free_frames(a, 3);
    CU_ASSERT_EQUAL(frames_free_count(), before);
    CU_ASSERT_TRUE(frame_is_free(a + 7));
    b = alloc_frames(3);
    CU_ASSERT_EQUAL(a, b);              /* lowest fit is reused */
    free_frames(b, 3);
}

static void test_double_free_caught(void)
{
    mfn_t a;

    init_machine();
    a = alloc_frames(0);
    free_frames(a, 0);
    CU_ASSERT_TRUE(EXPECT_PANIC(free_frames(a, 0)));
    CU_ASSERT_TRUE(EXPECT_PANIC(free_frames(FRAMES + 5, 0)));
    CU_ASSERT_TRUE(EXPECT_PANIC(free_frames(3, 1)));   /* misaligned */
}

static void test_below_limit(void)
{
    mfn_t limit = 16 * MB / 4096, held[64], m;
    unsigned int n = 0;

    init_machine();
    /* Below 16 MiB, 256 KiB blocks: aligned, never reserved, then none left. */
    while ((m = alloc_frames_below(6, limit)) != INVALID_MFN && n < 64) {
        CU_ASSERT_TRUE(m + 64 <= limit);
        CU_ASSERT_EQUAL(m & 63, 0);
        CU_ASSERT_FALSE(in_reserved(m, 6));
        held[n++] = m;
    }
    CU_ASSERT_EQUAL(m, INVALID_MFN);
    CU_ASSERT_TRUE(n > 0 && n < 64);
    /* Above the limit there is still plenty. */
    m = alloc_frames(6);
    CU_ASSERT_TRUE(m != INVALID_MFN && m >= limit);
    free_frames(m, 6);
    while (n)
        free_frames(held[--n], 6);
    CU_ASSERT_EQUAL(alloc_frames_below(0, 0), INVALID_MFN);
}

static void test_find_space(void)
{
    paddr_t p;

    /* Must skip low memory, the image, the info block and the module. */
    p = frames_find_space(map, 4, reserved, 4, 0x3000, 1UL << 32);
    CU_ASSERT_EQUAL(p, MB);
    p = frames_find_space(map, 4, reserved, 4, 2 * MB, 1UL << 32);
    CU_ASSERT_EQUAL(p, 12 * MB + 4096);
    for (unsigned int i = 0; i < 4; i++)
        CU_ASSERT_FALSE(p < reserved[i].end && reserved[i].start < p + 2 * MB);
    /* Too big for the machine, or above the limit: none. */
    CU_ASSERT_EQUAL(frames_find_space(map, 4, reserved, 4, 128 * MB, 1UL << 32), 0);
    CU_ASSERT_EQUAL(frames_find_space(map, 4, reserved, 4, 0x1000, MB), 0);
}

static const struct unit_test tests[] = {
    UNIT_TEST(test_counts),
    UNIT_TEST(test_never_reserved),
    UNIT_TEST(test_orders_aligned),
    UNIT_TEST(test_free_and_reuse),
    UNIT_TEST(test_below_limit),
    /* Last of those that allocate: a caught panic leaves frames_lock held. */
    UNIT_TEST(test_double_free_caught),
    UNIT_TEST(test_find_space),
    UNIT_END
};
UNIT_SUITE(frame_alloc, setup, teardown, tests)
