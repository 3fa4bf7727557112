/* SPDX-License-Identifier: MIT */
/*
 * pvboot/format.h - lib/vsnprintf.c, C's bounded formatted output, for the
 * programs that have no C library (the hypervisor, the test kernel); their
 * own lib.h headers declare the same two functions for their callers.
 */
#ifndef PVBOOT_FORMAT_H
#define PVBOOT_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
    __attribute__((format(printf, 3, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* PVBOOT_FORMAT_H */
