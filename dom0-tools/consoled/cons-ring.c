/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/consoled/cons-ring.c - the console page's two rings.
 *
 * The guest may rewrite any index at any moment, so each index it owns
 * (out_prod, in_cons) is read exactly once per call, checked against the
 * ring size, and only the local copy is used.  Our own indices (out_cons,
 * in_prod) are read back from the page too: the guest can scribble those
 * as well, and the "prod - cons <= size" check catches it.
 */
#include <errno.h>
#include <string.h>
#include "cons-ring.h"

/* Copy 'n' bytes out of a ring of 'size' (a power of two) from index 'i'. */
static void ring_copy_out(char *dst, const char *ring, size_t size,
                          uint32_t i, size_t n)
{
    size_t at = i & (size - 1), first = size - at;

    if (first > n)
        first = n;
    memcpy(dst, ring + at, first);
    memcpy(dst + first, ring, n - first);
}

static void ring_copy_in(char *ring, size_t size, uint32_t i,
                         const char *src, size_t n)
{
    size_t at = i & (size - 1), first = size - at;

    if (first > n)
        first = n;
    memcpy(ring + at, src, first);
    memcpy(ring, src + first, n - first);
}

int cons_ring_take(struct xencons_interface *intf, void *buf, size_t len)
{
    uint32_t cons = __atomic_load_n(&intf->out_cons, __ATOMIC_RELAXED);
    /* Acquire: the bytes are read only after the index that covers them. */
    uint32_t prod = __atomic_load_n(&intf->out_prod, __ATOMIC_ACQUIRE);
    uint32_t avail = prod - cons;
    size_t n;

    if (avail > CONS_OUT_SIZE)
        return -EIO;
    n = avail < len ? avail : len;
    ring_copy_out(buf, intf->out, CONS_OUT_SIZE, cons, n);
    /* Release: the guest may reuse the space only after our copy. */
    __atomic_store_n(&intf->out_cons, cons + (uint32_t)n, __ATOMIC_RELEASE);
    return (int)n;
}

int cons_ring_in_space(const struct xencons_interface *intf)
{
    uint32_t cons = __atomic_load_n(&intf->in_cons, __ATOMIC_ACQUIRE);
    uint32_t prod = __atomic_load_n(&intf->in_prod, __ATOMIC_RELAXED);
    uint32_t used = prod - cons;

    if (used > CONS_IN_SIZE)
        return -EIO;
    return (int)(CONS_IN_SIZE - used);
}

int cons_ring_give(struct xencons_interface *intf, const void *buf,
                   size_t len)
{
    uint32_t cons = __atomic_load_n(&intf->in_cons, __ATOMIC_ACQUIRE);
    uint32_t prod = __atomic_load_n(&intf->in_prod, __ATOMIC_RELAXED);
    uint32_t used = prod - cons;
    size_t n;

    if (used > CONS_IN_SIZE)
        return -EIO;
    n = CONS_IN_SIZE - used;
    if (n > len)
        n = len;
    ring_copy_in(intf->in, CONS_IN_SIZE, prod, buf, n);
    /* Release: the guest sees the bytes before the index that covers them. */
    __atomic_store_n(&intf->in_prod, prod + (uint32_t)n, __ATOMIC_RELEASE);
    return (int)n;
}
