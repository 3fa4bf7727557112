/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/pv/emulate.c - emulation of the few privileged instructions
 * a PV kernel still executes at CPL 3: RDMSR/WRMSR, moves to and from
 * control registers, CLTS, WBINVD, XSETBV; and the forced-emulation CPUID
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
#include <mica/serial.h>
#include <mica/time.h>
#include <asm/io.h>
#include <asm/xstate.h>

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
        *val = pv_active_table(&v->arch) << PAGE_SHIFT;
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
    case 4: {
        uint64_t writable = GUEST_CR4_WRITABLE | (xstate_enabled() ? X86_CR4_OSXSAVE : 0);

        if (val & ~writable & ~(X86_CR4_PAE | X86_CR4_PGE | (1UL << 4)))
            return false;
        v->arch.guest_cr4 = val & writable;
        return true;
    }
    default:
        return false;       /* CR3 writes arrive with page-table management */
    }
}

/* Does the guest's virtual IOPL allow port I/O (and cli/sti) right now? */
static bool iopl_ok(const struct vcpu *v)
{
    /* The guest kernel counts as ring 1, its user space as ring 3. */
    return v->arch.iopl >= (v->arch.kernel_mode ? 1U : 3U);
}

/*
 * Ports the hypervisor drives itself: the interrupt controllers and the
 * timer (calibration, tick), the UART of its console (as Xen keeps its
 * own from dom0, so that Linux's 8250 driver cannot take it over), and
 * QEMU's exit device.  Nobody else may touch them; reads give all ones,
 * writes vanish.
 */
static bool port_reserved(unsigned int port, unsigned int size)
{
    static const struct { uint16_t first, last; } ranges[] = {
        { 0x20, 0x21 }, { 0xa0, 0xa1 }, { 0x40, 0x43 }, { 0x61, 0x61 },
        { 0xf4, 0xf7 },
    };
    unsigned int uart = serial_port();

    if (uart && port <= uart + 7 && port + size - 1 >= uart)
        return true;
    for (unsigned int i = 0; i < ARRAY_SIZE(ranges); i++)
        if (port <= ranges[i].last && port + size - 1 >= ranges[i].first)
            return true;
    return false;
}

static bool port_allowed(const struct domain *d, unsigned int port, unsigned int size)
{
    return d->is_privileged && !port_reserved(port, size);
}

static uint32_t port_read(const struct domain *d, unsigned int port, unsigned int size)
{
    uint32_t val;

    if (!port_allowed(d, port, size))
        return ~0U;
    if (rtc_guest_io(port, size, false, &val))      /* shared with Mica's own reads */
        return val;
    switch (size) {
    case 1: return inb(port);
    case 2: return inw(port);
    default: return inl(port);
    }
}

static void port_write(const struct domain *d, unsigned int port, unsigned int size,
                       uint32_t val)
{
    if (!port_allowed(d, port, size) || rtc_guest_io(port, size, true, &val))
        return;
    switch (size) {
    case 1: outb(port, val); break;
    case 2: outw(port, val); break;
    default: outl(port, val); break;
    }
}

/*
 * in/out with an immediate or DX port, and cli/sti (accepted and ignored,
 * as Xen does: a guest must not really turn interrupts off).  Returns the
 * instruction length, or 0 if it is none of them.  Opcode bit 0 selects
 * byte or wider, bit 1 out or in, bit 3 the DX form.
 */
static unsigned int emulate_io(struct cpu_regs *regs, const uint8_t *insn)
{
    const struct domain *d = current->domain;
    unsigned int len = 0, size, port;
    bool opsize16 = false;
    uint8_t op;
    uint32_t val;

    if (insn[0] == 0x66) {
        opsize16 = true;
        len++;
    }
    op = insn[len++];
    if ((op == 0xfa || op == 0xfb) && !opsize16)
        return len;                             /* cli, sti */
    if ((op & 0xf4) != 0xe4)
        return 0;                               /* e4-e7, ec-ef only */
    if (op & 8) {
        port = regs->rdx & 0xffff;
    } else {
        port = insn[len++];
    }
    size = !(op & 1) ? 1 : opsize16 ? 2 : 4;

    if (op & 2) {
        port_write(d, port, size, regs->rax);
    } else {
        val = port_read(d, port, size);
        if (size == 4)
            regs->rax = val;                    /* 32-bit results zero-extend */
        else
            regs->rax = (regs->rax & ~((1UL << (size * 8)) - 1)) |
                        (val & ((1UL << (size * 8)) - 1));
    }
    return len;
}

bool pv_emulate_priv_op(struct cpu_regs *regs)
{
    uint8_t insn[16];
    unsigned int len = 0, rex = 0;
    uint64_t val;

    /* Near the end of a mapping fewer bytes may be readable; take what is. */
    memset(insn, 0, sizeof(insn));
    for (unsigned int i = 0; i < sizeof(insn); i++)
        if (copy_from_guest(&insn[i], regs->rip + i, 1))
            break;

    if (iopl_ok(current) && (len = emulate_io(regs, insn))) {
        regs->rip += len;
        return true;
    }
    if (!current->arch.kernel_mode)
        return false;
    if ((insn[0] & 0xf0) == 0x40)
        rex = insn[len++];
    if (insn[len] != 0x0f)
        return false;

    switch (insn[len + 1]) {
    case 0x01:                                  /* xsetbv is 0f 01 d1 */
        if (insn[len + 2] != 0xd1 || !xstate_enabled())
            return false;
        if (!(current->arch.guest_cr4 & X86_CR4_OSXSAVE)) {
            /* As the hardware (and Xen): #UD before the kernel enables it. */
            pv_inject_trap(regs, 6, -1);
            return true;
        }
        if (!xstate_set_xcr0(current, regs->rcx, (regs->rdx << 32) | (uint32_t)regs->rax))
            return false;
        len += 3;
        break;
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
