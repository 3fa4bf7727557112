/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/include/lib.h - the few C library pieces the kernel needs:
 * console printing, formatting and string helpers.
 */
#ifndef TESTKERNEL_LIB_H
#define TESTKERNEL_LIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pvboot/format.h>     /* vsnprintf, snprintf */

#define ARRAY_SIZE(a)   (sizeof(a) / sizeof((a)[0]))
#define PAGE_SIZE       4096UL

int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_write(const char *s, size_t len);
/*
 * A domU's PV console ring (lib/console-ring.c): the ring, and n bytes
 * into its "out" half, waiting up to wait_ns for room; 1, or 0 when the
 * ring stayed full.
 */
struct xencons_interface *console_ring(void);
int console_ring_write(const char *s, size_t n, uint64_t wait_ns);

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strstr(const char *hay, const char *needle);

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif /* TESTKERNEL_LIB_H */
