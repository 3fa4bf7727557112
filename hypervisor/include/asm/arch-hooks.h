/* SPDX-License-Identifier: MIT */
/*
 * asm/arch-hooks.h - everything common/ asks of the architecture and the
 * PV guest layer about a domain's and a vCPU's life, as Xen's arch_*
 * hooks: common/ calls these and never a pv_* function, nor reads or
 * writes struct arch_vcpu itself.  They are implemented in pv/ (vcpu.c,
 * context-switch.c, hypercall-page.c).
 */
#ifndef ASM_ARCH_HOOKS_H
#define ASM_ARCH_HOOKS_H

#include <mica/types.h>

struct vcpu;
struct vcpu_guest_context;

/*
 * A new vCPU's architectural state: kernel mode, its CR4 view, a fresh
 * FPU, its GDT mapped.  0 or a negative errno; on failure nothing is left
 * to undo.
 */
int arch_vcpu_create(struct vcpu *v);
/* Let go of its descriptor tables and page-table references (the kill). */
void arch_vcpu_destroy(struct vcpu *v);
/*
 * A vCPU that never ran gets its starting state from a guest context
 * (VCPUOP_initialise, XEN_DOMCTL_setvcpucontext).  Called under the vCPU's
 * setup_lock; -EEXIST if it has page tables already.
 */
int arch_set_vcpu_context(struct vcpu *v, const struct vcpu_guest_context *c);
/* Has v its starting state (page tables) yet? */
bool arch_vcpu_initialised(const struct vcpu *v);
/* A paused vCPU's state as a guest context (getvcpucontext), less the
 * common part: VGCF_online and vm_assist are the caller's to fill. */
void arch_get_vcpu_context(const struct vcpu *v, struct vcpu_guest_context *c);
/* VCPUOP_send_nmi: the NMI waits for v's next way back into the guest. */
void arch_vcpu_send_nmi(struct vcpu *v);
/*
 * A restore's extras (XEN_DOMCTL_setvcpucontext, common/domctl-save.c):
 * the general registers alone of a vCPU that has its state, for the same
 * page tables (-EEXIST otherwise); and, after arch_set_vcpu_context, the
 * descriptor tables and user page tables the vCPU had.
 */
int arch_set_vcpu_regs(struct vcpu *v, const struct vcpu_guest_context *c);
int arch_restore_vcpu_tables(struct vcpu *v, const struct vcpu_guest_context *c);
/* Switch this CPU from prev to next (either may be NULL: idle). */
void arch_context_switch(struct vcpu *prev, struct vcpu *next);
/* The hypercall stubs for a guest that asked for a hypercall page. */
void arch_write_hypercall_page(void *page);

#endif
