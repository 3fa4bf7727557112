/* SPDX-License-Identifier: MIT */
/*
 * mica/bootinfo.h - what the boot loader told us, in loader-neutral form.
 * Filled by arch/x86/boot/multiboot2.c from the Multiboot2 information.
 */
#ifndef MICA_BOOTINFO_H
#define MICA_BOOTINFO_H

#include <mica/types.h>

#define BOOT_MAX_MEMMAP   128
#define BOOT_MAX_MODULES  16

/* Memory map types, as in the E820 / Multiboot2 convention. */
#define MEM_AVAILABLE     1
#define MEM_RESERVED      2
#define MEM_ACPI          3
#define MEM_NVS           4
#define MEM_BAD           5

struct memmap_entry {
    uint64_t addr;
    uint64_t len;
    uint32_t type;
};

struct boot_module {
    paddr_t start;
    paddr_t end;            /* exclusive */
    const char *string;     /* points into the Multiboot2 information */
};

struct boot_info {
    uint32_t total_size;                /* of the Multiboot2 information */
    const char *cmdline;                /* "" when the loader gave none */
    const char *loader;
    uint32_t mem_lower_kb, mem_upper_kb;
    unsigned int nr_memmap;
    struct memmap_entry memmap[BOOT_MAX_MEMMAP];
    unsigned int nr_modules;
    struct boot_module modules[BOOT_MAX_MODULES];
    const void *rsdp;                   /* copy of the ACPI RSDP, or NULL */
    uint32_t rsdp_len;
    /*
     * An EFI boot (GRUB on UEFI has already left boot services): the
     * EFI64 system table's physical address (tag 12; 0 on a BIOS boot)
     * and the firmware's own memory map (tag 17), raw, inside the
     * Multiboot2 information, which stays reserved for good.  When the
     * EFI map is given, memmap[] above is made from it, not from tag 6.
     */
    uint64_t efi_systab;
    const void *efi_mmap;
    uint32_t efi_mmap_size;             /* bytes of descriptors */
    uint32_t efi_desc_size;             /* bytes per descriptor, >= 40 */
    uint32_t efi_desc_vers;
};

/*
 * Parse Multiboot2 information at 'mbi' of which at most 'avail' bytes may
 * be read.  Returns 0, or -EINVAL with a one-line reason in 'why'.
 */
int mb2_parse(const void *mbi, size_t avail, struct boot_info *bi,
              char *why, size_t whylen);

/* What the boot CPU parsed, for sysctl and memory_op (arch/x86/setup.c). */
extern const struct boot_info *boot_info_ptr;

#endif
