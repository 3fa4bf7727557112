/* SPDX-License-Identifier: MIT */
/*
 * mica/heap.h - the hypervisor heap for its own objects (struct domain,
 * vcpu, tables).  Memory is not zeroed unless xzalloc() is used.
 */
#ifndef MICA_HEAP_H
#define MICA_HEAP_H

#include <mica/types.h>

void *xmalloc(size_t size);
void *xzalloc(size_t size);
void xfree(void *p);

/*
 * One whole frame, zeroed, for page tables and pages shared with guests:
 * its address (NULL if none is free), its number in *mfn when asked.
 * Given back with free_frames(mfn, 0).
 */
void *alloc_zeroed_frame(mfn_t *mfn);

/* Frames the heap holds (its size-class pages stay cached once made). */
uint64_t heap_frames(void);

#define xmalloc_obj(type)  ((type *)xmalloc(sizeof(type)))
#define xzalloc_obj(type)  ((type *)xzalloc(sizeof(type)))

#endif
