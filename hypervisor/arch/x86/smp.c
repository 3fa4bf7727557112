/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/smp.c - starting the secondary CPUs listed in the
 * ACPI MADT, and inter-processor interrupts.
 *
 * Each CPU gets its own stack (with struct cpu_info on top), descriptor
 * tables and SYSCALL stub before it starts.  It is woken with INIT and two
 * start-up IPIs into the real-mode trampoline, which runs on page tables
 * that add an identity map of low memory to the hypervisor's; the CPU's C
 * entry then moves to the hypervisor's own tables.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/frame-alloc.h>
#include <mica/tlb-clock.h>
#include <mica/time.h>
#include <mica/sched.h>
#include <asm/config.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/io.h>
#include <asm/page.h>
#include <asm/setup.h>
#include <asm/smp.h>
#include <asm/traps.h>

#define MADT_LAPIC          0
#define MADT_X2APIC         9
#define MADT_ENABLED        1
#define ICR_LOW             0x300
#define ICR_HIGH            0x310
#define ICR_INIT            0x00004500
#define ICR_STARTUP         0x00004600
#define ICR_FIXED           0x00004000
#define ICR_PENDING         (1U << 12)

extern const char trampoline_start[], trampoline_end[], tramp_params[];
extern pte_t l3_boot[];

unsigned int nr_cpus_online = 1;
uint32_t cpu_apic_id[CONFIG_NR_CPUS];
uint32_t cpu_acpi_id[CONFIG_NR_CPUS];   /* the MADT's processor UID */
static volatile bool online[CONFIG_NR_CPUS] = { true };

bool cpu_online(unsigned int cpu)
{
    return cpu < CONFIG_NR_CPUS && online[cpu];
}

unsigned int highest_online_cpu(void)
{
    unsigned int top = 0;

    for (unsigned int c = 0; c < CONFIG_NR_CPUS; c++)
        if (cpu_online(c))
            top = c;
    return top;
}

static void icr_write(uint32_t apic_id, uint32_t low)
{
    if (apic_x2apic_mode()) {
        wrmsr(0x830, ((uint64_t)apic_id << 32) | low);
        return;
    }
    apic_write(ICR_HIGH, apic_id << 24);
    apic_write(ICR_LOW, low);
    for (int i = 0; i < 100000 && (apic_read(ICR_LOW) & ICR_PENDING); i++)
        cpu_relax();
}

void send_ipi(unsigned int cpu, unsigned int vector)
{
    if (cpu_online(cpu))
        icr_write(cpu_apic_id[cpu], ICR_FIXED | vector);
}

/* ---- calling functions on other CPUs ---------------------------------- */

/*
 * One call at a time (call_lock).  A CPU may ask for one with interrupts
 * off (a TLB flush from a path holding an irqsave lock), so it cannot wait
 * for call_lock the plain way: the holder may be waiting for it to run the
 * holder's own call, whose IPI stays undelivered while its interrupts are
 * off.  So each target also gets a flag, and a CPU spinning for the lock
 * runs a call addressed to it itself; the flag, taken with an exchange,
 * makes sure the IPI that arrives later does not run it twice.
 */
static struct {
    void (*fn)(void *);
    void *arg;
    volatile unsigned int pending;
} call_data;
static volatile uint32_t call_lock;
static bool call_wanted[CONFIG_NR_CPUS];

static void call_service(void)
{
    if (!__atomic_exchange_n(&call_wanted[smp_processor_id()], false, __ATOMIC_ACQ_REL))
        return;
    call_data.fn(call_data.arg);
    __atomic_fetch_sub(&call_data.pending, 1, __ATOMIC_SEQ_CST);
}

static void call_function_interrupt(struct cpu_regs *regs)
{
    apic_eoi();
    call_service();
}

void smp_call_function(void (*fn)(void *), void *arg)
{
    unsigned int me = smp_processor_id();

    if (nr_cpus_online < 2)
        return;
    while (__atomic_exchange_n(&call_lock, 1, __ATOMIC_ACQUIRE)) {
        call_service();                 /* the holder may be waiting for us */
        cpu_relax();
    }
    call_data.fn = fn;
    call_data.arg = arg;
    call_data.pending = nr_cpus_online - 1;
    for (unsigned int c = 0; c < CONFIG_NR_CPUS; c++)
        if (c != me && cpu_online(c)) {
            __atomic_store_n(&call_wanted[c], true, __ATOMIC_RELEASE);
            send_ipi(c, VEC_CALL_FUNC);
        }
    while (call_data.pending)
        cpu_relax();
    __atomic_store_n(&call_lock, 0, __ATOMIC_RELEASE);
}

static void flush_local(void *unused)
{
    tlb_clock_flush_local();
}

void flush_tlb_all_cpus(void)
{
    flush_local(NULL);
    smp_call_function(flush_local, NULL);
}

