/* SPDX-License-Identifier: MIT */
/*
 * mica/tlb-clock.h - the TLB-flush clock: when a freed frame may still sit
 * in some CPU's TLB, and the flush before such a frame is used again.
 */
#ifndef MICA_TLB_CLOCK_H
#define MICA_TLB_CLOCK_H

#include <mica/types.h>

/* The clock now: the stamp of a frame freed at this moment (never 0). */
uint64_t tlb_clock_now(void);
/* Flush this CPU's TLB and record when (every hypervisor flush goes here). */
void tlb_clock_flush_local(void);
/* Before frames freed by a guest are handed out again (frame-alloc hook). */
void tlb_clock_before_reuse(mfn_t first, mfn_t count);

#endif
