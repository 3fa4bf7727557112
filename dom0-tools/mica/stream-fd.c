/* SPDX-License-Identifier: MIT */
/*
 * stream-fd.c - the save stream's byte source and sink (sr_in, sr_out in
 * libmica's sr-stream.h) over a file descriptor: a save file, or the
 * socket or ssh pipe of a migration.  Short reads and writes are carried
 * on; EINTR is retried.
 */
#include <errno.h>
#include <unistd.h>

#include "save-file.h"

int stream_fd_write(void *ctx, const void *buf, size_t n)
{
    int fd = *(int *)ctx;

    while (n) {
        ssize_t k = write(fd, buf, n);

        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return k < 0 ? -errno : -EIO;
        buf = (const char *)buf + k;
        n -= (size_t)k;
    }
    return 0;
}

int stream_fd_read(void *ctx, void *buf, size_t n)
{
    int fd = *(int *)ctx;

    while (n) {
        ssize_t k = read(fd, buf, n);

        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return k < 0 ? -errno : -ENODATA;
        buf = (char *)buf + k;
        n -= (size_t)k;
    }
    return 0;
}
