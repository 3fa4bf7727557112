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
    struct timer *next;
};

void init_timer(struct timer *t, void (*fn)(void *), void *data, unsigned int cpu);
void set_timer(struct timer *t, uint64_t expires);
void stop_timer(struct timer *t);
void migrate_timer(struct timer *t, unsigned int cpu);

/* Called from the APIC timer interrupt: run what expired, re-arm. */
void timer_interrupt(void);

#endif
