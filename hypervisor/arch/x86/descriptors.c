/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/descriptors.c - each CPU's GDT, TSS (with IST
 * stacks) and SYSCALL entry stub, and the IDT they all share.
 *
 * The hypervisor's and the PV guests' flat selectors are Xen's (asm/desc.h)
 * and live in the last GDT page, at entries 0x1c00 and up: the "reserved"
 * page, which a running vCPU's own GDT maps after its guest pages.  #DF,
 * NMI, #MC and #DB run on IST stacks of their own, so a corrupt or
 * exhausted hypervisor stack still produces a readable dump, and a #DB
 * that a guest's "mov %ss" deferred onto the SYSCALL entry (where RSP is
 * still the guest's) lands on a stack of ours.  Above each IST frame sits
 * the address of TSS.rsp0: entry.S moves a frame from a guest there.
 *
 * SYSCALL does not switch stacks, and a guest's GS bases stay live in the
 * MSRs while the hypervisor runs, so each CPU gets a small stub page:
 * LSTAR points there, and the stub saves the guest RSP in its own page,
 * loads the CPU's stack and continues in entry.S.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/frame-alloc.h>
#include <asm/config.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/io.h>

#define GDT_FIRST_RESERVED  0x1c00
#define GDT_ENTRIES         (GDT_FIRST_RESERVED + 512)  /* whole reserved page */
#define SEL_INDEX(sel)      ((sel) >> 3)
#define STUB_SCRATCH        0x800       /* guest RSP, within the stub page */
#define STUB_TARGET         0x808       /* address of syscall_common */

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

/* Everything one CPU needs; the boot CPU's is static, the others' allocated. */
struct cpu_tables {
    uint64_t gdt[GDT_ENTRIES];
    uint8_t stub[PAGE_SIZE];
    uint8_t ist_stacks[NR_IST][IST_STACK_SIZE];
    struct tss64 tss;
};

extern void (*const trap_stubs[256])(void);
extern void syscall_common(void);

static struct cpu_tables bsp_tables __aligned(4096);
static struct cpu_tables *cpu_tables[CONFIG_NR_CPUS] = { &bsp_tables };
static struct idt_gate idt[256] __aligned(4096);

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

