/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/fuzz-guest.c - fuzz/guest, the hostile domU: it makes
 * fuzz.calls hypercalls from fuzz-gen.c on vCPU 0 while vCPU 1 races it
 * with a stream of its own (fuzz.race=0: vCPU 1 idles), and after every
 * fuzz.batch calls parks vCPU 1, publishes its state in the status page
 * and waits until dom0 (fuzz/run, fuzz-dom0.c) has checked the hypervisor.
 *
 * Command line (from fuzz/run): fuzz.domid= (required: only a domU built
 * by fuzz/run fuzzes), fuzz.seed=, fuzz.calls=, fuzz.batch=, fuzz.race=,
 * and for replays fuzz.trace=1 (print every call), fuzz.from=K (vCPU 0
 * starts at call K), fuzz.only=K (vCPU 0 makes call K alone).
 *
 * An exception a call raises (a bounced #DB, a failsafe callback, a fault
 * the hypervisor reflects) is counted and the run goes on: exc_hook
 * longjmps back into the call's frame on the vCPU it hit.
 */
#include "fuzz-lib.h"
#include "ctl-lib.h"
#include <clock.h>
#include <smp.h>
#include <traps.h>
#include <public/sched.h>
#include <public/memory.h>
#include <public/vcpu.h>

uint8_t fz_status_page[4096] __attribute__((aligned(4096)));
#define ST ((volatile struct fz_status *)fz_status_page)

#define STACK_SPAN      12288           /* below the loop's frame: its stack */
#define RC_CLASSES      7

static struct {
    uint64_t seed, calls, batch, race, trace, from, only, domid, watch;
    int only_set;
} opt;

/* Per vCPU: where a fault in a call goes, and what the calls returned. */
static struct fz_cpu {
    tk_jmp_buf jb;
    volatile int armed;                 /* a call is in flight: jb is live */
    uint64_t stack_lo, stack_hi;
    volatile uint64_t calls, faults;
    volatile uint64_t vec, rip, err;    /* the last fault */
    volatile uint64_t idx, nr;          /* the call in flight */
    uint64_t rc[RC_CLASSES];
} cpus[FZ_CPUS];

static volatile int racer_hold, racer_parked, racer_stop, run_failed;
static struct fz_env fz_at_start;       /* fz as fz_env_init left it */

static int fault_hook(struct cpu_regs *r)
{
    uint64_t sp = (uint64_t)(uintptr_t)r;

    for (unsigned int i = 0; i < FZ_CPUS; i++) {
        struct fz_cpu *c = &cpus[i];

        if (!c->armed || sp < c->stack_lo || sp >= c->stack_hi)
            continue;
        c->armed = 0;
        c->vec = r->vector;
        c->rip = r->rip;
        c->err = r->error_code;
        tk_longjmp(c->jb, 1);
    }
    return 0;
}

static unsigned int rc_class(long rc)
{
    if (rc == 0)
        return 0;
    if (rc > 0)
        return 1;
    switch (-rc) {
    case EPERM: return 2;
    case EINVAL: return 3;
    case EFAULT: return 4;
    case ENOSYS: return 5;
    default: return 6;
    }
}

/* The call, and the first words of a structure it points to in the arena. */
static void trace_call(unsigned int cpu, uint64_t idx, const struct fz_call *c)
{
    uint64_t at = c->a[c->nr == __HYPERVISOR_memory_op || c->nr == __HYPERVISOR_sched_op ||
                       c->nr == __HYPERVISOR_grant_table_op ? 1 : 0];
    const uint64_t *w = (const uint64_t *)(uintptr_t)at;

    printk("fuzz: c%u #%lu nr %#lx (%#lx, %#lx, %#lx, %#lx, %#lx)\n", cpu, idx, c->nr,
           c->a[0], c->a[1], c->a[2], c->a[3], c->a[4]);
    if (c->nr == __HYPERVISOR_multicall && at - HC_PTR(fz.arena[cpu]) < FZ_ARENA_PAGES * PAGE_SIZE) {
        for (uint64_t e = 0; e < c->a[1] && e < FZ_MC_MAX; e++, w += 8)
            printk("fuzz:   entry %lu: op %#lx result %#lx args %#lx %#lx %#lx %#lx %#lx %#lx\n",
                   e, w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]);
        return;
    }
    for (unsigned int depth = 0; depth < 2; depth++) {
        if (at - HC_PTR(fz.arena[cpu]) >= FZ_ARENA_PAGES * PAGE_SIZE - 64)
            return;
        printk("fuzz:   %#lx: [%#lx %#lx %#lx %#lx %#lx %#lx %#lx %#lx]\n", at, w[0], w[1],
               w[2], w[3], w[4], w[5], w[6], w[7]);
        at = w[0];                      /* and what its first word points to */
        w = (const uint64_t *)(uintptr_t)at;
    }
}

