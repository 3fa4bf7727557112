/* SPDX-License-Identifier: MIT */
/*
 * mica/hypercall.h - hypercall dispatch and the handlers' prototypes.
 *
 * Every handler validates its guest-supplied arguments itself, copies
 * guest memory only through copy_from_guest/copy_to_guest, and returns a
 * negative errno on failure.  Handlers are listed by number in the table
 * in common/hypercall.c.
 */
#ifndef MICA_HYPERCALL_H
#define MICA_HYPERCALL_H

#include <mica/types.h>
#include <asm/regs.h>

#define NR_HYPERCALLS   64

void do_hypercall(struct cpu_regs *regs);

/*
 * Long-running hypercalls check hypercall_preempt_check() now and then;
 * when it says so they return hypercall_create_continuation(nr, args...),
 * which arranges for the guest to re-issue the call with the new
 * arguments (progress so far folded into them) once it next runs.
 */
bool hypercall_preempt_check(void);
long hypercall_create_continuation(unsigned int nr, ...);

/*
 * The start of every control interface (domctl, sysctl, platform_op), in
 * Xen's order: copy the guest's struct in (-EFAULT), check the interface
 * version it was built against (-EACCES), then the caller's privilege
 * (-EPERM).  Each struct starts with uint32_t cmd, interface_version.
 */
long control_op_fetch(void *op, size_t size, uint64_t arg, uint32_t version);

long do_set_trap_table(uint64_t table);
long do_stack_switch(uint64_t ss, uint64_t sp);
long do_set_callbacks(uint64_t event, uint64_t failsafe, uint64_t syscall);
long do_fpu_taskswitch(uint64_t set);
long do_set_debugreg(uint64_t reg, uint64_t value);
long do_get_debugreg(uint64_t reg);
long do_multicall(uint64_t list, uint64_t nr);
long do_xen_version(uint64_t cmd, uint64_t arg);
long do_console_io(uint64_t cmd, uint64_t count, uint64_t buffer);
long do_vm_assist(uint64_t cmd, uint64_t type);
long do_iret(void);
long do_vcpu_op(uint64_t cmd, uint64_t vcpuid, uint64_t arg);
long do_set_segment_base(uint64_t which, uint64_t base);
long do_sched_op(uint64_t cmd, uint64_t arg);
long do_callback_op(uint64_t cmd, uint64_t arg);
long do_mmu_update(uint64_t ureqs, uint64_t count, uint64_t pdone, uint64_t foreigndom);
long do_set_gdt(uint64_t frame_list, uint64_t entries);
long do_update_descriptor(uint64_t maddr, uint64_t desc);
long do_memory_op(uint64_t cmd, uint64_t arg);
long memory_exchange(uint64_t arg);     /* XENMEM_exchange */
long do_update_va_mapping(uint64_t va, uint64_t val, uint64_t flags);
long do_physdev_op(uint64_t cmd, uint64_t arg);
long do_platform_op(uint64_t op);
long do_mca(uint64_t op);                /* arch/x86/mca.c */
long do_set_timer_op(uint64_t timeout);
long do_mmuext_op(uint64_t uops, uint64_t count, uint64_t pdone, uint64_t foreigndom);

#endif
