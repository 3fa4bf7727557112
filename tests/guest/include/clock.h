/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/include/clock.h - guest time (pvclock), sleeping on the
 * one-shot timer, shared_info access, command-line options and the few
 * event-channel helpers the timer, SMP and multi-domain tests share.
 *
 * Sleeping binds VIRQ_TIMER only for the length of the sleep and waits
 * with SCHEDOP_poll (upcalls stay masked), so it leaves no port behind
 * for the event-channel tests to trip over.
 */
#ifndef TESTKERNEL_CLOCK_H
#define TESTKERNEL_CLOCK_H

#include <stdint.h>
#include <public/xen.h>

#define NSEC_PER_MSEC   1000000UL
#define NSEC_PER_SEC    1000000000UL

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    asm volatile ("rdtsc" : "=a" (lo), "=d" (hi));
    return ((uint64_t)hi << 32) | lo;
}

/* System time in ns from one vCPU's time record (Xen's pvclock formula). */
uint64_t clock_ns_of(const volatile struct vcpu_time_info *t);
/* System time as vCPU 0 sees it. */
uint64_t clock_ns(void);
/* System time when vCPU 0's TSC read 'tsc' (an earlier reading). */
uint64_t clock_ns_at_tsc(uint64_t tsc);

/* shared_info mapped into our address space (once); panics on failure. */
shared_info_t *shared_info_map(void);
/*
 * Our own page back in its place, so no entry names the shared_info
 * frame (before a suspend; the next shared_info_map maps whatever frame
 * start_info names then).
 */
void shared_info_unmap(void);

/* "key=N" on the command line: 1 and *val set, or 0 when absent. */
int cmdline_uint(const char *key, uint64_t *val);
/* "key=N" that a test cannot run without: absent, the running test is
 * skipped ("<who> only (no key= on the command line)") and left. */
uint64_t cmdline_uint_needed(const char *key, const char *who);

/* Event-channel helpers: a port (> 0) or a negative errno. */
long evt_bind_virq(uint32_t virq, uint32_t vcpu);
long evt_bind_ipi(uint32_t vcpu);
long evt_alloc_unbound(domid_t remote);
long evt_bind_interdomain(domid_t remote, uint32_t remote_port);
long evt_close(uint32_t port);
long evt_send(uint32_t port);
int evt_test_and_clear(uint32_t port);
/*
 * SCHEDOP_poll one port until 'deadline' (system ns, 0 = none) from vCPU 0,
 * after clearing its upcall_pending and selector; 0 or -errno.
 */
long evt_poll(uint32_t port, uint64_t deadline);
/* The same without first acknowledging vCPU 0's upcall flags. */
long evt_poll_raw(uint32_t port, uint64_t deadline);

/*
 * Sleep until system time 'deadline' on the one-shot timer
 * (set_timer_op + SCHEDOP_poll on VIRQ_TIMER); 0 or -errno.  Only for
 * vCPU 0 with upcalls masked.
 */
long clock_sleep_until(uint64_t deadline);

#endif /* TESTKERNEL_CLOCK_H */
