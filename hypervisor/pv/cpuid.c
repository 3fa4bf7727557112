/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/pv/cpuid.c - the CPUID a PV guest sees through the forced
 * emulation prefix: the host's leaves, minus every feature a PV guest must
 * not use or that Mica does not virtualise, plus Xen's hypervisor leaves.
 *
 * Hidden, as Xen hides them for PV: VMX/SVM, monitor/mwait, x2APIC, PCID,
 * machine-check architecture (MCE/MCA: no virtual MCG_* MSRs yet),
 * PSE/PGE/1 GiB pages (a PV guest never gets large pages), TSC deadline,
 * and the control-register features whose CR4 bits we do not honour
 * (FSGSBASE, SMEP, SMAP, UMIP, PKU, LA57).  XSAVE is offered when the CPU
 * has it, with the components arch/x86/xstate.c lets guests enable (x87,
 * SSE, AVX).  OSXSAVE is the hardware's, as in Xen (Linux takes XSAVE only
 * when it is on); the guest sets its CR4.OSXSAVE before XSETBV.
 */
#include <mica/lib.h>
#include <mica/domain.h>
#include <asm/io.h>
#include <asm/xstate.h>

#define XEN_CPUID_BASE      0x40000000U
#define XEN_CPUID_MAX       0x40000005U

/* Leaf 1 ECX / EDX bits to clear. */
#define L1_ECX_HIDE ((1U << 3) | (1U << 4) | (1U << 5) | (1U << 6) | (1U << 7) | \
                     (1U << 8) | (1U << 14) | (1U << 15) | (1U << 17) |          \
                     (1U << 18) | (1U << 21) | (1U << 24) | (1U << 26) |         \
                     (1U << 27) | (1U << 28))
#define L1_ECX_HYPERVISOR   (1U << 31)
#define L1_ECX_XSAVE        (1U << 26)
#define L1_ECX_OSXSAVE      (1U << 27)
#define L1_ECX_AVX          (1U << 28)
#define L1_ECX_NEED_AVX     ((1U << 12) | (1U << 29))   /* FMA, F16C */
#define L7_EBX_AVX2         (1U << 5)
#define L1_EDX_HIDE ((1U << 1) | (1U << 3) | (1U << 7) | (1U << 13) | (1U << 14) | \
                     (1U << 17) | (1U << 21) | (1U << 29) | (1U << 31))
#define L1_EDX_ACPI         (1U << 22)
#define L1_EDX_APIC         (1U << 9)
/* Leaf 7.0 EBX bits that are safe to pass through. */
#define L7_EBX_KEEP ((1U << 3) | (1U << 8) | (1U << 9) | (1U << 18) | (1U << 19) | \
                     (1U << 23) | (1U << 24) | (1U << 29))
/* Leaf 0x80000001: SVM and 1 GiB pages. */
#define LX1_ECX_HIDE        (1U << 2)
#define LX1_EDX_HIDE        (1U << 26)

static void hypervisor_leaf(uint32_t leaf, struct cpuid_regs *r)
{
    *r = (struct cpuid_regs){ 0, 0, 0, 0 };
    switch (leaf - XEN_CPUID_BASE) {
    case 0:
        r->a = XEN_CPUID_MAX;
        r->b = 0x566e6558;              /* "XenV" */
        r->c = 0x65584d4d;              /* "MMXe" */
        r->d = 0x4d4d566e;              /* "nVMM" */
        break;
    case 1:
        r->a = (4 << 16) | 17;          /* the Xen ABI level we implement */
        break;
    case 2:
        r->a = 1;                       /* one hypercall page */
        r->b = XEN_CPUID_BASE;          /* its MSR */
        r->c = 1;                       /* MMU_PT_UPDATE_PRESERVE_AD */
        break;
    default:
        break;                          /* 3-5: nothing to offer PV guests */
    }
}

void pv_cpuid(uint32_t leaf, uint32_t subleaf, struct cpu_regs *regs)
{
    bool dom0 = current->domain->is_privileged, avx;
    struct cpuid_regs r;

    if (leaf >= XEN_CPUID_BASE && leaf < XEN_CPUID_BASE + 0x100) {
        hypervisor_leaf(leaf, &r);
        goto out;
    }
    r = cpuid(leaf, subleaf);
    switch (leaf) {
    case 1:
        avx = xstate_enabled() && (r.c & L1_ECX_AVX);
        r.c = (r.c & ~L1_ECX_HIDE) | L1_ECX_HYPERVISOR;
        if (xstate_enabled())
            r.c |= L1_ECX_XSAVE | L1_ECX_OSXSAVE | (avx ? L1_ECX_AVX : 0);
        if (!avx)
            r.c &= ~L1_ECX_NEED_AVX;
        r.d &= ~L1_EDX_HIDE;
        if (!dom0)
            r.d &= ~(L1_EDX_ACPI | L1_EDX_APIC);
        break;
    case 5:                             /* monitor/mwait */
    case 0xa:                           /* performance counters */
        r = (struct cpuid_regs){ 0, 0, 0, 0 };
        break;
    case 0xd:
        xstate_cpuid(subleaf, &r);
        break;
    case 7:
        if (subleaf == 0) {
            r.b &= L7_EBX_KEEP | (xstate_enabled() && (cpuid(1, 0).c & L1_ECX_AVX) ?
                                  L7_EBX_AVX2 : 0);
            r.a = r.c = r.d = 0;
        } else {
            r = (struct cpuid_regs){ 0, 0, 0, 0 };
        }
        break;
    case 0x80000001:
        r.c &= ~LX1_ECX_HIDE;
        r.d &= ~LX1_EDX_HIDE;
        break;
    }
out:
    regs->rax = r.a;
    regs->rbx = r.b;
    regs->rcx = r.c;
    regs->rdx = r.d;
}
