/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/descriptors.c - the GDT, the TSS with its IST
 * stacks, and the IDT.
 *
 * The hypervisor's and the PV guests' flat selectors are Xen's (asm/desc.h)
 * and live in the last GDT page, at entries 0x1c00 and above; the pages
 * below are reserved for a guest's own descriptor table later.  #DF, NMI
 * and #MC run on IST stacks of their own, so a corrupt or exhausted
 * hypervisor stack still produces a readable dump.
 */
#include <string.h>
#include <mica/lib.h>
#include <asm/config.h>
#include <asm/desc.h>
#include <asm/io.h>

#define GDT_FIRST_RESERVED  0x1c00
#define GDT_ENTRIES         (GDT_FIRST_RESERVED + 512)  /* whole reserved page */
#define SEL_INDEX(sel)      ((sel) >> 3)

struct tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __packed;
_Static_assert(sizeof(struct tss64) == 104, "TSS layout");

struct idt_gate {
    uint16_t off_lo;
    uint16_t sel;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t off_mid;
    uint32_t off_hi;
    uint32_t zero;
} __packed;

struct desc_ptr {
    uint16_t limit;
    uint64_t base;
} __packed;

extern void (*const trap_stubs[256])(void);

/* Boot CPU's tables; secondary CPUs get theirs when SMP arrives. */
static uint64_t bsp_gdt[GDT_ENTRIES] __aligned(4096);
static struct tss64 bsp_tss __aligned(64);
static struct idt_gate idt[256] __aligned(4096);
static uint8_t ist_stacks[3][IST_STACK_SIZE] __aligned(16);

void idt_set_gate(unsigned int vec, void (*handler)(void), unsigned int ist,
                  unsigned int dpl)
{
    uint64_t off = (uint64_t)handler;

    ASSERT(vec < 256 && ist < 8 && dpl < 4);
    idt[vec] = (struct idt_gate){
        .off_lo = off & 0xffff,
        .sel = HV_CS64,
        .ist = ist,
        .type_attr = 0x80 | (dpl << 5) | 0xe,   /* present, interrupt gate */
        .off_mid = (off >> 16) & 0xffff,
        .off_hi = off >> 32,
    };
}

static void gdt_set_tss(uint64_t *gdt, const struct tss64 *tss)
{
    uint64_t base = (uint64_t)tss, limit = sizeof(*tss) - 1;
    unsigned int i = SEL_INDEX(HV_TSS);

    gdt[i] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
             (0x89UL << 40) |                   /* present, 64-bit TSS */
             (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[i + 1] = base >> 32;
}

static void load_tables(uint64_t *gdt)
{
    struct desc_ptr gp = { sizeof(uint64_t) * GDT_ENTRIES - 1, (uint64_t)gdt };
    struct desc_ptr ip = { sizeof(idt) - 1, (uint64_t)idt };

    asm volatile("lgdt %0" :: "m"(gp));
    /* Reload CS through a far return, then the data segments. */
    asm volatile("pushq %0; leaq 1f(%%rip), %%rax; pushq %%rax; lretq; 1:"
                 :: "i"(HV_CS64) : "rax", "memory");
    asm volatile("mov %0, %%ss; mov %1, %%ds; mov %1, %%es; mov %1, %%fs; mov %1, %%gs"
                 :: "r"(HV_DS), "r"(0) : "memory");
    asm volatile("ltr %w0" :: "r"(HV_TSS));
    asm volatile("lidt %0" :: "m"(ip));
}

void descriptors_init(unsigned int cpu)
{
    uint64_t *gdt = bsp_gdt;

    BUG_ON(cpu != 0);
    gdt[SEL_INDEX(HV_CS64)]          = 0x00af9b000000ffffUL;
    gdt[SEL_INDEX(HV_DS)]            = 0x00cf93000000ffffUL;
    gdt[SEL_INDEX(HV_CS32)]          = 0x00cf9b000000ffffUL;
    gdt[SEL_INDEX(FLAT_RING3_CS32)]  = 0x00cffb000000ffffUL;
    gdt[SEL_INDEX(FLAT_RING3_DS32)]  = 0x00cff3000000ffffUL;
    gdt[SEL_INDEX(FLAT_RING3_CS64)]  = 0x00affb000000ffffUL;

    memset(&bsp_tss, 0, sizeof(bsp_tss));
    bsp_tss.iomap_base = sizeof(bsp_tss);       /* no I/O bitmap */
    bsp_tss.ist[IST_DF - 1]  = (uint64_t)ist_stacks[0] + IST_STACK_SIZE;
    bsp_tss.ist[IST_NMI - 1] = (uint64_t)ist_stacks[1] + IST_STACK_SIZE;
    bsp_tss.ist[IST_MC - 1]  = (uint64_t)ist_stacks[2] + IST_STACK_SIZE;
    gdt_set_tss(gdt, &bsp_tss);

    for (unsigned int v = 0; v < 256; v++)
        idt_set_gate(v, trap_stubs[v], 0, 0);
    idt_set_gate(2, trap_stubs[2], IST_NMI, 0);
    idt_set_gate(8, trap_stubs[8], IST_DF, 0);
    idt_set_gate(18, trap_stubs[18], IST_MC, 0);
    /* int3 and into are legal in guests (which run in ring 3). */
    idt_set_gate(3, trap_stubs[3], 0, 3);
    idt_set_gate(4, trap_stubs[4], 0, 3);

    load_tables(gdt);
}

/*
 * SYSCALL is how PV guests enter the hypervisor.  STAR's selector fields
 * are chosen so that SYSCALL lands on the hypervisor's flat code and data
 * selectors; SFMASK clears IF (and TF, DF, AC, NT) on the way in.
 */
void syscall_init(void)
{
    extern void syscall_enter(void);

    wrmsr(MSR_STAR, ((uint64_t)FLAT_RING3_CS32 << 48) | ((uint64_t)HV_CS64 << 32));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_enter);
    wrmsr(MSR_SFMASK, 0x47700);             /* TF IF DF NT AC (+IOPL) */
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

/* The page of the GDT holding the hypervisor's descriptors (and the TSS). */
uint64_t *gdt_reserved_page(unsigned int cpu)
{
    BUG_ON(cpu != 0);
    return &bsp_gdt[GDT_FIRST_RESERVED];
}

void load_gdt(uint64_t base)
{
    struct desc_ptr gp = { GDT_ENTRIES * sizeof(uint64_t) - 1, base };

    asm volatile("lgdt %0" :: "m"(gp));
}

/* Back to the hypervisor's own full GDT (no guest running). */
void load_hypervisor_gdt(unsigned int cpu)
{
    BUG_ON(cpu != 0);
    load_gdt((uint64_t)bsp_gdt);
}

/* The stack the CPU switches to on an interrupt from ring 3 (guests). */
void tss_set_rsp0(unsigned int cpu, uint64_t rsp0)
{
    BUG_ON(cpu != 0);
    bsp_tss.rsp[0] = rsp0;
}
