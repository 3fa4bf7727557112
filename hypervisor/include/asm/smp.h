/* SPDX-License-Identifier: MIT */
/*
 * asm/smp.h - bringing up the other CPUs, and talking to them (IPIs).
 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#define TRAMPOLINE_PA   0x8000          /* below 1 MiB, SIPI vector 0x08 */

#define VEC_EVENT_CHECK 0xf1            /* "look at your run queue" */
#define VEC_CALL_FUNC   0xf2            /* run a function, e.g. a TLB flush */

#ifndef __ASSEMBLY__
#include <mica/types.h>

struct tramp_params {
    uint32_t cr3;
    uint32_t efer_bits;
    uint64_t stack;
    uint64_t entry;
    uint32_t cpu;
    uint32_t pad;
};

extern unsigned int nr_cpus_online;
extern uint32_t cpu_apic_id[CONFIG_NR_CPUS];
extern uint32_t cpu_acpi_id[CONFIG_NR_CPUS];

void smp_boot_cpus(void);
bool cpu_online(unsigned int cpu);
unsigned int highest_online_cpu(void);
void send_ipi(unsigned int cpu, unsigned int vector);
/* Run fn(arg) on every other online CPU and wait for them (IPI). */
void smp_call_function(void (*fn)(void *), void *arg);
void flush_tlb_all_cpus(void);

#endif
#endif
