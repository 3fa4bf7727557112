/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/lib/traps.c - the virtual IDT, callback registration and the
 * C half of exception handling.
 */
#include <lib.h>
#include <arch.h>
#include <frame.h>
#include <hypercall.h>
#include <test.h>
#include <traps.h>
#include <public/callback.h>

volatile struct exc_info last_exc;
volatile unsigned long event_callbacks, nmi_callbacks, failsafe_callbacks;
volatile unsigned int event_mask_at_entry;
int (*exc_hook)(struct cpu_regs *r);

#define STUB(n) extern char exc_entry_##n[];
STUB(0) STUB(1) STUB(2) STUB(3) STUB(4) STUB(5) STUB(6) STUB(7) STUB(8)
STUB(9) STUB(10) STUB(11) STUB(12) STUB(13) STUB(14) STUB(15) STUB(16)
STUB(17) STUB(18) STUB(19) STUB(20) STUB(21)
STUB(0x80) STUB(0x81) STUB(0x85) STUB(0x86)
#undef STUB

#define TI(vec, dpl, handler) \
    { .vector = (vec), .flags = (dpl), .cs = FLAT_KERNEL_CS, \
      .address = (uint64_t)(uintptr_t)(handler) }

/*
 * #BP and #OF are reachable from user mode like on native; 0x80, 0x81,
 * 0x85 and 0x86 give the software-interrupt tests one vector per DPL
 * (3, 0, 1, 2).  0x84 has no entry.
 */
static const struct trap_info trap_table[] = {
    TI(0, 0, exc_entry_0),   TI(1, 0, exc_entry_1),
    TI(2, 0, exc_entry_2),   TI(3, 3, exc_entry_3),
    TI(4, 3, exc_entry_4),   TI(5, 0, exc_entry_5),
    TI(6, 0, exc_entry_6),   TI(7, 0, exc_entry_7),
    TI(8, 0, exc_entry_8),   TI(9, 0, exc_entry_9),
    TI(10, 0, exc_entry_10), TI(11, 0, exc_entry_11),
    TI(12, 0, exc_entry_12), TI(13, 0, exc_entry_13),
    TI(14, 0, exc_entry_14), TI(15, 0, exc_entry_15),
    TI(16, 0, exc_entry_16), TI(17, 0, exc_entry_17),
    TI(18, 0, exc_entry_18), TI(19, 0, exc_entry_19),
    TI(20, 0, exc_entry_20), TI(21, 0, exc_entry_21),
    TI(0x80, 3, exc_entry_0x80), TI(0x81, 0, exc_entry_0x81),
    TI(0x85, 1, exc_entry_0x85), TI(0x86, 2, exc_entry_0x86),
    { 0, 0, 0, 0 },
};
const struct trap_info *default_trap_table = trap_table;

static long register_callback(unsigned int type, void *fn, unsigned int flags)
{
    struct callback_register cb = {
        .type = (uint16_t)type, .flags = (uint16_t)flags,
        .address = (uint64_t)(uintptr_t)fn,
    };

    return HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
}

void traps_restore(void)
{
    long rc = HYPERVISOR_set_trap_table(trap_table);

    if (rc)
        panic("set_trap_table failed: %ld", rc);
    rc = register_callback(CALLBACKTYPE_event, event_callback_entry,
                           CALLBACKF_mask_events);
    rc = rc ?: register_callback(CALLBACKTYPE_failsafe,
                                 failsafe_callback_entry,
                                 CALLBACKF_mask_events);
    rc = rc ?: register_callback(CALLBACKTYPE_syscall,
                                 syscall_callback_entry,
                                 CALLBACKF_mask_events);
    if (rc)
        panic("callback registration failed: %ld", rc);
}

void traps_init(void)
{
    exc_reset();
    traps_restore();
}

void exc_reset(void)
{
    memset((void *)&last_exc, 0, sizeof(last_exc));
    last_exc.vector = EXC_NONE;
}

struct extable_entry {
    uint64_t from, to;
};
extern const struct extable_entry __start_extable[], __stop_extable[];

static uint64_t extable_find(uint64_t rip)
{
    const struct extable_entry *e;

    for (e = __start_extable; e < __stop_extable; e++)
        if (e->from == rip)
            return e->to;
    return 0;
}

static void record(const struct cpu_regs *r)
{
    last_exc.vector = r->vector;
    last_exc.error_code = r->error_code;
    last_exc.rip = r->rip;
    last_exc.cs = r->cs;
    last_exc.rflags = r->rflags;
    last_exc.rsp = r->rsp;
    last_exc.ss = r->ss;
    last_exc.rcx = r->rcx;
    last_exc.r11 = r->r11;
    last_exc.rax = r->rax;
    last_exc.cr2 = vcpu0 ? vcpu0->arch.cr2 : 0;
    last_exc.upcall_mask = vcpu0 ? vcpu0->evtchn_upcall_mask : 0xff;
    last_exc.handler_sp = (uint64_t)(uintptr_t)r;
}

void user_exception_exit(const struct cpu_regs *r);

void exc_dispatch(struct cpu_regs *r)
{
    uint64_t fixup;

    switch (r->vector) {
    case VEC_EVENT:
        /* Acknowledge like a real kernel would: we bind no ports. */
        event_callbacks++;
        if (vcpu0) {
            event_mask_at_entry = vcpu0->evtchn_upcall_mask;
            vcpu0->evtchn_upcall_pending = 0;
            vcpu0->evtchn_pending_sel = 0;
        }
        return;
    case VEC_NMI_CB:
        nmi_callbacks++;
        record(r);
        return;
    case VEC_FAILSAFE:
        failsafe_callbacks++;
        if (exc_hook && exc_hook(r))
            return;
        test_fail("failsafe callback entered at rip %#lx", r->rip);
        test_abort();
    }

    if ((r->cs & 3) == 3) {
        /* Guest user mode: the frame is on the stack_switch stack. */
        record(r);
        user_exception_exit(r);
    }

    fixup = extable_find(r->rip);
    record(r);
    /* A single-step trap would fire again at once: stop stepping. */
    if (r->vector == X86_EXC_DB)
        r->rflags &= ~0x100UL;
    if (fixup) {
        r->rip = fixup;
        return;
    }
    if (r->vector == X86_EXC_NMI) {
        nmi_callbacks++;
        return;
    }
    if (exc_hook && exc_hook(r))
        return;
    test_fail("unexpected exception %lu err %#lx at %#lx (cr2 %#lx)",
              r->vector, r->error_code, r->rip, last_exc.cr2);
    test_abort();
}
