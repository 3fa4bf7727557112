/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/include/frame.h - the trap-frame conventions shared by the
 * entry stubs of every vCPU (arch/entry.S, arch/smp-entry.S) and the C
 * dispatcher (lib/traps.c): pseudo vector numbers, and the step from a
 * frame with vector and error code pushed to a C handler.
 */
#ifndef GUEST_FRAME_H
#define GUEST_FRAME_H

#define VEC_EVENT       0x100   /* pseudo vectors for the callbacks */
#define VEC_FAILSAFE    0x101

#ifdef __ASSEMBLER__
/*
 * Save the registers as struct cpu_regs, call \handler(regs) on a 16-byte
 * aligned stack and come back with rsp at the saved registers again, as
 * exc_return expects.
 */
.macro save_regs_and_call handler
    push    %rax
    push    %rbx
    push    %rcx
    push    %rdx
    push    %rsi
    push    %rdi
    push    %rbp
    push    %r8
    push    %r9
    push    %r10
    push    %r11
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    mov     %rsp, %rdi
    mov     %rsp, %rbx
    and     $~15, %rsp
    call    \handler
    mov     %rbx, %rsp
.endm
#endif

#endif
