/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/common/ring.h - the back end's half of a Xen shared ring
 * (io/ring.h): sizing, the free-running u32 index arithmetic, the
 * overflow check a back end owes itself against a hostile front end, and
 * the notify / final-check decisions.  Pure: works on any memory shaped
 * like a shared ring, so host tests drive it with malloc'd pages.
 */
#ifndef PV_RING_H
#define PV_RING_H

#include <stddef.h>
#include <stdint.h>

#define RING_HDR_BYTES  64          /* the four indices and their padding */

/* The shared page's header, as the front end initialises it. */
struct ring_shared {
    uint32_t req_prod, req_event;
    uint32_t rsp_prod, rsp_event;
    uint8_t pad[48];
};
_Static_assert(sizeof(struct ring_shared) == RING_HDR_BYTES, "ring header");

/* The back end's private state of one ring. */
struct ring_back {
    struct ring_shared *sh;
    uint32_t size;                  /* entries, a power of two */
    uint32_t entry_bytes;
    uint32_t req_cons, rsp_prod_pvt;
};

/*
 * Entries in a ring of 'bytes' (pages * 4096) with 'entry_bytes' slots:
 * the power of two at or below what fits after the header; 0 if none.
 */
uint32_t ring_entries(size_t bytes, size_t entry_bytes);

/* Attach to a front end's initialised ring; -EINVAL when nothing fits. */
int ring_back_init(struct ring_back *r, void *shared, size_t bytes,
                   size_t entry_bytes);

/*
 * Requests ready to consume now (after a read barrier), or -EIO when the
 * front end claims more than the ring can hold: its req_prod is then not
 * to be trusted and the ring is dead.
 */
int ring_requests_ready(const struct ring_back *r);

/* Slot i (taken mod size) of the ring. */
void *ring_slot(const struct ring_back *r, uint32_t idx);

/*
 * Publish the responses written so far; nonzero when the front end asked
 * to be told (its rsp_event lies within what was just published).
 */
int ring_push_responses(struct ring_back *r);

/*
 * With nothing left to consume, arm req_event and look once more: nonzero
 * when a request slipped in (consume it, or the front end may wait for a
 * notification it will never send).
 */
int ring_final_check(struct ring_back *r);

/* (new - event) < (new - old) in u32: did [old, new) pass 'event'? */
static inline int ring_crossed(uint32_t old, uint32_t new_, uint32_t event)
{
    return (uint32_t)(new_ - event) < (uint32_t)(new_ - old);
}

#endif
