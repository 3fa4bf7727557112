/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test-efi.c - what an EFI boot hands Mica: the EFI memory map
 * (Multiboot2 tag 17) made into the E820 map, with Xen's typing, through
 * mb2_parse as setup.c calls it; lookups for XEN_FW_EFI_MEM_INFO; and the
 * EFI system table reader, over a made-up physical memory.
 */
#include <string.h>
#include <stdint.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/bootinfo.h>
#include <asm/efi-memmap.h>
#include <asm/efi-systab.h>
#include "cunit-runner.h"

static char why[128];

/* --- descriptors --- */

static uint8_t descs[64 * 48] __attribute__((aligned(8)));
static size_t ndesc, dsize = 48;

static void desc(uint32_t type, uint64_t start, uint64_t pages, uint64_t attr)
{
    uint8_t *d = descs + ndesc++ * dsize;

    memset(d, 0xa5, dsize);             /* padding and the virtual start */
    memcpy(d, &type, 4);
    memcpy(d + 8, &start, 8);
    memcpy(d + 24, &pages, 8);
    memcpy(d + 32, &attr, 8);
}

static int convert(struct memmap_entry *map, unsigned int max)
{
    return efi_memmap_to_e820(descs, ndesc * dsize, dsize, map, max, why, sizeof(why));
}

#define WB EFI_MEMORY_WB
#define RT EFI_MEMORY_RUNTIME

/* An OVMF-like map, in firmware order. */
static void ovmf_map(void)
{
    ndesc = 0;
    desc(EFI_BOOT_SERVICES_CODE, 0, 1, WB);
    desc(EFI_CONVENTIONAL_MEMORY, 0x1000, 0x9f, WB);
    desc(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x700, WB);
    desc(EFI_ACPI_MEMORY_NVS, 0x800000, 8, WB);
    desc(EFI_LOADER_DATA, 0x808000, 0x100, WB);
    desc(EFI_BOOT_SERVICES_DATA, 0x908000, 0x10, WB);
    desc(EFI_RUNTIME_SERVICES_CODE, 0x918000, 4, WB | RT);
    desc(EFI_RUNTIME_SERVICES_DATA, 0x91c000, 4, WB | RT);
    desc(EFI_ACPI_RECLAIM_MEMORY, 0x920000, 2, WB);
    desc(EFI_CONVENTIONAL_MEMORY, 0x922000, 0xde, WB);
    desc(EFI_MEMORY_MAPPED_IO, 0xffc00000, 0x400, RT);
}

static void test_types(void)
{
    CU_ASSERT_EQUAL(efi_type_to_e820(EFI_CONVENTIONAL_MEMORY, WB), MEM_AVAILABLE);
    CU_ASSERT_EQUAL(efi_type_to_e820(EFI_BOOT_SERVICES_CODE, WB), MEM_AVAILABLE);
    CU_ASSERT_EQUAL(efi_type_to_e820(EFI_BOOT_SERVICES_DATA, WB), MEM_AVAILABLE);
    CU_ASSERT_EQUAL(efi_type_to_e820(EFI_LOADER_CODE, WB), MEM_AVAILABLE);
    CU_ASSERT_EQUAL(efi_type_to_e820(EFI_LOADER_DATA, WB | RT), MEM_RESERVED);
    CU_ASSERT_EQUAL(efi_type_to_e820(EFI_CONVENTIONAL_MEMORY, 0), MEM_BAD);
    CU_ASSERT_EQUAL(efi_type_to_e820(EFI_RUNTIME_SERVICES_CODE, WB | RT), MEM_RESERVED);
    CU_ASSERT_EQUAL(efi_type_to_e820(EFI_RUNTIME_SERVICES_DATA, WB | RT), MEM_RESERVED);
    CU_ASSERT_EQUAL(efi_type_to_e820(EFI_ACPI_RECLAIM_MEMORY, WB), MEM_ACPI);
    CU_ASSERT_EQUAL(efi_type_to_e820(EFI_ACPI_MEMORY_NVS, WB), MEM_NVS);
    CU_ASSERT_EQUAL(efi_type_to_e820(EFI_UNUSABLE_MEMORY, WB), MEM_BAD);
    CU_ASSERT_EQUAL(efi_type_to_e820(EFI_MEMORY_MAPPED_IO, RT), MEM_RESERVED);
    CU_ASSERT_EQUAL(efi_type_to_e820(EFI_RESERVED_TYPE, WB), MEM_RESERVED);
    CU_ASSERT_EQUAL(efi_type_to_e820(EFI_PERSISTENT_MEMORY, WB), MEM_RESERVED);
    CU_ASSERT_EQUAL(efi_type_to_e820(0x70000000, WB), MEM_RESERVED);   /* OEM */
}

