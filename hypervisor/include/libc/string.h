/* SPDX-License-Identifier: MIT */
/*
 * libc/string.h - the few C string routines the hypervisor provides
 * (common/string.c).  The prototypes match the C library's, so files that
 * are also unit-tested on the host include <string.h> and get libc there.
 */
#ifndef MICA_STRING_H
#define MICA_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
void *memchr(const void *s, int c, size_t n);
char *strncpy(char *dst, const char *src, size_t n);

#endif
