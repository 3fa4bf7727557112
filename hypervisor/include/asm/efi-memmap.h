/* SPDX-License-Identifier: MIT */
/*
 * asm/efi-memmap.h - the UEFI memory map as firmware writes it (UEFI 2.x
 * EFI_MEMORY_DESCRIPTOR), its conversion to the E820 form the rest of
 * Mica and dom0 use, and lookups by address (XEN_FW_EFI_MEM_INFO).
 * Pure code (arch/x86/boot/efi-memmap.c), unit-tested and fuzzed.
 */
#ifndef ASM_EFI_MEMMAP_H
#define ASM_EFI_MEMMAP_H

#include <mica/types.h>
#include <mica/bootinfo.h>

/* EFI_MEMORY_TYPE values (UEFI 2.10, 7.2). */
enum efi_mem_type {
    EFI_RESERVED_TYPE, EFI_LOADER_CODE, EFI_LOADER_DATA,
    EFI_BOOT_SERVICES_CODE, EFI_BOOT_SERVICES_DATA,
    EFI_RUNTIME_SERVICES_CODE, EFI_RUNTIME_SERVICES_DATA,
    EFI_CONVENTIONAL_MEMORY, EFI_UNUSABLE_MEMORY,
    EFI_ACPI_RECLAIM_MEMORY, EFI_ACPI_MEMORY_NVS,
    EFI_MEMORY_MAPPED_IO, EFI_MEMORY_MAPPED_IO_PORT_SPACE,
    EFI_PAL_CODE, EFI_PERSISTENT_MEMORY,
};

#define EFI_MEMORY_WB           0x8ULL
#define EFI_MEMORY_RUNTIME      (1ULL << 63)
#define EFI_PAGE_SHIFT          12

/*
 * The fixed part of a descriptor: type u32 (+4 pad), physical start u64,
 * virtual start u64, number of 4 KiB pages u64, attributes u64.  Firmware
 * may make descriptors longer (the map says by how much), never shorter.
 */
#define EFI_DESC_MIN_SIZE       40

struct efi_mem_desc {
    uint32_t type;
    uint64_t start;
    uint64_t pages;
    uint64_t attr;
};

/*
 * Turn 'size' bytes of descriptors of 'desc_size' bytes each into at most
 * 'max' E820 entries at 'map', sorted and with neighbours of one type
 * merged, typing each descriptor as Xen's EFI boot does.  Where
 * descriptors overlap, the higher E820 type wins, as Xen's sanitiser
 * decides.  Returns the number of entries, or -EINVAL (a descriptor wraps,
 * or none is left) or -ENOSPC (too many ranges), with a one-line reason in
 * 'why'.
 */
int efi_memmap_to_e820(const void *descs, size_t size, uint32_t desc_size,
                       struct memmap_entry *map, unsigned int max,
                       char *why, size_t whylen);

/* The E820 type Xen gives one EFI descriptor. */
uint32_t efi_type_to_e820(uint32_t type, uint64_t attr);

/*
 * The descriptor that contains 'addr', into 'out': 0, or -ESRCH when no
 * descriptor does.  The map must have passed efi_memmap_to_e820().
 */
int efi_memmap_lookup(const void *descs, size_t size, uint32_t desc_size,
                      uint64_t addr, struct efi_mem_desc *out);

#endif
