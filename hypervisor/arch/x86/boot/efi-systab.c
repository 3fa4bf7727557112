/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/boot/efi-systab.c - reads the EFI system table that
 * GRUB hands over (Multiboot2 tag 12) once, at boot, for dom0's
 * XEN_FW_EFI_INFO questions.
 *
 * Firmware memory is read, never trusted: every structure is reached
 * through the caller's map function, which refuses what is not there; the
 * signatures are checked; the vendor string is copied with a bound; and
 * the config-table count is bounded before anyone walks the array.  Boot
 * services are gone by now (GRUB exited them), so only data is read and
 * no firmware code is ever called.  Pure code, unit-tested on the host.
 */
#include <string.h>
#include <mica/types.h>
#include <mica/errno.h>
#include <mica/lib.h>
#include <asm/efi-systab.h>
#include <asm/boot-bytes.h>

/* Offsets in the x64 EFI_SYSTEM_TABLE (UEFI 2.10, 4.3). */
enum {
    ST_SIGNATURE = 0, ST_REVISION = 8, ST_HEADER_SIZE = 12,
    ST_FW_VENDOR = 24, ST_FW_REVISION = 32, ST_RUNTIME = 88,
    ST_NR_TABLES = 104, ST_TABLES = 112,
};

/* Copy the vendor's UCS-2 name up to its NUL; a name too long is cut. */
static bool read_vendor(uint64_t pa, efi_map_fn map, uint16_t *out)
{
    unsigned int i;

    if (!pa)
        return false;
    for (i = 0; i < EFI_VENDOR_MAX - 1; i++) {
        const uint8_t *c = pa + 2 * i < pa ? NULL : map(pa + 2 * i, 2);

        if (!c)
            return false;
        memcpy(&out[i], c, 2);
        if (!out[i])
            return true;
    }
    out[i] = 0;
    return true;
}

static void read_runtime(uint64_t pa, efi_map_fn map, struct efi_facts *f)
{
    const uint8_t *rt = pa ? map(pa, 24) : NULL;

    if (rt && rd64(rt) == EFI_RUNTIME_SERVICES_SIGNATURE) {
        f->has_runtime = true;
        f->rt_version = rd32(rt + 8);
    }
}

int efi_systab_read(uint64_t pa, efi_map_fn map, struct efi_facts *f,
                    char *why, size_t whylen)
{
    const uint8_t *st = map(pa, EFI_SYSTAB_SIZE);
    uint64_t n;

    memset(f, 0, sizeof(*f));
    if (!st) {
        snprintf(why, whylen, "EFI system table at %#lx is not in memory", pa);
        return -EINVAL;
    }
    if (rd64(st + ST_SIGNATURE) != EFI_SYSTEM_TABLE_SIGNATURE ||
        rd32(st + ST_HEADER_SIZE) < EFI_SYSTAB_SIZE) {
        snprintf(why, whylen, "no 64-bit EFI system table at %#lx", pa);
        return -EINVAL;
    }
    n = rd64(st + ST_NR_TABLES);
    f->config_tables = rd64(st + ST_TABLES);
    if (n > EFI_MAX_CONFIG_TABLES ||
        (n && !map(f->config_tables, n * EFI_CONFIG_TABLE_SIZE))) {
        snprintf(why, whylen, "EFI config tables (%lu at %#lx) are unreadable",
                 n, f->config_tables);
        return -EINVAL;
    }
    f->systab = pa;
    f->nr_config_tables = n;
    f->version = rd32(st + ST_REVISION);
    f->fw_revision = rd32(st + ST_FW_REVISION);
    f->has_vendor = read_vendor(rd64(st + ST_FW_VENDOR), map, f->vendor);
    read_runtime(rd64(st + ST_RUNTIME), map, f);
    return 0;
}
