/* SPDX-License-Identifier: MIT */
/* asm/traps.h - exception handling and interrupt vector registration. */
#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

#include <asm/regs.h>

#define VEC_APIC_TIMER  0xf0
#define VEC_SPURIOUS    0xff

typedef void (*irq_handler_t)(struct cpu_regs *regs);

void set_irq_handler(unsigned int vec, irq_handler_t fn);
void do_trap(struct cpu_regs *regs);
void dump_registers(const struct cpu_regs *regs);
void show_stack_trace(uint64_t rbp);
const char *trap_name(unsigned int vec);

#endif
