/* SPDX-License-Identifier: MIT */
/*
 * asm/pv.h - the x86-64 PV state of a vCPU and the PV entry points.
 *
 * A 64-bit PV guest runs both its kernel and its user space in ring 3; the
 * hypervisor tracks which one is current (kernel_mode) and switches page
 * tables and GS bases between them, as Xen does.
 */
#ifndef ASM_PV_H
#define ASM_PV_H

#include <mica/types.h>
#include <public/xen.h>
#include <asm/regs.h>
#include <asm/xstate.h>

struct vcpu;
struct domain;
struct page_info;

struct pv_callback {
    uint64_t address;               /* 0: not registered */
    bool mask_events;               /* CALLBACKF_mask_events */
};

struct arch_vcpu {
    struct trap_info traps[256];    /* from set_trap_table */
    struct pv_callback event, failsafe, syscall, syscall32, sysenter;
    bool nmi_pending;               /* VCPUOP_send_nmi, delivered via traps[2] */
    bool nmi_masked;                /* in the NMI handler until its iret */

    bool kernel_mode;               /* guest kernel (true) or user */
    mfn_t guest_table;              /* kernel L4 */
    mfn_t guest_table_user;         /* user L4, 0 if none */
    uint64_t kernel_ss, kernel_sp;  /* stack_switch: where user traps land */

    /*
     * GS bases of the mode that is not current.  The current mode's base
     * lives in MSR_GS_BASE and the other one in MSR_KERNEL_GS_BASE while
     * the vCPU runs; swapgs swaps them on a mode change.
     */
    bool guest_ts;                  /* CR0.TS as the guest set it */
    unsigned int iopl;              /* virtual IOPL (PHYSDEVOP_set_iopl) */
    uint64_t iobmp;                 /* guest I/O bitmap (set_iobitmap), unused yet */
    uint32_t iobmp_ports;
    unsigned long guest_cr4;        /* CR4 as the guest sees it */
    uint64_t debugreg[8];

    /* Descriptor tables (pv/descriptor-tables.c); each frame holds a
     * PGT_seg_desc type reference. */
    mfn_t gdt_mfn[14];
    unsigned int gdt_frames, gdt_ents;
    mfn_t ldt_mfn[16];
    unsigned int ldt_frames, ldt_ents;

    struct cpu_regs regs;           /* saved registers while not running */
    /* FPU/SSE/AVX state while not running (arch/x86/xstate.c): XSAVE's
     * standard layout (FXSAVE's without XSAVE), 64-byte aligned in fpu_area. */
    uint8_t *fpu;
    uint8_t fpu_area[XSTATE_AREA_MAX + 64];
    uint64_t xcr0;                  /* the guest's XCR0 (its XSETBV) */
    uint64_t fs_base, gs_base, gs_shadow;   /* MSRs while not running */
    /* %ds, %es, %fs, %gs while not running: the vCPU's, as the bases are
     * (pv/context-switch.c); a selector the vCPU can no longer load is
     * loaded as null. */
    uint16_t sel[4];
};

enum { PV_SEL_DS, PV_SEL_ES, PV_SEL_FS, PV_SEL_GS };

/* The L4 the vCPU's current guest mode runs on: what CR3 holds for it. */
static inline mfn_t pv_active_table(const struct arch_vcpu *a)
{
    return a->kernel_mode ? a->guest_table : a->guest_table_user;
}

/* The register frame of the guest running on this CPU (top of its stack). */
struct cpu_regs *guest_regs(void);

void pv_vcpu_init(struct vcpu *v);
void pv_vcpu_fpu_init(struct vcpu *v);
void pv_trap(struct cpu_regs *regs);
/* The hypervisor's iretq to a guest faulted: keep the guest's registers. */
void pv_iret_fault_save(const struct cpu_regs *regs);
void pv_iret_failed(struct cpu_regs *regs);
void pv_syscall(struct cpu_regs *regs);
void pv_exit_to_guest(struct cpu_regs *regs);
void toggle_guest_mode(struct vcpu *v);

/* Deliver exception 'vector' (error code when 'ec' >= 0) to the guest. */
void pv_inject_trap(struct cpu_regs *regs, unsigned int vector, int64_t ec);
bool pv_emulate_forced(struct cpu_regs *regs);     /* #UD: ud2;"xen";cpuid */
bool pv_ptwr_fault(struct cpu_regs *regs, uint64_t addr); /* #PF on own L1 */
bool pv_emulate_priv_op(struct cpu_regs *regs);    /* #GP: rdmsr, mov cr... */
void pv_cpuid(uint32_t leaf, uint32_t subleaf, struct cpu_regs *regs);

void descriptor_tables_init(void);
int pv_vcpu_gdt_init(struct vcpu *v);
void pv_load_descriptor_tables(struct vcpu *v);
void pv_release_descriptor_tables(struct vcpu *v);
int set_ldt(struct vcpu *v, uint64_t base, uint32_t ents);
struct cpu_regs *get_guest_frame(void);           /* for entry.S */

/* What pv_build_domain() builds. */
struct build_spec {
    uint16_t id;
    bool privileged;
    const char *name;
    const void *kernel;
    size_t kernel_len;
    const char *cmdline;
    const void *initrd;
    size_t initrd_len;
    uint64_t mem_bytes;
    uint64_t max_bytes;             /* 0: no limit */
    unsigned int nr_vcpus;
    unsigned int weight, cap;       /* scheduler; 0 weight = default */
};
int pv_build_domain(const struct build_spec *spec, struct domain **out);

#endif
