/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/include/hypercall.h - hypercall wrappers.
 *
 * Two entry paths exist and both are tested: a call into the hypercall page
 * the hypervisor filled in (older Linux), and a bare "syscall" from guest
 * kernel mode (Linux 6.1.123 and later).  hypercall_via_syscall picks the
 * default path for all wrappers; it is set by "hypercall=syscall" on the
 * command line.
 */
#ifndef TESTKERNEL_HYPERCALL_H
#define TESTKERNEL_HYPERCALL_H

#include <stdint.h>
#include <public/xen.h>

extern uint8_t hypercall_page[4096];
extern int hypercall_via_syscall;

/* Through hypercall_page + 32 * nr.  The stub saves rcx and r11 itself. */
static inline long hc_page(unsigned int nr, uint64_t a1, uint64_t a2,
                           uint64_t a3, uint64_t a4, uint64_t a5)
{
    register uint64_t rdi asm("rdi") = a1;
    register uint64_t rsi asm("rsi") = a2;
    register uint64_t rdx asm("rdx") = a3;
    register uint64_t r10 asm("r10") = a4;
    register uint64_t r8 asm("r8") = a5;
    long rax;

    asm volatile ("call *%[stub]"
                  : "=a" (rax), "+r" (rdi), "+r" (rsi), "+r" (rdx),
                    "+r" (r10), "+r" (r8)
                  : [stub] "r" (hypercall_page + nr * HYPERCALL_STUB_SIZE)
                  : "rcx", "r11", "memory");
    return rax;
}

/* "mov $nr,%eax; syscall" done inline; syscall itself clobbers rcx/r11. */
static inline long hc_syscall(unsigned int nr, uint64_t a1, uint64_t a2,
                              uint64_t a3, uint64_t a4, uint64_t a5)
{
    register uint64_t rdi asm("rdi") = a1;
    register uint64_t rsi asm("rsi") = a2;
    register uint64_t rdx asm("rdx") = a3;
    register uint64_t r10 asm("r10") = a4;
    register uint64_t r8 asm("r8") = a5;
    long rax = nr;

    asm volatile ("syscall"
                  : "+a" (rax), "+r" (rdi), "+r" (rsi), "+r" (rdx),
                    "+r" (r10), "+r" (r8)
                  :
                  : "rcx", "r11", "memory");
    return rax;
}

static inline long hypercall(unsigned int nr, uint64_t a1, uint64_t a2,
                             uint64_t a3, uint64_t a4, uint64_t a5)
{
    if (hypercall_via_syscall)
        return hc_syscall(nr, a1, a2, a3, a4, a5);
    return hc_page(nr, a1, a2, a3, a4, a5);
}

#define HC_PTR(p)   ((uint64_t)(uintptr_t)(p))

static inline long HYPERVISOR_set_trap_table(const void *table)
{ return hypercall(__HYPERVISOR_set_trap_table, HC_PTR(table), 0, 0, 0, 0); }

static inline long HYPERVISOR_mmu_update(const void *req, unsigned int count,
                                         unsigned int *done, domid_t dom)
{ return hypercall(__HYPERVISOR_mmu_update, HC_PTR(req), count,
                   HC_PTR(done), dom, 0); }

static inline long HYPERVISOR_stack_switch(uint64_t ss, uint64_t sp)
{ return hypercall(__HYPERVISOR_stack_switch, ss, sp, 0, 0, 0); }

static inline long HYPERVISOR_fpu_taskswitch(int set)
{ return hypercall(__HYPERVISOR_fpu_taskswitch, (uint64_t)set, 0, 0, 0, 0); }

static inline long HYPERVISOR_set_debugreg(int reg, uint64_t val)
{ return hypercall(__HYPERVISOR_set_debugreg, (uint64_t)reg, val, 0, 0, 0); }

static inline long HYPERVISOR_get_debugreg(int reg)
{ return hypercall(__HYPERVISOR_get_debugreg, (uint64_t)reg, 0, 0, 0, 0); }

static inline long HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{ return hypercall(__HYPERVISOR_memory_op, cmd, HC_PTR(arg), 0, 0, 0); }

static inline long HYPERVISOR_multicall(void *calls, unsigned int nr)
{ return hypercall(__HYPERVISOR_multicall, HC_PTR(calls), nr, 0, 0, 0); }

static inline long HYPERVISOR_update_va_mapping(uint64_t va, uint64_t pte,
                                                uint64_t flags)
{ return hypercall(__HYPERVISOR_update_va_mapping, va, pte, flags, 0, 0); }

static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{ return hypercall(__HYPERVISOR_xen_version, (uint64_t)cmd, HC_PTR(arg),
                   0, 0, 0); }

static inline long HYPERVISOR_console_io(int cmd, unsigned int count,
                                         const void *buf)
{ return hypercall(__HYPERVISOR_console_io, (uint64_t)cmd, count,
                   HC_PTR(buf), 0, 0); }

static inline long HYPERVISOR_vm_assist(unsigned int cmd, unsigned int type)
{ return hypercall(__HYPERVISOR_vm_assist, cmd, type, 0, 0, 0); }

static inline long HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{ return hypercall(__HYPERVISOR_vcpu_op, (uint64_t)cmd, vcpu, HC_PTR(arg),
                   0, 0); }

static inline long HYPERVISOR_set_segment_base(int which, uint64_t base)
{ return hypercall(__HYPERVISOR_set_segment_base, (uint64_t)which, base,
                   0, 0, 0); }

static inline long HYPERVISOR_mmuext_op(void *ops, unsigned int count,
                                        unsigned int *done, domid_t dom)
{ return hypercall(__HYPERVISOR_mmuext_op, HC_PTR(ops), count, HC_PTR(done),
                   dom, 0); }

static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{ return hypercall(__HYPERVISOR_sched_op, (uint64_t)cmd, HC_PTR(arg),
                   0, 0, 0); }

static inline long HYPERVISOR_callback_op(int cmd, const void *arg)
{ return hypercall(__HYPERVISOR_callback_op, (uint64_t)cmd, HC_PTR(arg),
                   0, 0, 0); }

static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{ return hypercall(__HYPERVISOR_event_channel_op, (uint64_t)cmd,
                   HC_PTR(arg), 0, 0, 0); }

static inline long HYPERVISOR_physdev_op(int cmd, void *arg)
{ return hypercall(__HYPERVISOR_physdev_op, (uint64_t)cmd, HC_PTR(arg),
                   0, 0, 0); }

#endif /* TESTKERNEL_HYPERCALL_H */
