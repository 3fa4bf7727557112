/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/pv/callback.c - hypercalls that set a PV vCPU's entry points:
 * callbacks, the kernel stack, and the FPU task-switch flag the guest's
 * #NM handler relies on.  Segment bases are in segment-base.c, debug
 * registers in debugreg.c.
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
