/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/pv/traps.c - exceptions and system calls of 64-bit PV
 * guests: the guest's trap table, bounce frames, and the kernel/user mode
 * switch.
 *
 * A guest exception is first offered to the emulators (forced CPUID on
 * #UD, privileged instructions on #GP); otherwise it is "bounced": a frame
 * in Xen's layout is written on the guest kernel stack and the guest
 * resumes at the handler it registered with set_trap_table.  A guest
 * without a handler, or whose stack cannot take the frame, is crashed.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/guest-access.h>
#include <mica/hypercall.h>
#include <mica/paging.h>
#include <asm/config.h>
#include <asm/desc.h>
#include <asm/io.h>
#include <asm/traps.h>
#include <asm/pv.h>
#include <asm/cpu.h>

#define VEC_SYSCALL     0x100
#define X86_EFLAGS_TF   0x00000100UL
#define X86_EFLAGS_IF   0x00000200UL
#define X86_EFLAGS_IOPL 0x00003000UL
#define X86_EFLAGS_NT   0x00004000UL
#define X86_EFLAGS_RF   0x00010000UL
#define X86_EFLAGS_VM   0x00020000UL
#define X86_EFLAGS_AC   0x00040000UL
#define PFEC_user       (1U << 2)


struct cpu_regs *guest_regs(void)
{
    return &get_cpu_info()->guest_regs;
}

void pv_vcpu_init(struct vcpu *v)
{
    v->arch.kernel_mode = true;
    v->arch.guest_cr4 = X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
}

/* Kernel <-> user: the GS bases swap and the other L4 becomes current. */
void toggle_guest_mode(struct vcpu *v)
{
    v->arch.kernel_mode = !v->arch.kernel_mode;
    asm volatile("swapgs");
    write_cr3(pv_cr3_table(v) << PAGE_SHIFT);
}


/*
 * Write a bounce frame for 'handler' on the guest kernel stack and point
 * the guest at it.  ec < 0 means the vector has no error code.  Returns
 * false when the domain was crashed instead.
 */
static bool bounce(struct cpu_regs *regs, uint64_t handler, int64_t ec,
                   bool mask_events, const char *what)
{
    struct vcpu *v = current;
    vcpu_info_t *vi = v->vcpu_info;
    uint8_t saved_mask = vi->evtchn_upcall_mask;
    bool from_user = !v->arch.kernel_mode;
    uint64_t frame[8], sp, cs = regs->cs;
    unsigned int n = 0;

    if (!handler) {
        domain_crash(v->domain, "no guest handler for %s at rip %#lx", what,
                     regs->rip);
        return false;
    }
    if (from_user) {
        toggle_guest_mode(v);
        sp = v->arch.kernel_sp;
    } else {
        sp = regs->rsp;
        cs &= ~3UL;                 /* the guest sees its kernel at RPL 0 */
    }
    sp &= ~15UL;

    frame[n++] = regs->rcx;
    frame[n++] = regs->r11;
    if (ec >= 0)
        frame[n++] = ec;
    frame[n++] = regs->rip;
    frame[n++] = cs | ((uint64_t)saved_mask << 32);
    frame[n++] = (regs->rflags & ~(X86_EFLAGS_IF | X86_EFLAGS_IOPL)) |
                 (saved_mask ? 0 : X86_EFLAGS_IF);
    frame[n++] = regs->rsp;
    frame[n++] = regs->ss;
    sp -= n * 8;
    if (copy_to_guest(sp, frame, n * 8)) {
        domain_crash(v->domain, "bad guest stack %#lx delivering %s",
                     sp, what);
        return false;
    }

    regs->rsp = sp;
    regs->rip = handler;
    regs->cs = FLAT_KERNEL_CS;
    regs->ss = FLAT_KERNEL_SS;
    regs->rflags &= ~(X86_EFLAGS_TF | X86_EFLAGS_NT | X86_EFLAGS_RF |
                      X86_EFLAGS_VM | X86_EFLAGS_AC);
    regs->rflags |= X86_EFLAGS_IF;  /* real IF: always on in the guest */
    if (mask_events)
        vi->evtchn_upcall_mask = 1;
    return true;
}

void pv_inject_trap(struct cpu_regs *regs, unsigned int vector, int64_t ec)
{
    const struct trap_info *ti = &current->arch.traps[vector];
    char what[24];

    snprintf(what, sizeof(what), "vector %u", vector);
    bounce(regs, ti->address, ec, TI_GET_IF(ti), what);
}

/* For entry.S: the guest frame of this CPU. */
struct cpu_regs *get_guest_frame(void)
{
    return guest_regs();
}

/*
 * The general registers of a guest whose return faulted, per CPU.  The
 * fault's frame is pushed over the guest frame's register slots (iretq
 * runs with RSP just below its hardware part), so they hold a shuffle of
 * guest values and hypervisor addresses by the time pv_iret_failed runs.
 */
#define NR_GPRS     (offsetof(struct cpu_regs, vector) / sizeof(uint64_t))
static uint64_t iret_fault_gprs[CONFIG_NR_CPUS][NR_GPRS];

void pv_iret_fault_save(const struct cpu_regs *regs)
{
    memcpy(iret_fault_gprs[smp_processor_id()], regs, sizeof(iret_fault_gprs[0]));
}

/*
 * Returning to the guest faulted on its own CS/SS (selectors of its own
 * GDT/LDT).  As Xen does, the guest gets the CPU's fault, reported at the
 * address it was returning to, with its registers as they were; with no
 * handler for it, it is crashed.
 */
void pv_iret_failed(struct cpu_regs *regs)
{
    uint64_t f = get_cpu_info()->iret_fault;

    memcpy(regs, iret_fault_gprs[smp_processor_id()], sizeof(iret_fault_gprs[0]));
    pv_inject_trap(regs, f >> 32, (uint32_t)f);
    pv_exit_to_guest(regs);
}

static bool has_error_code(unsigned int vec)
{
    return vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21;
}

/*
 * #GP from "int $n": every IDT gate has DPL 0 (bar int3/into), so the
 * guest's own trap table decides.  The vector is read from the "int"
 * instruction itself: some CPU emulators (QEMU's TCG before 8.0) report
 * n * 16 + 2 instead of the architectural n * 8 + 2 in the error code.
 * A refused "int" is forwarded with the architectural error code.
 */
static bool software_interrupt(struct cpu_regs *regs)
{
    unsigned int vec = (regs->error_code >> 3) & 0xff;
    const struct trap_info *ti;
    uint8_t insn[2];

    if ((regs->error_code & 3) != 2)        /* IDT-referencing, not external */
        return false;
    if (!copy_from_guest(insn, regs->rip, sizeof(insn)) && insn[0] == 0xcd)
        vec = insn[1];
    regs->error_code = (vec << 3) | 2;
    ti = &current->arch.traps[vec];
    /* The guest kernel counts as ring 1 here, its user space as ring 3. */
    if (TI_GET_DPL(ti) < (current->arch.kernel_mode ? 1 : 3))
        return false;                       /* a real #GP for the guest */
    regs->rip += 2;                         /* "int $n" is two bytes */
    pv_inject_trap(regs, vec, -1);
    return true;
}

void pv_trap(struct cpu_regs *regs)
{
    unsigned int vec = regs->vector;
    struct vcpu *v = current;

    switch (vec) {
    case 2:                                 /* host NMI */
        return;
    case 6:
        if (pv_emulate_forced(regs))
            break;
        pv_inject_trap(regs, 6, -1);
        break;
    case 1:
        /* The guest reads DR6 through get_debugreg: keep the trap's value. */
        asm volatile("mov %%db6, %0" : "=r"(v->arch.debugreg[6]));
        asm volatile("mov %0, %%db6" :: "r"(0xffff0ff0UL));
        pv_inject_trap(regs, 1, -1);
        break;
    case 7:
        /* #NM: only a TS the guest asked for (fpu_taskswitch) is its business. */
        asm volatile("clts");
        if (v->arch.guest_ts) {
            v->arch.guest_ts = false;
            pv_inject_trap(regs, 7, -1);
        }
        break;
    case 13:
        if (regs->error_code && software_interrupt(regs))
            break;
        if (!regs->error_code && pv_emulate_priv_op(regs))
            break;
        pv_inject_trap(regs, 13, regs->error_code);
        break;
    case 14: {
        uint64_t cr2 = read_cr2(), ec;

        if (paging_enabled(v->domain) && shadow_fault(regs, cr2, true))
            break;                          /* a shadow entry made */
        ec = regs->error_code & ~(uint64_t)PFEC_user;
        if (pv_ptwr_fault(regs, cr2))
            break;                          /* a page-table write, done */
        /* The kernel runs at CPL 3 too; only real user mode gets the U bit. */
        if (!v->arch.kernel_mode)
            ec |= PFEC_user;
        v->vcpu_info->arch.cr2 = cr2;
        pv_inject_trap(regs, 14, ec);
        break;
    }
    default:
        pv_inject_trap(regs, vec, has_error_code(vec) ? (int64_t)regs->error_code : -1);
        break;
    }
    pv_exit_to_guest(regs);
}

/* SYSCALL from the guest: a hypercall from its kernel, a system call from
 * its user space (bounced to the registered syscall callback). */
void pv_syscall(struct cpu_regs *regs)
{
    struct vcpu *v = current;

    ASSERT(regs->vector == VEC_SYSCALL);
    if (v->arch.kernel_mode)
        do_hypercall(regs);
    else if (v->arch.syscall.address)
        bounce(regs, v->arch.syscall.address, -1, v->arch.syscall.mask_events,
               "syscall");
    else
        pv_inject_trap(regs, 6, -1);        /* no callback: as on hardware, #UD */
    pv_exit_to_guest(regs);
}

/*
 * Last stop before the guest runs again: deliver what is owed, an NMI
 * first (through trap-table vector 2, until the handler's iret) and then
 * the event callback when an upcall is pending and not masked.
 */
void pv_exit_to_guest(struct cpu_regs *regs)
{
    struct vcpu *v;
    vcpu_info_t *vi;

    if (reschedule_pending())
        schedule();                 /* may switch vCPU: the frame is its now */
    v = current;
    vi = v->vcpu_info;

    if (v->arch.nmi_pending && !v->arch.nmi_masked && v->arch.traps[2].address) {
        v->arch.nmi_pending = false;
        v->arch.nmi_masked = true;
        pv_inject_trap(regs, 2, -1);
    } else if (vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask &&
               v->arch.event.address) {
        bounce(regs, v->arch.event.address, -1, true, "event");
    }
    ASSERT((regs->cs & 3) == 3 && (regs->ss & 3) == 3);
    ASSERT(regs->rflags & X86_EFLAGS_IF);
}

/* set_trap_table: a NULL table clears every entry; a zero address ends it. */
long do_set_trap_table(uint64_t table)
{
    struct trap_info *traps = current->arch.traps;
    struct trap_info ti;

    if (!table) {
        memset(traps, 0, sizeof(current->arch.traps));
        return 0;
    }
    for (unsigned int i = 0; ; i++) {
        if (copy_from_guest(&ti, table + i * sizeof(ti), sizeof(ti)))
            return -EFAULT;
        if (!ti.address)
            return 0;
        if (!guest_range_ok(ti.address, 1))
            return -EINVAL;
        traps[ti.vector] = ti;
        if (i && !(i % 64) && hypercall_preempt_check())
            return hypercall_create_continuation(__HYPERVISOR_set_trap_table,
                                                 table + (i + 1) * sizeof(ti));
    }
}