static void test_convert(void)
{
    struct memmap_entry map[16];

    ovmf_map();
    CU_ASSERT_EQUAL_FATAL(convert(map, 16), 8);
    /* Low RAM merges across boot services, conventional and loader data. */
    CU_ASSERT_EQUAL(map[0].addr, 0);
    CU_ASSERT_EQUAL(map[0].len, 0xa0000);
    CU_ASSERT_EQUAL(map[0].type, MEM_AVAILABLE);
    CU_ASSERT_EQUAL(map[1].addr, 0x100000);
    CU_ASSERT_EQUAL(map[1].len, 0x700000);
    CU_ASSERT_EQUAL(map[2].type, MEM_NVS);
    CU_ASSERT_EQUAL(map[3].addr, 0x808000);
    CU_ASSERT_EQUAL(map[3].len, 0x110000);
    CU_ASSERT_EQUAL(map[3].type, MEM_AVAILABLE);
    /* Runtime code and data: one reserved range. */
    CU_ASSERT_EQUAL(map[4].addr, 0x918000);
    CU_ASSERT_EQUAL(map[4].len, 0x8000);
    CU_ASSERT_EQUAL(map[4].type, MEM_RESERVED);
    CU_ASSERT_EQUAL(map[5].type, MEM_ACPI);
    CU_ASSERT_EQUAL(map[6].addr, 0x922000);
    CU_ASSERT_EQUAL(map[6].type, MEM_AVAILABLE);
    CU_ASSERT_EQUAL(map[7].addr, 0xffc00000);
    CU_ASSERT_EQUAL(map[7].type, MEM_RESERVED);
}

/* Out of order, a gap-filler joining two neighbours, empty descriptors. */
static void test_unsorted_and_merge(void)
{
    struct memmap_entry map[4];

    ndesc = 0;
    desc(EFI_CONVENTIONAL_MEMORY, 0x300000, 0x100, WB);
    desc(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100, WB);
    desc(EFI_RESERVED_TYPE, 0x500000, 0, 0);
    desc(EFI_LOADER_CODE, 0x200000, 0x100, WB);
    desc(EFI_RUNTIME_SERVICES_DATA, 0x400000, 1, WB | RT);
    CU_ASSERT_EQUAL_FATAL(convert(map, 4), 2);
    CU_ASSERT_EQUAL(map[0].addr, 0x100000);
    CU_ASSERT_EQUAL(map[0].len, 0x300000);
    CU_ASSERT_EQUAL(map[1].addr, 0x400000);
    CU_ASSERT_EQUAL(map[1].type, MEM_RESERVED);
}

/*
 * Overlapping descriptors are sanitised as Xen's sanitize_e820_map() does
 * it: each stretch takes the highest E820 type listed for it, whatever
 * the order the firmware gave them in.
 */
