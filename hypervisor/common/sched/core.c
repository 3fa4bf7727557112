/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/sched/core.c - scheduling mechanics: run queues,
 * blocking and waking, the switch between vCPUs, and the idle loop.
 * The credit policy (credit.c) decides the order.
 *
 * Locking: each CPU's run queue has a lock (irqsave).  A vCPU's
 * pause_flags and on_runq change only under the lock of the CPU it
 * belongs to (v->sched.processor), found by vcpu_runq_lock(); processor
 * itself changes only with both the old and the new CPU's locks held.
 * Moving a vCPU to another CPU (a steal, or a wake onto an idle CPU)
 * takes the other CPU's lock with a try-lock while holding the first,
 * so two CPUs never wait on each other.  Under a run-queue lock
 * only the timer-list locks and the leaves are taken
 * (docs/ARCHITECTURE.md, "Lock order").
 *
 * A dying vCPU: domain_destroy() (kill) calls sched_vcpu_destroy(), which
 * sets VPF_dead under the vCPU's run-queue lock - no wake clears it, so
 * from then on no CPU queues or picks the vCPU - and kills its timers,
 * waiting out a handler running on another CPU.  The struct vcpu itself
 * stays until domain_free() (the last reference to the domain), so a
 * holder of the domain (the credit tick, a kick, schedule() switching it
 * out) may still look at it.  schedule() holds prev's domain across the
 * switch out: once is_running drops, the domain may be killed and reaped.
 */
#include <mica/lib.h>
#include <mica/domain.h>
#include <mica/domctl.h>
#include <mica/guest-access.h>
#include <mica/sched.h>
#include <mica/time.h>
#include <mica/timer.h>
#include <mica/event.h>
#include <asm/arch-hooks.h>
#include <asm/cpu.h>
#include <asm/io.h>
#include <asm/smp.h>
#include <asm/spinlock.h>

static struct sched_cpu {
    spinlock_t lock;
    struct vcpu *runq;
    struct vcpu *curr;              /* running here, NULL when idle */
    bool resched;
    struct timer slice;
    uint64_t idle_ns, idle_since;   /* time halted; since when (0: busy) */
} sched_cpus[CONFIG_NR_CPUS];


static bool runnable(const struct vcpu *v)
{
    return !v->sched.pause_flags;
}

static void slice_expired(void *data)
{
    sched_cpus[smp_processor_id()].resched = true;
}

void sched_init(void)
{
    for (unsigned int c = 0; c < CONFIG_NR_CPUS; c++)
        init_timer(&sched_cpus[c].slice, slice_expired, NULL, c);
    credit_init();
}

void raise_reschedule(void)
{
    sched_cpus[smp_processor_id()].resched = true;
}

bool reschedule_pending(void)
{
    return sched_cpus[smp_processor_id()].resched;
}

/* ---- run queue (caller holds the CPU's lock) --------------------------- */

static void runq_remove(unsigned int cpu, struct vcpu *v)
{
    struct vcpu **p = &sched_cpus[cpu].runq;

    ASSERT(spin_is_locked_by_me(&sched_cpus[cpu].lock));
    while (*p && *p != v)
        p = &(*p)->sched.runq_next;
    if (*p)
        *p = v->sched.runq_next;
    v->sched.on_runq = false;
    v->sched.runq_next = NULL;
}

/* Head of the queue; credit.c inserts in priority order. */
struct vcpu **sched_runq_head(unsigned int cpu)
{
    ASSERT(spin_is_locked_by_me(&sched_cpus[cpu].lock));
    return &sched_cpus[cpu].runq;
}

static bool cpu_busy(unsigned int cpu)
{
    return !cpu_online(cpu) || sched_cpus[cpu].runq || sched_cpus[cpu].curr;
}

/* Under the locks of both the CPU it leaves and the one it moves to. */
static void set_processor(struct vcpu *v, unsigned int cpu)
{
    ASSERT(spin_is_locked_by_me(&sched_cpus[v->sched.processor].lock));
    ASSERT(spin_is_locked_by_me(&sched_cpus[cpu].lock));
    __atomic_store_n(&v->sched.processor, cpu, __ATOMIC_RELEASE);
    migrate_timer(&v->sched.singleshot, cpu);
    migrate_timer(&v->sched.periodic, cpu);
    migrate_timer(&v->sched.poll_timeout, cpu);
}

