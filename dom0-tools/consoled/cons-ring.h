/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/consoled/cons-ring.h - moving bytes through a domU's console
 * page (struct xencons_interface), with the guest treated as hostile.
 */
#ifndef CONSOLED_CONS_RING_H
#define CONSOLED_CONS_RING_H

#include <stddef.h>
#include <public/io/console.h>

#define CONS_OUT_SIZE sizeof(((struct xencons_interface *)0)->out)
#define CONS_IN_SIZE  sizeof(((struct xencons_interface *)0)->in)

/*
 * Take up to 'len' bytes the guest wrote to out[] and advance out_cons.
 * Returns the count (0: nothing new) or -EIO when the guest's indices
 * claim more than the ring holds; then nothing is consumed.
 */
int cons_ring_take(struct xencons_interface *intf, void *buf, size_t len);

/* Free space of in[] (guest input), or -EIO for hostile indices. */
int cons_ring_in_space(const struct xencons_interface *intf);

/*
 * Put up to 'len' bytes into in[], never beyond its free space, and
 * advance in_prod.  Returns the count written or -EIO.
 */
int cons_ring_give(struct xencons_interface *intf, const void *buf,
                   size_t len);

#endif
