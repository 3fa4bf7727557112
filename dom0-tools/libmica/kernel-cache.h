/* SPDX-License-Identifier: MIT */
/*
 * kernel-cache.h - unpacked kernels kept between builds (kernel-cache.c).
 */
#ifndef LIBMICA_KERNEL_CACHE_H
#define LIBMICA_KERNEL_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/*
 * The ELF image unpacked earlier from the kernel file 'st' describes
 * (device, inode, size, modification time), malloc'd into *elf; 0, or
 * -ENOENT when there is none (or it is unusable: then it is as if absent).
 */
int kernel_cache_get(const struct stat *st, size_t max, uint8_t **elf, size_t *len);

/* Keep 'elf' for that file; failures only mean the next build unpacks again. */
void kernel_cache_put(const struct stat *st, const uint8_t *elf, size_t len);

#endif /* LIBMICA_KERNEL_CACHE_H */
