/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/efi.c - the EFI facts dom0 asks for through
 * platform_op XENPF_firmware_info / XEN_FW_EFI_INFO, laid out as Xen 4.17
 * answers them, read at boot from the system table and memory map GRUB
 * passed (Multiboot2 tags 12 and 17).
 *
 * Linux 6.1 as dom0 asks for the config-table array first: that is how it
 * finds the ACPI RSDP and SMBIOS on a machine with no legacy BIOS area.
 * The tables sit in memory the E820 map keeps reserved or ACPI, which
 * dom0 maps 1:1.
 *
 * Runtime services are never called: Mica always behaves as Xen booted
 * with "efi=no-rs".  GRUB's path leaves them in physical mode and Mica has
 * no page tables for them, and a firmware bug in them would run with the
 * hypervisor's privilege.  So, as Xen without runtime services answers,
 * XEN_FW_EFI_RT_VERSION and every XENPF_efi_runtime_call give -EOPNOTSUPP
 * (Linux takes that as EFI_UNSUPPORTED: no EFI variables, no Secure Boot
 * state, the RTC through CMOS).  No PCI option ROMs or Apple properties
 * were collected (GRUB left boot services before Mica ran).
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/efi.h>
#include <mica/guest-access.h>
#include <public/platform.h>
#include <asm/config.h>
#include <asm/page.h>
#include <asm/efi-memmap.h>
#include <asm/efi-systab.h>

static struct efi_facts efi;
static bool booted;
static const struct boot_info *boot;

bool efi_booted(void)
{
    return booted;
}

/* Firmware tables live below 4 GiB, all of which the direct map covers. */
static const void *map_phys(uint64_t pa, size_t len)
{
    if (!len || pa + len < pa || pa + len > (4UL << 30))
        return NULL;
    return __va(pa);
}

static void print_vendor(void)
{
    char name[EFI_VENDOR_MAX];
    unsigned int i;

    for (i = 0; i < EFI_VENDOR_MAX - 1 && efi.vendor[i]; i++)
        name[i] = efi.vendor[i] < 0x7f && efi.vendor[i] >= 0x20 ? efi.vendor[i] : '?';
    name[i] = '\0';
    printk("EFI: v%u.%02u by %s (revision %#x)\n", efi.version >> 16,
           efi.version & 0xffff, efi.has_vendor ? name : "(no vendor)",
           efi.fw_revision);
}

void efi_init(const struct boot_info *bi)
{
    char why[128];

    boot = bi;
    if (!bi->efi_systab)
        return;
    if (efi_systab_read(bi->efi_systab, map_phys, &efi, why, sizeof(why))) {
        printk(KERN_WARN "EFI: %s; dom0 gets no EFI information\n", why);
        return;
    }
    booted = true;
    print_vendor();
    printk("EFI: system table at %#lx, %u config tables at %#lx, runtime services %s\n",
           efi.systab, efi.nr_config_tables, efi.config_tables,
           efi.has_runtime ? "present (not called)" : "absent");
    if (bi->efi_mmap)
        printk("EFI: memory map of %u descriptors (%u bytes each, version %u) made the map above\n",
               bi->efi_mmap_size / bi->efi_desc_size, bi->efi_desc_size, bi->efi_desc_vers);
}

/* Through the NUL, or bufsz/2 characters, whichever comes first. */
static int copy_vendor(union xenpf_efi_info *info)
{
    size_t n = info->vendor.bufsz / 2, len = 0;

    if (!efi.has_vendor)
        return -EOPNOTSUPP;
    info->vendor.revision = efi.fw_revision;
    while (len < n && efi.vendor[len])
        len++;
    if (len < n)
        len++;                          /* the NUL fits: copy it too */
    if (!n)
        return 0;
    /* As Xen: the whole buffer the caller declared must be writable. */
    if (!guest_range_ok(info->vendor.name, n * 2))
        return -EFAULT;
    return copy_to_guest(info->vendor.name, efi.vendor, len * 2);
}

static int mem_info(union xenpf_efi_info *info)
{
    struct efi_mem_desc d;
    uint64_t end;

    if (!boot->efi_mmap ||
        efi_memmap_lookup(boot->efi_mmap, boot->efi_mmap_size, boot->efi_desc_size,
                          info->mem.addr, &d))
        return -ESRCH;
    end = d.start + (d.pages << EFI_PAGE_SHIFT);
    info->mem.type = d.type;
    info->mem.attr = d.attr;
    if (info->mem.addr + info->mem.size < info->mem.addr ||
        info->mem.addr + info->mem.size > end)
        info->mem.size = end - info->mem.addr;
    return 0;
}

int efi_get_info(struct xenpf_firmware_info *f)
{
    union xenpf_efi_info *info = &f->u.efi_info;

    if (!booted)
        return -ENOSYS;
    switch (f->index) {
    case XEN_FW_EFI_VERSION:
        info->version = efi.version;
        return 0;
    case XEN_FW_EFI_CONFIG_TABLE:
        info->cfg.addr = efi.config_tables;
        info->cfg.nent = efi.nr_config_tables;
        return 0;
    case XEN_FW_EFI_VENDOR:
        return copy_vendor(info);
    case XEN_FW_EFI_MEM_INFO:
        return mem_info(info);
    case XEN_FW_EFI_RT_VERSION:
        return -EOPNOTSUPP;             /* runtime services off (efi=no-rs) */
    case XEN_FW_EFI_PCI_ROM:
        return -ESRCH;
    case XEN_FW_EFI_APPLE_PROPERTIES:
        return -ENODATA;
    default:
        return -EINVAL;
    }
}
