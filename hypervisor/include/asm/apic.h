/* SPDX-License-Identifier: MIT */
/* asm/apic.h - the local APIC (xAPIC or x2APIC mode) and its timer. */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <mica/types.h>

#define APIC_ID         0x020
#define APIC_VERSION    0x030
#define APIC_TPR        0x080
#define APIC_EOI        0x0b0
#define APIC_SVR        0x0f0
#define APIC_LVT_TIMER  0x320
#define APIC_TMICT      0x380   /* timer initial count */
#define APIC_TMCCT      0x390   /* timer current count */
#define APIC_TDCR       0x3e0   /* timer divide configuration */

#define APIC_LVT_MASKED     (1U << 16)
#define APIC_TIMER_PERIODIC (1U << 17)
#define APIC_TDCR_DIV16     0x3

void apic_init(void);
void apic_init_secondary(void);
bool apic_x2apic_mode(void);
uint32_t apic_read(unsigned int reg);
void apic_write(unsigned int reg, uint32_t v);
void apic_eoi(void);
uint32_t apic_id(void);

#endif