static void test_overlaps(void)
{
    struct memmap_entry map[8];

    /* RAM running 4 KiB into ACPI tables: the tables keep their page. */
    ndesc = 0;
    desc(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100, WB);
    desc(EFI_ACPI_RECLAIM_MEMORY, 0x1ff000, 2, WB);
    CU_ASSERT_EQUAL_FATAL(convert(map, 8), 2);
    CU_ASSERT_EQUAL(map[0].addr, 0x100000);
    CU_ASSERT_EQUAL(map[0].len, 0xff000);
    CU_ASSERT_EQUAL(map[0].type, MEM_AVAILABLE);
    CU_ASSERT_EQUAL(map[1].addr, 0x1ff000);
    CU_ASSERT_EQUAL(map[1].len, 0x2000);
    CU_ASSERT_EQUAL(map[1].type, MEM_ACPI);

    /* Runtime data inside RAM, listed after it, a duplicate, and NVS
     * overlapping the runtime range: RAM | reserved | NVS | RAM. */
    ndesc = 0;
    desc(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100, WB);
    desc(EFI_RUNTIME_SERVICES_DATA, 0x140000, 0x10, WB | RT);
    desc(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100, WB);
    desc(EFI_ACPI_MEMORY_NVS, 0x14f000, 2, WB);
    CU_ASSERT_EQUAL_FATAL(convert(map, 8), 4);
    CU_ASSERT_EQUAL(map[0].addr, 0x100000);
    CU_ASSERT_EQUAL(map[0].len, 0x40000);
    CU_ASSERT_EQUAL(map[0].type, MEM_AVAILABLE);
    CU_ASSERT_EQUAL(map[1].addr, 0x140000);
    CU_ASSERT_EQUAL(map[1].len, 0xf000);
    CU_ASSERT_EQUAL(map[1].type, MEM_RESERVED);
    CU_ASSERT_EQUAL(map[2].addr, 0x14f000);
    CU_ASSERT_EQUAL(map[2].len, 0x2000);
    CU_ASSERT_EQUAL(map[2].type, MEM_NVS);
    CU_ASSERT_EQUAL(map[3].addr, 0x151000);
    CU_ASSERT_EQUAL(map[3].len, 0xaf000);
    CU_ASSERT_EQUAL(map[3].type, MEM_AVAILABLE);

    /* Two RAM descriptors that overlap become one range. */
    ndesc = 0;
    desc(EFI_BOOT_SERVICES_DATA, 0x180000, 0x100, WB);
    desc(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100, WB);
    CU_ASSERT_EQUAL_FATAL(convert(map, 8), 1);
    CU_ASSERT_EQUAL(map[0].addr, 0x100000);
    CU_ASSERT_EQUAL(map[0].len, 0x180000);

    /* A range that ends at the top of the address space, and a hole. */
    ndesc = 0;
    desc(EFI_MEMORY_MAPPED_IO, 0xfffffffffff00000ULL, 0xff, RT);
    desc(EFI_CONVENTIONAL_MEMORY, 0, 0x10, WB);
    CU_ASSERT_EQUAL_FATAL(convert(map, 8), 2);
    CU_ASSERT_EQUAL(map[0].len, 0x10000);
    CU_ASSERT_EQUAL(map[1].addr, 0xfffffffffff00000ULL);
    CU_ASSERT_EQUAL(map[1].type, MEM_RESERVED);
}

static void test_bad_maps(void)
{
    struct memmap_entry map[4];

    ndesc = 0;
    desc(EFI_CONVENTIONAL_MEMORY, 0xfffffffffffff000ULL, 2, WB);
    CU_ASSERT_EQUAL(convert(map, 4), -EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "wraps"));

    ndesc = 0;
    desc(EFI_CONVENTIONAL_MEMORY, 0, 1ULL << 60, WB);
    CU_ASSERT_EQUAL(convert(map, 4), -EINVAL);

    ndesc = 0;
    for (unsigned int i = 0; i < 5; i++)
        desc(i & 1 ? EFI_ACPI_MEMORY_NVS : EFI_CONVENTIONAL_MEMORY, i * 0x1000ULL, 1, WB);
    CU_ASSERT_EQUAL(convert(map, 4), -ENOSPC);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "more than 4"));

    ndesc = 0;
    desc(EFI_CONVENTIONAL_MEMORY, 0, 0, WB);
    CU_ASSERT_EQUAL(convert(map, 4), -EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "empty"));

    CU_ASSERT_EQUAL(efi_memmap_to_e820(descs, 48, 36, map, 4, why, sizeof(why)), -EINVAL);
    CU_ASSERT_EQUAL(efi_memmap_to_e820(descs, 48, 44, map, 4, why, sizeof(why)), -EINVAL);
}

