/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/pv/emulate.c - emulation of the few privileged instructions
 * a PV kernel still executes at CPL 3: RDMSR/WRMSR, moves to and from
 * control registers, CLTS, WBINVD; and the forced-emulation CPUID
 * ("ud2; .ascii \"xen\"; cpuid").
 *
 * Only the guest kernel is emulated for; its user space gets the #GP.
 * Anything not recognised here is left to the caller, which bounces the
 * original exception to the guest.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/guest-access.h>
#include <mica/hypercall.h>
#include <asm/io.h>

#define MSR_IA32_PLATFORM_ID    0x00000017
#define MSR_IA32_FEATURE_CONTROL 0x0000003a
#define MSR_IA32_UCODE_REV      0x0000008b
#define MSR_IA32_MISC_ENABLE    0x000001a0
#define MSR_IA32_CR_PAT         0x00000277
#define GUEST_PAT               0x0000050100070406UL    /* Xen's PAT */
#define MISC_ENABLE_FAST_STRING (1UL << 0)
#define MISC_ENABLE_BTS_UNAVAIL (1UL << 11)
#define MISC_ENABLE_PEBS_UNAVAIL (1UL << 12)
#define GUEST_MISC_ENABLE       (MISC_ENABLE_FAST_STRING | MISC_ENABLE_BTS_UNAVAIL | \
                                 MISC_ENABLE_PEBS_UNAVAIL)
#define GUEST_EFER_MASK         (EFER_SCE | EFER_LME | (1UL << 10) | EFER_NXE)

/* CR4 bits a guest may set (all stored only; none changes the hardware). */
#define GUEST_CR4_WRITABLE      ((1UL << 2) | (1UL << 3) | (1UL << 8) | \
                                 X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT)

static const uint8_t forced_cpuid[] = { 0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2 };

bool pv_emulate_forced(struct cpu_regs *regs)
{
    uint8_t insn[sizeof(forced_cpuid)];

    if (copy_from_guest(insn, regs->rip, sizeof(insn)) ||
        memcmp(insn, forced_cpuid, sizeof(insn)))
        return false;
    pv_cpuid(regs->rax, regs->rcx, regs);
    regs->rip += sizeof(insn);
    return true;
}

