/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/consoled/ratelimit.c - counting a console's events per period.
 *
 * A period starts at the first event after the previous one ended, so an
 * idle console never carries an old count, and a guest that notifies
 * without pause gets at most 'limit' wake-ups of the daemon per period
 * (the ring is still drained at the end of each period, so it never stalls
 * for good).
 */
#include "ratelimit.h"

void ratelimit_init(struct ratelimit *r, unsigned int limit,
                    uint64_t period_ms)
{
    r->rl_start = 0;
    r->rl_period = period_ms;
    r->rl_count = 0;
    r->rl_limit = limit;
}

bool ratelimit_event(struct ratelimit *r, uint64_t now)
{
    /* The clock going backwards also starts a new period. */
    if (now < r->rl_start || now - r->rl_start >= r->rl_period ||
        !r->rl_count) {
        r->rl_start = now;
        r->rl_count = 0;
    }
    if (r->rl_count < UINT32_MAX)
        r->rl_count++;
    return r->rl_count <= r->rl_limit;
}

uint64_t ratelimit_resume_at(const struct ratelimit *r)
{
    return r->rl_start + r->rl_period;
}
