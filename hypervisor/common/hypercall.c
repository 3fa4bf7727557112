/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/hypercall.c - the hypercall table, dispatch,
 * continuations and multicall.
 *
 * The table is indexed by Xen's hypercall numbers; a hole means -ENOSYS.
 * Each entry is a small thunk that unpacks exactly the arguments its
 * handler takes, so every handler keeps a typed C signature.
 */
#include <stdarg.h>
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/guest-access.h>
#include <mica/hypercall.h>
#include <mica/event.h>
#include <mica/grant-table.h>
#include <mica/domctl.h>
#include <mica/time.h>
#include <public/xen.h>
#include <public/domctl.h>
#include <public/sysctl.h>
#include <public/platform.h>
#include <asm/io.h>
#include <asm/cpu.h>

typedef long (*thunk_t)(const uint64_t *a);

struct hypercall {
    thunk_t fn;
    unsigned int nargs;
    bool in_multicall;              /* may appear inside a multicall */
};

#define HC0(f) static long hc_##f(const uint64_t *a) { (void)a; return f(); }
#define HC1(f) static long hc_##f(const uint64_t *a) { return f(a[0]); }
#define HC2(f) static long hc_##f(const uint64_t *a) { return f(a[0], a[1]); }
#define HC3(f) static long hc_##f(const uint64_t *a) { return f(a[0], a[1], a[2]); }
#define HC4(f) static long hc_##f(const uint64_t *a) { return f(a[0], a[1], a[2], a[3]); }

HC1(do_set_trap_table)
HC2(do_stack_switch)
HC3(do_set_callbacks)
HC1(do_fpu_taskswitch)
HC2(do_set_debugreg)
HC1(do_get_debugreg)
HC2(do_multicall)
HC2(do_xen_version)
HC3(do_console_io)
HC2(do_vm_assist)
HC0(do_iret)
HC3(do_vcpu_op)
HC2(do_set_segment_base)
HC2(do_sched_op)
HC2(do_callback_op)
HC4(do_mmu_update)
HC2(do_set_gdt)
HC2(do_update_descriptor)
HC2(do_memory_op)
HC3(do_update_va_mapping)
HC4(do_mmuext_op)
HC2(do_physdev_op)
HC1(do_set_timer_op)
HC2(do_event_channel_op)
HC3(do_grant_table_op)
HC1(do_sysctl)
HC1(do_domctl)
HC1(do_platform_op)
HC1(do_mca)

#define ENTRY(nr, f, n, mc) [__HYPERVISOR_##nr] = { hc_##f, n, mc }
static const struct hypercall table[NR_HYPERCALLS] = {
    ENTRY(set_trap_table,   do_set_trap_table,   1, true),
    ENTRY(mmu_update,       do_mmu_update,       4, true),
    ENTRY(set_gdt,          do_set_gdt,          2, true),
    ENTRY(update_descriptor, do_update_descriptor, 2, true),
    ENTRY(memory_op,        do_memory_op,        2, true),
    ENTRY(update_va_mapping, do_update_va_mapping, 3, true),
    ENTRY(mmuext_op,        do_mmuext_op,        4, true),
    ENTRY(physdev_op,       do_physdev_op,       2, true),
    ENTRY(set_timer_op,     do_set_timer_op,     1, true),
    ENTRY(stack_switch,     do_stack_switch,     2, true),
    ENTRY(set_callbacks,    do_set_callbacks,    3, true),
    ENTRY(fpu_taskswitch,   do_fpu_taskswitch,   1, true),
    ENTRY(set_debugreg,     do_set_debugreg,     2, true),
    ENTRY(get_debugreg,     do_get_debugreg,     1, true),
    ENTRY(multicall,        do_multicall,        2, true),   /* refuses nesting */
    ENTRY(xen_version,      do_xen_version,      2, true),
    ENTRY(console_io,       do_console_io,       3, true),
    ENTRY(vm_assist,        do_vm_assist,        2, true),
    ENTRY(iret,             do_iret,             0, false),
    ENTRY(vcpu_op,          do_vcpu_op,          3, true),
    ENTRY(set_segment_base, do_set_segment_base, 2, true),
    ENTRY(sched_op,         do_sched_op,         2, true),
    ENTRY(callback_op,      do_callback_op,      2, true),
    ENTRY(event_channel_op, do_event_channel_op, 2, true),
    ENTRY(grant_table_op,   do_grant_table_op,   3, true),
    ENTRY(sysctl,           do_sysctl,           1, true),
    ENTRY(domctl,           do_domctl,           1, true),
    ENTRY(platform_op,      do_platform_op,      1, true),
    ENTRY(mca,              do_mca,              1, true),
};

/*
 * Continuation state of the hypercall being run on this CPU.  A call
 * nested in a multicall continues through its entry instead: its new
 * arguments go back into the guest's entry and the multicall itself
 * continues from that entry, as Xen's does.
 */
static struct hypercall_state {
    bool requested;
    unsigned int nr;
    uint64_t args[5];
    uint64_t start_ticks;
    bool in_multicall;
    bool mc_preempted;              /* the nested call asked to continue */
    unsigned int mc_nr;
    uint64_t mc_args[5];
} cont_state[CONFIG_NR_CPUS];

