/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/lib/xenstore.c - the minimal xenstore client (xenstore.h):
 * a request is copied into the "req" ring, the store's event channel is
 * notified, and the reply is awaited by polling rsp_prod, yielding between
 * looks.  Indices are read from the shared page every time, never cached,
 * so the client is right after a save and restore whatever the daemon did
 * with the ring meanwhile.  No watches: a caller polls the node it cares
 * about, which is all the suspend contract needs (the toolstack only
 * looks for the value to change).
 */
#include <lib.h>
#include <arch.h>
#include <clock.h>
#include <hypercall.h>
#include <xenstore.h>
#include <public/errno.h>           /* before xs_wire.h: its error table */
#include <public/io/xs_wire.h>
#include <public/sched.h>

#define M2P         ((const volatile uint64_t *)MACH2PHYS_VIRT_START)
#define XS_WAIT_NS  (5 * NSEC_PER_SEC)

static uint32_t req_id;

static struct xenstore_domain_interface *ring(void)
{
    return (struct xenstore_domain_interface *)(VIRT_BASE +
                                                (M2P[start_info->store_mfn] << 12));
}

/* Copy n bytes into the request ring, waiting for room; 0 or -errno. */
static long put(struct xenstore_domain_interface *r, const void *p, size_t n,
                uint64_t limit)
{
    const char *s = p;

    while (n) {
        XENSTORE_RING_IDX cons = __atomic_load_n(&r->req_cons, __ATOMIC_ACQUIRE);
        XENSTORE_RING_IDX prod = r->req_prod;

        if (prod - cons >= XENSTORE_RING_SIZE) {
            if (clock_ns() > limit)
                return -ETIMEDOUT;
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
            continue;
        }
        while (n && prod - cons < XENSTORE_RING_SIZE) {
            r->req[MASK_XENSTORE_IDX(prod)] = *s++;
            prod++;
            n--;
        }
        __atomic_store_n(&r->req_prod, prod, __ATOMIC_RELEASE);
        evt_send(start_info->store_evtchn);
    }
    return 0;
}

/* Take n bytes from the reply ring (dst NULL: drop them); 0 or -errno. */
static long get(struct xenstore_domain_interface *r, void *dst, size_t n, uint64_t limit)
{
    char *d = dst;

    while (n) {
        XENSTORE_RING_IDX prod = __atomic_load_n(&r->rsp_prod, __ATOMIC_ACQUIRE);
        XENSTORE_RING_IDX cons = r->rsp_cons;

        if (prod == cons) {
            if (clock_ns() > limit)
                return -ETIMEDOUT;
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
            continue;
        }
        if (prod - cons > XENSTORE_RING_SIZE)
            return -EIO;
        while (n && cons != prod) {
            char c = r->rsp[MASK_XENSTORE_IDX(cons)];

            if (d)
                *d++ = c;
            cons++;
            n--;
        }
        __atomic_store_n(&r->rsp_cons, cons, __ATOMIC_RELEASE);
        evt_send(start_info->store_evtchn);
    }
    return 0;
}

/* An XS_ERROR payload ("ENOENT") as -errno, from the wire's own table. */
static long error_of(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(xsd_errors); i++)
        if (!strcmp(xsd_errors[i].errstring, name))
            return -xsd_errors[i].errnum;
    return -EIO;
}

/*
 * One request: payload parts a (with its NUL) and b (without), the reply
 * into out (NUL-terminated).  The reply's length, or -errno.
 */
static long request(uint32_t type, const char *a, const char *b, char *out, size_t cap)
{
    struct xenstore_domain_interface *r = ring();
    size_t la = strlen(a) + 1, lb = b ? strlen(b) : 0;
    struct xsd_sockmsg m = { .type = type, .req_id = ++req_id, .len = (uint32_t)(la + lb) };
    uint64_t limit = clock_ns() + XS_WAIT_NS;
    char err[32];
    long rc;

    if (m.len > XENSTORE_PAYLOAD_MAX)
        return -E2BIG;
    if ((rc = put(r, &m, sizeof(m), limit)) || (rc = put(r, a, la, limit)) ||
        (b && (rc = put(r, b, lb, limit))) || (rc = get(r, &m, sizeof(m), limit)))
        return rc;
    if (m.len > XENSTORE_PAYLOAD_MAX)
        return -EIO;
    if (m.type == XS_ERROR) {
        size_t n = m.len < sizeof(err) ? m.len : sizeof(err) - 1;

        if ((rc = get(r, err, n, limit)) || (rc = get(r, NULL, m.len - n, limit)))
            return rc;
        err[n] = '\0';
        return error_of(err);
    }
    if (m.len >= cap) {
        get(r, NULL, m.len, limit);
        return -E2BIG;
    }
    if ((rc = get(r, out, m.len, limit)))
        return rc;
    out[m.len] = '\0';
    return m.type == type ? (long)m.len : -EIO;
}

long xs_read(const char *path, char *buf, size_t cap)
{
    return request(XS_READ, path, NULL, buf, cap);
}

long xs_write(const char *path, const char *value)
{
    char ok[4];
    long rc = request(XS_WRITE, path, value, ok, sizeof(ok));

    return rc < 0 ? rc : 0;
}

void xs_resume(void)
{
    struct xenstore_domain_interface *r = ring();

    if (r->rsp_prod != r->rsp_cons)
        __atomic_store_n(&r->rsp_cons, r->rsp_prod, __ATOMIC_RELEASE);
}
