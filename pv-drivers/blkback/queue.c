/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/blkback/queue.c - the rings: what the front end offered
 * (one or several queues, one or 2^order pages each), mapped through
 * gntdev and bound through /dev/xen/evtchn; requests copied out of the
 * ring, parsed, handed to io.c; exactly one response each, published in
 * batches with one notification when the front end asked for it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "blkback.h"

/* The ring refs of one queue, under 'dir' (the front end's or queue-N). */
static int map_ring(struct bb_queue *q, const char *dir, unsigned long order)
{
    struct blkback *bb = q->bb;
    uint32_t refs[1u << BB_MAX_RING_ORDER];
    unsigned long v;
    char key[24];

    q->npages = 1u << order;
    for (unsigned int i = 0; i < q->npages; i++) {
        if (order)
            snprintf(key, sizeof(key), "ring-ref%u", i);
        else
            snprintf(key, sizeof(key), "ring-ref");
        if (bex_read_uint(&bb->x, dir, key, &v) || v > UINT32_MAX) {
            bb_log(bb, "%s/%s: missing or not a grant ref", dir, key);
            return -EINVAL;
        }
        refs[i] = (uint32_t)v;
    }
    q->map = mica_gnttab_map(bb->gt, bb->x.domid, refs, q->npages, PROT_READ | PROT_WRITE);
    if (!q->map) {
        int rc = -errno;

        bb_log(bb, "queue %u: mapping ring ref %u (%u pages): %s", q->idx, refs[0],
               q->npages, strerror(-rc));
        return rc;
    }
    return ring_back_init(&q->ring, q->map, (size_t)q->npages * BLK_PAGE,
                          sizeof(struct blkif_request));
}

