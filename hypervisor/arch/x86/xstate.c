/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/xstate.c - extended processor state (XSAVE): what
 * PV guests may enable in XCR0, their XSETBV (a privileged instruction,
 * so it traps to us), and saving and loading a vCPU's FPU/SSE/AVX state
 * on context switches.
 *
 * Guests get x87, SSE and AVX: the components whose state is plain user
 * registers.  Supervisor and bigger components (MPX, AVX-512, PKRU, AMX)
 * stay off, so one 832-byte standard-format area per vCPU holds it all.
 * The hardware's XCR0 is the running vCPU's while it runs.  A CPU without
 * XSAVE (e.g. QEMU's qemu64) keeps FXSAVE, and guests are not offered it.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <asm/io.h>
#include <asm/xstate.h>

#define CPUID1_ECX_XSAVE    (1U << 26)
#define XSTATE_HDR          512         /* XSTATE_BV at the header's start */
#define FXSAVE_SIZE         512
#define XSAVEOPT            (1U << 0)   /* CPUID 0xd.1 EAX */
#define XGETBV1             (1U << 2)   /* XGETBV with ECX 1: unprivileged */

#define FXSAVE_MXCSR        24
#define FXSAVE_MXCSR_MASK   28
#define MXCSR_MASK_DEFAULT  0xffbf      /* CPUs that report 0 in the image */

static uint64_t guest_mask;             /* XCR0 bits guests may set; 0: no XSAVE */
static uint32_t mxcsr_mask;             /* MXCSR bits this CPU accepts */
static uint32_t guest_max_size;         /* area size for all of them */

static void xsetbv(uint64_t v)
{
    asm volatile("xsetbv" :: "c"(0), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* The MXCSR bits FXRSTOR/XRSTOR accept, from an FXSAVE image's own report. */
static void probe_mxcsr_mask(void)
{
    static uint8_t image[FXSAVE_SIZE] __aligned(16);

    asm volatile("fxsave64 %0" : "=m"(image));
    memcpy(&mxcsr_mask, image + FXSAVE_MXCSR_MASK, sizeof(mxcsr_mask));
    if (!mxcsr_mask)
        mxcsr_mask = MXCSR_MASK_DEFAULT;
}

/* Every CPU: turn XSAVE on if there is one (the boot CPU decides the mask). */
void xstate_init_cpu(void)
{
    struct cpuid_regs r = cpuid(1, 0);

    if (!mxcsr_mask)
        probe_mxcsr_mask();
    if (!(r.c & CPUID1_ECX_XSAVE))
        return;
    write_cr4(read_cr4() | X86_CR4_OSXSAVE);
    if (!guest_mask) {
        uint64_t host = cpuid(0xd, 0).a | ((uint64_t)cpuid(0xd, 0).d << 32);

        guest_mask = host & XSTATE_GUEST;
        if (!(guest_mask & XSTATE_SSE))
            guest_mask &= ~XSTATE_AVX;          /* AVX needs SSE */
        guest_max_size = 576;                   /* legacy area + header */
        if (guest_mask & XSTATE_AVX) {
            struct cpuid_regs avx = cpuid(0xd, 2);

            guest_max_size = avx.b + avx.a;
        }
        ASSERT(guest_max_size <= XSTATE_AREA_MAX);
        printk("XSAVE: guests may enable XCR0 %#lx (%u bytes of state)\n",
               guest_mask, guest_max_size);
    }
    xsetbv(XSTATE_FP | XSTATE_SSE);
}

bool xstate_enabled(void)
{
    return guest_mask != 0;
}

static uint64_t *xstate_bv(struct vcpu *v)
{
    return (uint64_t *)(v->arch.fpu + XSTATE_HDR);
}

/* A fresh vCPU: the state after FNINIT, SSE exceptions masked. */
void xstate_vcpu_init(struct vcpu *v)
{
    uint8_t *fpu = (uint8_t *)ROUNDUP((uintptr_t)v->arch.fpu_area, 64);

    v->arch.fpu = fpu;
    memset(fpu, 0, XSTATE_AREA_MAX);
    fpu[0] = 0x7f;                          /* FCW 0x037f */
    fpu[1] = 0x03;
    fpu[24] = 0x80;                         /* MXCSR 0x1f80 */
    fpu[25] = 0x1f;
    *xstate_bv(v) = XSTATE_FP | XSTATE_SSE; /* the legacy image above counts */
    v->arch.xcr0 = XSTATE_FP | XSTATE_SSE;
}

/*
 * An FXSAVE image from the guest (VCPUOP_initialise, setvcpucontext).
 * Reserved MXCSR bits would make FXRSTOR/XRSTOR fault in ring 0 at the
 * vCPU's next switch-in: drop them, as Xen does.  The rest of the image
 * cannot fault, and the XSAVE header is never the guest's.
 */
void xstate_set_fxsave(struct vcpu *v, const void *image)
{
    uint32_t mxcsr;

    memcpy(v->arch.fpu, image, FXSAVE_SIZE);
    memcpy(&mxcsr, v->arch.fpu + FXSAVE_MXCSR, sizeof(mxcsr));
    mxcsr &= mxcsr_mask;
    memcpy(v->arch.fpu + FXSAVE_MXCSR, &mxcsr, sizeof(mxcsr));
    *xstate_bv(v) |= XSTATE_FP | XSTATE_SSE;
}

/* Save the running vCPU's state (its XCR0 is the hardware's). */
void xstate_save(struct vcpu *v)
{
    if (!guest_mask) {
        asm volatile("fxsave64 %0" : "=m"(*(uint8_t (*)[FXSAVE_SIZE])v->arch.fpu));
        return;
    }
    asm volatile("xsave64 %0" : "=m"(*(uint8_t (*)[XSTATE_AREA_MAX])v->arch.fpu)
                 : "a"(~0U), "d"(~0U));
}

/* Load v's state and XCR0; CR0.TS must be clear. */
void xstate_restore(struct vcpu *v)
{
    if (!guest_mask) {
        asm volatile("fxrstor64 %0" :: "m"(*(uint8_t (*)[FXSAVE_SIZE])v->arch.fpu));
        return;
    }
    xsetbv(v->arch.xcr0);
    /* Components the guest has since turned off must not be restored. */
    *xstate_bv(v) &= v->arch.xcr0;
    asm volatile("xrstor64 %0" :: "m"(*(uint8_t (*)[XSTATE_AREA_MAX])v->arch.fpu),
                 "a"(~0U), "d"(~0U));
}

/*
 * The guest kernel's XSETBV.  Only XCR0 exists; x87 is always on and AVX
 * needs SSE, as the hardware insists.  False: the guest gets #GP.
 */
bool xstate_set_xcr0(struct vcpu *v, uint32_t index, uint64_t val)
{
    if (!guest_mask || index != 0 || (val & ~guest_mask) || !(val & XSTATE_FP) ||
        ((val & XSTATE_AVX) && !(val & XSTATE_SSE)))
        return false;
    v->arch.xcr0 = val;
    xsetbv(val);
    return true;
}

/*
 * Save and restore (common/domctl-save.c): a stopped vCPU's XCR0 and XSAVE
 * area as the toolstack sees them, and back.  Going in, XCR0 is checked
 * as the guest's XSETBV is, and the area's header is made one XRSTOR
 * accepts at the next switch-in (standard form: no XCOMP_BV, reserved
 * bytes zero; only components XCR0 enables; MXCSR trimmed), since a fault
 * there would be the hypervisor's.
 */
uint64_t xstate_guest_mask(void)
{
    return guest_mask;
}

const void *xstate_get_saved(const struct vcpu *v, uint64_t *xcr0)
{
    *xcr0 = v->arch.xcr0;
    return v->arch.fpu;
}

int xstate_set_saved(struct vcpu *v, uint64_t xcr0, const void *area, unsigned long len)
{
    uint32_t mxcsr;

    if (!guest_mask || (xcr0 & ~guest_mask) || !(xcr0 & XSTATE_FP) ||
        ((xcr0 & XSTATE_AVX) && !(xcr0 & XSTATE_SSE)) || len > XSTATE_AREA_MAX ||
        len < XSTATE_HDR + 64)
        return -EINVAL;
    memset(v->arch.fpu, 0, XSTATE_AREA_MAX);
    memcpy(v->arch.fpu, area, len);
    memset(v->arch.fpu + XSTATE_HDR + 8, 0, 56);
    *xstate_bv(v) &= xcr0;
    memcpy(&mxcsr, v->arch.fpu + FXSAVE_MXCSR, sizeof(mxcsr));
    mxcsr &= mxcsr_mask;
    memcpy(v->arch.fpu + FXSAVE_MXCSR, &mxcsr, sizeof(mxcsr));
    v->arch.xcr0 = xcr0;
    return 0;
}

/* CPUID leaf 0xd as a guest sees it: only its components. */
void xstate_cpuid(uint32_t subleaf, struct cpuid_regs *r)
{
    if (!guest_mask) {
        *r = (struct cpuid_regs){ 0, 0, 0, 0 };
        return;
    }
    switch (subleaf) {
    case 0:
        r->a = (uint32_t)guest_mask;
        r->d = guest_mask >> 32;
        /* EBX (size for the XCR0 in force) is the hardware's: it is the guest's. */
        r->c = guest_max_size;
        break;
    case 1:
        r->a &= XSAVEOPT | XGETBV1;         /* no XSAVEC/XSAVES: no XSS for PV */
        r->b = r->c = r->d = 0;
        break;
    default:
        if (subleaf >= 64 || !(guest_mask & (1UL << subleaf)))
            *r = (struct cpuid_regs){ 0, 0, 0, 0 };
        break;
    }
}
