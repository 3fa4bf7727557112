/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/libmica/test-kernel-cache.c - the unpacked-kernel cache in a
 * directory of its own: a hit gives the bytes back, a changed kernel file
 * (other mtime, size or inode) misses, a damaged or foreign entry misses,
 * LIBMICA_NO_CACHE turns it off, and the number of entries is bounded.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cunit-runner.h"
#include "kernel-cache.h"

#define ELF_LEN (200 * 1024)

static char dir[64];
static uint8_t elf[ELF_LEN];

static int cache_init(void)
{
    snprintf(dir, sizeof(dir), "/tmp/libmica-cache-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    setenv("LIBMICA_CACHE_DIR", dir, 1);
    for (size_t i = 0; i < ELF_LEN; i++)
        elf[i] = (uint8_t)(i * 31 / 7);
    memcpy(elf, "\177ELF", 4);
    return 0;
}

static void empty_dir(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[400];

    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
}

static int cache_clean(void)
{
    empty_dir();
    rmdir(dir);
    unsetenv("LIBMICA_CACHE_DIR");
    return 0;
}

static struct stat key(unsigned int n)
{
    struct stat st;

    memset(&st, 0, sizeof(st));
    st.st_dev = 8;
    st.st_ino = 1000 + n;
    st.st_size = 8 << 20;
    st.st_mtim.tv_sec = 1700000000;
    st.st_mtim.tv_nsec = 123456789;
    return st;
}

static void test_hit(void)
{
    struct stat st = key(0);
    uint8_t *out = NULL;
    size_t len = 0;

    empty_dir();
    CU_ASSERT_EQUAL(kernel_cache_get(&st, 1 << 30, &out, &len), -ENOENT);
    kernel_cache_put(&st, elf, ELF_LEN);
    CU_ASSERT_EQUAL_FATAL(kernel_cache_get(&st, 1 << 30, &out, &len), 0);
    CU_ASSERT(len == ELF_LEN && !memcmp(out, elf, len));
    free(out);
}

static void test_changed_file_misses(void)
{
    struct stat st = key(0), other;
    uint8_t *out = NULL;
    size_t len;

    empty_dir();
    kernel_cache_put(&st, elf, ELF_LEN);
    other = st;
    other.st_mtim.tv_nsec++;
    CU_ASSERT_EQUAL(kernel_cache_get(&other, 1 << 30, &out, &len), -ENOENT);
    other = st;
    other.st_size++;
    CU_ASSERT_EQUAL(kernel_cache_get(&other, 1 << 30, &out, &len), -ENOENT);
    other = st;
    other.st_ino++;
    CU_ASSERT_EQUAL(kernel_cache_get(&other, 1 << 30, &out, &len), -ENOENT);
    CU_ASSERT_PTR_NULL(out);
    /* The bound applies to what is kept too. */
    CU_ASSERT_EQUAL(kernel_cache_get(&st, ELF_LEN - 1, &out, &len), -ENOENT);
}

/* Flip one byte of the only entry at 'off' from its end (<0) or start. */
static void damage(long off)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[400] = "";
    FILE *f;
    int c;

    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.')
            snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
    closedir(d);
    f = fopen(path, "r+b");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fseek(f, off, off < 0 ? SEEK_END : SEEK_SET);
    c = fgetc(f);
    fseek(f, -1, SEEK_CUR);
    fputc(c ^ 0x40, f);
    fclose(f);
}

static void test_damaged_entry_misses(void)
{
    static const long offsets[] = { 0, 10, 60, 100, -2000, -1 };
    struct stat st = key(0);
    uint8_t *out = NULL;
    size_t len;

    for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
        empty_dir();
        kernel_cache_put(&st, elf, ELF_LEN);
        damage(offsets[i]);
        CU_ASSERT_EQUAL(kernel_cache_get(&st, 1 << 30, &out, &len), -ENOENT);
        CU_ASSERT_PTR_NULL(out);
    }
}

static void test_disabled(void)
{
    struct stat st = key(0), st1 = key(1);
    uint8_t *out = NULL;
    size_t len;

    empty_dir();
    kernel_cache_put(&st, elf, ELF_LEN);
    setenv("LIBMICA_NO_CACHE", "1", 1);
    CU_ASSERT_EQUAL(kernel_cache_get(&st, 1 << 30, &out, &len), -ENOENT);
    kernel_cache_put(&st1, elf, ELF_LEN);
    unsetenv("LIBMICA_NO_CACHE");
    CU_ASSERT_EQUAL(kernel_cache_get(&st1, 1 << 30, &out, &len), -ENOENT);
    CU_ASSERT_EQUAL(kernel_cache_get(&st, 1 << 30, &out, &len), 0);
    free(out);
}

static void test_bounded_entries(void)
{
    uint8_t *out = NULL;
    size_t len;
    unsigned int kept = 0;

    empty_dir();
    for (unsigned int i = 0; i < 20; i++) {
        struct stat st = key(i);

        kernel_cache_put(&st, elf, 4096);
    }
    for (unsigned int i = 0; i < 20; i++) {
        struct stat st = key(i);

        if (!kernel_cache_get(&st, 1 << 30, &out, &len)) {
            kept++;
            free(out);
        }
    }
    CU_ASSERT_EQUAL(kept, 8);
}

static const struct unit_test cache_tests[] = {
    UNIT_TEST(test_hit),
    UNIT_TEST(test_changed_file_misses),
    UNIT_TEST(test_damaged_entry_misses),
    UNIT_TEST(test_disabled),
    UNIT_TEST(test_bounded_entries),
    UNIT_END,
};

UNIT_SUITE(libmica_kernel_cache, cache_init, cache_clean, cache_tests)