/* A CPU for a vCPU that just became runnable: its own, or an idle one. */
static unsigned int pick_cpu(const struct vcpu *v)
{
    unsigned int cpu = v->sched.processor;

    if (!(v->sched.affinity & (1UL << cpu)) || !cpu_online(cpu)) {
        for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
            if ((v->sched.affinity & (1UL << cpu)) && cpu_online(cpu))
                break;
        if (cpu == CONFIG_NR_CPUS)
            cpu = 0;
    }
    if (cpu_busy(cpu))
        for (unsigned int c = 0; c < CONFIG_NR_CPUS; c++)
            if ((v->sched.affinity & (1UL << c)) && cpu_online(c) && !cpu_busy(c))
                return c;
    return cpu;
}

/* ---- state changes ------------------------------------------------------ */

/*
 * Lock the run queue v belongs to.  processor changes only with both the
 * old and the new CPU's locks held (a wake moving it, a steal), so the
 * lock of the CPU it names, read again under that lock, is the right one.
 */
static unsigned int vcpu_runq_lock(const struct vcpu *v, unsigned long *irq)
{
    for (;;) {
        unsigned int cpu = __atomic_load_n(&v->sched.processor, __ATOMIC_ACQUIRE);

        *irq = spin_lock_irqsave(&sched_cpus[cpu].lock);
        if (__atomic_load_n(&v->sched.processor, __ATOMIC_RELAXED) == cpu)
            return cpu;
        spin_unlock_irqrestore(&sched_cpus[cpu].lock, *irq);
    }
}

void vcpu_wake_flags(struct vcpu *v, unsigned int flags)
{
    unsigned long irq;
    unsigned int cpu = vcpu_runq_lock(v, &irq), target, queued;

    v->sched.pause_flags &= ~flags;
    if (!runnable(v) || v->sched.on_runq || v->sched.is_running) {
        spin_unlock_irqrestore(&sched_cpus[cpu].lock, irq);
        return;
    }
    runstate_change(v, RUNSTATE_runnable);
    target = pick_cpu(v);
    /*
     * Moving it to another CPU takes that CPU's lock too, by try-lock
     * only, as a steal does (two CPUs waking vCPUs onto each other must
     * not wait on each other).  Without it the vCPU queues where it is,
     * and the target is told to look: it steals the vCPU from there.
     */
    if (target != cpu && spin_trylock(&sched_cpus[target].lock)) {
        set_processor(v, target);
        credit_vcpu_insert(target, v);
        sched_cpus[target].resched = true;
        spin_unlock(&sched_cpus[target].lock);
        queued = target;
    } else {
        credit_vcpu_insert(cpu, v);
        sched_cpus[cpu].resched = true;
        if (target != cpu)
            __atomic_store_n(&sched_cpus[target].resched, true, __ATOMIC_RELEASE);
        queued = cpu;
    }
    spin_unlock_irqrestore(&sched_cpus[cpu].lock, irq);
    if (queued != smp_processor_id())
        send_ipi(queued, VEC_EVENT_CHECK);
    if (target != queued && target != smp_processor_id())
        send_ipi(target, VEC_EVENT_CHECK);
}

void vcpu_sleep_flags(struct vcpu *v, unsigned int flags)
{
    unsigned long irq;
    unsigned int cpu = vcpu_runq_lock(v, &irq);

    v->sched.pause_flags |= flags;
    if (v->sched.on_runq)
        runq_remove(cpu, v);
    if (v->sched.is_running) {
        sched_cpus[cpu].resched = true;
        if (cpu != smp_processor_id())
            send_ipi(cpu, VEC_EVENT_CHECK);
    } else {
        runstate_change(v, (v->sched.pause_flags & VPF_blocked) ? RUNSTATE_blocked
                                                                : RUNSTATE_offline);
    }
    spin_unlock_irqrestore(&sched_cpus[cpu].lock, irq);
}

/* New events for v: wake it, or make the CPU running it look at them. */
void vcpu_kick(struct vcpu *v)
{
    if (v->sched.pause_flags & VPF_blocked) {
        v->sched.polling = false;
        stop_timer(&v->sched.poll_timeout);
        vcpu_wake_flags(v, VPF_blocked);
    } else if (v->sched.is_running && v->sched.processor != smp_processor_id()) {
        send_ipi(v->sched.processor, VEC_EVENT_CHECK);
    }
}

