/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/apic.c - local APIC set-up and register access.
 *
 * x2APIC mode (registers as MSRs) is used whenever the CPU has it, the
 * memory-mapped xAPIC otherwise; callers see one register interface.  The
 * legacy 8259 PICs are masked: every interrupt comes through the APIC.
 */
#include <mica/lib.h>
#include <asm/config.h>
#include <asm/io.h>
#include <asm/apic.h>
#include <asm/traps.h>

#define APIC_BASE_ENABLE  (1UL << 11)
#define APIC_BASE_X2APIC  (1UL << 10)
#define X2APIC_MSR_BASE   0x800

static bool x2apic;
static volatile uint32_t *xapic_regs;

bool apic_x2apic_mode(void)
{
    return x2apic;
}

uint32_t apic_read(unsigned int reg)
{
    if (x2apic)
        return rdmsr(X2APIC_MSR_BASE + (reg >> 4));
    return xapic_regs[reg / 4];
}

void apic_write(unsigned int reg, uint32_t v)
{
    if (x2apic)
        wrmsr(X2APIC_MSR_BASE + (reg >> 4), v);
    else
        xapic_regs[reg / 4] = v;
}

void apic_eoi(void)
{
    apic_write(APIC_EOI, 0);
}

uint32_t apic_id(void)
{
    uint32_t id = apic_read(APIC_ID);

    return x2apic ? id : id >> 24;
}

static void spurious(struct cpu_regs *regs)
{
    /* No EOI for a spurious interrupt, by the APIC's rules. */
}

/* The local APIC of a secondary CPU: enable it like the boot CPU's. */
void apic_init_secondary(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE;

    if (x2apic)
        base |= APIC_BASE_X2APIC;
    wrmsr(MSR_APIC_BASE, base);
    apic_write(APIC_TPR, 0);
    apic_write(APIC_SVR, 0x100 | VEC_SPURIOUS);
    apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
}

void apic_init(void)
{
    struct cpuid_regs r = cpuid(1, 0);
    uint64_t base;

    if (!(r.d & (1U << 9)))
        panic("this CPU has no local APIC");

    /* Keep the legacy PICs quiet: mask every line on both. */
    outb(0x21, 0xff);
    outb(0xa1, 0xff);

    base = rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE;
    x2apic = r.c & (1U << 21);
    if (x2apic)
        base |= APIC_BASE_X2APIC;
    wrmsr(MSR_APIC_BASE, base);
    xapic_regs = __va(base & 0xfffff000UL);

    apic_write(APIC_TPR, 0);
    apic_write(APIC_SVR, 0x100 | VEC_SPURIOUS);     /* software enable */
    apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
    set_irq_handler(VEC_SPURIOUS, spurious);

    printk("APIC: %s mode, id %u, version %#x\n", x2apic ? "x2APIC" : "xAPIC",
           apic_id(), apic_read(APIC_VERSION) & 0xff);
}
