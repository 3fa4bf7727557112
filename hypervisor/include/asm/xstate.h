/* SPDX-License-Identifier: MIT */
/* asm/xstate.h - XSAVE state components for PV guests (arch/x86/xstate.c). */
#ifndef ASM_XSTATE_H
#define ASM_XSTATE_H

#include <mica/types.h>

#define XSTATE_FP           (1UL << 0)
#define XSTATE_SSE          (1UL << 1)
#define XSTATE_AVX          (1UL << 2)
#define XSTATE_GUEST        (XSTATE_FP | XSTATE_SSE | XSTATE_AVX)
#define XSTATE_AREA_MAX     1024    /* x87 + SSE + header + AVX = 832 */
#define X86_CR4_OSXSAVE     (1UL << 18)

struct vcpu;
struct cpuid_regs;

void xstate_init_cpu(void);
bool xstate_enabled(void);
void xstate_vcpu_init(struct vcpu *v);
void xstate_set_fxsave(struct vcpu *v, const void *image);
void xstate_save(struct vcpu *v);
void xstate_restore(struct vcpu *v);
bool xstate_set_xcr0(struct vcpu *v, uint32_t index, uint64_t val);
void xstate_cpuid(uint32_t subleaf, struct cpuid_regs *r);
/* A stopped vCPU's XCR0 and area (XSTATE_AREA_MAX bytes), out and in. */
uint64_t xstate_guest_mask(void);
const void *xstate_get_saved(const struct vcpu *v, uint64_t *xcr0);
int xstate_set_saved(struct vcpu *v, uint64_t xcr0, const void *area, unsigned long len);

#endif
