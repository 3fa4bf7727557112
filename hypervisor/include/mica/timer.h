/* SPDX-License-Identifier: MIT */
/*
 * mica/timer.h - one-shot software timers, kept per CPU, fired from the
 * local APIC timer interrupt (common/timer.c).
 */
#ifndef MICA_TIMER_H
#define MICA_TIMER_H

#include <mica/types.h>

struct timer {
    uint64_t expires;               /* system time, ns */
    void (*fn)(void *data);         /* runs in interrupt context */
    void *data;
    unsigned int cpu;               /* whose list it is on (or goes to) */
    bool active;
    bool killed;                    /* kill_timer(): set_timer ignores it */
    struct timer *next;
};

void init_timer(struct timer *t, void (*fn)(void *), void *data, unsigned int cpu);
void set_timer(struct timer *t, uint64_t expires);
void stop_timer(struct timer *t);
void migrate_timer(struct timer *t, unsigned int cpu);
/*
 * Stop t for good: it is never armed again (set_timer and a handler's
 * re-arming are ignored) and, on return, its handler runs on no CPU, so
 * the memory holding t and its data may be freed.  Not from t's handler.
 */
void kill_timer(struct timer *t);

/* Called from the APIC timer interrupt: run what expired, re-arm. */
void timer_interrupt(void);

#endif
