/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/kernel-cache.c - unpacked kernels kept between builds.
 *
 * Why: Debian's vmlinuz is an xz payload, and unpacking its 66 MB in dom0
 * under emulation takes most of a build (tens of seconds, against a
 * quarter of a second for everything else).  The first build of a kernel
 * file keeps its ELF image recompressed with zstd at its fastest level,
 * which decodes an order of magnitude faster than xz; later builds of the
 * same file (same device, inode, size and mtime: a new kernel installed
 * over it misses) decode that instead.
 *
 * Where: $LIBMICA_CACHE_DIR or /var/cache/mica/kernels, made 0700, root's
 * own.  One file per kernel, written to a temporary name and renamed into
 * place, so concurrent builds never read half a file; at most
 * CACHE_MAX_FILES entries (past that, nothing new is kept).  Each entry
 * starts with a header repeating the key and the image's size, and its
 * zstd frame carries a checksum: anything that does not match is ignored.
 * LIBMICA_NO_CACHE in the environment turns the cache off.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>
#include "kernel-cache.h"

#define CACHE_DIR_DEFAULT   "/var/cache/mica/kernels"
#define CACHE_MAX_FILES     8
#define CACHE_MAGIC         "MICAKC1"

struct cache_header {
    char magic[8];
    uint64_t dev, ino, size, mtime_sec, mtime_nsec;
    uint64_t elf_len;
};

static const char *cache_dir(void)
{
    const char *d = getenv("LIBMICA_CACHE_DIR");

    if (getenv("LIBMICA_NO_CACHE"))
        return NULL;
    return d && d[0] ? d : CACHE_DIR_DEFAULT;
}

static void fill_header(struct cache_header *h, const struct stat *st, uint64_t elf_len)
{
    memset(h, 0, sizeof(*h));
    memcpy(h->magic, CACHE_MAGIC, sizeof(CACHE_MAGIC));
    h->dev = st->st_dev;
    h->ino = st->st_ino;
    h->size = (uint64_t)st->st_size;
    h->mtime_sec = (uint64_t)st->st_mtim.tv_sec;
    h->mtime_nsec = (uint64_t)st->st_mtim.tv_nsec;
    h->elf_len = elf_len;
}

static int entry_path(char *buf, size_t len, const struct stat *st)
{
    const char *dir = cache_dir();
    int n;

    if (!dir)
        return -ENOENT;
    n = snprintf(buf, len, "%s/%llx-%llx-%llx-%llx.%09llu.zst", dir,
                 (unsigned long long)st->st_dev, (unsigned long long)st->st_ino,
                 (unsigned long long)st->st_size, (unsigned long long)st->st_mtim.tv_sec,
                 (unsigned long long)st->st_mtim.tv_nsec);
    return n > 0 && (size_t)n < len ? 0 : -ENAMETOOLONG;
}

static int read_all(int fd, void *buf, size_t len)
{
    for (size_t done = 0; done < len; ) {
        ssize_t n = read(fd, (uint8_t *)buf + done, len - done);

        if (n <= 0)
            return -EIO;
        done += (size_t)n;
    }
    return 0;
}

int kernel_cache_get(const struct stat *st, size_t max, uint8_t **elf, size_t *len)
{
    struct cache_header want, have;
    uint8_t *packed = NULL, *out = NULL;
    char path[512];
    struct stat cst;
    size_t plen;
    int fd, rc = -ENOENT;

    *elf = NULL;
    if (entry_path(path, sizeof(path), st))
        return -ENOENT;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -ENOENT;
    fill_header(&want, st, 0);
    if (fstat(fd, &cst) || cst.st_size <= (off_t)sizeof(have) ||
        (uint64_t)cst.st_size > max || read_all(fd, &have, sizeof(have)))
        goto out;
    want.elf_len = have.elf_len;
    if (memcmp(&want, &have, sizeof(want)) || !have.elf_len || have.elf_len > max)
        goto out;
    plen = (size_t)cst.st_size - sizeof(have);
    if (!(packed = malloc(plen)) || !(out = malloc(have.elf_len)) ||
        read_all(fd, packed, plen))
        goto out;
    if (ZSTD_decompress(out, have.elf_len, packed, plen) != have.elf_len ||
        memcmp(out, "\177ELF", 4))
        goto out;
    *elf = out;
    *len = have.elf_len;
    out = NULL;
    rc = 0;
out:
    close(fd);
    free(packed);
    free(out);
    return rc;
}

/* Entries already kept; past the limit nothing new is written. */
static unsigned int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    unsigned int n = 0;

    if (!d)
        return 0;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static int write_all(int fd, const void *buf, size_t len)
{
    for (size_t done = 0; done < len; ) {
        ssize_t n = write(fd, (const uint8_t *)buf + done, len - done);

        if (n <= 0)
            return -EIO;
        done += (size_t)n;
    }
    return 0;
}

static void make_dirs(const char *dir)
{
    char tmp[512];

    snprintf(tmp, sizeof(tmp), "%s", dir);
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(tmp, 0755);
            *p = '/';
        }
    }
    mkdir(tmp, 0700);
}

void kernel_cache_put(const struct stat *st, const uint8_t *elf, size_t len)
{
    const char *dir = cache_dir();
    size_t cap = ZSTD_compressBound(len), plen;
    struct cache_header h;
    char path[512], tmp[560];
    ZSTD_CCtx *cc = NULL;
    uint8_t *packed;
    int fd, bad;

    if (!dir || entry_path(path, sizeof(path), st))
        return;
    make_dirs(dir);
    if (count_entries(dir) >= CACHE_MAX_FILES || !(packed = malloc(cap)))
        return;
    cc = ZSTD_createCCtx();
    if (!cc)
        goto out;
    ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, 1);
    ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
    plen = ZSTD_compress2(cc, packed, cap, elf, len);
    if (ZSTD_isError(plen))
        goto out;
    snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        goto out;
    fill_header(&h, st, len);
    bad = write_all(fd, &h, sizeof(h)) || write_all(fd, packed, plen);
    bad |= close(fd) != 0;
    if (bad || rename(tmp, path))
        unlink(tmp);
out:
    ZSTD_freeCCtx(cc);
    free(packed);
}
