/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/blkback/blkback.h - mica-blkback, the user-space block back
 * end: one process per virtual disk of one domain, started by `mica
 * create` or `mica block-attach`.  The disk is a raw file or block device
 * opened with O_DIRECT (when its file system allows it), I/O goes through
 * one io_uring with batched submission, data moves through persistent
 * grants (mapped once, memcpy) or by grant copy (pgrant.c says which).
 */
#ifndef BLKBACK_H
#define BLKBACK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <liburing.h>

#include <libmica.h>
#include <micaxs.h>

#include "be-xs.h"
#include "blkif-parse.h"
#include "pgrant-table.h"
#include "ring.h"
#include "xenbus-be.h"

#define BB_MAX_QUEUES       4
#define BB_MAX_RING_ORDER   2       /* up to 4 pages, 128 requests a queue */
#define BB_URING_DEPTH      256

struct blkback;

/* One request between its parse and its response. */
struct bb_slot {
    struct bb_queue *q;
    struct blk_req req;
    uint8_t *buf;                   /* nr_sectors * 512 bytes, page aligned */
    unsigned int pending;           /* io_uring operations still out */
    int16_t status;
    bool busy;
};

/* One ring with its event channel (blkfront's "queue"). */
struct bb_queue {
    struct blkback *bb;
    unsigned int idx;
    void *map;                      /* the ring pages, gntdev-mapped */
    unsigned int npages;
    struct ring_back ring;
    int port;                       /* ours, -1 when unbound */
    struct bb_slot *slots;          /* ring.size of them */
    uint8_t *pool;                  /* their buffers */
    size_t pool_bytes;
    unsigned int inflight;
    struct pgrant_table pg;         /* its persistent grants, when 'persistent' */
    bool persistent;
    bool dead;                      /* the front end broke the ring protocol */
    bool notify;                    /* responses published, peer wants an event */
};

struct bb_stats {
    uint64_t rd_req, wr_req, oo_req, rd_sect, wr_sect, fl_req, ds_req;
    /* where the time goes: grant maps, memcpys, grant-copy ioctls and their
     * pieces, events in and notifications out */
    uint64_t pg_maps, memcpy_segs, gcopy_calls, gcopy_segs, events, notifies;
};

struct blkback {
    struct be_xs x;                 /* ids, directories, xenstore, state */
    char *target;
    int fd;
    bool direct;                    /* O_DIRECT took */
    bool want_persistent;           /* offer feature-persistent (pgrant.c) */
    struct blk_disk disk;
    struct mica_evtchn *ev;
    struct mica_gnttab *gt;
    struct io_uring uring;
    int efd;                        /* io_uring's completion eventfd */
    unsigned int nqueues;
    struct bb_queue q[BB_MAX_QUEUES];
    struct bb_stats st;
};

/* One line to the log (stderr, which the toolstack points at a file). */
#define bb_log(bb, ...) bex_log(&(bb)->x, __VA_ARGS__)

/* disk.c: open 'target' as the disk ('readonly' from the mode key). */
int bb_disk_open(struct blkback *bb, bool readonly);

/* bb-xs.c: blkback's own keys (the rest: common/be-xs.h). */
int bb_publish(struct blkback *bb);
void bb_publish_stats(struct blkback *bb);

/* queue.c: connect the rings the front end offers, serve, disconnect. */
int bb_connect(struct blkback *bb);
void bb_disconnect(struct blkback *bb);
void bb_kick(struct bb_queue *q);
void bb_port_fired(struct blkback *bb, int port);
/* One event to each front end whose responses it asked to hear about. */
void bb_notify(struct blkback *bb);

/* pgrant.c: persistent grants or grant copy, and the bytes moved either way. */
bool bb_want_persistent(void);
int bb_pgrant_init(struct bb_queue *q);
void bb_pgrant_exit(struct bb_queue *q);
/* 0, -EIO (the copy was refused) or -EFAULT (a piece was: a bad ref). */
int bb_grant_io(struct bb_queue *q, struct mica_grant_copy *c, unsigned int n);

/* io.c: the io_uring side of a request; completions back into queue.c. */
int bb_io_init(struct blkback *bb);
void bb_io_exit(struct blkback *bb);
int bb_io_submit(struct bb_slot *s);
void bb_io_flush(struct blkback *bb);
void bb_io_reap(struct blkback *bb, bool wait);
void bb_slot_done(struct bb_slot *s);

#endif
