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
 * A timer is on at most one list; moving it takes the two locks one at a
 * time, never both.  Each list also records, under its lock, the timer
 * whose handler runs right now, so that kill_timer() can wait for it to
 * finish before the owner frees the timer (a vCPU's, at its domain's
 * free).
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

static void unlink(struct timer *t)
{
    struct timer **p = &queues[t->cpu].head;

    while (*p && *p != t)
        p = &(*p)->next;
    if (*p)
        *p = t->next;
    t->active = false;
}

void set_timer(struct timer *t, uint64_t expires)
{
    unsigned int cpu = t->cpu;
    unsigned long flags = spin_lock_irqsave(&queues[cpu].lock);
    struct timer **p;
    uint64_t first;

    if (t->killed) {
        spin_unlock_irqrestore(&queues[cpu].lock, flags);
        return;
    }
    if (t->active)
        unlink(t);
    t->expires = expires;
    for (p = &queues[cpu].head; *p && (*p)->expires <= expires; p = &(*p)->next)
        ;
    t->next = *p;
    *p = t;
    t->active = true;
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
    unsigned long flags = spin_lock_irqsave(&queues[t->cpu].lock);

    if (t->active)
        unlink(t);
    spin_unlock_irqrestore(&queues[t->cpu].lock, flags);
}

void migrate_timer(struct timer *t, unsigned int cpu)
{
    bool was_active;
    uint64_t expires;
    unsigned long flags;

    if (t->cpu == cpu)
        return;
    flags = spin_lock_irqsave(&queues[t->cpu].lock);
    was_active = t->active;
    expires = t->expires;
    if (was_active)
        unlink(t);
    spin_unlock_irqrestore(&queues[t->cpu].lock, flags);
    t->cpu = cpu;
    if (was_active)
        set_timer(t, expires);
}

void kill_timer(struct timer *t)
{
    unsigned long flags = spin_lock_irqsave(&queues[t->cpu].lock);

    t->killed = true;
    if (t->active)
        unlink(t);
    spin_unlock_irqrestore(&queues[t->cpu].lock, flags);
    /* Not armable any more: at most a handler started earlier is left. */
    for (unsigned int cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
        ASSERT(cpu != smp_processor_id() ||
               __atomic_load_n(&queues[cpu].running, __ATOMIC_ACQUIRE) != t);
        while (__atomic_load_n(&queues[cpu].running, __ATOMIC_ACQUIRE) == t)
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
