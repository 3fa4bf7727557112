/* SPDX-License-Identifier: MIT */
/* domspec.c - domain identifiers and memory sizes as xl reads them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "domspec.h"

int domspec_parse(const char *s, uint32_t *id)
{
    unsigned long v;
    char *end;

    if (!*s)
        return -EINVAL;
    if (strspn(s, "0123456789") != strlen(s))
        return -ENOENT;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || v >= DOMSPEC_DOMID_MAX)
        return -EINVAL;
    *id = (uint32_t)v;
    return 0;
}

int domspec_mem_kb(const char *s, uint64_t *kb)
{
    unsigned long long v;
    unsigned int shift;
    char *end;

    if (*s < '0' || *s > '9')
        return -EINVAL;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno)
        return -ERANGE;
    switch (*end) {
    /* xl drops the bytes below a KiB: 1025b is 1 KiB */
    case 'b': case 'B': v /= 1024; shift = 0; break;
    case 'k': case 'K': shift = 0; break;
    case 0:
    case 'm': case 'M': shift = 10; break;
    case 'g': case 'G': shift = 20; break;
    case 't': case 'T': shift = 30; break;
    default: return -EINVAL;
    }
    if (*end && end[1])
        return -EINVAL;
    if (v > (~0ull >> 1) >> shift)
        return -ERANGE;
    *kb = v << shift;
    return 0;
}

int domspec_vcpus(const char *s, unsigned int *n)
{
    unsigned long v;
    char *end;

    if (*s < '0' || *s > '9')
        return -EINVAL;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || v > DOMSPEC_VCPUS_MAX)
        return -ERANGE;
    *n = (unsigned int)v;
    return 0;
}