static void event_check_interrupt(struct cpu_regs *regs)
{
    /* Only to leave hlt: the interrupted path re-checks what to run. */
    apic_eoi();
}

/* ---- start-up ----------------------------------------------------------- */

/* First C code on a secondary CPU (from the trampoline). */
static void __noreturn start_secondary(unsigned int cpu)
{
    write_cr3(__pa(idle_pml4));
    descriptors_init(cpu);
    cpu_init();
    apic_init_secondary();
    timer_start_local();
    online[cpu] = true;
    __atomic_fetch_add(&nr_cpus_online, 1, __ATOMIC_SEQ_CST);
    printk("CPU%u: online (APIC id %u)\n", cpu, apic_id());
    scheduler_enter_idle();
}

static pte_t *trampoline_pml4(void)
{
    mfn_t m = alloc_frames(0);
    pte_t *t;

    if (m == INVALID_MFN || m >= (1UL << 20))
        panic("SMP: no low frame for the start-up page tables");
    t = __va(m << PAGE_SHIFT);
    memcpy(t, idle_pml4, PAGE_SIZE);
    /* The boot tables' identity map of the first 4 GiB (head.S). */
    t[0] = __pa(l3_boot) | _PAGE_PRESENT | _PAGE_RW;
    return t;
}

static bool start_cpu(unsigned int cpu, uint32_t apic, pte_t *pml4)
{
    struct tramp_params *p = (struct tramp_params *)
        __va(TRAMPOLINE_PA + (tramp_params - trampoline_start));
    mfn_t stack = alloc_frames(STACK_ORDER);
    struct cpu_info *ci;
    uint64_t t0;

    if (stack == INVALID_MFN || descriptors_alloc(cpu))
        return false;
    ci = (struct cpu_info *)((uint8_t *)__va((stack << PAGE_SHIFT) + STACK_SIZE) -
                             CPU_INFO_SIZE);
    memset(ci, 0, CPU_INFO_SIZE);
    ci->cpu_id = cpu;
    cpu_apic_id[cpu] = apic;

    p->cr3 = __pa(pml4);
    p->efer_bits = 0x100 | (rdmsr(MSR_EFER) & EFER_NXE);
    p->stack = (uint64_t)ci;
    p->entry = (uint64_t)start_secondary;
    p->cpu = cpu;

    icr_write(apic, ICR_INIT);
    udelay(10000);
    for (int i = 0; i < 2 && !online[cpu]; i++) {
        icr_write(apic, ICR_STARTUP | (TRAMPOLINE_PA >> 12));
        udelay(200);
    }
    /* Wait up to 2 s of TSC time (TCG is slow to start CPUs). */
    for (t0 = now_ns(); !online[cpu] && now_ns() - t0 < 2000000000UL; )
        cpu_relax();
    return online[cpu];
}

void smp_boot_cpus(void)
{
    const uint8_t *p;
    unsigned int next = 1;
    pte_t *pml4;

    cpu_apic_id[0] = apic_id();
    set_irq_handler(VEC_EVENT_CHECK, event_check_interrupt);
    set_irq_handler(VEC_CALL_FUNC, call_function_interrupt);
    if (!acpi_madt_next(NULL)) {
        printk("SMP: no MADT, running on one CPU\n");
        return;
    }
    memcpy(__va(TRAMPOLINE_PA), trampoline_start, trampoline_end - trampoline_start);
    pml4 = trampoline_pml4();

    for (p = acpi_madt_next(NULL); p; p = acpi_madt_next(p)) {
        uint32_t apic, flags, uid;

        if (p[0] == MADT_LAPIC && p[1] >= 8) {
            uid = p[2];
            apic = p[3];
            flags = p[4] | (p[5] << 8) | (p[6] << 16) | ((uint32_t)p[7] << 24);
        } else if (p[0] == MADT_X2APIC && p[1] >= 16) {
            memcpy(&apic, p + 4, 4);
            memcpy(&flags, p + 8, 4);
            memcpy(&uid, p + 12, 4);
        } else {
            continue;
        }
        if (apic == cpu_apic_id[0])
            cpu_acpi_id[0] = uid;
        if (!(flags & MADT_ENABLED) || apic == cpu_apic_id[0])
            continue;
        if (next >= CONFIG_NR_CPUS) {
            printk(KERN_WARN "SMP: CPU with APIC id %u ignored (CONFIG_NR_CPUS=%u)\n",
                   apic, CONFIG_NR_CPUS);
            continue;
        }
        cpu_acpi_id[next] = uid;
        if (start_cpu(next, apic, pml4))
            next++;
        else
            printk(KERN_ERR "SMP: CPU with APIC id %u did not start\n", apic);
    }
    free_frames(__pa(pml4) >> PAGE_SHIFT, 0);
    printk("SMP: %u CPUs online\n", nr_cpus_online);
}
