/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/fuzz-gen.c - the fuzzer's hypercall table: which
 * hypercall each call makes (every number Xen defines, the unused ones and
 * numbers with garbage in rax's high half), the generators of every family
 * but the memory ones (fuzz-gen-mm.c), making the call, and putting back
 * what a call may have changed that the fuzzing guest itself relies on.
 * The exclusions are listed in fuzz-lib.h; each is enforced here.
 */
#include "fuzz-gen.h"
#include <clock.h>
#include <smp.h>
#include <traps.h>
#include <public/callback.h>
#include <public/domctl.h>
#include <public/sysctl.h>
#include <public/platform.h>
#include <public/sched.h>
#include <public/vcpu.h>

#define HC_NUMBERS      64              /* every number below is tried */

/* cmd in [0, n) mostly, sometimes anything. */
static uint64_t sub_op(struct fz_rng *r, uint64_t n)
{
    return fz_pct(r, 92) ? fz_below(r, n) : fz_pct(r, 50) ? fz_next(r) : (uint32_t)fz_next(r);
}

static uint64_t ptr_or_buf(struct fz_rng *r, unsigned int cpu, size_t len)
{
    return fz_pct(r, 85) ? HC_PTR(fz_buf(r, cpu, len)) : fz_ptr(r, cpu);
}

/* Any hypercall whose arguments are a command and a structure. */
static void gen_generic(struct fz_rng *r, unsigned int cpu, struct fz_call *c)
{
    c->a[0] = sub_op(r, 32);
    c->a[1] = ptr_or_buf(r, cpu, 256);
    for (unsigned int i = 2; i < 5; i++)
        c->a[i] = fz_word(r, cpu);
}

/* domctl, sysctl, platform_op: a command and (mostly) the right version,
 * so the call gets past the version check to the privilege check. */
static void gen_ctl(struct fz_rng *r, unsigned int cpu, struct fz_call *c)
{
    uint32_t *w = fz_buf(r, cpu, 256);
    uint32_t iv = c->nr == __HYPERVISOR_domctl ? XEN_DOMCTL_INTERFACE_VERSION :
                  c->nr == __HYPERVISOR_sysctl ? XEN_SYSCTL_INTERFACE_VERSION :
                  XENPF_INTERFACE_VERSION;

    w[0] = (uint32_t)sub_op(r, 100);
    w[1] = fz_pct(r, 80) ? iv : (uint32_t)fz_next(r);
    w[2] = fz_pct(r, 70) ? (uint32_t)fz_dom(r) : w[2];
    c->a[0] = fz_pct(r, 92) ? HC_PTR(w) : fz_ptr(r, cpu);
}

static void gen_trap_table(struct fz_rng *r, unsigned int cpu, struct fz_call *c)
{
    unsigned int n = 1 + fz_below(r, 8);
    struct trap_info *t = fz_buf(r, cpu, (n + 1) * sizeof(*t));

    for (unsigned int i = 0; i < n; i++) {
        t[i].vector = (uint8_t)fz_next(r);
        t[i].flags = (uint8_t)fz_below(r, fz_pct(r, 80) ? 8 : 256);
        t[i].cs = fz_pct(r, 80) ? FLAT_KERNEL_CS : (uint16_t)fz_next(r);
        t[i].address = fz_ptr(r, cpu);
    }
    if (fz_pct(r, 70))
        memset(&t[n], 0, sizeof(t[n]));
    c->a[0] = fz_pct(r, 10) ? 0 : fz_pct(r, 90) ? HC_PTR(t) : fz_ptr(r, cpu);
    c->restore |= FZ_RESTORE_TRAPS;
}

static void gen_callbacks(struct fz_rng *r, unsigned int cpu, struct fz_call *c)
{
    if (c->nr == __HYPERVISOR_set_callbacks) {
        for (unsigned int i = 0; i < 3; i++)
            c->a[i] = fz_ptr(r, cpu);
    } else {
        struct callback_register *cb = fz_buf(r, cpu, sizeof(*cb));

        cb->type = (uint16_t)sub_op(r, 8);
        cb->flags = (uint16_t)fz_below(r, fz_pct(r, 80) ? 4 : 65536);
        cb->address = fz_ptr(r, cpu);
        c->a[0] = sub_op(r, 2);
        c->a[1] = fz_pct(r, 92) ? HC_PTR(cb) : fz_ptr(r, cpu);
    }
    c->restore |= FZ_RESTORE_TRAPS;
}

static void gen_debugreg(struct fz_rng *r, unsigned int cpu, struct fz_call *c)
{
    uint64_t reg = fz_pct(r, 90) ? fz_below(r, 8) : fz_next(r);

    c->a[0] = reg;
    if (c->nr == __HYPERVISOR_get_debugreg)
        return;
    if (reg < 4)
        c->a[1] = fz_pct(r, 85) ? fz_ptr(r, cpu) : fz_next(r);
    else if (reg == 7)                  /* enables, lengths, kinds, reserved */
        c->a[1] = fz_pct(r, 80) ? (fz_below(r, 256) | (fz_next(r) & 0xffff0000UL))
                                : fz_next(r);
    else
        c->a[1] = fz_next(r);
    c->restore |= FZ_RESTORE_DR;
}

static void gen_descriptor(struct fz_rng *r, unsigned int cpu, struct fz_call *c)
{
    static const uint64_t desc[] = {
        0x00af9a000000ffffUL,           /* 64-bit code, DPL 0 */
        0x00affa000000ffffUL,           /* 64-bit code, DPL 3 */
        0x00cf92000000ffffUL,           /* data, DPL 0 */
        0x00cff2000000ffffUL,           /* data, DPL 3 */
        0xffff8000e0008e00UL,           /* an interrupt gate into Xen */
        0x0000ec0000080000UL,           /* a call gate, DPL 3 */
        0x00008b0000000067UL,           /* a busy TSS */
    };

    if (c->nr == __HYPERVISOR_set_gdt) {
        unsigned int n = 1 + fz_below(r, 16);
        uint64_t *f = fz_buf(r, cpu, n * 8);

        for (unsigned int i = 0; i < n; i++)
            f[i] = fz_mfn(r);
        c->a[0] = fz_pct(r, 92) ? HC_PTR(f) : fz_ptr(r, cpu);
        c->a[1] = fz_pct(r, 80) ? fz_below(r, n * 512 + 1) : fz_count(r, 8192);
        return;
    }
    c->a[0] = fz_maddr(r) & (fz_pct(r, 90) ? ~7UL : ~0UL);
    c->a[1] = fz_pct(r, 60) ? desc[fz_below(r, ARRAY_SIZE(desc))] ^
                              (fz_pct(r, 30) ? 1UL << fz_below(r, 64) : 0)
                            : fz_next(r);
}

/* Never SCHEDOP_shutdown, block, a poll without timeout, our own death. */
static void gen_sched_op(struct fz_rng *r, unsigned int cpu, struct fz_call *c)
{
    static const unsigned int cmds[] = { SCHEDOP_yield, SCHEDOP_poll, SCHEDOP_poll,
                                         SCHEDOP_remote_shutdown, SCHEDOP_shutdown_code,
                                         SCHEDOP_watchdog, SCHEDOP_pin_override, 8 };
    uint64_t cmd = fz_pct(r, 95) ? cmds[fz_below(r, ARRAY_SIZE(cmds))] : 8 + fz_below(r, 1000);
    uint64_t *w = fz_buf(r, cpu, 32);

    c->a[0] = cmd;
    c->a[1] = HC_PTR(w);
    if (cmd == SCHEDOP_poll) {
        struct sched_poll *p = (struct sched_poll *)w;

        p->ports = ptr_or_buf(r, cpu, 16);
        p->nr_ports = (uint32_t)fz_count(r, 4);
        p->timeout = fz_pct(r, 20) ? 1 : clock_ns() + fz_below(r, 200000);
    } else if (cmd == SCHEDOP_remote_shutdown) {
        struct sched_remote_shutdown *s = (struct sched_remote_shutdown *)w;

        s->domain_id = fz_pct(r, 50) ? 0 : (domid_t)fz_dom(r);
        if (s->domain_id == fz.self || s->domain_id == DOMID_SELF)
            s->domain_id = 0;
        s->reason = (uint32_t)fz_below(r, 8);
    } else if (cmd == SCHEDOP_watchdog) {
        struct sched_watchdog *wd = (struct sched_watchdog *)w;

        wd->id = fz_pct(r, 50) ? 0 : (uint32_t)fz_below(r, 8);
        wd->timeout = fz_pct(r, 20) ? 0 : (uint32_t)(1 + fz_below(r, 300));
        c->restore |= FZ_RESTORE_WATCHDOG;
    } else if (cmd >= 8 && fz_pct(r, 10)) {
        c->a[1] = fz_ptr(r, cpu);
    }
}

/* The old sched_op with a bare command: only yield and unknown ones. */
static void gen_sched_compat(struct fz_rng *r, unsigned int cpu, struct fz_call *c)
{
    c->a[0] = fz_pct(r, 50) ? SCHEDOP_yield : 8 + fz_below(r, 100);
    c->a[1] = fz_word(r, cpu);
}

static void gen_vcpu_op(struct fz_rng *r, unsigned int cpu, struct fz_call *c)
{
    static const uint64_t vcpus[] = { 0, 0, 1, 1, 2, 63, 0xffffffffUL, 0x80000000UL };
    uint64_t cmd = sub_op(r, 14), vcpu = vcpus[fz_below(r, ARRAY_SIZE(vcpus))];
    size_t len = cmd == VCPUOP_initialise ? sizeof(struct vcpu_guest_context) : 64;

    if (cmd == VCPUOP_down && vcpu < FZ_CPUS)
        vcpu += FZ_CPUS;
    if (cmd == VCPUOP_register_vcpu_info && vcpu == 1)
        vcpu = 0;                       /* moving it would unmask vCPU 1 */
    if (cmd == VCPUOP_send_nmi)
        vcpu = cpu;                     /* the other may be mid-restore */
    c->a[0] = cmd;
    c->a[1] = vcpu;
    c->a[2] = ptr_or_buf(r, cpu, len);
}

static void gen_evtchn_op(struct fz_rng *r, unsigned int cpu, struct fz_call *c)
{
    uint32_t *w = fz_buf(r, cpu, 32);

    /* Ports, vCPUs, VIRQs and domain ids are small: mostly small halves. */
    for (unsigned int i = 0; i < 8; i++) {
        uint64_t k = fz_below(r, 100);

        w[i] = k < 60 ? (uint32_t)fz_below(r, 40) : k < 80 ? (uint32_t)fz_dom(r)
                                                          : (uint32_t)fz_next(r);
    }
    c->a[0] = sub_op(r, 14);
    if (c->a[0] == 11 && fz_pct(r, 70))  /* init_control: a control frame */
        *(uint64_t *)w = fz_mfn(r);
    c->a[1] = fz_pct(r, 92) ? HC_PTR(w) : fz_ptr(r, cpu);
}

static void gen_console_io(struct fz_rng *r, unsigned int cpu, struct fz_call *c)
{
    c->a[0] = fz_pct(r, 70) ? CONSOLEIO_write : sub_op(r, 2);
    if (fz_pct(r, 60)) {                /* a whole line, or nothing, to the log */
        c->a[1] = fz_pct(r, 80) ? strlen(fz.text) : 0;
        c->a[2] = HC_PTR(fz.text);
    } else {                            /* wild pointers, any count */
        c->a[1] = fz_count(r, 64);
        c->a[2] = fz_ptr(r, cpu);
        if (c->a[2] - HC_PTR(fz.arena[cpu]) < FZ_ARENA_PAGES * PAGE_SIZE)
            c->a[2] = 0xffff82d080000000UL;   /* not our own bytes to the log */
    }
}

static void gen_misc(struct fz_rng *r, unsigned int cpu, struct fz_call *c)
{
    switch (c->nr) {
    case __HYPERVISOR_stack_switch:
        c->a[0] = fz_pct(r, 70) ? FLAT_KERNEL_SS : fz_next(r) & 0xffff;
        c->a[1] = fz_ptr(r, cpu);
        break;
    case __HYPERVISOR_fpu_taskswitch:
        c->a[0] = fz_pct(r, 80) ? fz_below(r, 2) : fz_next(r);
        c->restore |= FZ_RESTORE_FPU;
        break;
    case __HYPERVISOR_set_timer_op:
        c->a[0] = fz_pct(r, 60) ? clock_ns() + fz_below(r, 1000000) : fz_word(r, cpu);
        break;
    case __HYPERVISOR_xen_version:
        c->a[0] = sub_op(r, 12);
        c->a[1] = fz_pct(r, 20) ? 0 : fz_ptr(r, cpu);
        break;
    case __HYPERVISOR_vm_assist:
        c->a[0] = sub_op(r, 2);
        c->a[1] = fz_pct(r, 10) ? 32 : sub_op(r, 8);
        break;
    case __HYPERVISOR_set_segment_base:
        c->a[0] = sub_op(r, 4);
        c->a[1] = fz_pct(r, 40) ? fz_below(r, 0x10000) : fz_word(r, cpu);
        break;
    default:
        gen_generic(r, cpu, c);
        break;
    }
}

static void gen_multicall(struct fz_rng *r, unsigned int cpu, struct fz_call *c);

/* Weights: the memory and grant families are where the attacks are. */
static const struct {
    uint8_t nr, weight;
    fz_gen_fn *fn;
} gens[] = {
    { __HYPERVISOR_set_trap_table, 2, gen_trap_table },
    { __HYPERVISOR_mmu_update, 14, gen_mmu_update },
    { __HYPERVISOR_set_gdt, 3, gen_descriptor },
    { __HYPERVISOR_stack_switch, 1, gen_misc },
    { __HYPERVISOR_set_callbacks, 1, gen_callbacks },
    { __HYPERVISOR_fpu_taskswitch, 1, gen_misc },
    { __HYPERVISOR_sched_op_compat, 1, gen_sched_compat },
    { __HYPERVISOR_platform_op, 1, gen_ctl },
    { __HYPERVISOR_set_debugreg, 2, gen_debugreg },
    { __HYPERVISOR_get_debugreg, 1, gen_debugreg },
    { __HYPERVISOR_update_descriptor, 3, gen_descriptor },
    { __HYPERVISOR_memory_op, 12, gen_memory_op },
    { __HYPERVISOR_multicall, 5, gen_multicall },
    { __HYPERVISOR_update_va_mapping, 10, gen_update_va_mapping },
    { __HYPERVISOR_set_timer_op, 1, gen_misc },
    { __HYPERVISOR_xen_version, 2, gen_misc },
    { __HYPERVISOR_console_io, 1, gen_console_io },
    { __HYPERVISOR_grant_table_op, 10, gen_grant_table_op },
    { __HYPERVISOR_vm_assist, 1, gen_misc },
    { __HYPERVISOR_update_va_mapping_otherdomain, 2, gen_update_va_mapping_other },
    { __HYPERVISOR_vcpu_op, 4, gen_vcpu_op },
    { __HYPERVISOR_set_segment_base, 2, gen_misc },
    { __HYPERVISOR_mmuext_op, 10, gen_mmuext_op },
    { __HYPERVISOR_sched_op, 3, gen_sched_op },
    { __HYPERVISOR_callback_op, 2, gen_callbacks },
    { __HYPERVISOR_event_channel_op, 6, gen_evtchn_op },
    { __HYPERVISOR_physdev_op, 3, gen_generic },
    { __HYPERVISOR_sysctl, 1, gen_ctl },
    { __HYPERVISOR_domctl, 2, gen_ctl },
};

/* Everything else (hvm_op, xenpmu, xsm, kexec, nmi_op, unused numbers):
 * a command and a structure, weight 1 each, NMI callbacks put back. */
static uint64_t pick_nr(struct fz_rng *r, fz_gen_fn **fn)
{
    static unsigned int total;
    uint64_t k;

    if (!total)
        for (unsigned int i = 0; i < ARRAY_SIZE(gens); i++)
            total += gens[i].weight;
    k = fz_below(r, total + 12);
    for (unsigned int i = 0; i < ARRAY_SIZE(gens); i++) {
        if (k < gens[i].weight) {
            *fn = gens[i].fn;
            return gens[i].nr;
        }
        k -= gens[i].weight;
    }
    *fn = gen_generic;
    for (;;) {                          /* one without a generator, or beyond */
        uint64_t nr = fz_below(r, HC_NUMBERS + 8);
        unsigned int i;

        for (i = 0; i < ARRAY_SIZE(gens) && gens[i].nr != nr; i++)
            ;
        if (i == ARRAY_SIZE(gens) && nr != __HYPERVISOR_iret)
            return nr;
    }
}

static void gen_one(struct fz_rng *r, unsigned int cpu, struct fz_call *c, int nested)
{
    fz_gen_fn *fn;

    memset(c, 0, sizeof(*c));
    c->nr = pick_nr(r, &fn);
    /* A multicall inside one must be refused: random arguments will do. */
    if (nested && c->nr == __HYPERVISOR_multicall)
        fn = gen_generic;
    fn(r, cpu, c);
    if (c->nr == __HYPERVISOR_nmi_op)
        c->restore |= FZ_RESTORE_TRAPS;
    if (nested && c->nr == __HYPERVISOR_vcpu_op && c->a[0] == VCPUOP_send_nmi)
        c->a[0] = VCPUOP_is_up;         /* an NMI after a random trap table */
    /*
     * Earlier entries write their results anywhere in the arena, so a
     * nested poll may find its timeout turned into 0 (sleep for good) and
     * a remote_shutdown its target into ourselves: yield instead.
     */
    if (nested && c->nr == __HYPERVISOR_sched_op && c->a[0] < 8)
        c->a[0] = SCHEDOP_yield;
}

/*
 * The entries are made first (their buffers come from fz_buf), then
 * written where fz_mc_list() puts them: a count beyond them meets the
 * guard page.  A wild list is unreadable, not a random arena word.
 */
static void gen_multicall(struct fz_rng *r, unsigned int cpu, struct fz_call *c)
{
    unsigned int n = 1 + fz_below(r, FZ_MC_MAX);
    struct multicall_entry sub_e[FZ_MC_MAX], *e = fz_mc_list(cpu, n);
    struct fz_call sub;

    for (unsigned int i = 0; i < n; i++) {
        gen_one(r, cpu, &sub, 1);
        sub_e[i].op = sub.nr;
        sub_e[i].result = fz_next(r);
        memcpy(sub_e[i].args, sub.a, sizeof(sub_e[i].args));
        c->restore |= sub.restore & ~FZ_HARVEST;
    }
    memcpy(e, sub_e, n * sizeof(*e));
    c->a[0] = fz_pct(r, 92) ? HC_PTR(e) : fz_unreadable(r);
    c->a[1] = fz_pct(r, 85) ? n : fz_count(r, 8);
}

void fz_gen(struct fz_rng *r, unsigned int cpu, struct fz_call *c)
{
    gen_one(r, cpu, c, 0);
    /* rax's high half must not select a hypercall: the same arguments. */
    if (fz_pct(r, 2))
        c->nr |= (fz_next(r) | 1) << 32;
}

long fz_issue(const struct fz_call *c)
{
    register uint64_t rdi asm("rdi") = c->a[0];
    register uint64_t rsi asm("rsi") = c->a[1];
    register uint64_t rdx asm("rdx") = c->a[2];
    register uint64_t r10 asm("r10") = c->a[3];
    register uint64_t r8 asm("r8") = c->a[4];
    register uint64_t r9 asm("r9") = c->a[5];
    long rax = (long)c->nr;

    /* Always syscall: the hypercall page is one of the fuzzer's targets. */
    asm volatile ("syscall"
                  : "+a" (rax), "+r" (rdi), "+r" (rsi), "+r" (rdx), "+r" (r10),
                    "+r" (r8), "+r" (r9)
                  : : "rcx", "r11", "memory");
    return rax;
}

static void restore_traps(unsigned int cpu)
{
    struct callback_unregister nmi = { .type = CALLBACKTYPE_nmi };
    struct callback_register cb = { .type = CALLBACKTYPE_event,
                                    .flags = CALLBACKF_mask_events,
                                    .address = HC_PTR(smp_ap_event_entry) };

    if (cpu == 0) {
        traps_restore();
    } else {
        /* vCPU 1's own event callback (smp.c), the shared rest. */
        HYPERVISOR_set_trap_table(default_trap_table);
        HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
        cb.type = CALLBACKTYPE_failsafe;
        cb.address = HC_PTR(failsafe_callback_entry);
        HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
        cb.type = CALLBACKTYPE_syscall;
        cb.address = HC_PTR(syscall_callback_entry);
        HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
    }
    HYPERVISOR_callback_op(CALLBACKOP_unregister, &nmi);
}

void fz_restore(const struct fz_call *c, long rc, unsigned int cpu)
{
    if (c->restore & FZ_RESTORE_TRAPS)
        restore_traps(cpu);
    if (c->restore & FZ_RESTORE_DR)
        HYPERVISOR_set_debugreg(7, 0);
    if (c->restore & FZ_RESTORE_FPU)
        HYPERVISOR_fpu_taskswitch(0);
    if (c->restore & FZ_RESTORE_WATCHDOG) {
        for (uint32_t id = 1; id <= 4; id++) {
            struct sched_watchdog wd = { .id = id, .timeout = 0 };

            HYPERVISOR_sched_op(SCHEDOP_watchdog, &wd);
        }
    }
    if ((c->restore & FZ_HARVEST) && rc > 0)
        fz_env_harvest(c->harvest, (unsigned long)rc < c->nharvest ? (unsigned long)rc
                                                                   : c->nharvest);
}
