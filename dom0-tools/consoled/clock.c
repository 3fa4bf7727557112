/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/consoled/clock.c - the daemon's one clock, monotonic
 * milliseconds, for the rate limiter and the rescan timer.
 */
#include <time.h>
#include "consoled.h"

uint64_t consoled_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}