static int alloc_slots(struct bb_queue *q)
{
    size_t per = (size_t)q->bb->disk.max_indirect * BLK_PAGE;

    if (per < BLKIF_MAX_SEGMENTS_PER_REQUEST * BLK_PAGE)
        per = BLKIF_MAX_SEGMENTS_PER_REQUEST * BLK_PAGE;
    q->slots = calloc(q->ring.size, sizeof(*q->slots));
    /* untouched pages of the pool cost nothing: most requests are small */
    q->pool_bytes = per * q->ring.size;
    q->pool = mmap(NULL, q->pool_bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (!q->slots || q->pool == MAP_FAILED) {
        q->pool = NULL;
        return -ENOMEM;
    }
    for (unsigned int i = 0; i < q->ring.size; i++) {
        q->slots[i].q = q;
        q->slots[i].buf = q->pool + per * i;
    }
    return 0;
}

static int connect_queue(struct bb_queue *q, const char *dir, unsigned long order)
{
    struct blkback *bb = q->bb;
    unsigned long port;
    int rc = map_ring(q, dir, order);

    if (!rc && (rc = bex_read_uint(&bb->x, dir, "event-channel", &port)))
        bb_log(bb, "%s/event-channel: missing", dir);
    if (!rc && (q->port = mica_evtchn_bind_interdomain(bb->ev, bb->x.domid,
                                                       (uint32_t)port)) < 0) {
        rc = q->port;
        bb_log(bb, "queue %u: binding port %lu: %s", q->idx, port, strerror(-rc));
    }
    if (!rc)
        rc = alloc_slots(q);
    if (!rc)
        rc = bb_pgrant_init(q);
    return rc;
}

static int check_protocol(struct blkback *bb)
{
    char *p;
    int rc = 0;

    if (bex_read(&bb->x, bb->x.fe, "protocol", &p))
        return 0;                   /* absent: native */
    if (strcmp(p, "x86_64-abi")) {
        bb_log(bb, "protocol %s: only x86_64-abi", p);
        rc = -EPROTO;
    }
    free(p);
    return rc;
}

int bb_connect(struct blkback *bb)
{
    unsigned long nq = 1, order = 0;
    char dir[128];
    int rc = check_protocol(bb);

    if (!rc && !bex_read_uint(&bb->x, bb->x.fe, "multi-queue-num-queues", &nq) &&
        (nq < 1 || nq > BB_MAX_QUEUES)) {
        bb_log(bb, "multi-queue-num-queues %lu: at most %u", nq, BB_MAX_QUEUES);
        rc = -EINVAL;
    }
    if (!rc && !bex_read_uint(&bb->x, bb->x.fe, "ring-page-order", &order) &&
        order > BB_MAX_RING_ORDER) {
        bb_log(bb, "ring-page-order %lu: at most %u", order, BB_MAX_RING_ORDER);
        rc = -EINVAL;
    }
    bb->nqueues = (unsigned int)nq;
    for (unsigned int i = 0; i < bb->nqueues && !rc; i++) {
        struct bb_queue *q = &bb->q[i];

        memset(q, 0, sizeof(*q));
        q->bb = bb;
        q->idx = i;
        q->port = -1;
        if (nq > 1)
            snprintf(dir, sizeof(dir), "%s/queue-%u", bb->x.fe, i);
        else
            snprintf(dir, sizeof(dir), "%s", bb->x.fe);
        rc = connect_queue(q, dir, order);
    }
    if (rc) {
        bb_disconnect(bb);
        return rc;
    }
    bb_log(bb, "connected: %u queue(s) of %u pages, %u requests each, %s I/O, %s",
           bb->nqueues, bb->q[0].npages, bb->q[0].ring.size,
           bb->direct ? "O_DIRECT" : "buffered",
           bb->q[0].persistent ? "persistent grants" : "grant copy");
    return 0;
}

/* Waits for every request still at the disk: their answers go out first. */
void bb_disconnect(struct blkback *bb)
{
    unsigned int busy;

    do {
        busy = 0;
        for (unsigned int i = 0; i < bb->nqueues; i++)
            busy += bb->q[i].inflight;
        if (busy)
            bb_io_reap(bb, true);
    } while (busy);
    for (unsigned int i = 0; i < bb->nqueues; i++) {
        struct bb_queue *q = &bb->q[i];

        bb_pgrant_exit(q);
        if (q->port >= 0)
            mica_evtchn_unbind(bb->ev, (uint32_t)q->port);
        if (q->map)
            mica_gnttab_unmap(bb->gt, q->map, q->npages);
        if (q->pool)
            munmap(q->pool, q->pool_bytes);
        free(q->slots);
        memset(q, 0, sizeof(*q));
        q->port = -1;
    }
    bb->nqueues = 0;
}

static void respond(struct bb_queue *q, uint64_t id, uint8_t op, int16_t status)
{
    struct blkif_response rsp = { .id = id, .operation = op, .status = status };

    if (!q->map)
        return;
    memcpy(ring_slot(&q->ring, q->ring.rsp_prod_pvt), &rsp, sizeof(rsp));
    q->ring.rsp_prod_pvt++;
    if (ring_push_responses(&q->ring))
        q->notify = true;
}

void bb_slot_done(struct bb_slot *s)
{
    struct bb_queue *q = s->q;

    respond(q, s->req.id, s->req.rsp_op, s->status);
    s->busy = false;
    q->inflight--;
}

static struct bb_slot *free_slot(struct bb_queue *q)
{
    for (unsigned int i = 0; i < q->ring.size; i++)
        if (!q->slots[i].busy)
            return &q->slots[i];
    return NULL;
}

/* The segment list of an INDIRECT request, copied out of its pages. */
static int fetch_indirect(struct bb_queue *q, struct bb_slot *s)
{
    static struct blkif_request_segment segs[BLK_MAX_SEGS];
    struct mica_grant_copy c[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
    unsigned int left = s->req.nr_segs, n = s->req.nr_indirect;

    for (unsigned int i = 0; i < n; i++) {
        unsigned int k = left < BLK_SEGS_PER_INDIRECT_PAGE ? left : BLK_SEGS_PER_INDIRECT_PAGE;

        c[i] = (struct mica_grant_copy){
            .local = segs + i * BLK_SEGS_PER_INDIRECT_PAGE, .ref = s->req.indirect_grefs[i],
            .len = (uint16_t)(k * sizeof(segs[0])),
        };
        left -= k;
    }
    int rc = bb_grant_io(q, c, n);

    if (rc)
        return rc;
    return blkif_parse_indirect(&s->req, segs, &q->bb->disk);
}

static void take_request(struct bb_queue *q, struct bb_slot *s)
{
    uint8_t raw[sizeof(struct blkif_request)];
    int rc;

    /* our copy: the guest may rewrite the slot while we look at it */
    memcpy(raw, ring_slot(&q->ring, q->ring.req_cons), sizeof(raw));
    q->ring.req_cons++;
    s->busy = true;
    s->pending = 0;
    s->status = BLKIF_RSP_OKAY;
    q->inflight++;
    rc = blkif_parse(raw, &q->bb->disk, &s->req);
    if (!rc && s->req.nr_indirect)
        rc = fetch_indirect(q, s);
    if (!rc)
        rc = bb_io_submit(s);
    if (rc) {
        s->status = rc == -EOPNOTSUPP ? BLKIF_RSP_EOPNOTSUPP : BLKIF_RSP_ERROR;
        q->bb->st.oo_req += rc == -EOPNOTSUPP;
        bb_slot_done(s);
    }
}

/* Consume what the ring holds, as far as free slots allow. */
void bb_kick(struct bb_queue *q)
{
    struct bb_slot *s;
    int ready;

    if (!q->map || q->dead)
        return;
    for (;;) {
        ready = ring_requests_ready(&q->ring);
        if (ready < 0) {
            bb_log(q->bb, "queue %u: front end claims more requests than the ring holds;"
                   " ring ignored", q->idx);
            q->dead = true;
            return;
        }
        while (ready-- > 0 && (s = free_slot(q)))
            take_request(q, s);
        if (q->inflight == q->ring.size)
            break;                  /* completions will call us again */
        if (ring_final_check(&q->ring) <= 0)
            break;
    }
    bb_io_flush(q->bb);
}

void bb_port_fired(struct blkback *bb, int port)
{
    bb->st.events++;
    for (unsigned int i = 0; i < bb->nqueues; i++)
        if (bb->q[i].port == port)
            bb_kick(&bb->q[i]);
}

void bb_notify(struct blkback *bb)
{
    for (unsigned int i = 0; i < bb->nqueues; i++) {
        struct bb_queue *q = &bb->q[i];

        if (q->notify && q->port >= 0) {
            mica_evtchn_notify(bb->ev, (uint32_t)q->port);
            bb->st.notifies++;
        }
        q->notify = false;
    }
}
