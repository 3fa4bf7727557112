/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/boot/multiboot2.c - reads the Multiboot2 boot
 * information into struct boot_info.
 *
 * The information comes from the loader and is not trusted blindly: every
 * tag must lie inside the declared total size, be 8-byte aligned and be
 * large enough for its type, and every string must end inside its tag.
 * Pure code, unit-tested on the host with crafted and truncated buffers.
 */
#include <string.h>
#include <mica/types.h>
#include <mica/errno.h>
#include <mica/lib.h>
#include <mica/bootinfo.h>
#include <asm/efi-memmap.h>
#include <asm/boot-bytes.h>

enum {
    TAG_END = 0, TAG_CMDLINE = 1, TAG_LOADER = 2, TAG_MODULE = 3,
    TAG_MEMINFO = 4, TAG_MMAP = 6, TAG_EFI32 = 11, TAG_EFI64 = 12,
    TAG_ACPI_OLD = 14, TAG_ACPI_NEW = 15, TAG_EFI_MMAP = 17,
};

struct tag {
    uint32_t type;
    uint32_t size;
};

/* A string field running from 'p' to the end of its tag must be terminated. */
static const char *tag_string(const uint8_t *p, size_t room)
{
    return room && strnlen((const char *)p, room) < room ? (const char *)p
                                                          : NULL;
}

#define FAIL(...) do { snprintf(why, whylen, __VA_ARGS__); return -EINVAL; } while (0)

static int parse_mmap(const uint8_t *t, uint32_t size, struct boot_info *bi,
                      char *why, size_t whylen)
{
    uint32_t esize, n;

    if (size < 16)
        FAIL("memory map tag too short (%u bytes)", size);
    esize = rd32(t + 8);
    if (esize < 24 || esize % 8)
        FAIL("memory map entry size %u is invalid", esize);
    n = (size - 16) / esize;
    if (n > BOOT_MAX_MEMMAP)
        FAIL("memory map has %u entries, at most %u supported", n,
             BOOT_MAX_MEMMAP);
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *e = t + 16 + i * esize;
        struct memmap_entry *m = &bi->memmap[i];

        m->addr = rd64(e);
        m->len = rd64(e + 8);
        m->type = rd32(e + 16);
        if (m->addr + m->len < m->addr)
            FAIL("memory map entry %u wraps around", i);
    }
    bi->nr_memmap = n;
    return 0;
}

/*
 * Tag 17: descriptor size and version, then the descriptors as the
 * firmware's GetMemoryMap wrote them.  Only kept here; made into the map
 * once all tags are read, so that it wins over tag 6 whatever the order.
 */
static int parse_efi_mmap(const uint8_t *t, uint32_t size, struct boot_info *bi,
                          char *why, size_t whylen)
{
    uint32_t dsize;

    if (size < 16)
        FAIL("EFI memory map tag too short (%u bytes)", size);
    dsize = rd32(t + 8);
    if (dsize < EFI_DESC_MIN_SIZE || dsize % 8)
        FAIL("EFI memory descriptor size %u is invalid", dsize);
    bi->efi_desc_size = dsize;
    bi->efi_desc_vers = rd32(t + 12);
    bi->efi_mmap = t + 16;
    bi->efi_mmap_size = (size - 16) / dsize * dsize;
    return 0;
}

/* The map Mica uses is the EFI one when the loader gave it (see above). */
static int efi_memmap(struct boot_info *bi, char *why, size_t whylen)
{
    int n;

    if (!bi->efi_mmap)
        return 0;
    n = efi_memmap_to_e820(bi->efi_mmap, bi->efi_mmap_size, bi->efi_desc_size,
                           bi->memmap, BOOT_MAX_MEMMAP, why, whylen);
    if (n < 0)
        return n;
    bi->nr_memmap = n;
    return 0;
}

static int parse_module(const uint8_t *t, uint32_t size, struct boot_info *bi,
                        char *why, size_t whylen)
{
    struct boot_module *m;

    if (size < 17)
        FAIL("module tag too short (%u bytes)", size);
    if (bi->nr_modules == BOOT_MAX_MODULES)
        FAIL("more than %u modules", BOOT_MAX_MODULES);
    m = &bi->modules[bi->nr_modules];
    m->start = rd32(t + 8);
    m->end = rd32(t + 12);
    m->string = tag_string(t + 16, size - 16);
    if (!m->string)
        FAIL("module %u string is not terminated", bi->nr_modules);
    if (m->end < m->start)
        FAIL("module %u ends before it starts", bi->nr_modules);
    bi->nr_modules++;
    return 0;
}

int mb2_parse(const void *mbi, size_t avail, struct boot_info *bi,
              char *why, size_t whylen)
{
    const uint8_t *base = mbi;
    uint32_t total, off;
    bool seen_end = false;

    memset(bi, 0, sizeof(*bi));
    bi->cmdline = "";
    bi->loader = "";
    if (!mbi || ((uintptr_t)mbi & 7))
        FAIL("boot information is missing or misaligned");
    if (avail < 8)
        FAIL("boot information truncated");
    total = rd32(base);
    if (total < 16 || total > avail)
        FAIL("boot information size %u is invalid", total);
    bi->total_size = total;

    for (off = 8; off + 8 <= total; off = ROUNDUP(off + rd32(base + off + 4), 8)) {
        const uint8_t *t = base + off;
        uint32_t type = rd32(t), size = rd32(t + 4);
        int rc = 0;

        if (size < 8 || size > total - off)
            FAIL("tag %u at offset %u has bad size %u", type, off, size);
        switch (type) {
        case TAG_END:
            if (size != 8)
                FAIL("end tag has size %u", size);
            seen_end = true;
            break;
        case TAG_CMDLINE:
            bi->cmdline = tag_string(t + 8, size - 8);
            if (!bi->cmdline)
                FAIL("command line is not terminated");
            break;
        case TAG_LOADER:
            bi->loader = tag_string(t + 8, size - 8);
            if (!bi->loader)
                FAIL("boot loader name is not terminated");
            break;
        case TAG_MODULE:
            rc = parse_module(t, size, bi, why, whylen);
            break;
        case TAG_MEMINFO:
            if (size < 16)
                FAIL("basic memory tag too short");
            bi->mem_lower_kb = rd32(t + 8);
            bi->mem_upper_kb = rd32(t + 12);
            break;
        case TAG_MMAP:
            rc = parse_mmap(t, size, bi, why, whylen);
            break;
        case TAG_EFI32:
            FAIL("32-bit EFI firmware is not supported");
        case TAG_EFI64:
            if (size < 16)
                FAIL("EFI64 system table tag too short");
            bi->efi_systab = rd64(t + 8);
            if (!bi->efi_systab)
                FAIL("EFI64 system table pointer is zero");
            break;
        case TAG_EFI_MMAP:
            rc = parse_efi_mmap(t, size, bi, why, whylen);
            break;
        case TAG_ACPI_OLD:
        case TAG_ACPI_NEW:
            /* Prefer the ACPI 2.0 RSDP when the loader gives both. */
            if (size < 8 + 20)
                FAIL("ACPI RSDP tag too short");
            if (!bi->rsdp || type == TAG_ACPI_NEW) {
                bi->rsdp = t + 8;
                bi->rsdp_len = size - 8;
            }
            break;
        default:
            break;      /* tags we do not use are skipped */
        }
        if (rc)
            return rc;
        if (seen_end)
            break;
    }
    if (!seen_end)
        FAIL("no end tag");
    if (efi_memmap(bi, why, whylen))
        return -EINVAL;
    if (!bi->nr_memmap)
        FAIL("no memory map");
    return 0;
}
