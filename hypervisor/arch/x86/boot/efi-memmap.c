/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/boot/efi-memmap.c - the firmware's EFI memory map
 * (Multiboot2 tag 17) made into the E820 map Mica allocates from and dom0
 * reads through XENMEM_machine_memory_map.
 *
 * The descriptors come from firmware through the boot loader and are not
 * trusted: each must fit the buffer and its length must not overflow or
 * wrap.  Overlapping descriptors are sanitised as Xen does (see sweep()),
 * not refused: firmware with such a map boots Xen.  The typing is Xen's (efi-boot.h): memory the
 * OS owns once boot services are gone (conventional, loader, boot
 * services) is RAM only if it is write-back and not wanted by runtime
 * services; ACPI reclaim stays ACPI data for dom0's ACPI driver; NVS stays
 * NVS; runtime services, MMIO and every type we do not know are reserved,
 * so nothing the firmware may still touch is ever handed out.
 * Pure code, unit-tested on the host (tests/unit/test-efi-memmap.c).
 */
#include <string.h>
#include <mica/types.h>
#include <mica/errno.h>
#include <mica/lib.h>
#include <asm/efi-memmap.h>
#include <asm/boot-bytes.h>

static void read_desc(const uint8_t *p, struct efi_mem_desc *d)
{
    d->type = rd32(p);
    d->start = rd64(p + 8);
    d->pages = rd64(p + 24);
    d->attr = rd64(p + 32);
}

uint32_t efi_type_to_e820(uint32_t type, uint64_t attr)
{
    switch (type) {
    case EFI_LOADER_CODE:
    case EFI_LOADER_DATA:
    case EFI_BOOT_SERVICES_CODE:
    case EFI_BOOT_SERVICES_DATA:
    case EFI_CONVENTIONAL_MEMORY:
        /*
         * GRUB called ExitBootServices, so boot-services memory is free,
         * as Xen treats it unless told to keep it mapped (-mapbs).
         */
        if (attr & EFI_MEMORY_RUNTIME)
            return MEM_RESERVED;
        return (attr & EFI_MEMORY_WB) ? MEM_AVAILABLE : MEM_BAD;
    case EFI_UNUSABLE_MEMORY:
        return MEM_BAD;
    case EFI_ACPI_RECLAIM_MEMORY:
        return MEM_ACPI;
    case EFI_ACPI_MEMORY_NVS:
        return MEM_NVS;
    default:
        return MEM_RESERVED;
    }
}

/* Descriptor i as an E820 range [*lo, *hi) and type; false if it is empty. */
static bool desc_range(const uint8_t *descs, uint32_t desc_size, size_t i,
                       uint64_t *lo, uint64_t *hi, uint32_t *type)
{
    struct efi_mem_desc d;

    read_desc(descs + i * desc_size, &d);
    if (!d.pages)
        return false;
    *lo = d.start;
    *hi = d.start + (d.pages << EFI_PAGE_SHIFT);
    *type = efi_type_to_e820(d.type, d.attr);
    return true;
}

/* Append [lo, hi) to the sorted map, merging with a touching last entry
 * of the same type. */
static int append_range(struct memmap_entry *map, unsigned int *n, unsigned int max,
                        uint64_t lo, uint64_t hi, uint32_t type)
{
    struct memmap_entry *last = *n ? &map[*n - 1] : NULL;

    if (last && last->type == type && last->addr + last->len == lo) {
        last->len += hi - lo;
        return 0;
    }
    if (*n == max)
        return -ENOSPC;
    map[(*n)++] = (struct memmap_entry){ lo, hi - lo, type };
    return 0;
}

/*
 * Sweep the address space from boundary to boundary (every start and end
 * of a descriptor).  Each stretch between two boundaries gets the highest
 * E820 type of the descriptors covering it: where firmware lists a range
 * twice, the more restrictive type wins, as in Xen's sanitize_e820_map()
 * (RAM 1 < reserved 2 < ACPI 3 < NVS 4 < unusable 5).  Firmware rarely
 * overlaps or unsorts its map, so the quadratic walk costs little.
 */
static int sweep(const uint8_t *descs, uint32_t desc_size, size_t count,
                 struct memmap_entry *map, unsigned int max)
{
    uint64_t at = UINT64_MAX, lo, hi;
    uint32_t type;
    unsigned int n = 0;

    for (size_t i = 0; i < count; i++)
        if (desc_range(descs, desc_size, i, &lo, &hi, &type) && lo < at)
            at = lo;
    for (;;) {
        uint64_t next = UINT64_MAX;
        uint32_t top = 0;
        bool more = false;

        for (size_t i = 0; i < count; i++) {
            if (!desc_range(descs, desc_size, i, &lo, &hi, &type))
                continue;
            if (lo <= at && at < hi && type > top)
                top = type;
            if (lo > at && lo <= next)
                next = lo, more = true;
            if (hi > at && hi <= next)
                next = hi, more = true;
        }
        if (!more)
            return n;
        if (top) {
            int rc = append_range(map, &n, max, at, next, top);

            if (rc)
                return rc;
        }
        at = next;
    }
}

int efi_memmap_to_e820(const void *descs, size_t size, uint32_t desc_size,
                       struct memmap_entry *map, unsigned int max,
                       char *why, size_t whylen)
{
    const uint8_t *p = descs;
    size_t count;
    int n;

    if (desc_size < EFI_DESC_MIN_SIZE || desc_size % 8) {
        snprintf(why, whylen, "EFI memory descriptor size %u is invalid", desc_size);
        return -EINVAL;
    }
    count = size / desc_size;
    for (size_t i = 0; i < count; i++) {
        struct efi_mem_desc d;

        read_desc(p + i * desc_size, &d);
        if (d.pages && (d.pages > (UINT64_MAX >> EFI_PAGE_SHIFT) ||
                        d.start + (d.pages << EFI_PAGE_SHIFT) <= d.start)) {
            snprintf(why, whylen, "EFI memory descriptor %zu wraps around", i);
            return -EINVAL;
        }
    }
    n = sweep(p, desc_size, count, map, max);
    if (n == -ENOSPC)
        snprintf(why, whylen, "EFI memory map needs more than %u ranges", max);
    else if (!n)
        snprintf(why, whylen, "EFI memory map is empty");
    return n ? n : -EINVAL;
}

int efi_memmap_lookup(const void *descs, size_t size, uint32_t desc_size,
                      uint64_t addr, struct efi_mem_desc *out)
{
    const uint8_t *p = descs;

    if (desc_size < EFI_DESC_MIN_SIZE)
        return -ESRCH;
    for (size_t off = 0; off + desc_size <= size; off += desc_size) {
        struct efi_mem_desc d;

        read_desc(p + off, &d);
        if (addr >= d.start && addr - d.start < (d.pages << EFI_PAGE_SHIFT)) {
            *out = d;
            return 0;
        }
    }
    return -ESRCH;
}
