/* SPDX-License-Identifier: MIT */
/* mica/time.h - hypervisor time: TSC-based nanoseconds and the tick. */
#ifndef MICA_TIME_H
#define MICA_TIME_H

#include <mica/types.h>

void time_init(void);
uint64_t now_ns(void);          /* nanoseconds since time_init() */
uint64_t tsc_khz(void);
uint64_t ticks(void);           /* timer interrupts taken on this CPU */
void udelay(uint64_t us);

#endif
