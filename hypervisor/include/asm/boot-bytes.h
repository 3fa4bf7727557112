/* SPDX-License-Identifier: MIT */
/*
 * asm/boot-bytes.h - reading little-endian fields out of what the boot
 * loader and firmware hand over (Multiboot2 tags, EFI tables), which keep
 * no promise of alignment beyond their own: memcpy, never a cast.
 */
#ifndef ASM_BOOT_BYTES_H
#define ASM_BOOT_BYTES_H

#include <string.h>
#include <mica/types.h>

static inline uint32_t rd32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, 4);
    return v;
}

static inline uint64_t rd64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, 8);
    return v;
}

#endif
