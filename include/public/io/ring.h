/* SPDX-License-Identifier: MIT */
/*
 * include/public/io/ring.h - the shared request/response ring used by the
 * split drivers (blkif, netif).
 *
 * One page holds a header (producer indices and event thresholds) and an
 * array of slots, each a union of one request and one response.  The front
 * end produces requests and consumes responses; the back end the reverse.
 * Indices are free-running; a slot is index & (size - 1).  The *_event
 * fields say at which producer index the other side wants a notification,
 * which lets both sides batch.
 *
 * DEFINE_RING_TYPES(name, req_t, rsp_t) declares name_sring (shared),
 * name_front_ring and name_back_ring (private to each end).
 */
#ifndef MICA_PUBLIC_IO_RING_H
#define MICA_PUBLIC_IO_RING_H

#include <stdint.h>
#include <stddef.h>

typedef unsigned int RING_IDX;

/*
 * Barriers.  x86 keeps stores in order and loads in order, so the write and
 * read barriers only stop the compiler; the full barrier is needed to
 * order a store before a later load.  Includers may supply their own.
 */
#ifndef xen_mb
#define xen_mb()    __sync_synchronize()
#endif
#ifndef xen_rmb
#define xen_rmb()   __asm__ __volatile__ ("" ::: "memory")
#endif
#ifndef xen_wmb
#define xen_wmb()   __asm__ __volatile__ ("" ::: "memory")
#endif

/* Largest power of two <= x (x < 2^32), as a constant expression. */
#define MICA_RD2(x)  (((x) & 0x00000002) ? 0x2 : ((x) & 0x1))
#define MICA_RD4(x)  (((x) & 0x0000000c) ? MICA_RD2((x) >> 2) << 2 : MICA_RD2(x))
#define MICA_RD8(x)  (((x) & 0x000000f0) ? MICA_RD4((x) >> 4) << 4 : MICA_RD4(x))
#define MICA_RD16(x) (((x) & 0x0000ff00) ? MICA_RD8((x) >> 8) << 8 : MICA_RD8(x))
#define MICA_RD32(x) (((x) & 0xffff0000) ? MICA_RD16((x) >> 16) << 16 : MICA_RD16(x))

