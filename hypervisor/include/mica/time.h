/* SPDX-License-Identifier: MIT */
/* mica/time.h - hypervisor time: TSC-based nanoseconds and the tick. */
#ifndef MICA_TIME_H
#define MICA_TIME_H

#include <mica/types.h>

void time_init(void);
void timer_start_local(void);
void timer_program(uint64_t deadline);      /* arm this CPU's APIC timer */
uint64_t now_ns(void);          /* nanoseconds since time_init() */
uint64_t tsc_khz(void);

/*
 * Whether TSC rates a and b (kHz) are one rate measured twice: within
 * TSC_SAME_PPM of b.  Calibrating against the PIT gives two boots of one
 * machine (or two QEMUs on one host) rates tens of ppm apart, so a saved
 * or migrated guest's rate never equals this host's exactly.  Its clock
 * is pvclock, scaled by this host's own calibration, so accepting it
 * leaves only a raw rdtsc interval off, by at most this much; hosts of
 * really different rates are still told apart (domctl-save.c).
 */
#define TSC_SAME_PPM 1000
static inline bool tsc_khz_same(uint64_t a, uint64_t b)
{
    uint64_t d = a > b ? a - b : b - a;

    return d * 1000000 <= (uint64_t)TSC_SAME_PPM * b;
}
uint64_t ticks(void);           /* timer interrupts taken on this CPU */
void udelay(uint64_t us);
uint64_t rtc_read_unix_time(void);
void rtc_watch_edge(void);      /* find the RTC's next second edge (CPU 0 timer) */
/* dom0's byte I/O to the CMOS ports (*val in or out); false: not those ports. */
bool rtc_guest_io(unsigned int port, unsigned int size, bool out, uint32_t *val);

struct vcpu_time_info;
struct shared_info;
/* Refresh a pvclock record (version odd while writing, even after). */
void pvclock_update(struct vcpu_time_info *t);
/* Set shared_info's wall clock: Unix time at system time 0. */
void wallclock_update(struct shared_info *s);
/* dom0: Unix time secs.nsecs was current at system time 'system_time'; publish it. */
void wallclock_set(uint64_t secs, uint32_t nsecs, uint64_t system_time);
/* rtc.c: the RTC turned to Unix second 'secs' at 'system_time' (+-err ns). */
bool wallclock_rtc_edge(uint64_t secs, uint64_t system_time, uint64_t err);

#endif
