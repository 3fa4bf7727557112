/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/blkback/io.c - a request's disk work through io_uring: a
 * write's data is brought in first (pgrant.c: memcpy from a persistent
 * grant or grant copy), a read's goes out when the read completes.  Flushes and barriers drain what was
 * submitted before them (IOSQE_IO_DRAIN) and a barrier's data is linked
 * behind its fdatasync; a discard punches a hole.  Submission is batched:
 * one io_uring_submit per pass over the rings.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "blkback.h"

int bb_io_init(struct blkback *bb)
{
    int rc = io_uring_queue_init(BB_URING_DEPTH, &bb->uring, 0);

    if (rc < 0) {
        bb_log(bb, "io_uring: %s", strerror(-rc));
        return rc;
    }
    bb->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (bb->efd < 0 || (rc = io_uring_register_eventfd(&bb->uring, bb->efd)) < 0) {
        rc = bb->efd < 0 ? -errno : rc;
        bb_log(bb, "io_uring eventfd: %s", strerror(-rc));
        io_uring_queue_exit(&bb->uring);
        return rc;
    }
    return 0;
}

void bb_io_exit(struct blkback *bb)
{
    io_uring_queue_exit(&bb->uring);
    close(bb->efd);
}

static struct io_uring_sqe *get_sqe(struct blkback *bb)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&bb->uring);

    if (!sqe) {                     /* the queue is full: send what it holds */
        io_uring_submit(&bb->uring);
        sqe = io_uring_get_sqe(&bb->uring);
    }
    return sqe;
}

/* Between the request's buffer and its granted pages, either way. */
static int copy_data(struct bb_slot *s, bool to_guest)
{
    struct mica_grant_copy c[BLK_MAX_SEGS];
    size_t off = 0;

    for (unsigned int i = 0; i < s->req.nr_segs; i++) {
        c[i] = (struct mica_grant_copy){
            .local = s->buf + off, .ref = s->req.seg[i].gref,
            .offset = s->req.seg[i].offset, .len = s->req.seg[i].len, .to_grant = to_guest,
        };
        off += s->req.seg[i].len;
    }
    return bb_grant_io(s->q, c, s->req.nr_segs);
}

static int prep(struct bb_slot *s, unsigned int flags)
{
    struct blkback *bb = s->q->bb;
    struct io_uring_sqe *sqe = get_sqe(bb);
    off_t at = (off_t)(s->req.sector * BLK_SECTOR);
    unsigned int len = (unsigned int)(s->req.nr_sectors * BLK_SECTOR);

    if (!sqe)
        return -EBUSY;
    switch (s->req.kind) {
    case BLK_READ:
        io_uring_prep_read(sqe, bb->fd, s->buf, len, (uint64_t)at);
        break;
    case BLK_WRITE:
        if (s->req.flush_first && !(flags & IOSQE_IO_LINK)) {
            io_uring_prep_fsync(sqe, bb->fd, IORING_FSYNC_DATASYNC);
            flags |= IOSQE_IO_DRAIN | IOSQE_IO_LINK;
            io_uring_sqe_set_flags(sqe, flags);
            io_uring_sqe_set_data(sqe, s);
            s->pending++;
            return prep(s, IOSQE_IO_LINK);
        }
        io_uring_prep_write(sqe, bb->fd, s->buf, len, (uint64_t)at);
        flags &= ~(unsigned int)IOSQE_IO_LINK;
        break;
    case BLK_FLUSH:
        io_uring_prep_fsync(sqe, bb->fd, IORING_FSYNC_DATASYNC);
        flags |= IOSQE_IO_DRAIN;
        break;
    case BLK_DISCARD:
        io_uring_prep_fallocate(sqe, bb->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                                at, (off_t)(s->req.nr_sectors * BLK_SECTOR));
        break;
    }
    io_uring_sqe_set_flags(sqe, flags);
    io_uring_sqe_set_data(sqe, s);
    s->pending++;
    return 0;
}

int bb_io_submit(struct bb_slot *s)
{
    struct bb_stats *st = &s->q->bb->st;
    int rc;

    if (s->req.kind == BLK_WRITE && (rc = copy_data(s, false)))
        return rc;
    rc = prep(s, 0);
    if (rc)
        return rc;
    switch (s->req.kind) {
    case BLK_READ: st->rd_req++; st->rd_sect += s->req.nr_sectors; break;
    case BLK_WRITE: st->wr_req++; st->wr_sect += s->req.nr_sectors; break;
    case BLK_FLUSH: st->fl_req++; break;
    case BLK_DISCARD: st->ds_req++; break;
    }
    return 0;
}

void bb_io_flush(struct blkback *bb)
{
    io_uring_submit(&bb->uring);
}

static void complete(struct bb_slot *s, int res)
{
    bool data = s->req.kind == BLK_READ || s->req.kind == BLK_WRITE;

    /* a short transfer is an error too: the range was checked to exist */
    if (res < 0 || (data && res && (uint64_t)res != s->req.nr_sectors * BLK_SECTOR))
        s->status = BLKIF_RSP_ERROR;
    if (--s->pending)
        return;
    if (s->status == BLKIF_RSP_OKAY && s->req.kind == BLK_READ && copy_data(s, true))
        s->status = BLKIF_RSP_ERROR;
    bb_slot_done(s);
}

/* Answer every finished request; with 'wait', block for at least one. */
void bb_io_reap(struct blkback *bb, bool wait)
{
    struct io_uring_cqe *cqe;
    uint64_t n;

    if (read(bb->efd, &n, sizeof(n)) < 0 && errno != EAGAIN)
        bb_log(bb, "eventfd: %s", strerror(errno));
    if (wait && !io_uring_wait_cqe(&bb->uring, &cqe)) {
        complete(io_uring_cqe_get_data(cqe), cqe->res);
        io_uring_cqe_seen(&bb->uring, cqe);
    }
    while (!io_uring_peek_cqe(&bb->uring, &cqe)) {
        complete(io_uring_cqe_get_data(cqe), cqe->res);
        io_uring_cqe_seen(&bb->uring, cqe);
    }
    bb_notify(bb);
}
