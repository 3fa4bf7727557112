/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/timer.c - software timers.
 *
 * Each CPU keeps its pending timers in a list sorted by expiry and
 * programs its local APIC timer (one-shot) for the earliest, or for the
 * next scheduler tick if that is sooner.  Handlers run in interrupt
 * context with the list unlocked, so they may re-arm themselves.
 *
 * Locking: one lock per CPU list (irqsave; timer interrupts take it).
 * A timer is on at most one list, queues[t->cpu]'s, and t->cpu changes
 * only with that list's lock held (and the new one's: migrate_timer()
 * takes both, lower CPU first).  So whoever holds the lock of the CPU
 * t->cpu names, re-read under it, owns the timer (lock_timer()); two
 * CPUs arming and moving one timer at once can no longer leave it on two
 * lists.  Each list also records, under its lock, the timer whose handler
 * runs right now, so that kill_timer() can wait for it to finish before
 * the owner frees the timer (a vCPU's, at its domain's free).  The lists'
 * place among the other locks (under the run-queue locks):
 * docs/ARCHITECTURE.md, "Lock order".
 */
#include <mica/lib.h>
#include <mica/time.h>
#include <mica/timer.h>
#include <asm/cpu.h>
#include <asm/io.h>
#include <asm/spinlock.h>

static struct {
    spinlock_t lock;
    struct timer *head;
    struct timer *running;          /* handler under way, or NULL */
} queues[CONFIG_NR_CPUS];

void init_timer(struct timer *t, void (*fn)(void *), void *data, unsigned int cpu)
{
    t->fn = fn;
    t->data = data;
    t->cpu = cpu;
    t->active = false;
    t->killed = false;
    t->next = NULL;
}

/* Lock the list the timer is on; returns its CPU. */
static unsigned int lock_timer(struct timer *t, unsigned long *flags)
{
    for (;;) {
        unsigned int cpu = __atomic_load_n(&t->cpu, __ATOMIC_ACQUIRE);

        *flags = spin_lock_irqsave(&queues[cpu].lock);
        if (__atomic_load_n(&t->cpu, __ATOMIC_RELAXED) == cpu)
            return cpu;
        spin_unlock_irqrestore(&queues[cpu].lock, *flags);
    }
}

static void unlink(struct timer *t)
{
    struct timer **p = &queues[t->cpu].head;

    ASSERT(spin_is_locked_by_me(&queues[t->cpu].lock));
    while (*p && *p != t)
        p = &(*p)->next;
    if (*p)
        *p = t->next;
    t->active = false;
}

/* Insert into the (locked) list of t->cpu, in expiry order. */
static void enqueue(struct timer *t, uint64_t expires)
{
    struct timer **p;

    ASSERT(spin_is_locked_by_me(&queues[t->cpu].lock));
    t->expires = expires;
    for (p = &queues[t->cpu].head; *p && (*p)->expires <= expires; p = &(*p)->next)
        ;
    t->next = *p;
    *p = t;
    t->active = true;
}

void set_timer(struct timer *t, uint64_t expires)
{
    unsigned long flags;
    unsigned int cpu = lock_timer(t, &flags);
    uint64_t first;

    if (t->killed) {
        spin_unlock_irqrestore(&queues[cpu].lock, flags);
        return;
    }
    if (t->active)
        unlink(t);
    enqueue(t, expires);
    /* Read under the lock: once it is dropped, this CPU's timer interrupt
     * (or another CPU) may run the queue empty. */
    first = queues[cpu].head->expires;
    spin_unlock_irqrestore(&queues[cpu].lock, flags);
    /* An earlier deadline on this CPU: re-arm now; on another CPU its
     * next tick (at most 1/HZ away) picks it up. */
    if (cpu == smp_processor_id())
        timer_program(first);
}

void stop_timer(struct timer *t)
{
    unsigned long flags;
    unsigned int cpu = lock_timer(t, &flags);

    if (t->active)
        unlink(t);
    spin_unlock_irqrestore(&queues[cpu].lock, flags);
}

/* Both lists locked, lower CPU first; false if t moved meanwhile. */
static bool lock_both(struct timer *t, unsigned int old, unsigned int cpu,
                      unsigned long *flags)
{
    *flags = spin_lock_irqsave(&queues[MIN(old, cpu)].lock);
    spin_lock(&queues[MAX(old, cpu)].lock);
    if (__atomic_load_n(&t->cpu, __ATOMIC_RELAXED) == old)
        return true;
    spin_unlock(&queues[MAX(old, cpu)].lock);
    spin_unlock_irqrestore(&queues[MIN(old, cpu)].lock, *flags);
    return false;
}

void migrate_timer(struct timer *t, unsigned int cpu)
{
    unsigned long flags;
    unsigned int old;
    uint64_t first = 0;

    do {
        old = __atomic_load_n(&t->cpu, __ATOMIC_ACQUIRE);
        if (old == cpu)
            return;
    } while (!lock_both(t, old, cpu, &flags));
    if (t->active) {
        unlink(t);
        __atomic_store_n(&t->cpu, cpu, __ATOMIC_RELEASE);
        enqueue(t, t->expires);
        first = queues[cpu].head->expires;
    } else {
        __atomic_store_n(&t->cpu, cpu, __ATOMIC_RELEASE);
    }
    spin_unlock(&queues[MAX(old, cpu)].lock);
    spin_unlock_irqrestore(&queues[MIN(old, cpu)].lock, flags);
    /* Another CPU's next tick (at most 1/HZ away) programs its APIC. */
    if (first && cpu == smp_processor_id())
        timer_program(first);
}

void kill_timer(struct timer *t)
{
    unsigned long flags;
    unsigned int cpu = lock_timer(t, &flags);

    t->killed = true;
    if (t->active)
        unlink(t);
    spin_unlock_irqrestore(&queues[cpu].lock, flags);
    /* Not armable any more: at most a handler started earlier is left. */
    for (unsigned int c = 0; c < CONFIG_NR_CPUS; c++) {
        ASSERT(c != smp_processor_id() ||
               __atomic_load_n(&queues[c].running, __ATOMIC_ACQUIRE) != t);
        while (__atomic_load_n(&queues[c].running, __ATOMIC_ACQUIRE) == t)
            cpu_relax();
    }
}

void timer_interrupt(void)
{
    unsigned int cpu = smp_processor_id();
    uint64_t now = now_ns(), next = 0;
    unsigned long flags = spin_lock_irqsave(&queues[cpu].lock);
    struct timer *t;

    while ((t = queues[cpu].head) && t->expires <= now) {
        queues[cpu].head = t->next;
        t->active = false;
        queues[cpu].running = t;
        spin_unlock_irqrestore(&queues[cpu].lock, flags);
        t->fn(t->data);
        flags = spin_lock_irqsave(&queues[cpu].lock);
        __atomic_store_n(&queues[cpu].running, NULL, __ATOMIC_RELEASE);
    }
    if (queues[cpu].head)
        next = queues[cpu].head->expires;
    spin_unlock_irqrestore(&queues[cpu].lock, flags);
    timer_program(next);
}
