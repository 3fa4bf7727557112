/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/common/ring.c - see ring.h.  The barriers are the ones Xen's
 * ring macros use: the indices are read before the entries they cover,
 * and entries are written before the index that publishes them.
 */
#include <errno.h>
#include "ring.h"

uint32_t ring_entries(size_t bytes, size_t entry_bytes)
{
    size_t n;
    uint32_t p = 1;

    if (!entry_bytes || bytes <= RING_HDR_BYTES)
        return 0;
    n = (bytes - RING_HDR_BYTES) / entry_bytes;
    if (!n)
        return 0;
    while ((size_t)p * 2 <= n && p < (1u << 30))
        p *= 2;
    return p;
}

int ring_back_init(struct ring_back *r, void *shared, size_t bytes,
                   size_t entry_bytes)
{
    r->sh = shared;
    r->entry_bytes = (uint32_t)entry_bytes;
    r->size = ring_entries(bytes, entry_bytes);
    r->req_cons = r->rsp_prod_pvt = 0;
    return r->size ? 0 : -EINVAL;
}

int ring_requests_ready(const struct ring_back *r)
{
    uint32_t prod = __atomic_load_n(&r->sh->req_prod, __ATOMIC_ACQUIRE);

    /*
     * Outstanding = produced but not yet answered; more than the ring
     * holds means the front end lies, and trusting it would make us read
     * slots it is rewriting and answer ids twice.
     */
    if ((uint32_t)(prod - r->rsp_prod_pvt) > r->size ||
        (uint32_t)(prod - r->req_cons) > r->size)
        return -EIO;
    return (int)(uint32_t)(prod - r->req_cons);
}

void *ring_slot(const struct ring_back *r, uint32_t idx)
{
    return (uint8_t *)r->sh + RING_HDR_BYTES +
           (size_t)(idx & (r->size - 1)) * r->entry_bytes;
}

int ring_push_responses(struct ring_back *r)
{
    uint32_t old = r->sh->rsp_prod, new_ = r->rsp_prod_pvt;

    __atomic_store_n(&r->sh->rsp_prod, new_, __ATOMIC_RELEASE);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return ring_crossed(old, new_, __atomic_load_n(&r->sh->rsp_event, __ATOMIC_RELAXED));
}

int ring_final_check(struct ring_back *r)
{
    int ready = ring_requests_ready(r);

    if (ready)
        return ready;
    __atomic_store_n(&r->sh->req_event, r->req_cons + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return ring_requests_ready(r);
}
