/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/include/arch.h - guest-side view of start_info, shared_info
 * and a few CPU helpers.
 */
#ifndef TESTKERNEL_ARCH_H
#define TESTKERNEL_ARCH_H

#include <stdint.h>
#include <public/xen.h>

#ifndef VIRT_BASE              /* the minimal-notes variant links at 0 */
#define VIRT_BASE   0xffffffff80000000UL
#endif

extern start_info_t *start_info;
extern shared_info_t *shared;       /* NULL until mapped */
extern vcpu_info_t *vcpu0;          /* current location of vCPU 0's info */
extern uint64_t boot_tsc;           /* rdtsc just before our first console line */

/*
 * Move vCPU 0's vcpu_info into our own page (at boot, and again after a
 * resume in a new domain, where the registration did not travel); 0 or
 * the hypercall's error, vcpu0 then left NULL.
 */
long vcpu0_info_register(void);
/* Machine frame of one of our own virtual addresses (initial mapping). */
uint64_t virt_to_mfn(const void *va);
/* Frame of a virtual address by walking the live page tables; ~0 if none. */
uint64_t pt_walk(uint64_t va, uint64_t *pte_out);

static inline uint64_t read_flags(void)
{
    uint64_t f;
    asm volatile ("pushfq; pop %0" : "=r" (f));
    return f;
}

#endif /* TESTKERNEL_ARCH_H */
