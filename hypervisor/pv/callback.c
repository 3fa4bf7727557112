/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/pv/callback.c - hypercalls that set a PV vCPU's entry points
 * and per-vCPU CPU state: callbacks, kernel stack, FPU task switch,
 * segment bases and debug registers.
 */
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/guest-access.h>
#include <mica/hypercall.h>
#include <public/callback.h>
#include <asm/config.h>
#include <asm/io.h>

/*
 * The NMI callback is simply the trap-table entry for vector 2, entered
 * with events masked - which is also what set_trap_table can set.
 */
static void set_nmi_callback(uint64_t address)
{
    struct trap_info *t = &current->arch.traps[2];

    t->vector = 2;
    t->flags = 0;
    t->cs = FLAT_KERNEL_CS;
    t->address = address;
    if (address)
        TI_SET_IF(t, 1);
}

static long register_callback(const struct callback_register *cb)
{
    struct arch_vcpu *a = &current->arch;
    struct pv_callback *slot;

    if (!canonical(cb->address))
        return -EINVAL;
    switch (cb->type) {
    case CALLBACKTYPE_event:
        /* Events are always delivered masked, whatever the flag says. */
        a->event.address = cb->address;
        return 0;
    case CALLBACKTYPE_failsafe:  slot = &a->failsafe;  break;
    case CALLBACKTYPE_syscall:   slot = &a->syscall;   break;
    case CALLBACKTYPE_syscall32: slot = &a->syscall32; break;
    case CALLBACKTYPE_sysenter:  slot = &a->sysenter;  break;
    case CALLBACKTYPE_nmi:
        set_nmi_callback(cb->address);
        return 0;
    default:
        return -ENOSYS;
    }
    slot->address = cb->address;
    slot->mask_events = cb->flags & CALLBACKF_mask_events;
    return 0;
}

long do_callback_op(uint64_t cmd, uint64_t arg)
{
    struct callback_register reg;
    struct callback_unregister unreg;

    switch ((int)cmd) {
    case CALLBACKOP_register:
        if (copy_from_guest(&reg, arg, sizeof(reg)))
            return -EFAULT;
        return register_callback(&reg);
    case CALLBACKOP_unregister:
        if (copy_from_guest(&unreg, arg, sizeof(unreg)))
            return -EFAULT;
        /* As in Xen, only the NMI callback can be taken away. */
        switch (unreg.type) {
        case CALLBACKTYPE_nmi:
            set_nmi_callback(0);
            return 0;
        case CALLBACKTYPE_event:
        case CALLBACKTYPE_failsafe:
        case CALLBACKTYPE_syscall:
        case CALLBACKTYPE_syscall32:
        case CALLBACKTYPE_sysenter:
            return -EINVAL;
        default:
            return -ENOSYS;
        }
    default:
        return -ENOSYS;
    }
}

/* The legacy three-in-one form (hypercall 4). */
long do_set_callbacks(uint64_t event, uint64_t failsafe, uint64_t syscall)
{
    struct callback_register cb[3] = {
        { .type = CALLBACKTYPE_event, .address = event },
        { .type = CALLBACKTYPE_failsafe, .address = failsafe },
        { .type = CALLBACKTYPE_syscall, .address = syscall },
    };

    for (unsigned int i = 0; i < 3; i++)
        if (!canonical(cb[i].address))
            return -EINVAL;
    for (unsigned int i = 0; i < 3; i++)
        register_callback(&cb[i]);
    return 0;
}

long do_stack_switch(uint64_t ss, uint64_t sp)
{
    /* The guest kernel's stack selector is always a ring-3 one. */
    current->arch.kernel_ss = ss | 3;
    current->arch.kernel_sp = sp;
    return 0;
}

long do_fpu_taskswitch(uint64_t set)
{
    set = (int)set;
    current->arch.guest_ts = set != 0;
    if (set)
        write_cr0(read_cr0() | X86_CR0_TS);
    else
        asm volatile("clts");
    return 0;
}

