/* SPDX-License-Identifier: MIT */
/*
 * asm/efi-systab.h - what Mica reads from the EFI system table GRUB passes
 * (Multiboot2 tag 12): the facts XEN_FW_EFI_INFO answers with.  Pure code
 * (arch/x86/boot/efi-systab.c): physical memory is reached only through
 * the caller's 'map' function, so the host tests feed it made-up tables.
 */
#ifndef ASM_EFI_SYSTAB_H
#define ASM_EFI_SYSTAB_H

#include <mica/types.h>

#define EFI_SYSTEM_TABLE_SIGNATURE   0x5453595320494249ULL   /* "IBI SYST" */
#define EFI_RUNTIME_SERVICES_SIGNATURE 0x56524553544e5552ULL /* "RUNTSERV" */
#define EFI_SYSTAB_SIZE              120     /* the x64 table, UEFI 2.x */
#define EFI_CONFIG_TABLE_SIZE        24      /* GUID + pointer */
#define EFI_MAX_CONFIG_TABLES        1024    /* sanity bound, far above real firmware */
#define EFI_VENDOR_MAX               128     /* UCS-2 characters kept, with the NUL */

struct efi_facts {
    uint64_t systab;                    /* physical address */
    uint32_t version;                   /* system table Hdr.Revision */
    uint32_t fw_revision;
    bool has_vendor;
    uint16_t vendor[EFI_VENDOR_MAX];    /* NUL-terminated copy */
    uint64_t config_tables;             /* physical address of the array */
    uint32_t nr_config_tables;
    bool has_runtime;                   /* a runtime services table was found */
    uint32_t rt_version;                /* its Hdr.Revision */
};

/*
 * map(pa, len): a pointer through which len bytes at physical pa may be
 * read, or NULL when they may not.
 */
typedef const void *(*efi_map_fn)(uint64_t pa, size_t len);

/*
 * Read the system table at 'pa' into 'f'.  Returns 0, or -EINVAL with a
 * one-line reason when the table is unreadable or not a 64-bit EFI
 * system table (its config-table array included).  A missing or
 * unreadable vendor string or runtime services table is not an error:
 * has_vendor / has_runtime say so.
 */
int efi_systab_read(uint64_t pa, efi_map_fn map, struct efi_facts *f,
                    char *why, size_t whylen);

#endif
