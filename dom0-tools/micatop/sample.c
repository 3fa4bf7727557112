/* SPDX-License-Identifier: MIT */
/*
 * sample.c - the arithmetic between two samples (sample.h): deltas of
 * wrapping counters, CPU(%) across vCPU hot plug, rates, and the history
 * ring the sparkline is drawn from.
 */
#include <string.h>

#include "sample.h"

uint64_t mt_counter_delta(uint64_t prev, uint64_t cur, unsigned int bits)
{
    uint64_t mask;

    if (cur >= prev)
        return cur - prev;
    if (bits == 0 || bits >= 64)
        return cur;
    mask = (1ull << bits) - 1;
    /* A value above the counter's width is not one it can hold. */
    if (prev > mask || cur > mask)
        return cur;
    return (cur + (mask - prev) + 1) & mask;
}

static uint64_t clamp(uint64_t v, uint64_t max)
{
    return v > max ? max : v;
}

/* One vCPU's run time in the interval, or 0 when it cannot be known. */
static uint64_t vcpu_delta(const struct mt_cpu_sample *prev, const struct mt_cpu_sample *cur,
                           unsigned int i)
{
    uint64_t now = cur->vcpu_ns[i];

    if (now == MT_VCPU_ABSENT)
        return 0;
    if (i < prev->nr_vcpus && prev->vcpu_ns[i] != MT_VCPU_ABSENT)
        return mt_counter_delta(prev->vcpu_ns[i], now, 64);
    /* Hot-plugged since prev: created with no time, so all of it is new. */
    return now;
}

double mt_cpu_pct(const struct mt_cpu_sample *prev, const struct mt_cpu_sample *cur)
{
    uint64_t wall, busy = 0;
    unsigned int i;

    if (!prev || cur->wall_ns <= prev->wall_ns)
        return 0.0;
    wall = cur->wall_ns - prev->wall_ns;
    if (cur->nr_vcpus && prev->nr_vcpus) {
        for (i = 0; i < cur->nr_vcpus; i++)
            busy += clamp(vcpu_delta(prev, cur, i), wall);
    } else {
        busy = mt_counter_delta(prev->dom_ns, cur->dom_ns, 64);
    }
    return (double)busy * 100.0 / (double)wall;
}

double mt_rate(uint64_t delta, uint64_t wall_ns)
{
    if (!wall_ns)
        return 0.0;
    return (double)delta * 1e9 / (double)wall_ns;
}

void mt_hist_push(struct mt_hist *h, double v)
{
    h->v[h->head] = (float)v;
    h->head = (h->head + 1) % MT_HIST_LEN;
    if (h->len < MT_HIST_LEN)
        h->len++;
}

double mt_hist_get(const struct mt_hist *h, unsigned int i)
{
    return h->v[(h->head + MT_HIST_LEN - 1 - i) % MT_HIST_LEN];
}

void mt_sparkline(const struct mt_hist *h, double full, char *out, size_t width)
{
    static const char levels[] = " _.-=+*#";
    const size_t top = sizeof(levels) - 2;
    size_t i, n = h->len < width ? h->len : width;
    double v;
    long l;

    memset(out, ' ', width);
    out[width] = 0;
    for (i = 0; i < n; i++) {
        v = full > 0 ? mt_hist_get(h, (unsigned int)i) / full : 0;
        /* Anything busy shows: level 0 is kept for idle (under 0.5%). */
        l = v < 0.005 ? 0 : 1 + (long)(v * (double)(top - 1) + 0.5);
        if (l > (long)top)
            l = (long)top;
        out[width - 1 - i] = levels[l];
    }
}