/* fz's words that never change after init (the pool does: harvests). */
static int env_changed(void)
{
    return memcmp(&fz, &fz_at_start, offsetof(struct fz_env, pool)) ||
           memcmp(&fz.shinfo_mfn, &fz_at_start.shinfo_mfn,
                  sizeof(fz) - offsetof(struct fz_env, shinfo_mfn));
}

/*
 * A call rewrote the fuzzer's own state (the arena pointers in fz): put
 * it back, count it, and say the first time which calls were in flight
 * and which words changed.  Seen with seed 1 (c1 #165010, a multicall):
 * a nested XENMEM_machphys_mapping wrote its answer over fz after the
 * list's own entries had rewritten its argument; unrepaired, every later
 * call of both vCPUs faulted building its arguments.
 */
static void env_check(unsigned int cpu, uint64_t idx, const struct fz_call *c)
{
    static int reported;
    int first;

    if (!env_changed())
        return;
    __atomic_fetch_add(&ST->env_repairs, 1, __ATOMIC_RELAXED);
    first = !__atomic_exchange_n(&reported, 1, __ATOMIC_RELAXED);
    if (first) {
        printk("fuzz: c%u #%lu (nr %#lx) rewrote the fuzzer's own state; c%u in flight "
               "#%lu nr %#lx\n", cpu, idx, c ? c->nr : 0, !cpu, cpus[!cpu].idx, cpus[!cpu].nr);
        for (unsigned int i = 0; i < sizeof(fz) / 8; i++)
            if (((uint64_t *)&fz)[i] != ((uint64_t *)&fz_at_start)[i])
                printk("fuzz:   fz word %u: %#lx, was %#lx\n", i, ((uint64_t *)&fz)[i],
                       ((uint64_t *)&fz_at_start)[i]);
    }
    memcpy(&fz, &fz_at_start, offsetof(struct fz_env, pool));
    memcpy(&fz.shinfo_mfn, &fz_at_start.shinfo_mfn,
           sizeof(fz) - offsetof(struct fz_env, shinfo_mfn));
    if (first && c)
        trace_call(cpu, idx, c);
}

/*
 * A call changed the mappings of a fuzzer arena (its own, or the other
 * vCPU's, which then faults building its next call): put them back and
 * say which calls were in flight.
 */
static void arena_check(unsigned int cpu, uint64_t idx, const struct fz_call *c)
{
    unsigned int n = fz_env_arena_repair(cpu);

    env_check(cpu, idx, c);
    if (!n)
        return;
    ST->remaps++;
    printk("fuzz: c%u's arena: %u pages remapped; in flight: c%u #%lu nr %#lx, "
           "c%u #%lu nr %#lx\n", cpu, n, cpu, idx, c ? c->nr : 0, !cpu, cpus[!cpu].idx,
           cpus[!cpu].nr);
    if (c)
        trace_call(cpu, idx, c);
}

/* Make call 'idx' of this vCPU's stream; a fault it raises ends it here. */
static void run_call(unsigned int cpu, uint64_t idx)
{
    static const struct fz_call undo_all = {
        .restore = FZ_RESTORE_TRAPS | FZ_RESTORE_DR | FZ_RESTORE_FPU | FZ_RESTORE_WATCHDOG,
    };
    struct fz_cpu *me = &cpus[cpu];
    struct fz_rng r;
    struct fz_call c;
    long rc;

    ST->idx[cpu] = me->idx = idx;
    ST->nr[cpu] = me->nr = 0;
    if (tk_setjmp(me->jb)) {
        if (me->faults++ < 5 || opt.trace)
            printk("fuzz: c%u #%lu (nr %#lx): exception %lu at %#lx err %#lx cr2 %#lx "
                   "arena %p\n", cpu, idx, me->nr, me->vec, me->rip, me->err,
                   shared_info_map()->vcpu_info[cpu].arch.cr2, fz.arena[cpu]);
        fz_restore(&undo_all, 0, cpu);
        arena_check(cpu, idx, NULL);
        return;
    }
    me->armed = 1;                      /* the arena may be gone: see arena_check */
    fz_seed_call(&r, opt.seed, cpu, idx);
    fz_gen(&r, cpu, &c);
    if (opt.trace)
        trace_call(cpu, idx, &c);
    ST->nr[cpu] = me->nr = c.nr;
    rc = fz_issue(&c);
    fz_restore(&c, rc, cpu);
    me->armed = 0;
    me->rc[rc_class(rc)]++;
    if (opt.trace)
        printk("fuzz: c%u #%lu -> %ld\n", cpu, idx, rc);
    if (opt.watch && !fz_env_tables_mapped(cpu)) {
        printk("fuzz: c%u #%lu unmapped the kernel's view of its own L1\n", cpu, idx);
        trace_call(cpu, idx, &c);
        opt.watch = 0;
    }
    arena_check(cpu, idx, &c);
}

