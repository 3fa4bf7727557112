/* SPDX-License-Identifier: MIT */
/*
 * asm/spinlock.h - a test-and-set spinlock that knows its holder.
 *
 * The _irqsave forms must be used for any lock that an interrupt handler
 * may also take (the console lock: printk is legal everywhere).  The order
 * in which locks nest is written once, in docs/ARCHITECTURE.md.
 *
 * Each lock records which CPU holds it, always: the token is the CPU's
 * struct cpu_info, found from the stack pointer without a memory read, so
 * recording it costs one store.  That gives two checks, as Xen's and xv6's
 * locks have:
 *  - taking a lock this CPU already holds is a self-deadlock; it stops the
 *    machine with a message naming the lock instead of spinning silently;
 *  - a function that needs a lock held says so with
 *    ASSERT(spin_is_locked_by_me(&lock)), and spin_unlock() asserts that the
 *    caller holds what it lets go (debug builds).
 * NMI, #MC and #DB handlers run on IST stacks, where the token they compute
 * matches no CPU: they never look like the holder of anything, so a lock
 * they wait for is waited for exactly as before.
 */
#ifndef ASM_SPINLOCK_H
#define ASM_SPINLOCK_H

#include <mica/types.h>
#include <mica/lib.h>

typedef struct {
    volatile uint32_t locked;
    const void *volatile owner;     /* the holder's token, NULL when free */
} spinlock_t;
#define SPINLOCK_INIT { 0, NULL }

#if defined(__STDC_HOSTED__) && __STDC_HOSTED__
#include <pthread.h>

/* The host unit tests: each thread plays a CPU. */
static inline const void *spin_self(void)
{
    return (const void *)(uintptr_t)pthread_self();
}
#else
#include <asm/cpu.h>

static inline const void *spin_self(void)
{
    return get_cpu_info();
}
#endif

static inline bool spin_is_locked_by_me(const spinlock_t *l)
{
    return l->locked && l->owner == spin_self();
}

/* Cold: kept off the fast path. */
static inline __attribute__((cold, noreturn)) void
spin_self_deadlock(const spinlock_t *l)
{
    panic("spinlock %p taken again by the CPU that holds it (self-deadlock)", l);
}

static inline bool spin_trylock(spinlock_t *l)
{
    const void *me = spin_self();

    if (unlikely(l->owner == me))
        spin_self_deadlock(l);
    if (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
        return false;
    l->owner = me;
    return true;
}

static inline void spin_lock(spinlock_t *l)
{
    const void *me = spin_self();

    if (unlikely(l->owner == me))
        spin_self_deadlock(l);
    while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
        while (l->locked)
            asm volatile("pause");
    l->owner = me;
}

static inline void spin_unlock(spinlock_t *l)
{
    ASSERT(spin_is_locked_by_me(l));
    l->owner = NULL;
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

/* For panic() only: let go of a lock whoever holds it. */
static inline void spin_force_unlock(spinlock_t *l)
{
    l->owner = NULL;
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

/* The host unit tests run these in user mode, where there is no cli. */
#if defined(__STDC_HOSTED__) && __STDC_HOSTED__
static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
    spin_lock(l);
    return 0;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
    (void)flags;
    spin_unlock(l);
}
#else
static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
    unsigned long flags;

    asm volatile("pushf; pop %0; cli" : "=r"(flags) :: "memory");
    spin_lock(l);
    return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
    spin_unlock(l);
    asm volatile("push %0; popf" :: "r"(flags) : "memory", "cc");
}
#endif

#endif
