/* SPDX-License-Identifier: MIT */
/*
 * asm/power.h - turning the machine off.
 *
 * machine_poweroff() tries QEMU's isa-debug-exit device first when the
 * command line names its port (debug_exit=0xf4), so tests get an exit
 * status, then ACPI S5 through the FADT's PM1 control registers.
 */
#ifndef ASM_POWER_H
#define ASM_POWER_H

#include <mica/types.h>

/* Exit codes passed to isa-debug-exit; QEMU exits with (code << 1) | 1. */
#define EXIT_SUCCESS_CODE   0
#define EXIT_FAILURE_CODE   1
#define EXIT_PANIC_CODE     2

void __noreturn machine_poweroff(int code);
void __noreturn machine_halt_fatal(void);
void power_init(void);

#endif
