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

/* Frames the heap holds (its size-class pages stay cached once made). */
uint64_t heap_frames(void);

#define xmalloc_obj(type)  ((type *)xmalloc(sizeof(type)))
#define xzalloc_obj(type)  ((type *)xzalloc(sizeof(type)))

#endif
