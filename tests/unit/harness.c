/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/harness.c - host implementations of printk and panic for
 * hypervisor code under unit test.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mica/lib.h>
#include "harness.h"

char harness_log[8192];
char harness_panic_msg[256];
jmp_buf *harness_panic_jmp;
static size_t log_len;

void harness_reset_log(void)
{
    log_len = 0;
    harness_log[0] = '\0';
}

void vprintk(const char *fmt, va_list ap)
{
    if (fmt[0] == '\001' && fmt[1])
        fmt += 2;
    if (log_len < sizeof(harness_log) - 1) {
        int n = vsnprintf(harness_log + log_len, sizeof(harness_log) - log_len,
                          fmt, ap);
        log_len += n;
        if (log_len > sizeof(harness_log) - 1)
            log_len = sizeof(harness_log) - 1;
    }
}

void printk(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

void panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(harness_panic_msg, sizeof(harness_panic_msg), fmt, ap);
    va_end(ap);
    if (harness_panic_jmp)
        longjmp(*harness_panic_jmp, 1);
    fprintf(stderr, "unexpected panic: %s\n", harness_panic_msg);
    abort();
}

void assert_failed(const char *expr, const char *file, int line)
{
    panic("Assertion '%s' failed at %s:%d", expr, file, line);
}
