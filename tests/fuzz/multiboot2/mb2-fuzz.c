/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/multiboot2/mb2-fuzz.c - libFuzzer over what the boot loader
 * and firmware hand the hypervisor: the Multiboot2 information (with its
 * EFI tags and the EFI memory map made into the E820 map), lookups in
 * that EFI map, and the EFI system table reader over a physical memory
 * made of the same bytes.  Any crash, sanitizer report or broken
 * invariant (an unsorted or overlapping map, a string running out of the
 * buffer) aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <mica/bootinfo.h>
#include <asm/efi-memmap.h>
#include <asm/efi-systab.h>

#define PHYS_BASE 0x100000UL

static const uint8_t *phys;
static size_t phys_len;

static const void *map_fake(uint64_t pa, size_t len)
{
    if (pa < PHYS_BASE || len > phys_len || pa - PHYS_BASE > phys_len - len)
        return NULL;
    return phys + (pa - PHYS_BASE);
}

static void check_map(const struct boot_info *bi)
{
    for (unsigned int i = 0; i < bi->nr_memmap; i++) {
        const struct memmap_entry *m = &bi->memmap[i];

        if (m->addr + m->len < m->addr)
            abort();
        if (bi->efi_mmap && (!m->len || (i && bi->memmap[i - 1].addr +
                                         bi->memmap[i - 1].len > m->addr)))
            abort();
    }
}

static void check_lookups(const struct boot_info *bi, uint64_t probe)
{
    struct efi_mem_desc d;

    if (!bi->efi_mmap)
        return;
    /*
     * Every range starts inside some descriptor, and overlaps were settled
     * for the highest type: the first descriptor found may be lower, never
     * higher.  Touching ranges of one type would have been merged.
     */
    for (unsigned int i = 0; i < bi->nr_memmap; i++) {
        const struct memmap_entry *m = &bi->memmap[i];

        if (efi_memmap_lookup(bi->efi_mmap, bi->efi_mmap_size, bi->efi_desc_size,
                              m->addr, &d) ||
            efi_type_to_e820(d.type, d.attr) > m->type)
            abort();
        if (i && m[-1].type == m->type && m[-1].addr + m[-1].len == m->addr)
            abort();
    }
    (void)efi_memmap_lookup(bi->efi_mmap, bi->efi_mmap_size, bi->efi_desc_size,
                            probe, &d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct boot_info bi;
    struct efi_facts f;
    char why[128];
    uint8_t *copy = malloc(size + 8);
    uint64_t probe = 0;

    if (!copy)
        return 0;
    /* The parser wants 8-byte alignment, as GRUB guarantees. */
    memcpy(copy, data, size);
    if (mb2_parse(copy, size, &bi, why, sizeof(why)) == 0) {
        if (bi.total_size > size || strlen(bi.cmdline) >= size)
            abort();
        check_map(&bi);
        if (size >= 8)
            memcpy(&probe, data + size - 8, 8);
        check_lookups(&bi, probe);
    }
    phys = data;
    phys_len = size;
    if (size >= 8) {
        uint64_t at;

        memcpy(&at, data, 8);
        (void)efi_systab_read(PHYS_BASE + at % (size + 1), map_fake, &f, why, sizeof(why));
        if (f.has_vendor && f.vendor[EFI_VENDOR_MAX - 1])
            abort();
    }
    free(copy);
    return 0;
}
