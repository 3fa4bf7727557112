/* SPDX-License-Identifier: MIT */
/* asm/acpi.h - finding ACPI tables (RSDP -> RSDT/XSDT -> tables). */
#ifndef ASM_ACPI_H
#define ASM_ACPI_H

#include <mica/types.h>

struct acpi_header {
    char signature[4];
    uint32_t length;
    uint8_t revision;
    uint8_t checksum;
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    uint32_t creator_id;
    uint32_t creator_revision;
} __attribute__((packed));

/* 'rsdp' is the loader's copy (Multiboot2 tag) or NULL to search for it. */
void acpi_init(const void *rsdp);
const struct acpi_header *acpi_find_table(const char sig[4]);
paddr_t acpi_rsdp_paddr(void);
/* Walk the MADT's entries (type p[0], length p[1]): start with NULL. */
const uint8_t *acpi_madt_next(const uint8_t *prev);

#endif
