/* SPDX-License-Identifier: MIT */
/*
 * include/public/io/console.h - the PV console ring page shared between a
 * domU and the console back end.
 *
 * Indices are free-running 32-bit counters; mask them with the ring size
 * (a power of two) to index.  The guest produces into out and consumes in.
 */
#ifndef MICA_PUBLIC_IO_CONSOLE_H
#define MICA_PUBLIC_IO_CONSOLE_H

#include <stdint.h>

typedef uint32_t XENCONS_RING_IDX;

#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

struct xencons_interface {
    char in[1024];              /* back end -> guest */
    char out[2048];             /* guest -> back end */
    XENCONS_RING_IDX in_cons, in_prod;
    XENCONS_RING_IDX out_cons, out_prod;
};
typedef struct xencons_interface xencons_interface_t;
_Static_assert(sizeof(struct xencons_interface) == 3088, "xencons_interface");

#endif /* MICA_PUBLIC_IO_CONSOLE_H */