void vcpu_yield(void)
{
    raise_reschedule();
}

/* SCHEDOP_block: sleep until an event is pending (checked after the flag is
 * set, so an event racing with us wakes us again at once). */
void vcpu_block(void)
{
    struct vcpu *v = current;

    v->vcpu_info->evtchn_upcall_mask = 0;       /* block enables events */
    vcpu_sleep_flags(v, VPF_blocked);
    if (v->vcpu_info->evtchn_upcall_pending)
        vcpu_wake_flags(v, VPF_blocked);
}

/* ---- the switch ------------------------------------------------------------ */

/* Take a runnable vCPU from another CPU's queue (load balancing). */
static struct vcpu *steal(unsigned int cpu)
{
    for (unsigned int c = 0; c < CONFIG_NR_CPUS; c++) {
        struct vcpu *v;

        if (c == cpu || !cpu_online(c) || !sched_cpus[c].runq)
            continue;
        if (!spin_trylock(&sched_cpus[c].lock))
            continue;                           /* busy: try another */
        for (v = sched_cpus[c].runq; v; v = v->sched.runq_next)
            if ((v->sched.affinity & (1UL << cpu)) && !v->sched.is_running)
                break;
        if (v) {
            runq_remove(c, v);
            set_processor(v, cpu);
        }
        spin_unlock(&sched_cpus[c].lock);
        if (v)
            return v;
    }
    return NULL;
}

/*
 * Pick what runs next on this CPU and switch to it.  With nothing to run
 * the CPU waits here (interrupts on) until something is queued.  Returns
 * with current set and its registers in this CPU's guest frame.
 */
void schedule(void)
{
    unsigned int cpu = smp_processor_id();
    struct sched_cpu *sc = &sched_cpus[cpu];

    for (;;) {
        struct vcpu *prev = current, *next;
        uint64_t now = now_ns();

        local_irq_disable();
        spin_lock(&sc->lock);
        sc->resched = false;
        if (prev) {
            credit_account(prev, now - prev->sched.run_start);
            if (runnable(prev))
                credit_vcpu_insert(cpu, prev);
        }
        next = credit_pick_next(cpu);
        if (!next)
            next = steal(cpu);
        if (next)
            next->sched.is_running = true;
        sc->curr = next;
        spin_unlock(&sc->lock);

        if (next == prev && next) {
            prev->sched.run_start = now;
            set_timer(&sc->slice, now + sched_slice_ns());
            return;
        }
        /* Out to the idle state first, so a dead domain can be torn down
         * with none of its tables loaded; then into the next vCPU. */
        if (prev) {
            struct domain *pd = prev->domain;

            get_knownalive_domain(pd);  /* prev is still running: not killed */
            arch_context_switch(prev, NULL);
            /* Woken while switching out (is_running still set): queue it now. */
            if (runnable(prev))
                vcpu_wake_flags(prev, 0);
            if (pd->state != DOMAIN_RUNNING)
                domain_ended(pd);       /* puts pd */
            else
                put_domain(pd);         /* never the last: domain.c */
        }
        if (next) {
            arch_context_switch(NULL, next);
            next->sched.run_start = now_ns();
            set_timer(&sc->slice, next->sched.run_start + sched_slice_ns());
            return;
        }
        stop_timer(&sc->slice);
        /* Idle until an interrupt queues work (sti;hlt cannot miss it). */
        sc->idle_since = now_ns();
        while (!sc->runq && !sc->resched)
            asm volatile("sti; hlt; cli" ::: "memory");
        sc->idle_ns += now_ns() - sc->idle_since;
        sc->idle_since = 0;
    }
}

/* For sysctl getcpuinfo: a CPU halted right now counts up to now. */
uint64_t sched_idle_time(unsigned int cpu)
{
    const struct sched_cpu *sc = &sched_cpus[cpu];
    uint64_t since = __atomic_load_n(&sc->idle_since, __ATOMIC_RELAXED);

    return sc->idle_ns + (since ? now_ns() - since : 0);
}

void __noreturn scheduler_enter_idle(void)
{
    extern void enter_guest(struct cpu_regs *frame) __noreturn;

    current = NULL;
    raise_reschedule();
    schedule();
    enter_guest(&get_cpu_info()->guest_regs);
}

