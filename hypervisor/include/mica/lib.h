/* SPDX-License-Identifier: MIT */
/*
 * mica/lib.h - printing, assertions and fatal errors.
 *
 * Three tiers, as in the style guide: ASSERT() checks invariants in debug
 * builds only; BUG_ON() is always on and is for hypervisor-internal
 * corruption, never for anything a guest can cause; panic() stops the
 * machine with a message.
 */
#ifndef MICA_LIB_H
#define MICA_LIB_H

#include <stdarg.h>
#include <mica/types.h>
#include <pvboot/format.h>     /* vsnprintf, snprintf: lib/vsnprintf.c */

/* Log levels, lowest number most severe (as loglvl= on the command line). */
enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };
#define KERN_ERR    "\001" "0"
#define KERN_WARN   "\001" "1"
#define KERN_INFO   "\001" "2"
#define KERN_DEBUG  "\001" "3"

void printk(const char *fmt, ...) __printf(1, 2);
void vprintk(const char *fmt, va_list ap);

void panic(const char *fmt, ...) __printf(1, 2) __noreturn;
void assert_failed(const char *expr, const char *file, int line) __noreturn;

#define BUG_ON(cond)                                                    \
    do {                                                                \
        if (unlikely(cond))                                             \
            panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond);       \
    } while (0)
#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)

#ifdef CONFIG_DEBUG
#define ASSERT(expr)                                                    \
    do {                                                                \
        if (unlikely(!(expr)))                                          \
            assert_failed(#expr, __FILE__, __LINE__);                   \
    } while (0)
#else
#define ASSERT(expr) do { (void)sizeof(!(expr)); } while (0)
#endif

#define ASSERT_UNREACHABLE() ASSERT(!"unreachable")

#endif
