/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test-elf-fuzz.c - the ELF parser against hostile input at
 * scale: every truncation of the valid image and thousands of seeded
 * random mutations, each either refused with a reason or safe to load.
 */
#include <stdbool.h>
#include <stdlib.h>
#include "elf-image.h"
#include "cunit-runner.h"

/* Every strict prefix of the valid image must fail cleanly with a reason. */
static void test_truncation(void)
{
    struct elf_segment seg;
    unsigned int bad = 0;

    tmpl_init(-1);
    build();
    for (size_t len = 0; len < img_len; len++) {
        if (parse_len(len) != -ENOEXEC || !why[0])
            bad++;
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL(parse_len(img_len), 0);
    for (size_t len = 0; len < img_len; len += 61) {
        uint8_t *copy = malloc(len ? len : 1);

        memcpy(copy, img, len);
        CU_ASSERT(elf_load_segment(copy, len, &info, 1, &seg) < 0);
        free(copy);
    }
}

static uint64_t rng_state;

static uint64_t rng(void)
{
    /* xorshift64: deterministic, so a failure reproduces. */
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* What an accepted image promises the builder must hold. */
static bool invariants_hold(const uint8_t *p, size_t len)
{
    struct elf_segment seg;

    if (info.entry < info.virt_kstart || info.entry >= info.virt_kend ||
        info.virt_kend - info.virt_kstart > ELF_MAX_IMAGE_SPAN ||
        !info.nr_load)
        return false;
    for (unsigned int i = 0; i < info.nr_load; i++) {
        if (elf_load_segment(p, len, &info, i, &seg))
            return false;
        if (seg.offset > len || seg.filesz > len - seg.offset ||
            seg.filesz > seg.memsz || seg.dest < info.virt_kstart ||
            seg.memsz > info.virt_kend - seg.dest)
            return false;
    }
    return elf_load_segment(p, len, &info, info.nr_load, &seg) == -ENOENT;
}

static void mutate_run(unsigned int rounds, bool headers_only)
{
    static const uint64_t nasty[] = {
        0, 1, 0xff, 0xffff, 0x7fffffff, 0xffffffff, 0xfffffffffffff000ULL,
        UINT64_MAX, 0x8000000000000000ULL,
    };
    unsigned int accepted = 0, broken = 0;
    uint8_t *copy;

    tmpl_init(-1);
    build();
    copy = malloc(img_len);
    for (unsigned int r = 0; r < rounds; r++) {
        unsigned int flips = 1 + rng() % 8;
        size_t span = headers_only ? NOTE_OFF + t.notes_len : img_len;
        int rc;

        memcpy(copy, img, img_len);
        for (unsigned int f = 0; f < flips; f++) {
            size_t at = rng() % span;

            if (rng() % 4) {
                copy[at] ^= (uint8_t)(1 + rng() % 255);
            } else {
                uint64_t v = nasty[rng() % ARRAY_SIZE(nasty)];
                size_t n = MIN((size_t)8, img_len - at);

                memcpy(copy + at, &v, n);
            }
        }
        rc = elf_parse_xen(copy, img_len, &info, why, sizeof(why));
        if (rc == 0) {
            accepted++;
            if (!invariants_hold(copy, img_len))
                broken++;
        } else if (rc != -ENOEXEC || !why[0]) {
            broken++;
        }
    }
    free(copy);
    CU_ASSERT_EQUAL(broken, 0);
    /* Sanity: some mutants still parse, so the checks above ran. */
    CU_ASSERT(accepted > 0);
}

static void test_mutations(void)
{
    rng_state = 0x6d6963612d656c66ULL;
    mutate_run(3000, false);
}

static void test_header_mutations(void)
{
    rng_state = 0x1234567887654321ULL;
    mutate_run(3000, true);
}

static const struct unit_test elf_fuzz_tests[] = {
    UNIT_TEST(test_truncation),
    UNIT_TEST(test_mutations),
    UNIT_TEST(test_header_mutations),
    UNIT_END
};
UNIT_SUITE(elf_fuzz, NULL, NULL, elf_fuzz_tests)