static void test_lookup(void)
{
    struct efi_mem_desc d;

    ovmf_map();
    CU_ASSERT_EQUAL_FATAL(efi_memmap_lookup(descs, ndesc * dsize, dsize, 0x91d123, &d), 0);
    CU_ASSERT_EQUAL(d.type, EFI_RUNTIME_SERVICES_DATA);
    CU_ASSERT_EQUAL(d.start, 0x91c000);
    CU_ASSERT_EQUAL(d.pages, 4);
    CU_ASSERT_EQUAL(d.attr, WB | RT);
    CU_ASSERT_EQUAL(efi_memmap_lookup(descs, ndesc * dsize, dsize, 0x91bfff, &d), 0);
    CU_ASSERT_EQUAL(d.type, EFI_RUNTIME_SERVICES_CODE);
    CU_ASSERT_EQUAL(efi_memmap_lookup(descs, ndesc * dsize, dsize, 0xa0000, &d), -ESRCH);
    CU_ASSERT_EQUAL(efi_memmap_lookup(descs, ndesc * dsize - 1, dsize, 0xffc00000, &d), -ESRCH);
}

/* --- through mb2_parse --- */

static uint8_t mbi[8192] __attribute__((aligned(8)));
static size_t mbi_len;
static struct boot_info bi;

static uint8_t *tag(uint32_t type, uint32_t size)
{
    uint8_t *t = mbi + mbi_len;

    memcpy(t, &type, 4);
    memcpy(t + 4, &size, 4);
    mbi_len = (mbi_len + size + 7) & ~7UL;
    return t;
}

static void tag_u64(uint32_t type, uint64_t v)
{
    memcpy(tag(type, 16) + 8, &v, 8);
}

static void tag_efi_mmap(uint32_t desc_size)
{
    uint8_t *t = tag(17, 16 + ndesc * dsize);
    uint32_t vers = 1;

    memcpy(t + 8, &desc_size, 4);
    memcpy(t + 12, &vers, 4);
    memcpy(t + 16, descs, ndesc * dsize);
}

/* GRUB's own map: RAM everywhere, runtime code as its type 20. */
static void tag_grub_mmap(void)
{
    uint8_t *t = tag(6, 16 + 24 * 2);
    uint32_t esize = 24, ver = 0, t1 = 1, t20 = 20;
    uint64_t a0 = 0, l0 = 0x918000, a1 = 0x918000, l1 = 0x4000;

    memcpy(t + 8, &esize, 4);
    memcpy(t + 12, &ver, 4);
    memset(t + 16, 0, 48);
    memcpy(t + 16, &a0, 8);
    memcpy(t + 24, &l0, 8);
    memcpy(t + 32, &t1, 4);
    memcpy(t + 40, &a1, 8);
    memcpy(t + 48, &l1, 8);
    memcpy(t + 56, &t20, 4);
}

static int finish_parse(void)
{
    uint32_t total, zero = 0;

    tag(0, 8);
    total = mbi_len;
    memcpy(mbi, &total, 4);
    memcpy(mbi + 4, &zero, 4);
    return mb2_parse(mbi, sizeof(mbi), &bi, why, sizeof(why));
}

static void begin(void)
{
    memset(mbi, 0xcc, sizeof(mbi));
    mbi_len = 8;
}

