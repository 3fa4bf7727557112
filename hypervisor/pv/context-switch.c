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

/*
 * The data segment selectors belong to the vCPU, as its bases do.  Mica
 * itself uses none of them in long mode, so without this whatever the
 * last vCPU on this CPU loaded stays for the next.  That is not harmless:
 * Linux reads %fs and %gs at every process switch and takes a non-null
 * selector to mean "base from the descriptor", so a selector leaked from
 * another domain cost a dom0 process its TLS base (a later fault at
 * %fs:-0x48 in free()).  Selectors load before the bases are written,
 * because loading one resets its base.
 */
#define LOAD_SEG(seg, val)                                          \
    asm volatile("1: mov %k0, %%" #seg "\n"                         \
                 ".pushsection .fixup, \"ax\"\n"                    \
                 "2: xor %k0, %k0\n"                                 \
                 "   jmp 1b\n"                                       \
                 ".popsection\n"                                     \
                 ".pushsection .ex_table, \"a\"\n"                  \
                 ".balign 8\n"                                       \
                 ".quad 1b, 2b\n"                                    \
                 ".popsection\n" : "+r"(val) :: "memory")

static void save_selectors(struct arch_vcpu *a)
{
    asm volatile("mov %%ds, %0" : "=m"(a->sel[PV_SEL_DS]));
    asm volatile("mov %%es, %0" : "=m"(a->sel[PV_SEL_ES]));
    asm volatile("mov %%fs, %0" : "=m"(a->sel[PV_SEL_FS]));
    asm volatile("mov %%gs, %0" : "=m"(a->sel[PV_SEL_GS]));
}

/* A selector that no longer loads (its descriptor changed) loads as null. */
static void load_selectors(const struct arch_vcpu *a)
{
    uint32_t ds = a->sel[PV_SEL_DS], es = a->sel[PV_SEL_ES];
    uint32_t fs = a->sel[PV_SEL_FS], gs = a->sel[PV_SEL_GS];

    LOAD_SEG(ds, ds);
    LOAD_SEG(es, es);
    LOAD_SEG(fs, fs);
    LOAD_SEG(gs, gs);
}

static void save_vcpu(struct vcpu *v)
{
    struct arch_vcpu *a = &v->arch;
    int state;

    a->regs = get_cpu_info()->guest_regs;
    xstate_save(v);
    save_selectors(a);
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
    load_selectors(a);
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
