/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/acpi.c - locates the ACPI tables.
 *
 * Only table discovery lives here: the RSDP (from the boot loader, or
 * found in the BIOS areas), then the XSDT (or RSDT) listing every other
 * table.  Each table's checksum is verified before use, since a corrupt
 * table would otherwise send power-off or CPU bring-up astray.  The MADT's
 * entries (CPUs, IO-APICs, interrupt overrides) are walked here for
 * smp.c and io-apic.c.
 */
#include <string.h>
#include <mica/lib.h>
#include <asm/config.h>
#include <asm/acpi.h>

struct rsdp {
    char signature[8];
    uint8_t checksum;
    char oem_id[6];
    uint8_t revision;
    uint32_t rsdt_address;
    uint32_t length;            /* ACPI 2.0+ from here */
    uint64_t xsdt_address;
    uint8_t ext_checksum;
    uint8_t reserved[3];
} __attribute__((packed));

static const struct acpi_header *root;  /* XSDT or RSDT */
static bool root_is_xsdt;
static paddr_t rsdp_pa;

static bool checksum_ok(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;

    for (size_t i = 0; i < len; i++)
        sum += b[i];
    return sum == 0;
}

static const struct rsdp *scan_rsdp(paddr_t start, paddr_t end)
{
    for (paddr_t pa = start; pa + 20 <= end; pa += 16) {
        const struct rsdp *r = __va(pa);

        if (!memcmp(r->signature, "RSD PTR ", 8) && checksum_ok(r, 20)) {
            rsdp_pa = pa;
            return r;
        }
    }
    return NULL;
}

static const struct acpi_header *map_table(paddr_t pa)
{
    const struct acpi_header *h;

    /* Everything below 4 GiB is direct-mapped; tables live there in practice. */
    if (!pa || pa >= (4UL << 30))
        return NULL;
    h = __va(pa);
    if (h->length < sizeof(*h) || h->length > (1U << 24) ||
        !checksum_ok(h, h->length))
        return NULL;
    return h;
}

void acpi_init(const void *loader_rsdp)
{
    const struct rsdp *r = loader_rsdp;

    if (!r) {
        /* The EBDA's first KiB, then the BIOS read-only area. */
        paddr_t ebda = (paddr_t)*(const uint16_t *)__va(0x40e) << 4;

        if (ebda >= 0x80000 && ebda < 0xa0000)
            r = scan_rsdp(ebda, ebda + 1024);
        if (!r)
            r = scan_rsdp(0xe0000, 0x100000);
    }
    if (!r || memcmp(r->signature, "RSD PTR ", 8) || !checksum_ok(r, 20)) {
        printk(KERN_WARN "ACPI: no valid RSDP; ACPI power-off unavailable\n");
        return;
    }
    if (r->revision >= 2 && r->xsdt_address) {
        root = map_table(r->xsdt_address);
        root_is_xsdt = root != NULL;
    }
    if (!root)
        root = map_table(r->rsdt_address);
    if (!root) {
        printk(KERN_WARN "ACPI: RSDT/XSDT missing or corrupt\n");
        return;
    }
    printk("ACPI: RSDP rev %u, %s at %p, OEM '%.6s'\n", r->revision,
           root_is_xsdt ? "XSDT" : "RSDT", (void *)__pa(root), r->oem_id);
}

paddr_t acpi_rsdp_paddr(void)
{
    return rsdp_pa;
}

const struct acpi_header *acpi_find_table(const char sig[4])
{
    size_t esize = root_is_xsdt ? 8 : 4, n;
    const uint8_t *entries;

    if (!root)
        return NULL;
    n = (root->length - sizeof(*root)) / esize;
    entries = (const uint8_t *)(root + 1);
    for (size_t i = 0; i < n; i++) {
        uint64_t pa = 0;
        const struct acpi_header *h;

        memcpy(&pa, entries + i * esize, esize);
        h = map_table(pa);
        if (h && !memcmp(h->signature, sig, 4))
            return h;
    }
    return NULL;
}

/*
 * The MADT entry after 'prev' (NULL: the first), or NULL at the end.  An
 * entry is at least its 2-byte header and lies wholly inside the table.
 */
const uint8_t *acpi_madt_next(const uint8_t *prev)
{
    const struct acpi_header *madt = acpi_find_table("APIC");
    const uint8_t *p, *end;

    if (!madt)
        return NULL;
    end = (const uint8_t *)madt + madt->length;
    p = prev ? prev + prev[1] : (const uint8_t *)madt + 44;  /* + LAPIC addr, flags */
    if (p + 2 > end || p[1] < 2 || p + p[1] > end)
        return NULL;
    return p;
}
