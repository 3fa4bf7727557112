/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/harness.h - the host stand-ins for the few hypervisor
 * services that pure code calls: printk (captured into a buffer) and
 * panic (which a test can expect, via EXPECT_PANIC).
 *
 * Hypervisor sources are compiled for the host with vsnprintf/snprintf
 * renamed to mica_* (see unit.mk), so the C library's functions of the
 * same names stay untouched and the tests exercise our implementation.
 */
#ifndef TESTS_UNIT_HARNESS_H
#define TESTS_UNIT_HARNESS_H

#include <setjmp.h>
#include <stdbool.h>

extern char harness_log[8192];      /* everything printk'd since the reset */
extern char harness_panic_msg[256];
extern jmp_buf *harness_panic_jmp;

void harness_reset_log(void);

/* Run 'stmt'; evaluates to true if it called panic() (or BUG_ON fired). */
#define EXPECT_PANIC(stmt)                                  \
    ({                                                      \
        jmp_buf jb_;                                        \
        volatile bool panicked_ = false;                    \
        harness_panic_jmp = &jb_;                           \
        if (setjmp(jb_) == 0) {                             \
            stmt;                                           \
        } else {                                            \
            panicked_ = true;                               \
        }                                                   \
        harness_panic_jmp = NULL;                           \
        panicked_;                                          \
    })

#endif
