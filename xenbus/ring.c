/* SPDX-License-Identifier: MIT */
/*
 * xenbus/ring.c - moving bytes through the shared page, for the daemon and
 * the client library alike.
 *
 * The peer can rewrite any field of the page at any time, so each index is
 * read once, checked (prod - cons <= ring size) and only the local copy is
 * used.
 */
#include <errno.h>
#include <string.h>
#include "ring.h"

int xs_ring_get(const char *ring, uint32_t *cons, const uint32_t *prod,
                void *buf, size_t len)
{
    uint32_t c = __atomic_load_n(cons, __ATOMIC_RELAXED);
    uint32_t p = __atomic_load_n(prod, __ATOMIC_ACQUIRE);
    uint32_t avail = p - c, n, first;

    if (avail > XENSTORE_RING_SIZE)
        return -EIO;
    n = avail < len ? avail : len;
    first = XENSTORE_RING_SIZE - XS_RING_IDX(c);
    if (first > n)
        first = n;
    memcpy(buf, ring + XS_RING_IDX(c), first);
    memcpy((char *)buf + first, ring, n - first);
    __atomic_store_n(cons, c + n, __ATOMIC_RELEASE);
    return n;
}

int xs_ring_put(char *ring, const uint32_t *cons, uint32_t *prod,
                const void *buf, size_t len)
{
    uint32_t c = __atomic_load_n(cons, __ATOMIC_ACQUIRE);
    uint32_t p = __atomic_load_n(prod, __ATOMIC_RELAXED);
    uint32_t used = p - c, n, first;

    if (used > XENSTORE_RING_SIZE)
        return -EIO;
    n = XENSTORE_RING_SIZE - used;
    if (n > len)
        n = len;
    first = XENSTORE_RING_SIZE - XS_RING_IDX(p);
    if (first > n)
        first = n;
    memcpy(ring + XS_RING_IDX(p), buf, first);
    memcpy(ring, (const char *)buf + first, n - first);
    __atomic_store_n(prod, p + n, __ATOMIC_RELEASE);
    return n;
}
