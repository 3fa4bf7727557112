/* SPDX-License-Identifier: MIT */
/*
 * asm/setup.h - the entry points of arch/x86/setup.c: start_mica, which
 * head.S calls once on the boot CPU, and cpu_init, the per-CPU state every
 * CPU loads (the boot CPU from start_mica, the others from smp.c); and
 * boot-domains.c's start_domains, which start_mica ends in.
 */
#ifndef ASM_SETUP_H
#define ASM_SETUP_H

#include <mica/types.h>

void __noreturn start_mica(uint32_t mbi_pa);
void cpu_init(void);

struct boot_info;
/* Build dom0 and the boot-time guests, then run the scheduler. */
void __noreturn start_domains(const struct boot_info *bi);

#endif
