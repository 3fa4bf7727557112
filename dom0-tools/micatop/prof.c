/* SPDX-License-Identifier: MIT */
/*
 * prof.c - MICATOP_PROFILE=1: counts and CPU time per refresh (prof.h).
 * Kept apart from the collector and the screen so that measuring costs
 * them nothing when it is off.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "prof.h"

static struct {
    bool on;
    uint64_t wall0, cpu0;
    unsigned long rounds, hcalls, xs;
    uint64_t ns[MT_NR_PHASES];
} prof;

static uint64_t clock_ns(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void mt_prof_init(void)
{
    const char *v = getenv("MICATOP_PROFILE");

    prof.on = v && strcmp(v, "0") && *v;
    if (prof.on) {
        prof.wall0 = clock_ns(CLOCK_MONOTONIC);
        prof.cpu0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    }
}

uint64_t mt_prof_start(void)
{
    return prof.on ? clock_ns(CLOCK_THREAD_CPUTIME_ID) : 0;
}

void mt_prof_end(enum mt_phase ph, uint64_t start)
{
    if (prof.on)
        prof.ns[ph] += clock_ns(CLOCK_THREAD_CPUTIME_ID) - start;
}

void mt_prof_round(void)
{
    prof.rounds++;
}

void mt_prof_hcalls(unsigned int n)
{
    prof.hcalls += n;
}

void mt_prof_xs(unsigned int n)
{
    prof.xs += n;
}

void mt_prof_report(void)
{
    double r, wall, cpu;

    if (!prof.on)
        return;
    r = prof.rounds ? (double)prof.rounds : 1.0;
    wall = (double)(clock_ns(CLOCK_MONOTONIC) - prof.wall0) / 1e9;
    cpu = (double)(clock_ns(CLOCK_PROCESS_CPUTIME_ID) - prof.cpu0) / 1e6;
    fprintf(stderr, "micatop: profile: %lu refreshes in %.1f s: %.1f hypercalls, "
            "%.1f xenstore requests, collect %.0f us, draw %.0f us, output %.0f us per refresh; "
            "CPU %.1f ms (%.2f%%)\n", prof.rounds, wall, (double)prof.hcalls / r,
            (double)prof.xs / r, (double)prof.ns[MT_PH_COLLECT] / r / 1e3,
            (double)prof.ns[MT_PH_DRAW] / r / 1e3, (double)prof.ns[MT_PH_OUTPUT] / r / 1e3, cpu,
            wall > 0 ? cpu / 10.0 / wall : 0.0);
}
