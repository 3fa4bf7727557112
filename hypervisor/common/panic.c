/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/panic.c - stopping the machine on a fatal error.
 */
#include <stdarg.h>
#include <mica/lib.h>
#include <mica/console.h>
#include <asm/traps.h>
#include <asm/power.h>

static bool in_panic;

void panic(const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    asm volatile("cli");
    /* A panic inside printk must not deadlock on the console lock. */
    if (in_panic)
        console_force_unlock();
    in_panic = true;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    printk(KERN_ERR "\n*** PANIC: %s\n", msg);
    show_stack_trace((uint64_t)__builtin_frame_address(0));
    machine_halt_fatal();
}

void assert_failed(const char *expr, const char *file, int line)
{
    panic("Assertion '%s' failed at %s:%d", expr, file, line);
}
