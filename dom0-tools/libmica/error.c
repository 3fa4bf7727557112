/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/error.c - the one-line reason a handle keeps for its
 * last failure, "<operation> <domid>: <strerror>", read with mica_errmsg().
 */
#include <stdio.h>
#include <string.h>
#include "libmica-priv.h"

int mica_fail(struct mica *m, int rc, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (!m)
        return rc;
    va_start(ap, fmt);
    n = vsnprintf(m->err, sizeof(m->err), fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof(m->err))
        snprintf(m->err + n, sizeof(m->err) - n, ": %s", strerror(-rc));
    return rc;
}

void mica_ok(struct mica *m)
{
    m->err[0] = '\0';
}

const char *mica_errmsg(const struct mica *m)
{
    return m && m->err[0] ? m->err : "no error";
}