static void arm_stack(unsigned int cpu)
{
    uint64_t here = (uint64_t)(uintptr_t)__builtin_frame_address(0);

    cpus[cpu].stack_hi = here;
    cpus[cpu].stack_lo = here - STACK_SPAN;
}

static void mask_upcalls(unsigned int cpu)
{
    if (cpu == 0)
        vcpu0->evtchn_upcall_mask = 1;
    else
        shared_info_map()->vcpu_info[cpu].evtchn_upcall_mask = 1;
}

/* vCPU 1: its own stream until told to stop, parking when asked. */
static void racer(void)
{
    uint64_t idx = 0;

    arm_stack(1);
    while (!racer_stop) {
        if (racer_hold) {
            racer_parked = 1;
            while (racer_hold && !racer_stop)
                asm volatile ("pause");
            racer_parked = 0;
            continue;
        }
        mask_upcalls(1);
        run_call(1, idx++);
        cpus[1].calls++;
    }
    racer_parked = 1;
}

static int park_racer(void)
{
    uint64_t deadline = clock_ns() + 10 * NSEC_PER_SEC;

    racer_hold = 1;
    while (opt.race && !racer_parked)
        if (clock_ns() > deadline)
            return -1;
    return 0;
}

/*
 * Where an unparked vCPU 1 is, as the hypervisor sees it: asleep there
 * (blocked or down: a call of its own put it to sleep, and nothing the
 * run does wakes it) or running or runnable (it is stuck itself).
 */
static const char *racer_state(void)
{
    static const char *const names[] = { "running", "runnable", "blocked", "offline" };
    struct vcpu_runstate_info rs;

    if (HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 1, &rs) || rs.state > 3)
        return "unknown";
    return names[rs.state];
}