/* The IDT is shared; build it once, on the boot CPU. */
static void idt_init(void)
{
    for (unsigned int v = 0; v < 256; v++)
        idt_set_gate(v, trap_stubs[v], 0, 0);
    idt_set_gate(2, trap_stubs[2], IST_NMI, 0);
    idt_set_gate(8, trap_stubs[8], IST_DF, 0);
    idt_set_gate(18, trap_stubs[18], IST_MC, 0);
    idt_set_gate(1, trap_stubs[1], IST_DB, 0);
    /* int3 and into are legal in guests (which run in ring 3). */
    idt_set_gate(3, trap_stubs[3], 0, 3);
    idt_set_gate(4, trap_stubs[4], 0, 3);
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

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/*
 * The stub: save the guest RSP next to the code, switch to this CPU's
 * stack, push the SS and RSP slots of the frame, and jump on.  Written as
 * bytes because its immediates (stack, addresses) differ per CPU.
 */
static void build_syscall_stub(uint8_t *s, uint64_t rsp0)
{
    uint8_t *p = s;

    memset(s, 0xcc, PAGE_SIZE);
    *p++ = 0x48; *p++ = 0x89; *p++ = 0x25;          /* mov %rsp, scratch(%rip) */
    put32(p, STUB_SCRATCH - (p + 4 - s)); p += 4;
    *p++ = 0x48; *p++ = 0xbc;                       /* movabs $rsp0, %rsp */
    put64(p, rsp0); p += 8;
    *p++ = 0x68;                                    /* push $FLAT_RING3_SS64 */
    put32(p, FLAT_RING3_SS64); p += 4;
    *p++ = 0xff; *p++ = 0x35;                       /* push scratch(%rip) */
    put32(p, STUB_SCRATCH - (p + 4 - s)); p += 4;
    *p++ = 0xff; *p++ = 0x25;                       /* jmp *target(%rip) */
    put32(p, STUB_TARGET - (p + 4 - s)); p += 4;
    put64(s + STUB_TARGET, (uint64_t)syscall_common);
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

/* Allocate a secondary CPU's tables (before it starts). */
int descriptors_alloc(unsigned int cpu)
{
    unsigned int order = 0;
    mfn_t m;

    if (cpu >= CONFIG_NR_CPUS)
        return -1;
    if (cpu_tables[cpu])
        return 0;
    while ((PAGE_SIZE << order) < sizeof(struct cpu_tables))
        order++;
    m = alloc_frames(order);
    if (m == INVALID_MFN)
        return -1;
    cpu_tables[cpu] = __va(m << PAGE_SHIFT);
    memset(cpu_tables[cpu], 0, sizeof(struct cpu_tables));
    return 0;
}

void descriptors_init(unsigned int cpu)
{
    struct cpu_tables *t = cpu_tables[cpu];
    uint64_t *gdt;

    BUG_ON(cpu >= CONFIG_NR_CPUS || !t);
    gdt = t->gdt;
    gdt[SEL_INDEX(HV_CS64)]          = 0x00af9b000000ffffUL;
    gdt[SEL_INDEX(HV_DS)]            = 0x00cf93000000ffffUL;
    gdt[SEL_INDEX(HV_CS32)]          = 0x00cf9b000000ffffUL;
    gdt[SEL_INDEX(FLAT_RING3_CS32)]  = 0x00cffb000000ffffUL;
    gdt[SEL_INDEX(FLAT_RING3_DS32)]  = 0x00cff3000000ffffUL;
    gdt[SEL_INDEX(FLAT_RING3_CS64)]  = 0x00affb000000ffffUL;

    memset(&t->tss, 0, sizeof(t->tss));
    t->tss.iomap_base = sizeof(t->tss);         /* no I/O bitmap */
    for (unsigned int i = 0; i < NR_IST; i++) {
        uint64_t top = (uint64_t)t->ist_stacks[i] + IST_STACK_SIZE;

        t->tss.ist[i] = top - IST_TOP_RESERVED;
        *(uint64_t *)(top - 8) = (uint64_t)&t->tss.rsp[0];
    }
    t->tss.rsp[0] = cpu_info_rsp0(get_cpu_info());
    gdt_set_tss(gdt, &t->tss);

    if (cpu == 0)
        idt_init();
    load_tables(gdt);
}

/*
 * SYSCALL is how PV guests enter the hypervisor.  STAR's selector fields
 * are chosen so that SYSCALL lands on the hypervisor's flat code and data
 * selectors; SFMASK clears IF (and TF, DF, AC, NT) on the way in.
 */
void syscall_init(void)
{
    struct cpu_tables *t = cpu_tables[smp_processor_id()];

    build_syscall_stub(t->stub, cpu_info_rsp0(get_cpu_info()));
    wrmsr(MSR_STAR, ((uint64_t)FLAT_RING3_CS32 << 48) | ((uint64_t)HV_CS64 << 32));
    wrmsr(MSR_LSTAR, (uint64_t)t->stub);
    wrmsr(MSR_SFMASK, 0x47700);             /* TF IF DF NT AC (+IOPL) */
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

/* The page of a CPU's GDT holding the hypervisor's descriptors and TSS. */
uint64_t *gdt_reserved_page(unsigned int cpu)
{
    BUG_ON(cpu >= CONFIG_NR_CPUS || !cpu_tables[cpu]);
    return &cpu_tables[cpu]->gdt[GDT_FIRST_RESERVED];
}

void load_gdt(uint64_t base)
{
    struct desc_ptr gp = { GDT_ENTRIES * sizeof(uint64_t) - 1, base };

    asm volatile("lgdt %0" :: "m"(gp));
}

/* Back to the CPU's own full GDT (no guest running). */
void load_hypervisor_gdt(unsigned int cpu)
{
    load_gdt((uint64_t)cpu_tables[cpu]->gdt);
}

/* The stack the CPU switches to on an interrupt from ring 3 (guests). */
void tss_set_rsp0(unsigned int cpu, uint64_t rsp0)
{
    cpu_tables[cpu]->tss.rsp[0] = rsp0;
}
