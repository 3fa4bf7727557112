/* SPDX-License-Identifier: MIT */
/*
 * vbd.c - starting a disk's back end: mica-blkback runs detached (its own
 * session, so the domain outlives this `mica`), logs to
 * /var/log/mica/blkback.DOMID.DEVID.log, and is waited for until it
 * offers the disk: a missing file or a busy disk fails `mica create` with
 * a reason instead of a guest that waits for a disk forever.  Each back
 * end holds an flock on /var/run/mica/blkback.DOMID.DEVID.lock, taken
 * here before the exec, for as long as it lives: a lock anyone can take
 * means its back end is gone (killed), and then `mica` closes the disk
 * and removes the directory the back end would have removed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <micaxs.h>

#include "backend.h"
#include "vbd.h"

#define LOCK_DIR    "/var/run/mica"

int vbd_check_target(const struct disk_spec *d)
{
    int fd = open(d->target, (d->readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC), rc = 0;

    if (fd < 0) {
        rc = -errno;
        fprintf(stderr, "mica: disk %s: %s: %s\n", d->vdev, d->target, strerror(-rc));
        return rc;
    }
    /* the back ends hold these locks for as long as they serve the disk */
    if (flock(fd, (d->readonly ? LOCK_SH : LOCK_EX) | LOCK_NB) < 0) {
        rc = -errno;
        fprintf(stderr, "mica: disk %s: %s is in use by another domain%s\n", d->vdev,
                d->target, d->readonly ? " for writing" : "");
    }
    close(fd);
    return rc;
}

static void lock_path(char *buf, size_t len, uint32_t domid, unsigned int devid)
{
    snprintf(buf, len, LOCK_DIR "/blkback.%u.%u.lock", domid, devid);
}

/* Inherited across the exec (no O_CLOEXEC): the lock lives as long as the back end. */
static void take_lock(uint32_t domid, unsigned int devid)
{
    char path[96];
    int fd;

    mkdir(LOCK_DIR, 0755);
    lock_path(path, sizeof(path), domid, devid);
    fd = open(path, O_RDWR | O_CREAT, 0644);
    if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0)
        fprintf(stderr, "mica: %s: %s (a killed back end will not be noticed)\n", path,
                strerror(errno));
}

int vbd_backend_alive(uint32_t domid, unsigned int devid)
{
    char path[96];
    int fd, rc;

    lock_path(path, sizeof(path), domid, devid);
    fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    rc = flock(fd, LOCK_EX | LOCK_NB) < 0 ? (errno == EWOULDBLOCK ? 1 : -errno) : 0;
    close(fd);
    return rc;
}

const struct backend_daemon vbd_daemon = { "blkback", "MICA_BLKBACK", "vbd", take_lock };

int vbd_start(struct mxs_handle *xs, uint32_t domid, const struct disk_spec *d)
{
    char what[64];

    snprintf(what, sizeof(what), "disk %s", d->vdev);
    return backend_start(xs, &vbd_daemon, domid, d->vdev_num, what);
}

int vbd_close_dead(struct mxs_handle *xs, uint32_t domid, unsigned int devid)
{
    char path[128];
    int s;

    if (vbd_backend_alive(domid, devid) != 0)
        return 0;
    snprintf(path, sizeof(path), VBD_BACKEND_ROOT "/%u/%u", domid, devid);
    s = backend_state(xs, path);
    if (s < 0)
        return 0;
    fprintf(stderr, "mica: disk %u of domain %u: its back end (mica-blkback) is not running;"
            " the disk is closed\n", devid, domid);
    strcat(path, "/state");
    if (s != XB_STATE_CLOSED)
        mxs_write(xs, 0, path, "6", 1);
    return 1;
}

/*
 * The directory a killed back end left: removed, with one line, after
 * the domain is gone.  Live back ends remove their own (a dying domain
 * is their cue), and the lock files of both kinds go.
 */
void vbd_destroy_cleanup(struct mxs_handle *xs, uint32_t domid)
{
    char prefix[32], path[128], **names = NULL;
    unsigned int devid, n = 0, left = 0;
    struct dirent *e;
    bool live = false;
    DIR *d = opendir(LOCK_DIR);

    if (!d)
        return;
    snprintf(prefix, sizeof(prefix), "blkback.%u.", domid);
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) ||
            sscanf(e->d_name + strlen(prefix), "%u.lock", &devid) != 1)
            continue;
        if (vbd_backend_alive(domid, devid) != 0) {
            live = true;
            continue;
        }
        snprintf(path, sizeof(path), VBD_BACKEND_ROOT "/%u/%u", domid, devid);
        if (backend_state(xs, path) >= 0) {
            fprintf(stderr, "mica: disk %u of domain %u: its back end (mica-blkback) was not"
                    " running; removed %s\n", devid, domid, path);
            mxs_rm(xs, 0, path);
        }
        lock_path(path, sizeof(path), domid, devid);
        unlink(path);
        n++;
    }
    closedir(d);
    snprintf(path, sizeof(path), VBD_BACKEND_ROOT "/%u", domid);
    if (n && !live)
        mxs_rm(xs, 0, path);
    else if (n && !mxs_directory(xs, 0, path, &names, &left) && !left)
        mxs_rm(xs, 0, path);        /* the live ones finished before we did */
    free(names);
}
