/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/pv/vcpu.c - a PV vCPU's architectural half, behind the
 * arch_* hooks common/ calls (asm/arch-hooks.h): made with the vCPU, given
 * its first state from a guest context, and taken apart at the kill.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/guest-access.h>
#include <mica/page.h>
#include <public/vcpu.h>
#include <asm/arch-hooks.h>
#include <asm/config.h>
#include <asm/page.h>
#include <asm/pv.h>
#include <asm/xstate.h>

int arch_vcpu_create(struct vcpu *v)
{
    pv_vcpu_init(v);
    pv_vcpu_fpu_init(v);
    return pv_vcpu_gdt_init(v);
}

void arch_vcpu_destroy(struct vcpu *v)
{
    pv_release_descriptor_tables(v);
    if (v->arch.guest_table)
        put_page_and_type(mfn_to_page(v->arch.guest_table));
    if (v->arch.guest_table_user)
        put_page_and_type(mfn_to_page(v->arch.guest_table_user));
}

/*
 * The context names its kernel
 * page tables by machine frame (ctrlreg[3]), which must validate as an L4
 * of the vCPU's domain; the vCPU must not be running.
 */
int arch_set_vcpu_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
    struct arch_vcpu *a = &v->arch;
    mfn_t l4;

    if (v->arch.guest_table)
        return -EEXIST;
    if (!canonical(c->user_regs.rip) || !canonical(c->user_regs.rsp) ||
        !canonical(c->event_callback_eip) || !canonical(c->failsafe_callback_eip) ||
        !canonical(c->syscall_callback_eip) || !canonical(c->fs_base) ||
        !canonical(c->gs_base_kernel) || !canonical(c->gs_base_user) ||
        !canonical(c->kernel_sp))
        return -EINVAL;
    l4 = c->ctrlreg[3] >> PAGE_SHIFT;
    if (!mfn_valid(l4) || get_page_and_type(mfn_to_page(l4), v->domain, PGT_l4))
        return -EINVAL;

    memcpy(a->traps, c->trap_ctxt, sizeof(a->traps));
    a->event.address = c->event_callback_eip;
    a->failsafe.address = c->failsafe_callback_eip;
    a->failsafe.mask_events = c->flags & VGCF_failsafe_disables_events;
    a->syscall.address = c->syscall_callback_eip;
    a->syscall.mask_events = c->flags & VGCF_syscall_disables_events;
    /* The virtual IOPL travels in the context's RFLAGS (Linux asks for 1). */
    a->iopl = (c->user_regs.rflags >> 12) & 3;
    a->kernel_ss = c->kernel_ss | 3;
    a->kernel_sp = c->kernel_sp;
    a->kernel_mode = true;
    a->fs_base = c->fs_base;
    a->gs_base = c->gs_base_kernel;
    a->gs_shadow = c->gs_base_user;
    /* Without VGCF_i387_valid the FPU starts as after FNINIT (Linux sends zeroes). */
    if (c->flags & VGCF_i387_valid)
        xstate_set_fxsave(v, &c->fpu_ctxt);
    else
        pv_vcpu_fpu_init(v);
    a->regs = (struct cpu_regs){
        .r15 = c->user_regs.r15, .r14 = c->user_regs.r14, .r13 = c->user_regs.r13,
        .r12 = c->user_regs.r12, .rbp = c->user_regs.rbp, .rbx = c->user_regs.rbx,
        .r11 = c->user_regs.r11, .r10 = c->user_regs.r10, .r9 = c->user_regs.r9,
        .r8 = c->user_regs.r8, .rax = c->user_regs.rax, .rcx = c->user_regs.rcx,
        .rdx = c->user_regs.rdx, .rsi = c->user_regs.rsi, .rdi = c->user_regs.rdi,
        .rip = c->user_regs.rip, .rsp = c->user_regs.rsp,
        .cs = FLAT_KERNEL_CS, .ss = FLAT_KERNEL_SS,
        .rflags = (c->user_regs.rflags & ~0x3000UL) | 0x202,
    };
    /* Last: VCPUOP_up takes a vCPU with page tables as fully set up. */
    __atomic_store_n(&a->guest_table, l4, __ATOMIC_RELEASE);
    return 0;
}
