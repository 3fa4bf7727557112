/* SPDX-License-Identifier: MIT */
/*
 * asm/spinlock.h - a minimal test-and-set spinlock.
 *
 * The _irqsave forms must be used for any lock that an interrupt handler
 * may also take (the console lock: printk is legal everywhere).
 */
#ifndef ASM_SPINLOCK_H
#define ASM_SPINLOCK_H

#include <mica/types.h>

typedef struct { volatile uint32_t locked; } spinlock_t;
#define SPINLOCK_INIT { 0 }

static inline void spin_lock(spinlock_t *l)
{
    while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
        while (l->locked)
            asm volatile("pause");
}

static inline void spin_unlock(spinlock_t *l)
{
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