static bool canonical(uint64_t va)
{
    return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

static bool read_msr(uint32_t msr, uint64_t *val)
{
    switch (msr) {
    case MSR_FS_BASE:
    case MSR_GS_BASE:
    case MSR_KERNEL_GS_BASE:
        *val = rdmsr(msr);
        return true;
    case MSR_EFER:
        *val = rdmsr(MSR_EFER) & GUEST_EFER_MASK;
        return true;
    case MSR_APIC_BASE:
        /* Linux PV reads it; Xen answers "enabled BSP at the default base". */
        *val = 0xfee00900UL;
        return true;
    case MSR_IA32_CR_PAT:
        *val = GUEST_PAT;
        return true;
    case MSR_IA32_MISC_ENABLE:
        *val = GUEST_MISC_ENABLE;
        return true;
    case MSR_IA32_UCODE_REV:
    case MSR_IA32_PLATFORM_ID:
        *val = 0;
        return true;
    default:
        return false;
    }
}

static bool write_msr(uint32_t msr, uint64_t val)
{
    uint64_t cur;

    switch (msr) {
    case MSR_FS_BASE:
    case MSR_GS_BASE:
    case MSR_KERNEL_GS_BASE:
        if (!canonical(val))
            return false;
        wrmsr(msr, val);
        return true;
    case MSR_IA32_UCODE_REV:
        return true;                    /* microcode loading: ignored */
    case MSR_EFER:
    case MSR_IA32_CR_PAT:
    case MSR_IA32_MISC_ENABLE:
        /* Writing back the value read is accepted (Linux does it). */
        return read_msr(msr, &cur) && cur == val;
    default:
        return false;
    }
}

static uint64_t *gpr(struct cpu_regs *regs, unsigned int n)
{
    uint64_t *const map[16] = {
        &regs->rax, &regs->rcx, &regs->rdx, &regs->rbx,
        &regs->rsp, &regs->rbp, &regs->rsi, &regs->rdi,
        &regs->r8, &regs->r9, &regs->r10, &regs->r11,
        &regs->r12, &regs->r13, &regs->r14, &regs->r15,
    };
    return map[n & 15];
}

static bool read_cr(unsigned int cr, uint64_t *val)
{
    struct vcpu *v = current;

    switch (cr) {
    case 0:
        *val = (read_cr0() & ~X86_CR0_TS) | (v->arch.guest_ts ? X86_CR0_TS : 0);
        return true;
    case 2:
        *val = v->vcpu_info->arch.cr2;
        return true;
    case 3:
        *val = (v->arch.kernel_mode ? v->arch.guest_table
                                    : v->arch.guest_table_user) << PAGE_SHIFT;
        return true;
    case 4:
        *val = v->arch.guest_cr4;
        return true;
    default:
        return false;
    }
}

static bool write_cr(unsigned int cr, uint64_t val)
{
    struct vcpu *v = current;

    switch (cr) {
    case 0:
        /* Only TS is the guest's to change. */
        if ((val ^ read_cr0()) & ~X86_CR0_TS)
            return false;
        do_fpu_taskswitch(!!(val & X86_CR0_TS));
        return true;
    case 2:
        v->vcpu_info->arch.cr2 = val;
        return true;
    case 4:
        if (val & ~GUEST_CR4_WRITABLE & ~(X86_CR4_PAE | X86_CR4_PGE | (1UL << 4)))
            return false;
        v->arch.guest_cr4 = val & GUEST_CR4_WRITABLE;
        return true;
    default:
        return false;       /* CR3 writes arrive with page-table management */
    }
}

bool pv_emulate_priv_op(struct cpu_regs *regs)
{
    uint8_t insn[16];
    unsigned int len = 0, rex = 0;
    uint64_t val;

    if (!current->arch.kernel_mode)
        return false;
    /* Near the end of a mapping fewer bytes may be readable; take what is. */
    memset(insn, 0, sizeof(insn));
    for (unsigned int i = 0; i < sizeof(insn); i++)
        if (copy_from_guest(&insn[i], regs->rip + i, 1))
            break;

    if ((insn[0] & 0xf0) == 0x40)
        rex = insn[len++];
    if (insn[len] != 0x0f)
        return false;

    switch (insn[len + 1]) {
    case 0x06:                                  /* clts */
        do_fpu_taskswitch(0);
        len += 2;
        break;
    case 0x09:                                  /* wbinvd: caches are coherent */
        len += 2;
        break;
    case 0x30:                                  /* wrmsr */
        if (!write_msr(regs->rcx, (regs->rdx << 32) | (uint32_t)regs->rax))
            return false;
        len += 2;
        break;
    case 0x32:                                  /* rdmsr */
        if (!read_msr(regs->rcx, &val))
            return false;
        regs->rax = (uint32_t)val;
        regs->rdx = val >> 32;
        len += 2;
        break;
    case 0x20:                                  /* mov %crN, reg */
    case 0x22: {                                /* mov reg, %crN */
        uint8_t modrm = insn[len + 2];
        unsigned int cr = ((modrm >> 3) & 7) | (rex & 4 ? 8 : 0);
        unsigned int reg = (modrm & 7) | (rex & 1 ? 8 : 0);

        if ((modrm >> 6) != 3)
            return false;
        if (insn[len + 1] == 0x20) {
            if (!read_cr(cr, &val))
                return false;
            *gpr(regs, reg) = val;
        } else if (!write_cr(cr, *gpr(regs, reg))) {
            return false;
        }
        len += 3;
        break;
    }
    default:
        return false;
    }
    regs->rip += len;
    return true;
}
