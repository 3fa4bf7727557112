/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/consoled/log.c - timestamped one-line messages on stderr.
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include "log.h"

void cons_log(const char *fmt, ...)
{
    struct timespec ts;
    va_list ap;

    clock_gettime(CLOCK_REALTIME, &ts);
    fprintf(stderr, "[%lld.%03ld] mica-consoled: ", (long long)ts.tv_sec,
            ts.tv_nsec / 1000000);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
}