static void test_mb2_efi(void)
{
    begin();
    ovmf_map();
    tag_grub_mmap();
    tag_u64(12, 0x3f9ee018);
    tag_efi_mmap(dsize);
    CU_ASSERT_EQUAL_FATAL(finish_parse(), 0);
    CU_ASSERT_EQUAL(bi.efi_systab, 0x3f9ee018);
    CU_ASSERT_EQUAL(bi.efi_desc_size, 48);
    CU_ASSERT_EQUAL(bi.efi_desc_vers, 1);
    CU_ASSERT_EQUAL(bi.efi_mmap_size, ndesc * dsize);
    /* The EFI map wins over GRUB's: no type 20 left. */
    CU_ASSERT_EQUAL(bi.nr_memmap, 8);
    for (unsigned int i = 0; i < bi.nr_memmap; i++)
        CU_ASSERT(bi.memmap[i].type >= MEM_AVAILABLE && bi.memmap[i].type <= MEM_BAD);
    CU_ASSERT_EQUAL(bi.memmap[4].type, MEM_RESERVED);

    /* The same without tag 17: GRUB's map is kept, as on a BIOS boot. */
    begin();
    tag_grub_mmap();
    tag_u64(12, 0x3f9ee018);
    CU_ASSERT_EQUAL_FATAL(finish_parse(), 0);
    CU_ASSERT_EQUAL(bi.nr_memmap, 2);
    CU_ASSERT_EQUAL(bi.memmap[1].type, 20);
    CU_ASSERT_PTR_NULL(bi.efi_mmap);
}

static void test_mb2_efi_malformed(void)
{
    begin();
    ovmf_map();
    tag_efi_mmap(36);
    CU_ASSERT_EQUAL(finish_parse(), -EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "descriptor size 36"));

    begin();
    tag(17, 12);
    CU_ASSERT_EQUAL(finish_parse(), -EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "EFI memory map tag too short"));

    begin();
    ovmf_map();
    tag_u64(12, 0);
    tag_efi_mmap(dsize);
    CU_ASSERT_EQUAL(finish_parse(), -EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "pointer is zero"));

    begin();
    tag(12, 12);
    CU_ASSERT_EQUAL(finish_parse(), -EINVAL);

    begin();
    ovmf_map();
    tag_u64(11, 0x3f9ee018);
    tag_efi_mmap(dsize);
    CU_ASSERT_EQUAL(finish_parse(), -EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "32-bit EFI"));

    begin();
    ndesc = 0;
    desc(EFI_CONVENTIONAL_MEMORY, 0x100000, 0x100, WB);
    desc(EFI_CONVENTIONAL_MEMORY, 0x180000, 0x100, WB);
    tag_efi_mmap(dsize);
    CU_ASSERT_EQUAL_FATAL(finish_parse(), 0);           /* sanitised, as by Xen */
    CU_ASSERT_EQUAL(bi.nr_memmap, 1);
    CU_ASSERT_EQUAL(bi.memmap[0].len, 0x180000);
}

/* --- the system table, in a made-up physical memory at 0x10000 --- */

#define PHYS_BASE 0x10000UL
static uint8_t phys[4096] __attribute__((aligned(8)));

static const void *map_fake(uint64_t pa, size_t len)
{
    if (pa < PHYS_BASE || len > sizeof(phys) || pa - PHYS_BASE > sizeof(phys) - len)
        return NULL;
    return phys + (pa - PHYS_BASE);
}

static void put64(uint64_t pa, uint64_t v) { memcpy(phys + pa - PHYS_BASE, &v, 8); }
static void put32(uint64_t pa, uint32_t v) { memcpy(phys + pa - PHYS_BASE, &v, 4); }

enum { ST = PHYS_BASE, VENDOR = PHYS_BASE + 0x200, RTS = PHYS_BASE + 0x300,
       CT = PHYS_BASE + 0x400 };

static void ovmf_systab(void)
{
    const char *name = "EDK II";

    memset(phys, 0, sizeof(phys));
    put64(ST, EFI_SYSTEM_TABLE_SIGNATURE);
    put32(ST + 8, (2 << 16) | 70);
    put32(ST + 12, 120);
    put64(ST + 24, VENDOR);
    put32(ST + 32, 0x10000);
    put64(ST + 88, RTS);
    put64(ST + 104, 9);
    put64(ST + 112, CT);
    for (unsigned int i = 0; name[i]; i++)
        phys[VENDOR - PHYS_BASE + 2 * i] = name[i];
    put64(RTS, EFI_RUNTIME_SERVICES_SIGNATURE);
    put32(RTS + 8, (2 << 16) | 70);
}

