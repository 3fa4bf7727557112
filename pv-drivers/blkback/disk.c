/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/blkback/disk.c - the backing file or block device: opened
 * with O_DIRECT so the guest's flushes mean what they say and dom0's page
 * cache does not hold a second copy; file systems without O_DIRECT
 * (dom0's tmpfs root before Linux 6.6) get buffered I/O, said in the log.
 * An advisory lock keeps a disk open for writing out of every other back
 * end, and lets read-only users share it, as xl's rules ask.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blkback.h"

static int disk_size(int fd, uint64_t *bytes)
{
    struct stat st;

    if (fstat(fd, &st) < 0)
        return -errno;
    if (S_ISBLK(st.st_mode))
        return ioctl(fd, BLKGETSIZE64, bytes) < 0 ? -errno : 0;
    if (!S_ISREG(st.st_mode))
        return -EINVAL;
    *bytes = (uint64_t)st.st_size;
    return 0;
}

int bb_disk_open(struct blkback *bb, bool readonly)
{
    int flags = (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC;
    uint64_t bytes = 0;
    int rc;

    bb->direct = true;
    bb->fd = open(bb->target, flags | O_DIRECT);
    if (bb->fd < 0 && errno == EINVAL) {
        bb->direct = false;
        bb->fd = open(bb->target, flags);
    }
    if (bb->fd < 0) {
        rc = -errno;
        bb_log(bb, "%s: %s", bb->target, strerror(-rc));
        return rc;
    }
    if (flock(bb->fd, (readonly ? LOCK_SH : LOCK_EX) | LOCK_NB) < 0) {
        rc = -errno;
        bb_log(bb, "%s: in use by another domain%s", bb->target,
               readonly ? " for writing" : "");
        goto fail;
    }
    rc = disk_size(bb->fd, &bytes);
    if (rc) {
        bb_log(bb, "%s: not a file or block device", bb->target);
        goto fail;
    }
    bb->disk.sectors = bytes / BLK_SECTOR;
    bb->disk.readonly = readonly;
    bb->disk.discard = !readonly;
    bb->disk.max_indirect = BLK_MAX_INDIRECT_SEGS;
    if (!bb->direct)
        bb_log(bb, "%s: no O_DIRECT on this file system, buffered I/O", bb->target);
    return 0;
fail:
    close(bb->fd);
    bb->fd = -1;
    return rc;
}
