/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/boot/efi-memmap.c - the firmware's EFI memory map
 * (Multiboot2 tag 17) made into the E820 map Mica allocates from and dom0
 * reads through XENMEM_machine_memory_map.
 *
 * The descriptors come from firmware through the boot loader and are not
 * trusted: each must fit the buffer, its length must not overflow or wrap,
 * and no two may overlap.  The typing is Xen's (efi-boot.h): memory the
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

/* Would [addr, addr + len) overlap an entry of the sorted map? */
static bool overlaps(const struct memmap_entry *map, unsigned int n,
                     unsigned int at, uint64_t addr, uint64_t len)
{
    return (at > 0 && map[at - 1].addr + map[at - 1].len > addr) ||
           (at < n && addr + len > map[at].addr);
}

/*
 * Insert a range into the sorted map at 'n' entries, merging it with a
 * neighbour of the same type that it touches.  Firmware usually sorts its
 * map, but nothing says it must: a sorted insert costs little at boot.
 */
static int add_range(struct memmap_entry *map, unsigned int *n, unsigned int max,
                     uint64_t addr, uint64_t len, uint32_t type)
{
    unsigned int at = *n;
    bool prev, next;

    while (at > 0 && map[at - 1].addr > addr)
        at--;
    if (overlaps(map, *n, at, addr, len))
        return -EINVAL;
    prev = at > 0 && map[at - 1].type == type &&
           map[at - 1].addr + map[at - 1].len == addr;
    next = at < *n && map[at].type == type && addr + len == map[at].addr;
    if (prev && next) {
        map[at - 1].len += len + map[at].len;
        memmove(&map[at], &map[at + 1], (*n - at - 1) * sizeof(*map));
        (*n)--;
    } else if (prev) {
        map[at - 1].len += len;
    } else if (next) {
        map[at].addr = addr;
        map[at].len += len;
    } else {
        if (*n == max)
            return -ENOSPC;
        memmove(&map[at + 1], &map[at], (*n - at) * sizeof(*map));
        map[at] = (struct memmap_entry){ addr, len, type };
        (*n)++;
    }
    return 0;
}

int efi_memmap_to_e820(const void *descs, size_t size, uint32_t desc_size,
                       struct memmap_entry *map, unsigned int max,
                       char *why, size_t whylen)
{
    const uint8_t *p = descs;
    unsigned int n = 0;
    size_t count;

    if (desc_size < EFI_DESC_MIN_SIZE || desc_size % 8) {
        snprintf(why, whylen, "EFI memory descriptor size %u is invalid", desc_size);
        return -EINVAL;
    }
    count = size / desc_size;
    for (size_t i = 0; i < count; i++) {
        struct efi_mem_desc d;
        uint64_t len;
        int rc;

        read_desc(p + i * desc_size, &d);
        if (!d.pages)
            continue;
        len = d.pages << EFI_PAGE_SHIFT;
        if (d.pages > (UINT64_MAX >> EFI_PAGE_SHIFT) || d.start + len < d.start) {
            snprintf(why, whylen, "EFI memory descriptor %zu wraps around", i);
            return -EINVAL;
        }
        rc = add_range(map, &n, max, d.start, len, efi_type_to_e820(d.type, d.attr));
        if (rc == -EINVAL)
            snprintf(why, whylen, "EFI memory descriptor %zu overlaps another", i);
        else if (rc)
            snprintf(why, whylen, "EFI memory map needs more than %u ranges", max);
        if (rc)
            return rc;
    }
    if (!n) {
        snprintf(why, whylen, "EFI memory map is empty");
        return -EINVAL;
    }
    return n;
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
