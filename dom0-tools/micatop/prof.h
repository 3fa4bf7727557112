/* SPDX-License-Identifier: MIT */
/*
 * prof.h - what each refresh costs, for the cost measurement of README:
 * with MICATOP_PROFILE=1 in the environment micatop counts its
 * hypercalls and xenstore requests, times collecting and drawing (or
 * printing) in CPU time, and at exit prints one line on stderr:
 *
 *   micatop: profile: R refreshes in W s: H hypercalls, X xenstore
 *   requests, collect C us, draw D us, output O us per refresh; CPU T ms (P%)
 *
 * The CPU clocks are the scheduler's run time (exact), not the tick
 * samples of /proc/PID/stat.  Without the variable each hook is one test.
 */
#ifndef MICATOP_PROF_H
#define MICATOP_PROF_H

#include <stdint.h>

/* Reading; laying out the screen in memory (curses); writing it out. */
enum mt_phase { MT_PH_COLLECT, MT_PH_DRAW, MT_PH_OUTPUT, MT_NR_PHASES };

void mt_prof_init(void);
/* Start timing a phase: the thread's CPU time (0 when off). */
uint64_t mt_prof_start(void);
void mt_prof_end(enum mt_phase ph, uint64_t start);
/* One refresh done; hypercalls and xenstore requests counted as made. */
void mt_prof_round(void);
void mt_prof_hcalls(unsigned int n);
void mt_prof_xs(unsigned int n);
void mt_prof_report(void);

#endif
