/* SPDX-License-Identifier: MIT */
/*
 * check.h - libmica-check, the in-dom0 test program of libmica: each
 * check prints "TEST libmica/<name>: PASS" or "... FAIL <why>".
 */
#ifndef LIBMICA_CHECK_H
#define LIBMICA_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include "libmica.h"

/* Print the result line; returns 0 for a pass, 1 for a failure. */
int report(const char *name, bool ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Milliseconds of CLOCK_MONOTONIC. */
uint64_t now_ms(void);

/* Free pages of the host, or 0 after reporting a failure under 'name'. */
uint64_t free_pages(struct mica *m, const char *name);

/* Wait up to 'ms' for the host's free pages to come back to 'want'. */
bool wait_free_pages(struct mica *m, uint64_t want, unsigned int ms, uint64_t *got);

/* The checks; each returns the number of failures. */
int check_basic(struct mica *m);
int check_build_testkernel(struct mica *m, const char *kernel);
int check_build_bad(struct mica *m, const char *file);
int check_build_over_limit(struct mica *m, const char *kernel);
int check_build_linux(struct mica *m, const char *kernel, const char *ramdisk);

#endif /* LIBMICA_CHECK_H */
