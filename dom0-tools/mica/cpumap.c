/* SPDX-License-Identifier: MIT */
/*
 * cpumap.c - xl's CPU lists ("all", "0-3,5,^1") to and from bitmaps, for
 * cpus= in a config and for vcpu-pin and vcpu-list.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domcfg.h"

static void set_range(struct cpumap *m, unsigned long a, unsigned long b, bool on)
{
    for (; a <= b; a++) {
        if (on)
            m->bits[a / 8] |= (uint8_t)(1u << (a % 8));
        else
            m->bits[a / 8] &= (uint8_t)~(1u << (a % 8));
    }
}

/* "N" or "N-M" at *s; advances *s. */
static int parse_range(const char **s, unsigned long *a, unsigned long *b)
{
    char *end;

    if (**s < '0' || **s > '9')
        return -EINVAL;
    *a = strtoul(*s, &end, 10);
    *b = *a;
    if (*end == '-') {
        if (end[1] < '0' || end[1] > '9')
            return -EINVAL;
        *b = strtoul(end + 1, &end, 10);
    }
    *s = end;
    return 0;
}

int cpumap_parse(struct cpumap *m, const char *s, const char **why)
{
    bool any = false;

    memset(m, 0, sizeof(*m));
    if (!strcmp(s, "all")) {
        m->all = true;
        memset(m->bits, 0xff, sizeof(m->bits));
        return 0;
    }
    if (!strncmp(s, "node", 4)) {
        *why = "NUMA node affinity is not supported by Mica";
        return -EINVAL;
    }
    while (*s) {
        bool neg = *s == '^';
        unsigned long a, b;

        if (neg)
            s++;
        if (parse_range(&s, &a, &b)) {
            *why = "expected a CPU number, a range N-M, ^N or \"all\"";
            return -EINVAL;
        }
        if (a > b || b >= DOMCFG_MAX_CPUS) {
            *why = a > b ? "a range must go upwards" : "CPU number too large";
            return -EINVAL;
        }
        set_range(m, a, b, !neg);
        any |= !neg;
        if (*s == ',')
            s++;
        else if (*s) {
            *why = "expected ',' between CPU ranges";
            return -EINVAL;
        }
    }
    if (!any) {
        *why = "no CPU selected";
        return -EINVAL;
    }
    return 0;
}

static bool bit(const struct cpumap *m, unsigned int i)
{
    return m->bits[i / 8] & (1u << (i % 8));
}

void cpumap_format(const struct cpumap *m, unsigned int nr_cpus, char *buf,
                   unsigned int len)
{
    unsigned int i, j, at = 0;
    int n;

    if (nr_cpus > DOMCFG_MAX_CPUS)
        nr_cpus = DOMCFG_MAX_CPUS;
    for (i = 0; i < nr_cpus && bit(m, i); i++)
        ;
    if (m->all || i == nr_cpus) {
        snprintf(buf, len, "all");
        return;
    }
    buf[0] = 0;
    for (i = 0; i < nr_cpus; i = j) {
        if (!bit(m, i)) {
            j = i + 1;
            continue;
        }
        for (j = i; j < nr_cpus && bit(m, j); j++)
            ;
        if (j - 1 == i)
            n = snprintf(buf + at, len - at, "%s%u", at ? "," : "", i);
        else
            n = snprintf(buf + at, len - at, "%s%u-%u", at ? "," : "", i, j - 1);
        if (n < 0 || at + (unsigned int)n >= len)
            return;
        at += (unsigned int)n;
    }
}