/* ---- runstate ------------------------------------------------------------ */

/*
 * A vCPU's runstate changes on the CPU that owns it while other CPUs may
 * read it (VCPUOP_get_runstate_info names any vCPU of the domain), so the
 * writer bumps runstate_seq around the update - odd while it is under way -
 * and readers retry until they saw one stable even value.
 */
void runstate_change(struct vcpu *v, int new_state)
{
    struct vcpu_runstate_info *rs = &v->sched.runstate;
    uint64_t now = now_ns();

    if (rs->state == new_state)
        return;
    __atomic_fetch_add(&v->sched.runstate_seq, 1, __ATOMIC_ACQ_REL);
    if (rs->state_entry_time)
        rs->time[rs->state] += now - rs->state_entry_time;
    rs->state = new_state;
    rs->state_entry_time = now;
    __atomic_fetch_add(&v->sched.runstate_seq, 1, __ATOMIC_ACQ_REL);
}

/*
 * The runstate as VCPUOP_get_runstate_info reports it: the stretch in the
 * current state counts up to now, as in Xen, so a running vCPU sees its
 * running time grow between two calls.  state_entry_time stays the real
 * entry time.
 */
void runstate_get(const struct vcpu *v, struct vcpu_runstate_info *out)
{
    uint32_t seq;
    uint64_t now;

    do {
        while ((seq = __atomic_load_n(&v->sched.runstate_seq, __ATOMIC_ACQUIRE)) & 1)
            cpu_relax();
        *out = v->sched.runstate;
        now = now_ns();
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while (__atomic_load_n(&v->sched.runstate_seq, __ATOMIC_RELAXED) != seq);
    if (out->state_entry_time && now > out->state_entry_time)
        out->time[out->state] += now - out->state_entry_time;
}

/* Copy the runstate to the guest's area; its page tables must be loaded. */
void runstate_update_guest(struct vcpu *v)
{
    if (v->runstate_guest)
        (void)copy_to_guest(v->runstate_guest, &v->sched.runstate,
                            sizeof(v->sched.runstate));
}

/* ---- vCPU lifetime ------------------------------------------------------ */

static void singleshot_fire(void *data)
{
    send_guest_vcpu_virq(data, VIRQ_TIMER);
}

/*
 * The next tick is due one period after the one just raised, not after
 * now, so the latency of each firing does not add up into drift; ticks
 * missed altogether (the CPU busy elsewhere) are not made up for.
 */
static void periodic_fire(void *data)
{
    struct vcpu *v = data;
    uint64_t period = v->sched.periodic_period, next, now;

    send_guest_vcpu_virq(v, VIRQ_TIMER);
    if (!period)
        return;
    now = now_ns();
    next = v->sched.periodic.expires + period;
    if (next <= now)
        next = now + period;
    set_timer(&v->sched.periodic, next);
}

static void poll_timeout_fire(void *data)
{
    struct vcpu *v = data;

    v->sched.polling = false;
    vcpu_wake_flags(v, VPF_blocked);
}

/* A new vCPU starts down, on a CPU chosen round-robin, allowed everywhere. */
void sched_vcpu_init(struct vcpu *v)
{
    unsigned int cpu = v->vcpu_id % nr_cpus_online;

    v->sched.processor = cpu;
    v->sched.pause_flags = VPF_down;
    v->sched.affinity = ~0UL;
    v->sched.runstate.state = RUNSTATE_offline;
    v->sched.runstate.state_entry_time = now_ns();
    init_timer(&v->sched.singleshot, singleshot_fire, v, cpu);
    init_timer(&v->sched.periodic, periodic_fire, v, cpu);
    init_timer(&v->sched.poll_timeout, poll_timeout_fire, v, cpu);
}

/*
 * Kill time (domain_destroy): off the scheduler for good.  VPF_dead takes
 * it off its run queue and keeps it off; the timers are killed, so none
 * fires or re-arms itself afterwards.  domain_free() frees the struct.
 */
void sched_vcpu_destroy(struct vcpu *v)
{
    ASSERT(!v->sched.is_running);
    vcpu_sleep_flags(v, VPF_dead);
    ASSERT(!v->sched.on_runq);
    kill_timer(&v->sched.singleshot);
    kill_timer(&v->sched.periodic);
    kill_timer(&v->sched.poll_timeout);
    v->sched.polling = false;
}
