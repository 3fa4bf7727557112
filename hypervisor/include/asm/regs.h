/* SPDX-License-Identifier: MIT */
/*
 * asm/regs.h - the register frame that entry.S builds on the stack for
 * every exception and interrupt.  The order is fixed by the push sequence
 * in entry.S; the last six fields are what the CPU (or the stub, for the
 * error code) pushed.
 */
#ifndef ASM_REGS_H
#define ASM_REGS_H

#include <mica/types.h>

struct cpu_regs {
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    uint64_t rax, rcx, rdx, rsi, rdi;
    uint64_t vector;
    uint64_t error_code;
    uint64_t rip, cs, rflags, rsp, ss;
};

#endif
