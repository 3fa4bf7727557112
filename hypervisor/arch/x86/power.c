/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/power.c - power-off and fatal halt.
 *
 * ACPI S5 needs the PM1 control ports (from the FADT) and the S5 sleep
 * type, which only the DSDT's AML knows.  Rather than an AML interpreter we
 * look for the "_S5_" name followed by its package and read the first
 * value, which is what every common firmware (and QEMU) emits.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/time.h>
#include <mica/params.h>
#include <mica/console.h>
#include <asm/config.h>
#include <asm/acpi.h>
#include <asm/io.h>
#include <asm/power.h>

#define SLP_EN          (1U << 13)
#define AML_PACKAGE_OP  0x12
#define AML_BYTE_PREFIX 0x0a
#define AML_ZERO_OP     0x00
#define AML_ONE_OP      0x01

static uint16_t pm1a_cnt, pm1b_cnt;
static int slp_typ_a = -1, slp_typ_b = -1;

static int aml_small_int(const uint8_t **pp, const uint8_t *end)
{
    const uint8_t *p = *pp;

    if (p >= end)
        return -1;
    if (*p == AML_BYTE_PREFIX && p + 1 < end) {
        *pp = p + 2;
        return p[1];
    }
    if (*p == AML_ZERO_OP || *p == AML_ONE_OP) {
        *pp = p + 1;
        return *p;
    }
    return -1;
}

static void find_s5(const struct acpi_header *dsdt)
{
    const uint8_t *p = (const uint8_t *)(dsdt + 1);
    const uint8_t *end = (const uint8_t *)dsdt + dsdt->length;

    for (; p + 8 < end; p++) {
        if (memcmp(p, "_S5_", 4) || p[4] != AML_PACKAGE_OP)
            continue;
        p += 5;
        p += ((*p >> 6) & 3) + 1;       /* skip PkgLength */
        p++;                            /* NumElements */
        slp_typ_a = aml_small_int(&p, end);
        slp_typ_b = aml_small_int(&p, end);
        return;
    }
}

void power_init(void)
{
    const uint8_t *fadt = (const uint8_t *)acpi_find_table("FACP");
    const struct acpi_header *dsdt = NULL;
    uint32_t len;

    if (!fadt) {
        printk(KERN_WARN "ACPI: no FADT; ACPI power-off unavailable\n");
        return;
    }
    len = ((const struct acpi_header *)fadt)->length;
    memcpy(&pm1a_cnt, fadt + 64, 2);
    if (len >= 72)
        memcpy(&pm1b_cnt, fadt + 68, 2);
    {
        uint64_t dsdt_pa = 0;

        if (len >= 148)
            memcpy(&dsdt_pa, fadt + 140, 8);        /* X_DSDT */
        if (!dsdt_pa)
            memcpy(&dsdt_pa, fadt + 40, 4);         /* DSDT */
        if (dsdt_pa && dsdt_pa < (4UL << 30))
            dsdt = __va(dsdt_pa);
    }
    if (dsdt && !memcmp(dsdt->signature, "DSDT", 4))
        find_s5(dsdt);
    printk("ACPI: PM1a_CNT %#x PM1b_CNT %#x S5 type %d/%d\n",
           pm1a_cnt, pm1b_cnt, slp_typ_a, slp_typ_b);
}

static void debug_exit(int code)
{
    if (opt_debug_exit && opt_debug_exit <= 0xffff)
        outl(opt_debug_exit, code);
}

void machine_poweroff(int code)
{
    local_irq_disable();
    printk("Powering off (status %d).\n", code);
    debug_exit(code);
    if (pm1a_cnt && slp_typ_a >= 0) {
        outw(pm1a_cnt, (slp_typ_a << 10) | SLP_EN);
        if (pm1b_cnt && slp_typ_b >= 0)
            outw(pm1b_cnt, (slp_typ_b << 10) | SLP_EN);
        /* The chipset (or QEMU's main loop) takes a moment to cut power. */
        udelay(500000);
    }
    printk(KERN_ERR "Power-off failed; halting.\n");
    for (;;)
        halt();
}

void machine_halt_fatal(void)
{
    local_irq_disable();
    debug_exit(EXIT_PANIC_CODE);
    printk(KERN_ERR "System halted.\n");
    for (;;)
        halt();
}