/* This CPU's: hypercalls run on every CPU at once. */
#define cont (cont_state[smp_processor_id()])

bool hypercall_preempt_check(void)
{
    /* Yield at the first timer tick taken during the call. */
    return ticks() != cont.start_ticks;
}

long hypercall_create_continuation(unsigned int nr, ...)
{
    unsigned int n = nr < NR_HYPERCALLS ? table[nr].nargs : 0;
    uint64_t *args = cont.in_multicall ? cont.mc_args : cont.args;
    va_list ap;

    va_start(ap, nr);
    for (unsigned int i = 0; i < n; i++)
        args[i] = va_arg(ap, uint64_t);
    va_end(ap);
    if (cont.in_multicall) {
        cont.mc_nr = nr;
        cont.mc_preempted = true;
        return 0;
    }
    cont.nr = nr;
    cont.requested = true;
    return 0;
}

static long call(unsigned int nr, const uint64_t *args)
{
    if (nr >= NR_HYPERCALLS || !table[nr].fn)
        return -ENOSYS;
    return table[nr].fn(args);
}

void do_hypercall(struct cpu_regs *regs)
{
    uint64_t args[5] = { regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8 };
    unsigned int nr = regs->rax;
    long rc;

    cont.requested = false;
    cont.start_ticks = ticks();
    local_irq_enable();             /* long calls must not block the tick */
    rc = call(regs->rax == nr ? nr : NR_HYPERCALLS, args);
    local_irq_disable();

    if (cont.requested) {
        /* Re-issue: rewind over the 2-byte SYSCALL with updated arguments. */
        uint64_t *dst[5] = { &regs->rdi, &regs->rsi, &regs->rdx,
                             &regs->r10, &regs->r8 };

        for (unsigned int i = 0; i < table[cont.nr].nargs; i++)
            *dst[i] = cont.args[i];
        regs->rax = cont.nr;
        regs->rip -= 2;
        return;
    }
    /* (iret returns the RAX its frame holds, so this is right for it too.) */
    regs->rax = rc;
}

/*
 * One multicall entry.  A preempted nested call leaves its continuation's
 * arguments in the entry (no result yet) and returns 1: the multicall
 * continues from this entry.  -EFAULT if the entry cannot be written.
 */
static long run_entry(uint64_t at, struct multicall_entry *mc)
{
    if (mc->op >= NR_HYPERCALLS || !table[mc->op].fn || !table[mc->op].in_multicall) {
        mc->result = -ENOSYS;
    } else {
        cont.in_multicall = true;
        cont.mc_preempted = false;
        mc->result = table[mc->op].fn(mc->args);
        cont.in_multicall = false;
        /* A handler continues as itself; anything else is not ours to redo. */
        if (cont.mc_preempted && cont.mc_nr == mc->op) {
            cont.mc_preempted = false;
            for (unsigned int i = 0; i < table[mc->op].nargs; i++)
                mc->args[i] = cont.mc_args[i];
            if (copy_to_guest(at + offsetof(struct multicall_entry, args),
                              mc->args, sizeof(mc->args)))
                return -EFAULT;
            return 1;
        }
        cont.mc_preempted = false;
    }
    if (copy_to_guest(at + offsetof(struct multicall_entry, result),
                      &mc->result, sizeof(mc->result)))
        return -EFAULT;
    return 0;
}

/*
 * multicall: run each entry in order, storing its result in the entry.
 * The call itself fails only if the list cannot be read or written;
 * entries that fail just carry their negative result.  Preemption comes
 * between entries and inside them (see run_entry()).
 */
long do_multicall(uint64_t list, uint64_t nr)
{
    struct multicall_entry mc;
    long rc;

    if (cont.in_multicall)
        return -EINVAL;                 /* no multicall inside a multicall */
    nr = (uint32_t)nr;
    if (nr > (UINT64_MAX / sizeof(mc)) || !guest_range_ok(list, nr * sizeof(mc)))
        return -EFAULT;
    for (uint64_t i = 0; i < nr; i++) {
        uint64_t at = list + i * sizeof(mc);

        if (i && hypercall_preempt_check())
            return hypercall_create_continuation(__HYPERVISOR_multicall, at, nr - i);
        if (copy_from_guest(&mc, at, sizeof(mc)))
            return -EFAULT;
        rc = run_entry(at, &mc);
        if (rc < 0)
            return rc;
        if (rc)
            return hypercall_create_continuation(__HYPERVISOR_multicall, at, nr - i);
    }
    return 0;
}

_Static_assert(offsetof(struct xen_domctl, interface_version) == 4, "domctl header");
_Static_assert(offsetof(struct xen_sysctl, interface_version) == 4, "sysctl header");
_Static_assert(offsetof(struct xen_platform_op, interface_version) == 4, "platform_op header");

long control_op_fetch(void *op, size_t size, uint64_t arg, uint32_t version)
{
    uint32_t op_version;

    if (copy_from_guest(op, arg, size))
        return -EFAULT;
    memcpy(&op_version, (const char *)op + 4, sizeof(op_version));
    if (op_version != version)
        return -EACCES;
    if (!current->domain->is_privileged)
        return -EPERM;
    return 0;
}
