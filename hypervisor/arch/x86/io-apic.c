/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/io-apic.c - the IO-APICs listed in the ACPI MADT and
 * the global system interrupts (GSIs) on their pins.
 *
 * Every pin starts masked.  A GSI someone wants (dom0, through its PIRQs)
 * gets a vector of its own, fixed delivery to the boot CPU, and the
 * trigger mode and polarity the firmware gives it: the MADT's interrupt
 * source overrides, else edge/high for the 16 ISA lines and level/low for
 * the rest (the PCI convention), unless dom0 sets them (setup_gsi).
 *
 * When a GSI fires, a level-triggered pin is masked before the local APIC
 * is acknowledged, so the line cannot storm while its owner handles it;
 * ioapic_gsi_unmask() (dom0's EOI) lets it fire again.  Edge-triggered
 * pins are acknowledged at once.
 *
 * Locking: ioapic_lock (taken with interrupts off; a leaf) covers the
 * register window of every IO-APIC and the per-GSI table.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <asm/config.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/io-apic.h>
#include <asm/smp.h>
#include <asm/spinlock.h>
#include <asm/traps.h>

#define MADT_IOAPIC         1
#define MADT_OVERRIDE       2
#define MAX_IOAPICS         8
#define MAX_GSIS            256
#define NR_ISA_IRQS         16

#define IOREGSEL            0x00
#define IOWIN               0x10
#define REG_VERSION         0x01
#define REG_RTE(pin)        (0x10 + 2 * (pin))

#define RTE_POLARITY_LOW    (1U << 13)
#define RTE_LEVEL           (1U << 15)
#define RTE_MASKED          (1U << 16)

/* Vectors for GSIs: above the exceptions, below Mica's own (0xf0 up). */
#define FIRST_GSI_VECTOR    0x30
#define LAST_GSI_VECTOR     0xdf

#define LAPIC_DEFAULT_BASE  0xfee00000UL

struct ioapic {
    paddr_t base;
    volatile uint32_t *regs;
    unsigned int gsi_base, nr_pins;
};

struct gsi {
    uint8_t vector;                 /* 0: none yet */
    bool level, active_low;
    bool mode_set;                  /* by setup_gsi: fixed from now on */
    gsi_handler_t handler;          /* non-NULL while enabled */
};

static spinlock_t ioapic_lock = SPINLOCK_INIT;
static struct ioapic ioapics[MAX_IOAPICS];
static unsigned int nr_ioapics, nr_gsis;
static struct gsi gsis[MAX_GSIS];
static uint16_t vector_gsi[256];    /* GSI + 1 behind each vector, 0: free */
static unsigned int pit_gsi;        /* where ISA IRQ 0 arrives */

static uint32_t reg_read(const struct ioapic *io, unsigned int reg)
{
    io->regs[IOREGSEL / 4] = reg;
    return io->regs[IOWIN / 4];
}

static void reg_write(const struct ioapic *io, unsigned int reg, uint32_t v)
{
    io->regs[IOREGSEL / 4] = reg;
    io->regs[IOWIN / 4] = v;
}

static const struct ioapic *gsi_ioapic(unsigned int gsi, unsigned int *pin)
{
    for (unsigned int i = 0; i < nr_ioapics; i++) {
        const struct ioapic *io = &ioapics[i];

        if (gsi >= io->gsi_base && gsi < io->gsi_base + io->nr_pins) {
            *pin = gsi - io->gsi_base;
            return io;
        }
    }
    return NULL;
}

/* Write a pin's redirection entry; the caller holds ioapic_lock. */
static void write_rte(unsigned int gsi, bool masked)
{
    const struct gsi *g = &gsis[gsi];
    unsigned int pin;
    const struct ioapic *io = gsi_ioapic(gsi, &pin);
    uint32_t low = g->vector | (g->level ? RTE_LEVEL : 0) |
                   (g->active_low ? RTE_POLARITY_LOW : 0) | (masked ? RTE_MASKED : 0);

    ASSERT(io && spin_is_locked_by_me(&ioapic_lock));
    /* Mask first, so the pin never fires half-programmed. */
    reg_write(io, REG_RTE(pin), RTE_MASKED);
    reg_write(io, REG_RTE(pin) + 1, cpu_apic_id[0] << 24);
    reg_write(io, REG_RTE(pin), low);
}

/* The caller holds ioapic_lock: the read and the write are one step. */
static void set_masked(unsigned int gsi, bool masked)
{
    unsigned int pin;
    const struct ioapic *io;
    uint32_t low;

    ASSERT(spin_is_locked_by_me(&ioapic_lock));
    io = gsi_ioapic(gsi, &pin);
    low = reg_read(io, REG_RTE(pin));
    reg_write(io, REG_RTE(pin), masked ? low | RTE_MASKED : low & ~RTE_MASKED);
}

static void gsi_interrupt(struct cpu_regs *regs)
{
    unsigned int gsi = vector_gsi[regs->vector & 0xff] - 1;
    gsi_handler_t fn = NULL;

    spin_lock(&ioapic_lock);
    if (gsi < nr_gsis && gsis[gsi].handler) {
        fn = gsis[gsi].handler;
        if (gsis[gsi].level)
            set_masked(gsi, true);
    }
    spin_unlock(&ioapic_lock);
    apic_eoi();
    if (fn)
        fn(gsi);
}

static void add_ioapic(const uint8_t *e)
{
    struct ioapic *io;
    uint32_t addr, gsi_base;

    if (e[1] < 12 || nr_ioapics == MAX_IOAPICS)
        return;
    memcpy(&addr, e + 4, 4);
    memcpy(&gsi_base, e + 8, 4);
    if (!addr || gsi_base >= MAX_GSIS)
        return;
    io = &ioapics[nr_ioapics++];
    io->base = addr;
    io->regs = __va(addr);          /* device memory below 4 GiB: mapped uncached */
    io->gsi_base = gsi_base;
    io->nr_pins = ((reg_read(io, REG_VERSION) >> 16) & 0xff) + 1;
    if (io->gsi_base + io->nr_pins > MAX_GSIS)
        io->nr_pins = MAX_GSIS - io->gsi_base;
    if (io->gsi_base + io->nr_pins > nr_gsis)
        nr_gsis = io->gsi_base + io->nr_pins;
    for (unsigned int pin = 0; pin < io->nr_pins; pin++)
        reg_write(io, REG_RTE(pin), RTE_MASKED);
    printk("IO-APIC: id %u at %#x, GSIs %u-%u\n", e[2], addr, gsi_base,
           gsi_base + io->nr_pins - 1);
}

/* An interrupt source override: ISA IRQ 'src' arrives on 'gsi', maybe inverted. */
static void add_override(const uint8_t *e)
{
    uint32_t gsi;
    uint16_t flags;
    unsigned int polarity, trigger;

    if (e[1] < 10 || e[2] != 0)
        return;                     /* only the ISA bus has overrides */
    memcpy(&gsi, e + 4, 4);
    memcpy(&flags, e + 8, 2);
    if (gsi >= MAX_GSIS)
        return;
    polarity = flags & 3;
    trigger = (flags >> 2) & 3;
    /* 0 means "as the bus says": ISA is edge/high. */
    gsis[gsi].active_low = polarity == 3;
    gsis[gsi].level = trigger == 3;
    if (e[3] == 0)
        pit_gsi = gsi;
}

void ioapic_init(void)
{
    const uint8_t *e;

    for (unsigned int gsi = 0; gsi < MAX_GSIS; gsi++) {
        gsis[gsi].level = gsi >= NR_ISA_IRQS;
        gsis[gsi].active_low = gsi >= NR_ISA_IRQS;
    }
    for (e = acpi_madt_next(NULL); e; e = acpi_madt_next(e))
        if (e[0] == MADT_IOAPIC)
            add_ioapic(e);
    for (e = acpi_madt_next(NULL); e; e = acpi_madt_next(e))
        if (e[0] == MADT_OVERRIDE)
            add_override(e);
    if (!nr_ioapics)
        printk("IO-APIC: none found; no device interrupts for dom0\n");
}

unsigned int ioapic_nr_gsis(void)
{
    return nr_gsis;
}

bool ioapic_gsi_reserved(unsigned int gsi)
{
    return gsi == pit_gsi;
}

int ioapic_gsi_set_mode(unsigned int gsi, bool level, bool active_low)
{
    unsigned long flags;
    int rc = 0;

    if (gsi >= nr_gsis)
        return -EINVAL;
    flags = spin_lock_irqsave(&ioapic_lock);
    if (gsis[gsi].mode_set || gsis[gsi].handler) {
        rc = -EEXIST;
    } else {
        gsis[gsi].level = level;
        gsis[gsi].active_low = active_low;
        gsis[gsi].mode_set = true;
    }
    spin_unlock_irqrestore(&ioapic_lock, flags);
    return rc;
}

bool ioapic_gsi_is_level(unsigned int gsi)
{
    return gsi < nr_gsis && gsis[gsi].level;
}

static uint8_t alloc_vector(unsigned int gsi)
{
    for (unsigned int v = FIRST_GSI_VECTOR; v <= LAST_GSI_VECTOR; v++) {
        if (!vector_gsi[v]) {
            vector_gsi[v] = gsi + 1;
            return v;
        }
    }
    return 0;
}

int ioapic_gsi_enable(unsigned int gsi, gsi_handler_t fn)
{
    unsigned long flags;
    int rc = 0;

    ASSERT(fn);
    if (gsi >= nr_gsis || ioapic_gsi_reserved(gsi))
        return -EINVAL;
    flags = spin_lock_irqsave(&ioapic_lock);
    if (gsis[gsi].handler) {
        rc = -EBUSY;
        goto out;
    }
    /* A GSI keeps its vector once given one: there are more vectors than pins. */
    if (!gsis[gsi].vector && !(gsis[gsi].vector = alloc_vector(gsi))) {
        rc = -ENOSPC;
        goto out;
    }
    set_irq_handler(gsis[gsi].vector, gsi_interrupt);
    gsis[gsi].handler = fn;
    write_rte(gsi, false);
out:
    spin_unlock_irqrestore(&ioapic_lock, flags);
    return rc;
}

void ioapic_gsi_disable(unsigned int gsi)
{
    unsigned long flags;

    if (gsi >= nr_gsis)
        return;
    flags = spin_lock_irqsave(&ioapic_lock);
    if (gsis[gsi].handler) {
        set_masked(gsi, true);
        gsis[gsi].handler = NULL;
    }
    spin_unlock_irqrestore(&ioapic_lock, flags);
}

void ioapic_gsi_unmask(unsigned int gsi)
{
    unsigned long flags;

    if (gsi >= nr_gsis)
        return;
    flags = spin_lock_irqsave(&ioapic_lock);
    if (gsis[gsi].handler)
        set_masked(gsi, false);
    spin_unlock_irqrestore(&ioapic_lock, flags);
}

int ioapic_guest_read(uint64_t physbase, unsigned int reg, uint32_t *val)
{
    unsigned long flags;

    for (unsigned int i = 0; i < nr_ioapics; i++) {
        if (ioapics[i].base != physbase)
            continue;
        flags = spin_lock_irqsave(&ioapic_lock);
        *val = reg_read(&ioapics[i], reg);
        spin_unlock_irqrestore(&ioapic_lock, flags);
        return 0;
    }
    return -EINVAL;
}

/*
 * Xen keeps both APICs away from dom0: programming them behind the
 * hypervisor's back would re-route or mask its interrupts.  Reading an
 * IO-APIC does no harm (Xen marks its page read-only; a writable mapping,
 * which Xen would quietly downgrade, is refused here).
 */
bool apic_mmio_denied(mfn_t mfn, bool writable)
{
    if (mfn == LAPIC_DEFAULT_BASE >> PAGE_SHIFT)
        return true;
    for (unsigned int i = 0; i < nr_ioapics; i++)
        if (mfn == ioapics[i].base >> PAGE_SHIFT)
            return writable;
    return false;
}