/* Slots that fit in a shared area of sz bytes. */
#define __CONST_RING_SIZE(name, sz)                                         \
    (MICA_RD32(((sz) - offsetof(struct name##_sring, ring)) /               \
               sizeof(((struct name##_sring *)0)->ring[0])))
#define __RING_SIZE(s, sz)                                                  \
    (MICA_RD32(((sz) - (long)(s)->ring + (long)(s)) / sizeof((s)->ring[0])))

#define DEFINE_RING_TYPES(name, req_t, rsp_t)                               \
union name##_sring_entry {                                                  \
    req_t req;                                                              \
    rsp_t rsp;                                                              \
};                                                                          \
struct name##_sring {                                                       \
    RING_IDX req_prod, req_event;                                           \
    RING_IDX rsp_prod, rsp_event;                                           \
    union {                                                                 \
        struct { uint8_t smartpoll_active; } netif;                         \
        struct { uint8_t msg; } tapif_user;                                 \
        uint8_t pvt_pad[4];                                                 \
    } pvt;                                                                  \
    uint8_t __pad[44];                                                      \
    union name##_sring_entry ring[1];   /* really as many as fit */         \
};                                                                          \
struct name##_front_ring {                                                  \
    RING_IDX req_prod_pvt;      /* requests made, not yet pushed */         \
    RING_IDX rsp_cons;          /* responses consumed */                    \
    unsigned int nr_ents;                                                   \
    struct name##_sring *sring;                                             \
};                                                                          \
struct name##_back_ring {                                                   \
    RING_IDX rsp_prod_pvt;      /* responses made, not yet pushed */        \
    RING_IDX req_cons;          /* requests consumed */                     \
    unsigned int nr_ents;                                                   \
    struct name##_sring *sring;                                             \
};                                                                          \
typedef struct name##_sring name##_sring_t;                                 \
typedef struct name##_front_ring name##_front_ring_t;                       \
typedef struct name##_back_ring name##_back_ring_t

/* Called by the front end on a fresh shared page. */
#define SHARED_RING_INIT(s)                                                 \
    do {                                                                    \
        (s)->req_prod = (s)->rsp_prod = 0;                                  \
        (s)->req_event = (s)->rsp_event = 1;                                \
        __builtin_memset((s)->pvt.pvt_pad, 0, sizeof((s)->pvt.pvt_pad));   \
        __builtin_memset((s)->__pad, 0, sizeof((s)->__pad));                \
    } while (0)

#define FRONT_RING_ATTACH(r, s, i, sz)                                      \
    do {                                                                    \
        (r)->req_prod_pvt = (i);                                            \
        (r)->rsp_cons = (i);                                                \
        (r)->nr_ents = __RING_SIZE(s, sz);                                  \
        (r)->sring = (s);                                                   \
    } while (0)
#define FRONT_RING_INIT(r, s, sz)   FRONT_RING_ATTACH(r, s, 0, sz)
#define XEN_FRONT_RING_INIT(r, s, sz)                                       \
    do { SHARED_RING_INIT(s); FRONT_RING_INIT(r, s, sz); } while (0)

#define BACK_RING_ATTACH(r, s, i, sz)                                       \
    do {                                                                    \
        (r)->rsp_prod_pvt = (i);                                            \
        (r)->req_cons = (i);                                                \
        (r)->nr_ents = __RING_SIZE(s, sz);                                  \
        (r)->sring = (s);                                                   \
    } while (0)
#define BACK_RING_INIT(r, s, sz)    BACK_RING_ATTACH(r, s, 0, sz)

#define RING_SIZE(r)                ((r)->nr_ents)
#define RING_FREE_REQUESTS(r)                                               \
    (RING_SIZE(r) - ((r)->req_prod_pvt - (r)->rsp_cons))
#define RING_FULL(r)                (RING_FREE_REQUESTS(r) == 0)

#define RING_HAS_UNCONSUMED_RESPONSES(r)                                    \
    ((r)->sring->rsp_prod - (r)->rsp_cons)

/* Requests the back end may take: never more than the free slots, so a
 * front end that overruns cannot make the back end loop. */
#define RING_HAS_UNCONSUMED_REQUESTS(r)                                     \
    ({                                                                      \
        unsigned int req_ = (r)->sring->req_prod - (r)->req_cons;           \
        unsigned int rsp_ = RING_SIZE(r) -                                  \
                            ((r)->req_cons - (r)->rsp_prod_pvt);            \
        req_ < rsp_ ? req_ : rsp_;                                          \
    })

#define RING_GET_REQUEST(r, idx)                                            \
    (&((r)->sring->ring[(idx) & (RING_SIZE(r) - 1)].req))
#define RING_GET_RESPONSE(r, idx)                                           \
    (&((r)->sring->ring[(idx) & (RING_SIZE(r) - 1)].rsp))
/* Copy a request out before checking it: the front end may change it. */
#define RING_COPY_REQUEST(r, idx, req)                                      \
    (*(req) = *(volatile __typeof__(req))RING_GET_REQUEST(r, idx))

#define RING_REQUEST_CONS_OVERFLOW(r, cons)                                 \
    (((cons) - (r)->rsp_prod_pvt) >= RING_SIZE(r))
#define RING_REQUEST_PROD_OVERFLOW(r, prod)                                 \
    (((prod) - (r)->rsp_prod_pvt) > RING_SIZE(r))
#define RING_RESPONSE_PROD_OVERFLOW(r, prod)                                \
    (((prod) - (r)->rsp_cons) > RING_SIZE(r))

#define RING_PUSH_REQUESTS(r)                                               \
    do {                                                                    \
        xen_wmb();                                                          \
        (r)->sring->req_prod = (r)->req_prod_pvt;                           \
    } while (0)
#define RING_PUSH_RESPONSES(r)                                              \
    do {                                                                    \
        xen_wmb();                                                          \
        (r)->sring->rsp_prod = (r)->rsp_prod_pvt;                           \
    } while (0)

/*
 * Publish and decide whether to notify: only if the other side's event
 * threshold lies in the range just published.
 */
#define RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(r, notify)                      \
    do {                                                                    \
        RING_IDX old_ = (r)->sring->req_prod;                               \
        RING_IDX new_ = (r)->req_prod_pvt;                                  \
        xen_wmb();                                                          \
        (r)->sring->req_prod = new_;                                        \
        xen_mb();                                                           \
        (notify) = ((RING_IDX)(new_ - (r)->sring->req_event) <              \
                    (RING_IDX)(new_ - old_));                               \
    } while (0)
#define RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(r, notify)                     \
    do {                                                                    \
        RING_IDX old_ = (r)->sring->rsp_prod;                               \
        RING_IDX new_ = (r)->rsp_prod_pvt;                                  \
        xen_wmb();                                                          \
        (r)->sring->rsp_prod = new_;                                        \
        xen_mb();                                                           \
        (notify) = ((RING_IDX)(new_ - (r)->sring->rsp_event) <              \
                    (RING_IDX)(new_ - old_));                               \
    } while (0)

/* Before sleeping: ask for a notification at the next item, then look once
 * more, closing the race with a producer that just missed the request. */
#define RING_FINAL_CHECK_FOR_REQUESTS(r, more)                              \
    do {                                                                    \
        (more) = RING_HAS_UNCONSUMED_REQUESTS(r);                           \
        if (more)                                                           \
            break;                                                          \
        (r)->sring->req_event = (r)->req_cons + 1;                          \
        xen_mb();                                                           \
        (more) = RING_HAS_UNCONSUMED_REQUESTS(r);                           \
    } while (0)
#define RING_FINAL_CHECK_FOR_RESPONSES(r, more)                             \
    do {                                                                    \
        (more) = RING_HAS_UNCONSUMED_RESPONSES(r);                          \
        if (more)                                                           \
            break;                                                          \
        (r)->sring->rsp_event = (r)->rsp_cons + 1;                          \
        xen_mb();                                                           \
        (more) = RING_HAS_UNCONSUMED_RESPONSES(r);                          \
    } while (0)

#endif /* MICA_PUBLIC_IO_RING_H */
