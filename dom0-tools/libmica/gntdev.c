/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/gntdev.c - grants across domains: /dev/xen/gntdev maps
 * pages another domain granted us (record the refs, then mmap at the
 * returned offset), /dev/xen/gntalloc grants pages of ours to another
 * domain (allocate refs, then mmap them).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "libmica-priv.h"
#include "privcmd-abi.h"
#include <public/grant_table.h>

/* gntdev's per-request limit in Linux 6.1 is far above any ring's needs. */
#define GNT_MAX_REFS    4096

struct mica_gnttab {
    int fd;
};

struct mica_gntshr {
    int fd;
};

static void *dev_open(const char *path, size_t size)
{
    int *fd = malloc(size);

    if (!fd)
        return NULL;
    *fd = open(path, O_RDWR | O_CLOEXEC);
    if (*fd < 0) {
        int err = errno;

        free(fd);
        errno = err;
        return NULL;
    }
    return fd;
}

struct mica_gnttab *mica_gnttab_open(void)
{
    return dev_open("/dev/xen/gntdev", sizeof(struct mica_gnttab));
}

void mica_gnttab_close(struct mica_gnttab *g)
{
    if (!g)
        return;
    close(g->fd);
    free(g);
}

void *mica_gnttab_map(struct mica_gnttab *g, uint32_t domid,
                      const uint32_t *refs, size_t n, int prot)
{
    struct gntdev_map_grant_ref *req;
    struct gntdev_unmap_grant_ref un = { 0 };
    void *p = NULL;
    int err = 0;

    if (!n || n > GNT_MAX_REFS) {
        errno = EINVAL;
        return NULL;
    }
    req = calloc(1, sizeof(*req) + n * sizeof(req->refs[0]));
    if (!req)
        return NULL;
    req->count = (uint32_t)n;
    for (size_t i = 0; i < n; i++)
        req->refs[i] = (struct gntdev_grant_ref){ .domid = domid, .ref = refs[i] };
    if (ioctl(g->fd, IOCTL_GNTDEV_MAP_GRANT_REF, req) < 0) {
        err = errno;
        goto out;
    }
    /* The grant hypercalls happen here; any refused grant fails the mmap. */
    p = mmap(NULL, n * MICA_PAGE_SIZE, prot, MAP_SHARED, g->fd, (off_t)req->index);
    if (p == MAP_FAILED) {
        err = errno;
        p = NULL;
        un.index = req->index;
        un.count = (uint32_t)n;
        ioctl(g->fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &un);
    }
out:
    free(req);
    if (err)
        errno = err;
    return p;
}

int mica_gnttab_unmap(struct mica_gnttab *g, void *p, size_t n)
{
    struct gntdev_get_offset_for_vaddr q = { .vaddr = (uintptr_t)p };
    struct gntdev_unmap_grant_ref un = { 0 };

    if (ioctl(g->fd, IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR, &q) < 0)
        return -errno;
    if (q.count != n)
        return -EINVAL;
    if (munmap(p, n * MICA_PAGE_SIZE) < 0)
        return -errno;
    un.index = q.offset;
    un.count = (uint32_t)n;
    return ioctl(g->fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &un) < 0 ? -errno : 0;
}

/* The kernel batches 16 at a time anyway; this bounds our stack. */
#define COPY_BATCH  64

int mica_gnttab_copy(struct mica_gnttab *g, uint32_t domid,
                     struct mica_grant_copy *c, size_t n)
{
    struct gntdev_grant_copy_segment seg[COPY_BATCH];
    struct gntdev_grant_copy req;

    while (n) {
        size_t k = n < COPY_BATCH ? n : COPY_BATCH;

        memset(seg, 0, k * sizeof(seg[0]));
        for (size_t i = 0; i < k; i++) {
            union gntdev_copy_ptr local = { .virt = (uintptr_t)c[i].local };
            union gntdev_copy_ptr far = { .foreign = { c[i].ref, c[i].offset, (uint16_t)domid } };

            seg[i].len = c[i].len;
            seg[i].source = c[i].to_grant ? local : far;
            seg[i].dest = c[i].to_grant ? far : local;
            seg[i].flags = c[i].to_grant ? GNTCOPY_dest_gref : GNTCOPY_source_gref;
        }
        req = (struct gntdev_grant_copy){ .count = (uint32_t)k, .segments = (uintptr_t)seg };
        if (ioctl(g->fd, IOCTL_GNTDEV_GRANT_COPY, &req) < 0)
            return -errno;
        for (size_t i = 0; i < k; i++)
            c[i].status = seg[i].status;
        c += k;
        n -= k;
    }
    return 0;
}

struct mica_gntshr *mica_gntshr_open(void)
{
    return dev_open("/dev/xen/gntalloc", sizeof(struct mica_gntshr));
}

void mica_gntshr_close(struct mica_gntshr *s)
{
    if (!s)
        return;
    close(s->fd);
    free(s);
}

void *mica_gntshr_share(struct mica_gntshr *s, uint32_t domid, size_t n,
                        bool writable, uint32_t *refs)
{
    struct gntalloc_alloc_gref *req;
    struct gntalloc_dealloc_gref un = { 0 };
    void *p = NULL;
    int err = 0;

    if (!n || n > GNT_MAX_REFS) {
        errno = EINVAL;
        return NULL;
    }
    req = calloc(1, sizeof(*req) + n * sizeof(req->gref_ids[0]));
    if (!req)
        return NULL;
    req->domid = (uint16_t)domid;
    req->flags = writable ? GNTALLOC_FLAG_WRITABLE : 0;
    req->count = (uint32_t)n;
    if (ioctl(s->fd, IOCTL_GNTALLOC_ALLOC_GREF, req) < 0) {
        err = errno;
        goto out;
    }
    p = mmap(NULL, n * MICA_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
             s->fd, (off_t)req->index);
    if (p == MAP_FAILED) {
        err = errno;
        p = NULL;
    } else {
        for (size_t i = 0; i < n; i++)
            refs[i] = req->gref_ids[i];
    }
    /*
     * The grants live as long as the mapping: dropping the bookkeeping
     * now makes munmap (or exit) the end of the sharing.
     */
    un.index = req->index;
    un.count = (uint32_t)n;
    ioctl(s->fd, IOCTL_GNTALLOC_DEALLOC_GREF, &un);
out:
    free(req);
    if (err)
        errno = err;
    return p;
}

int mica_gntshr_unshare(struct mica_gntshr *s, void *p, size_t n)
{
    (void)s;
    return munmap(p, n * MICA_PAGE_SIZE) < 0 ? -errno : 0;
}
