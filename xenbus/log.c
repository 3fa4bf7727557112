/* SPDX-License-Identifier: MIT */
/*
 * xenbus/log.c - where the daemon's messages go. Warnings and errors are
 * always written; --verbose adds info, and XS_CONTROL "log on" adds a trace
 * line per request.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include "log.h"

static FILE *log_file;
static enum xs_log_level log_level = XS_LOG_WARN;
static bool log_trace;

int xs_log_open(const char *file)
{
    FILE *f = fopen(file, "a");

    if (!f)
        return -errno;
    setvbuf(f, NULL, _IOLBF, 0);
    if (log_file)
        fclose(log_file);
    log_file = f;
    return 0;
}

void xs_log_close(void)
{
    if (log_file)
        fclose(log_file);
    log_file = NULL;
}

void xs_log_set_level(enum xs_log_level lvl)
{
    log_level = lvl;
}

void xs_log_set_trace(bool on)
{
    log_trace = on;
}

bool xs_log_tracing(void)
{
    return log_trace;
}

void xs_log(enum xs_log_level lvl, const char *fmt, ...)
{
    static const char *const names[] = { "error", "warning", "info", "debug" };
    FILE *f = log_file ? log_file : stderr;
    char stamp[32];
    time_t now;
    va_list ap;

    if (lvl > log_level && !(lvl == XS_LOG_DEBUG && log_trace))
        return;
    now = time(NULL);
    strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", localtime(&now));
    fprintf(f, "%s micastored: %s: ", stamp, names[lvl]);
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
}
