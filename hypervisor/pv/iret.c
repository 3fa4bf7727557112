/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/pv/iret.c - the iret hypercall, by which a PV guest returns
 * from its exception and event handlers and enters its user space.
 *
 * The guest pushes struct iret_context and makes the hypercall; every
 * register comes from that frame or stays as it was at the hypercall,
 * and the guest's virtual interrupt flag (upcall mask) follows RFLAGS.IF.
 */
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/guest-access.h>
#include <mica/hypercall.h>
#include <public/xen.h>

#define X86_EFLAGS_IF   0x00000200UL
#define X86_EFLAGS_IOPL 0x00003000UL
#define X86_EFLAGS_VM   0x00020000UL

long do_iret(void)
{
    struct cpu_regs *regs = guest_regs();
    struct vcpu *v = current;
    struct iret_context ic;

    if (copy_from_guest(&ic, regs->rsp, sizeof(ic))) {
        domain_crash(v->domain, "iret: unreadable frame at %#lx", regs->rsp);
        return -EFAULT;
    }

    if ((ic.cs & 3) == 3 && v->arch.kernel_mode) {
        /* Returning to user space needs user page tables (NEW_USER_BASEPTR). */
        if (!v->arch.guest_table_user) {
            domain_crash(v->domain, "iret to user mode without user page tables");
            return -EFAULT;
        }
        toggle_guest_mode(v);
    }

    regs->rip = ic.rip;
    regs->rsp = ic.rsp;
    regs->cs = ic.cs | 3;
    regs->ss = ic.ss | 3;
    regs->rflags = (ic.rflags & ~(X86_EFLAGS_IOPL | X86_EFLAGS_VM)) | X86_EFLAGS_IF;
    if (!(ic.flags & VGCF_in_syscall)) {
        regs->r11 = ic.r11;
        regs->rcx = ic.rcx;
    }
    regs->rax = ic.rax;
    v->vcpu_info->evtchn_upcall_mask = !(ic.rflags & X86_EFLAGS_IF);
    v->arch.nmi_masked = false;         /* an NMI handler ends with iret */
    return ic.rax;
}