/* Publish the batch and wait for dom0's check of it. */
static void end_batch(void)
{
    uint64_t deadline;

    if (park_racer() && !run_failed++)
        test_fail("vCPU 1 did not park within 10 s: in call #%lu (nr %#lx), hypervisor says "
                  "%s, seed %lu", cpus[1].idx, cpus[1].nr, racer_state(), opt.seed);
    mask_upcalls(0);
    ST->calls = cpus[0].calls + cpus[1].calls;
    ST->faults = cpus[0].faults + cpus[1].faults;
    ST->tot_pages = (uint64_t)HYPERVISOR_memory_op(XENMEM_current_reservation,
                                                   &(domid_t){ DOMID_SELF });
    __atomic_store_n(&ST->batch, ST->batch + 1, __ATOMIC_RELEASE);
    deadline = clock_ns() + 60 * NSEC_PER_SEC;
    while (__atomic_load_n(&ST->ack, __ATOMIC_ACQUIRE) != ST->batch) {
        if (clock_ns() > deadline) {
            test_fail("dom0 did not check batch %lu within 60 s", ST->batch);
            run_failed++;
            break;
        }
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    if (ST->batch % 10 == 0)
        printk("fuzz: batch %lu, %lu calls, %lu faults\n", ST->batch, ST->calls, ST->faults);
    racer_hold = 0;
}

/*
 * The generator's promise that the seed-1 raced run once broke: a
 * multicall list either ends exactly at its arena's guard page, so a
 * count beyond the entries faults there, or lies outside everything the
 * guest may read.  The first MC_CHECK calls of each stream are generated
 * (not made) and checked; the same at every start, so replays still
 * replay.  A list in the middle of the arena, over stale words, fails.
 */
#define MC_CHECK        4000

/* at >= VIRT_BASE, without a warning in the variant linked at 0. */
static int at_or_above_kernel(uint64_t at)
{
#if VIRT_BASE
    return at >= VIRT_BASE;
#else
    (void)at;
    return 1;
#endif
}

/* Outside the arenas: could the guest read there (its kernel, the window)? */
static int readable(uint64_t at)
{
    for (unsigned int k = 0; k <= FZ_CPUS; k++)
        if (at - fz.guard_va[k] < PAGE_SIZE)
            return 0;
    return at_or_above_kernel(at) ||
           (at >= fz.win_va && at < fz.win_va + FZ_WIN_PAGES * PAGE_SIZE);
}

static void check_mc_lists(void)
{
    unsigned int lists = 0, bad = 0;

    for (unsigned int cpu = 0; cpu < FZ_CPUS; cpu++) {
        uint64_t lo = HC_PTR(fz.arena[cpu]), hi = lo + FZ_ARENA_PAGES * PAGE_SIZE;

        for (uint64_t idx = 0; idx < MC_CHECK; idx++) {
            struct fz_rng r;
            struct fz_call c;
            uint64_t at;

            fz_seed_call(&r, opt.seed, cpu, idx);
            fz_gen(&r, cpu, &c);
            if (c.nr != __HYPERVISOR_multicall)
                continue;
            lists++;
            at = c.a[0];
            if (at >= lo && at < hi ? (hi - at) % sizeof(struct multicall_entry) ||
                                      (hi - at) / sizeof(struct multicall_entry) > FZ_MC_MAX
                                    : readable(at)) {
                if (!bad++)
                    test_fail("c%u #%lu: multicall list at %#lx, count %lu, does not end at "
                              "the guard page (arena %#lx-%#lx)", cpu, idx, at, c.a[1], lo, hi);
            }
        }
    }
    printk("fuzz: %u multicall lists in the first %u calls of each stream, %u misplaced\n",
           lists, MC_CHECK, bad);
    if (bad)
        run_failed++;
}

static void read_options(void)
{
    opt.domid = cmdline_uint_needed("fuzz.domid", "a domU built by fuzz/run");
    opt.seed = 1;
    opt.calls = 1000;
    opt.batch = 1000;
    opt.race = 1;
    cmdline_uint("fuzz.seed", &opt.seed);
    cmdline_uint("fuzz.calls", &opt.calls);
    cmdline_uint("fuzz.batch", &opt.batch);
    cmdline_uint("fuzz.race", &opt.race);
    cmdline_uint("fuzz.trace", &opt.trace);
    cmdline_uint("fuzz.watch", &opt.watch);
    cmdline_uint("fuzz.from", &opt.from);
    opt.only_set = cmdline_uint("fuzz.only", &opt.only);
    if (opt.only_set)
        opt.race = 0;
    if (!opt.batch)
        opt.batch = 1;
}

static void report(void)
{
    static const char *const names[RC_CLASSES] = { "0", ">0", "EPERM", "EINVAL", "EFAULT",
                                                   "ENOSYS", "other" };

    printk("fuzz: done, seed %lu: %lu calls (vCPU 0 %lu, vCPU 1 %lu), %lu faults, "
           "%lu arena remaps, %lu state repairs\n", opt.seed, cpus[0].calls + cpus[1].calls,
           cpus[0].calls, cpus[1].calls, cpus[0].faults + cpus[1].faults, ST->remaps,
           ST->env_repairs);
    printk("fuzz: results:");
    for (unsigned int i = 0; i < RC_CLASSES; i++)
        printk(" %s %lu", names[i], cpus[0].rc[i] + cpus[1].rc[i]);
    printk("\n");
}

static void fuzz_loop(void)
{
    arm_stack(0);
    for (uint64_t idx = opt.from; idx < opt.calls; idx++) {
        if (!opt.only_set || idx == opt.only) {
            mask_upcalls(0);
            run_call(0, idx);
            cpus[0].calls++;
        }
        if ((idx + 1) % opt.batch == 0 || idx + 1 == opt.calls)
            end_batch();
    }
}

TEST(guest, "fuzz/guest")
{
    struct sched_shutdown code = { .reason = SHUTDOWN_poweroff };
    long rc;

    read_options();
    printk("fuzz: seed %lu, %lu calls, batch %lu, race %lu (replay: fuzz.seed=%lu)\n",
           opt.seed, opt.calls, opt.batch, opt.race, opt.seed);
    ST->seed = opt.seed;
    ST->magic = FZ_MAGIC;
    rc = fz_env_init((domid_t)opt.domid);
    if (rc) {
        test_fail("setting up the fuzzer: %ld", rc);
        return;
    }
    check_mc_lists();
    fz_at_start = fz;
    mask_upcalls(0);
    mask_upcalls(1);
    /* vCPU 1 is always up, so VCPUOP_initialise/up of it are refused. */
    smp_ap.work = opt.race ? racer : NULL;
    rc = smp_ap_up();
    if (rc) {
        test_fail("bringing vCPU 1 up: %ld", rc);
        return;
    }
    exc_hook = fault_hook;
    fuzz_loop();
    racer_stop = 1;
    park_racer();
    exc_hook = NULL;
    report();
    /* A fuzzed SCHEDOP_shutdown_code must not decide how we go down. */
    HYPERVISOR_sched_op(SCHEDOP_shutdown_code, &code);
    ST->done = run_failed ? 2 : 1;
}