long do_set_segment_base(uint64_t which, uint64_t base)
{
    switch ((uint32_t)which) {
    case SEGBASE_FS:
        if (!canonical(base))
            return -EINVAL;
        wrmsr(MSR_FS_BASE, base);
        return 0;
    case SEGBASE_GS_USER:
        if (!canonical(base))
            return -EINVAL;
        wrmsr(MSR_KERNEL_GS_BASE, base);    /* the inactive (user) base */
        return 0;
    case SEGBASE_GS_KERNEL:
        if (!canonical(base))
            return -EINVAL;
        wrmsr(MSR_GS_BASE, base);
        return 0;
    case SEGBASE_GS_USER_SEL: {
        uint32_t sel = (uint16_t)base;

        /*
         * Load the user %gs selector: swap to the user base, load (which
         * resets it from the descriptor), swap back.  Non-null selectors
         * get RPL 3.  A bad selector faults; as in Xen, the fixup loads
         * the null selector instead and the call still succeeds.
         */
        if (sel > 3)
            sel |= 3;
        asm volatile("swapgs\n"
                     "1: mov %k0, %%gs\n"
                     "2: swapgs\n"
                     ".pushsection .fixup, \"ax\"\n"
                     "3: xor %k0, %k0\n"
                     "   jmp 1b\n"
                     ".popsection\n"
                     ".pushsection .ex_table, \"a\"\n"
                     ".balign 8\n"
                     ".quad 1b, 3b\n"
                     ".popsection\n"
                     : "+r"(sel) :: "memory");
        return 0;
    }
    default:
        return -EINVAL;
    }
}

/*
 * Debug registers, with Xen's rules: breakpoints only on guest addresses,
 * reserved bits forced to their fixed values, general-detect (which would
 * trap the hypervisor) refused, and I/O breakpoints only with CR4.DE (never
 * offered, so refused).  DR4/DR5 are the old aliases of DR6/DR7.  Values
 * go to the hardware at once: the vCPU is the one running.
 */
#define DR6_RESERVED_ONE    0xffff0ff0UL
#define DR6_RESERVED_ZERO   0x00001000UL
#define DR7_RESERVED_ONE    0x00000400UL
#define DR7_RESERVED_ZERO   0x0000d800UL
#define DR7_GD              (1UL << 13)
#define X86_CR4_DE          (1UL << 3)

static bool dr7_has_io_breakpoint(uint64_t dr7)
{
    for (unsigned int i = 16; i < 32; i += 4)
        if (((dr7 >> i) & 3) == 2 && (dr7 & (3UL << ((i - 16) >> 1))))
            return true;
    return false;
}

long do_set_debugreg(uint64_t reg, uint64_t value)
{
    struct vcpu *v = current;
    bool de = v->arch.guest_cr4 & X86_CR4_DE;

    switch ((int)reg) {
    case 0: case 1: case 2: case 3:
        if (!canonical(value) || !guest_range_ok(value, 1))
            return -EPERM;
        break;
    case 4:
        if (de)
            return -ENODEV;
        reg = 6;
        /* fall through */
    case 6:
        if (value >> 32)
            return -EINVAL;
        value = (value & ~DR6_RESERVED_ZERO) | DR6_RESERVED_ONE;
        break;
    case 5:
        if (de)
            return -ENODEV;
        reg = 7;
        /* fall through */
    case 7:
        if (value >> 32)
            return -EINVAL;
        value = (value & ~DR7_RESERVED_ZERO) | DR7_RESERVED_ONE;
        if ((value & DR7_GD) || dr7_has_io_breakpoint(value))
            return -EPERM;
        break;
    default:
        return -ENODEV;
    }
    v->arch.debugreg[reg] = value;
    switch (reg) {
    case 0: asm volatile("mov %0, %%db0" :: "r"(value)); break;
    case 1: asm volatile("mov %0, %%db1" :: "r"(value)); break;
    case 2: asm volatile("mov %0, %%db2" :: "r"(value)); break;
    case 3: asm volatile("mov %0, %%db3" :: "r"(value)); break;
    case 6: asm volatile("mov %0, %%db6" :: "r"(value)); break;
    case 7: asm volatile("mov %0, %%db7" :: "r"(value)); break;
    }
    return 0;
}

long do_get_debugreg(uint64_t reg)
{
    bool de = current->arch.guest_cr4 & X86_CR4_DE;

    switch ((int)reg) {
    case 0: case 1: case 2: case 3: case 6: case 7:
        return current->arch.debugreg[(int)reg];
    case 4:
    case 5:
        return de ? -ENODEV : (long)current->arch.debugreg[(int)reg + 2];
    default:
        return -ENODEV;
    }
}
