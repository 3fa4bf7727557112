/* SPDX-License-Identifier: MIT */
/*
 * sample.h - turning two samples of a counter into a percentage or a rate:
 * CPU(%) from per-vCPU run times over the wall clock between the samples,
 * byte and request counters that wrap, and the CPU(%) history behind the
 * sparkline.  Pure: no I/O, no clock; the caller hands in the times.
 */
#ifndef MICATOP_SAMPLE_H
#define MICATOP_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

/* A vCPU that did not answer (not created yet, or its query failed). */
#define MT_VCPU_ABSENT UINT64_MAX

/* What the CPU(%) of one domain is computed from, taken at one moment. */
struct mt_cpu_sample {
    uint64_t wall_ns;               /* monotonic clock when it was read */
    uint64_t dom_ns;                /* the domain's total, getdomaininfo */
    unsigned int nr_vcpus;          /* entries in vcpu_ns; 0: none read */
    const uint64_t *vcpu_ns;        /* per vCPU run time or MT_VCPU_ABSENT */
};

/*
 * Counter 'bits' wide went from prev to cur: how far it advanced.  A
 * narrower counter that went down wrapped once; a 64-bit one that went
 * down was restarted (the back end or the vCPU began again), and then
 * only what it counted since, cur, is known.
 */
uint64_t mt_counter_delta(uint64_t prev, uint64_t cur, unsigned int bits);

/*
 * CPU(%) between two samples of one domain, 100 being one physical CPU
 * busy for the whole interval.  Summed over vCPUs, each vCPU's share
 * clamped to the interval (a vCPU cannot run longer than the wall clock;
 * samples read a few microseconds apart would otherwise show 100.3%).  A
 * vCPU that appeared since prev counts from zero, as a fresh vCPU does;
 * one that went away counts nothing, since its last stretch is unknown.
 * Without vCPU data the domain's total is used.  0 for the first sample
 * (prev NULL) or a clock that did not advance.
 */
double mt_cpu_pct(const struct mt_cpu_sample *prev, const struct mt_cpu_sample *cur);

/* Per second, of a counter that advanced by 'delta' in 'wall_ns'. */
double mt_rate(uint64_t delta, uint64_t wall_ns);

/* The last MT_HIST_LEN CPU(%) figures of one domain, oldest first. */
#define MT_HIST_LEN 64
struct mt_hist {
    float v[MT_HIST_LEN];
    unsigned int head;              /* next slot written */
    unsigned int len;               /* how many are valid */
};

void mt_hist_push(struct mt_hist *h, double v);
/* The i-th newest entry (0: the latest); i < h->len. */
double mt_hist_get(const struct mt_hist *h, unsigned int i);

/*
 * The newest 'width' figures as ASCII levels " _.-=+*#" (full scale:
 * 'full', e.g. 100 per vCPU), newest on the right, padded with spaces on
 * the left; 'out' gets width + 1 bytes.  ASCII because dom0's console is
 * a serial line whose terminal may know nothing but vt100.
 */
void mt_sparkline(const struct mt_hist *h, double full, char *out, size_t width);

#endif
