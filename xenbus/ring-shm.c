/* SPDX-License-Identifier: MIT */
/*
 * xenbus/ring-shm.c - a ring backend without a hypervisor: the "page" is a
 * 4 KiB file in a directory both processes can reach and each direction of
 * the "event channel" is a FIFO. Used to test the ring transport across
 * two processes; the names are shared with the client library.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "ring-shm.h"
#include "ring.h"

static char shm_dir[PATH_MAX];

int xs_ring_shm_init(const char *dir)
{
    if (strlen(dir) >= sizeof(shm_dir) - 32)
        return -ENAMETOOLONG;
    strcpy(shm_dir, dir);
    xs_ring_set_backend(&xs_ring_shm_backend);
    return 0;
}

static int shm_map(unsigned int domid, uint64_t gfn,
                   struct xenstore_domain_interface **intf)
{
    char name[PATH_MAX];
    void *p;
    int fd, rc;

    (void)gfn;
    rc = xs_shm_name(name, sizeof(name), shm_dir, domid, "ring");
    if (rc)
        return rc;
    fd = open(name, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    p = mmap(NULL, XS_SHM_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    rc = p == MAP_FAILED ? -errno : 0;
    close(fd);
    if (!rc)
        *intf = p;
    return rc;
}

static void shm_unmap(unsigned int domid, struct xenstore_domain_interface *intf)
{
    (void)domid;
    munmap(intf, XS_SHM_PAGE);
}

/* The "down" FIFO of each bound domain, found again by the "up" one. */
struct shm_bind {
    struct shm_bind *next;
    int up, down;
};

static struct shm_bind *binds;

static struct shm_bind **find_bind(int up)
{
    struct shm_bind **b = &binds;

    while (*b && (*b)->up != up)
        b = &(*b)->next;
    return b;
}

/* Both FIFOs are opened read-write so neither ever reports end-of-file. */
static int shm_bind(unsigned int domid, unsigned int evtchn, int *fd)
{
    char up[PATH_MAX], down[PATH_MAX];
    struct shm_bind *b;
    int rc;

    (void)evtchn;
    rc = xs_shm_name(up, sizeof(up), shm_dir, domid, "up");
    if (!rc)
        rc = xs_shm_name(down, sizeof(down), shm_dir, domid, "down");
    if (rc)
        return rc;
    b = calloc(1, sizeof(*b));
    if (!b)
        return -ENOMEM;
    b->up = open(up, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (b->up < 0)
        goto fail;
    b->down = open(down, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (b->down < 0)
        goto fail;
    b->next = binds;
    binds = b;
    *fd = b->up;
    return 0;
fail:
    rc = -errno;
    if (b->up >= 0)
        close(b->up);
    free(b);
    return rc;
}

static void shm_notify(unsigned int domid, int fd)
{
    struct shm_bind *b = *find_bind(fd);
    char one = 1;

    (void)domid;
    /* A full FIFO already holds a pending notification. */
    if (b && write(b->down, &one, 1) < 0 && errno != EAGAIN)
        return;
}

static void shm_ack(int fd)
{
    char buf[64];

    while (read(fd, buf, sizeof(buf)) > 0)
        ;
}

static void shm_unbind(int fd)
{
    struct shm_bind **pb = find_bind(fd), *b = *pb;

    if (!b)
        return;
    *pb = b->next;
    close(b->down);
    close(b->up);
    free(b);
}

const struct xs_ring_backend xs_ring_shm_backend = {
    .name = "shm",
    .map = shm_map,
    .unmap = shm_unmap,
    .bind = shm_bind,
    .notify = shm_notify,
    .ack = shm_ack,
    .unbind = shm_unbind,
};
