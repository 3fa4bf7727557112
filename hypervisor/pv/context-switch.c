/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/pv/context-switch.c - moving a CPU from one PV vCPU to
 * another: the register frame, FPU/SSE state, FS/GS bases, debug
 * registers, page tables and descriptor tables.
 *
 * The running vCPU's registers live in the CPU's guest frame (top of its
 * stack); a vCPU that is not running keeps them in v->arch.regs.  The FPU
 * is switched eagerly (XSAVE, or FXSAVE without it: arch/x86/xstate.c):
 * simple, and what Linux expects.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/domain.h>
#include <mica/paging.h>
#include <mica/sched.h>
#include <mica/time.h>
#include <asm/arch-hooks.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/io.h>
#include <asm/page.h>

static void save_vcpu(struct vcpu *v)
{
    struct arch_vcpu *a = &v->arch;
    int state;

    a->regs = get_cpu_info()->guest_regs;
    xstate_save(v);
    a->fs_base = rdmsr(MSR_FS_BASE);
    a->gs_base = rdmsr(MSR_GS_BASE);
    a->gs_shadow = rdmsr(MSR_KERNEL_GS_BASE);

    state = !v->sched.pause_flags ? RUNSTATE_runnable :
            (v->sched.pause_flags & VPF_blocked) ? RUNSTATE_blocked : RUNSTATE_offline;
    runstate_change(v, state);
    runstate_update_guest(v);               /* prev's tables still loaded */
}

static void load_vcpu(struct vcpu *v)
{
    struct arch_vcpu *a = &v->arch;

    write_cr3(pv_cr3_table(v) << PAGE_SHIFT);
    pv_load_descriptor_tables(v);
    wrmsr(MSR_FS_BASE, a->fs_base);
    wrmsr(MSR_GS_BASE, a->gs_base);
    wrmsr(MSR_KERNEL_GS_BASE, a->gs_shadow);
    asm volatile("clts");
    xstate_restore(v);
    if (a->guest_ts)
        write_cr0(read_cr0() | X86_CR0_TS);
    asm volatile("mov %0, %%db0" :: "r"(a->debugreg[0]));
    asm volatile("mov %0, %%db1" :: "r"(a->debugreg[1]));
    asm volatile("mov %0, %%db2" :: "r"(a->debugreg[2]));
    asm volatile("mov %0, %%db3" :: "r"(a->debugreg[3]));
    asm volatile("mov %0, %%db6" :: "r"(a->debugreg[6]));
    asm volatile("mov %0, %%db7" :: "r"(a->debugreg[7]));
    get_cpu_info()->guest_regs = a->regs;

    pvclock_update(&v->vcpu_info->time);
    runstate_change(v, RUNSTATE_running);
    runstate_update_guest(v);
}

void arch_context_switch(struct vcpu *prev, struct vcpu *next)
{
    if (prev)
        save_vcpu(prev);
    current = next;
    if (next) {
        load_vcpu(next);
    } else {
        write_cr3(__pa(idle_pml4));
        load_hypervisor_gdt(smp_processor_id());
    }
    /*
     * Only now is prev's state saved and none of its tables in use here:
     * from this point another CPU may run it, or its domain be destroyed.
     */
    if (prev && prev != next)
        __atomic_store_n(&prev->sched.is_running, false, __ATOMIC_RELEASE);
}

/* A fresh vCPU's FPU: the state after FNINIT, SSE exceptions masked. */
void pv_vcpu_fpu_init(struct vcpu *v)
{
    xstate_vcpu_init(v);
}
