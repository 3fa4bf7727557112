/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/consoled/ratelimit.h - the per-port event rate limit of
 * xenconsoled: more than 'limit' events within one 'period' and the port
 * stays masked until that period ends.
 */
#ifndef CONSOLED_RATELIMIT_H
#define CONSOLED_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#define RATELIMIT_EVENTS    30
#define RATELIMIT_PERIOD_MS 200

struct ratelimit {
    uint64_t rl_start;      /* ms: the current period began here */
    uint64_t rl_period;     /* ms */
    unsigned int rl_count;  /* events seen in this period */
    unsigned int rl_limit;
};

void ratelimit_init(struct ratelimit *r, unsigned int limit,
                    uint64_t period_ms);
/* Count one event at 'now' (ms); false: keep the port masked. */
bool ratelimit_event(struct ratelimit *r, uint64_t now);
/* When a port held masked by ratelimit_event() may be unmasked. */
uint64_t ratelimit_resume_at(const struct ratelimit *r);

#endif
