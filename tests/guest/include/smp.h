/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/include/smp.h - a second vCPU for the SMP tests.
 *
 * smp_ap_up() gives vCPU 1 its starting state with VCPUOP_initialise (our
 * page tables, trap table and callbacks, a stack of its own) and brings it
 * up.  vCPU 1 then blocks with upcalls enabled; its event callback counts
 * the events on its IPI port and, when asked, answers each one on a reply
 * port; after each wake-up it runs 'work' if vCPU 0 left one.  Everything
 * vCPU 1 does is driven from vCPU 0 through the variables below.
 */
#ifndef TESTKERNEL_SMP_H
#define TESTKERNEL_SMP_H

#include <stdint.h>

#define SMP_AP      1               /* the secondary vCPU's id */

struct smp_ap_state {
    volatile int alive;             /* set by vCPU 1 when it starts */
    volatile uint32_t ipi_port;     /* port bound to vCPU 1 (0: none yet) */
    volatile uint32_t reply_port;   /* vCPU 1 sends here per event (0: no) */
    volatile uint64_t events;       /* ipi_port events seen by vCPU 1 */
    volatile uint64_t callbacks;    /* upcalls taken by vCPU 1 */
    volatile uint64_t stray;        /* upcalls with nothing for us */
    volatile long reply_errors;     /* failed sends, last error */
    void (*volatile work)(void);    /* run by vCPU 1 when woken, then NULL */
    volatile int work_started;      /* set by vCPU 1 as it starts 'work' */
};

extern struct smp_ap_state smp_ap;

/* vCPU 1's event callback (arch/smp-entry.S), for whoever re-registers it. */
extern char smp_ap_event_entry[];

/* Has the domain a vCPU 1 at all?  (VCPUOP_is_up: 0 or 1, not -ENOENT.) */
int smp_ap_exists(void);
/* Before the first smp_ap_up(): start vCPU 1 with this FXSAVE image. */
void smp_ap_set_fpu(const void *fxsave_image);
/* Initialise (once) and bring up vCPU 1; 0 or -errno.  Waits until it runs. */
long smp_ap_up(void);

#endif /* TESTKERNEL_SMP_H */
