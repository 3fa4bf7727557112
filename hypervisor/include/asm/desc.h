/* SPDX-License-Identifier: MIT */
/*
 * asm/desc.h - GDT layout and the descriptor-table setup interface.
 *
 * The hypervisor's own selectors sit low in the GDT.  The FLAT_RING3
 * selectors that PV guests use (0xe033, 0xe02b, 0xe023, Xen's ABI) sit at
 * GDT entries 0x1c04 and up, so the GDT spans that far; the guest's own
 * descriptors (set_gdt) later fill the pages below them.
 */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#include <public/arch-x86/xen-x86_64.h>   /* FLAT_RING3_* */

#define HV_CS64         0xe008
#define HV_DS           0xe010
#define HV_CS32         0xe018
#define HV_TSS          0xe040
#define HV_LDT          0xe050          /* points at the running vCPU's LDT */
#define GDT_LIMIT       0xefff          /* 14 guest pages + the reserved one */

#define IST_DF   1
#define IST_NMI  2
#define IST_MC   3
#define IST_DB   4
#define NR_IST   4
/* Bytes kept free above each IST frame: the word at +8 locates TSS.rsp0. */
#define IST_TOP_RESERVED 16

#ifndef __ASSEMBLY__
int descriptors_alloc(unsigned int cpu);
void descriptors_init(unsigned int cpu);
void syscall_init(void);
void tss_set_rsp0(unsigned int cpu, uint64_t rsp0);
uint64_t *gdt_reserved_page(unsigned int cpu);
void load_gdt(uint64_t base);
void load_hypervisor_gdt(unsigned int cpu);
void idt_set_gate(unsigned int vec, void (*handler)(void), unsigned int ist,
                  unsigned int dpl);
#endif

#endif