static void test_systab(void)
{
    struct efi_facts f;

    ovmf_systab();
    CU_ASSERT_EQUAL_FATAL(efi_systab_read(ST, map_fake, &f, why, sizeof(why)), 0);
    CU_ASSERT_EQUAL(f.systab, ST);
    CU_ASSERT_EQUAL(f.version, 0x20046);
    CU_ASSERT_EQUAL(f.fw_revision, 0x10000);
    CU_ASSERT_TRUE(f.has_vendor);
    CU_ASSERT_EQUAL(f.vendor[0], 'E');
    CU_ASSERT_EQUAL(f.vendor[5], 'I');
    CU_ASSERT_EQUAL(f.vendor[6], 0);
    CU_ASSERT_EQUAL(f.config_tables, CT);
    CU_ASSERT_EQUAL(f.nr_config_tables, 9);
    CU_ASSERT_TRUE(f.has_runtime);
    CU_ASSERT_EQUAL(f.rt_version, 0x20046);
}

static void test_systab_bad(void)
{
    struct efi_facts f;

    ovmf_systab();
    CU_ASSERT_EQUAL(efi_systab_read(0x1000, map_fake, &f, why, sizeof(why)), -EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "not in memory"));
    CU_ASSERT_EQUAL(efi_systab_read(ST + 8, map_fake, &f, why, sizeof(why)), -EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "no 64-bit EFI system table"));

    put32(ST + 12, 72);                 /* a 32-bit table's size */
    CU_ASSERT_EQUAL(efi_systab_read(ST, map_fake, &f, why, sizeof(why)), -EINVAL);

    ovmf_systab();
    put64(ST + 104, 1ULL << 40);        /* the count would overflow the walk */
    CU_ASSERT_EQUAL(efi_systab_read(ST, map_fake, &f, why, sizeof(why)), -EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "config tables"));
    put64(ST + 104, 1000);              /* runs past the memory there is */
    CU_ASSERT_EQUAL(efi_systab_read(ST, map_fake, &f, why, sizeof(why)), -EINVAL);

    /* No vendor, no runtime services: still an EFI boot, without them. */
    ovmf_systab();
    put64(ST + 24, 0);
    put64(ST + 88, 0x7000000);
    CU_ASSERT_EQUAL_FATAL(efi_systab_read(ST, map_fake, &f, why, sizeof(why)), 0);
    CU_ASSERT_FALSE(f.has_vendor);
    CU_ASSERT_FALSE(f.has_runtime);

    /* A vendor name with no NUL is cut at EFI_VENDOR_MAX - 1 characters. */
    ovmf_systab();
    memset(phys + VENDOR - PHYS_BASE, 'x', 0x500);
    CU_ASSERT_EQUAL_FATAL(efi_systab_read(ST, map_fake, &f, why, sizeof(why)), 0);
    CU_ASSERT_TRUE(f.has_vendor);
    CU_ASSERT_EQUAL(f.vendor[EFI_VENDOR_MAX - 1], 0);
    /* ... and one running off the end of memory is no vendor at all. */
    put64(ST + 24, PHYS_BASE + sizeof(phys) - 4);
    memset(phys + sizeof(phys) - 4, 'y', 4);
    CU_ASSERT_EQUAL_FATAL(efi_systab_read(ST, map_fake, &f, why, sizeof(why)), 0);
    CU_ASSERT_FALSE(f.has_vendor);
}

static const struct unit_test tests[] = {
    UNIT_TEST(test_types),
    UNIT_TEST(test_convert),
    UNIT_TEST(test_unsorted_and_merge),
    UNIT_TEST(test_overlaps),
    UNIT_TEST(test_bad_maps),
    UNIT_TEST(test_lookup),
    UNIT_TEST(test_mb2_efi),
    UNIT_TEST(test_mb2_efi_malformed),
    UNIT_TEST(test_systab),
    UNIT_TEST(test_systab_bad),
    UNIT_END
};
UNIT_SUITE(efi, NULL, NULL, tests)
