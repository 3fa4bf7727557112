/* SPDX-License-Identifier: MIT */
/*
 * asm/cpu.h - per-CPU state, found from the stack pointer.
 *
 * Every CPU's hypervisor stack is STACK_SIZE bytes and STACK_SIZE-aligned,
 * and its top CPU_INFO_SIZE bytes hold struct cpu_info.  The frame of the
 * guest running on the CPU comes first in it, ending exactly where the TSS
 * sends interrupts from ring 3 (rsp0), so entries from a guest build the
 * frame in place.  Any code on the stack finds its CPU's data by rounding
 * the stack pointer - no segment register is needed, so the guest keeps
 * both of its GS bases in the MSRs.
 */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <asm/config.h>

#define CPU_INFO_SIZE   512

#ifndef __ASSEMBLY__
#include <mica/types.h>
#include <asm/regs.h>

struct vcpu;

struct cpu_info {
    struct cpu_regs guest_regs;     /* the running guest's frame */
    unsigned int cpu_id;
    struct vcpu *curr_vcpu;         /* NULL while idle */
    uint64_t iret_fault;            /* vector << 32 | error code, for entry.S */
};
_Static_assert(sizeof(struct cpu_info) <= CPU_INFO_SIZE, "cpu_info fits");

static inline struct cpu_info *get_cpu_info(void)
{
    unsigned long sp;

    asm("mov %%rsp, %0" : "=r"(sp));
    return (struct cpu_info *)(((sp | (STACK_SIZE - 1)) + 1) - CPU_INFO_SIZE);
}

/* Where the CPU's stack top (and rsp0) must be for a given cpu_info. */
static inline uint64_t cpu_info_rsp0(struct cpu_info *ci)
{
    return (uint64_t)(&ci->guest_regs + 1);
}

#define current             (get_cpu_info()->curr_vcpu)
#define smp_processor_id()  (get_cpu_info()->cpu_id)

#endif
#endif
