/* SPDX-License-Identifier: MIT */
/*
 * lib/freestanding.h - the little of a C library that lib/ relies on, for
 * its own .c files only.
 *
 * lib/ is compiled into three programs with three sets of flags: the
 * hypervisor and the test kernel (both -ffreestanding -nostdinc, each with
 * its own string routines and vsnprintf) and libmica (host gcc against
 * glibc).  None of them shares a <string.h>, so lib/ calls the compiler's
 * builtins instead; each program links its own bodies of the functions.
 * Error numbers are the XEN_E* ones of public/errno.h, which equal Linux's.
 */
#ifndef PVBOOT_FREESTANDING_H
#define PVBOOT_FREESTANDING_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <public/errno.h>

/*
 * The compiler's builtins need no declaration and compile to calls of the
 * named function wherever they are not expanded in line.
 */
#define memcpy(d, s, n)         __builtin_memcpy(d, s, n)
#define memset(d, c, n)         __builtin_memset(d, c, n)
#define memcmp(a, b, n)         __builtin_memcmp(a, b, n)
#define strlen(s)               __builtin_strlen(s)
#define strcmp(a, b)            __builtin_strcmp(a, b)
#define strncmp(a, b, n)        __builtin_strncmp(a, b, n)
#define vsnprintf(b, n, f, ap)  __builtin_vsnprintf(b, n, f, ap)

#define PVB_PRINTF(f, a)    __attribute__((format(printf, f, a)))
#define PVB_MIN(a, b)       ((a) < (b) ? (a) : (b))
#define PVB_MAX(a, b)       ((a) > (b) ? (a) : (b))
#define PVB_ROUNDUP(x, a)   (((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define PVB_ALIGNED(x, a)   (((x) & ((uint64_t)(a) - 1)) == 0)
#define PVB_ARRAY_SIZE(a)   (sizeof(a) / sizeof((a)[0]))

#endif /* PVBOOT_FREESTANDING_H */
