/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/entry.S - interrupt and exception entry stubs.
 *
 * Every vector gets a small stub that makes the stack look the same
 * whether or not the CPU pushed an error code, records the vector, then
 * joins a common path that saves the general registers as struct cpu_regs
 * (asm/regs.h), calls do_trap() and returns with iretq.
 */
#include <asm/config.h>

/* Vectors for which the CPU pushes an error code itself. */
#define HAS_ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
                        (v) == 21 || (v) == 29 || (v) == 30)

        .altmacro
        .text
        .balign 16
common_trap:
        push    %rdi
        push    %rsi
        push    %rdx
        push    %rcx
        push    %rax
        push    %r8
        push    %r9
        push    %r10
        push    %r11
        push    %rbx
        push    %rbp
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        cld
        mov     %rsp, %rdi
        call    do_trap
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbp
        pop     %rbx
        pop     %r11
        pop     %r10
        pop     %r9
        pop     %r8
        pop     %rax
        pop     %rcx
        pop     %rdx
        pop     %rsi
        pop     %rdi
        add     $16, %rsp           /* vector and error code */
        iretq

/* 256 stubs of equal alignment; trap_stubs[] below lists their addresses. */
        .macro  stub v
        .balign 16
trap_stub_\v:
        .if !HAS_ERRCODE(\v)
        push    $0
        .endif
        push    $\v
        jmp     common_trap
        .endm

        .set    v, 0
        .rept   256
        stub    %v
        .set    v, v + 1
        .endr

        .section .rodata
        .balign 8
        .globl  trap_stubs
trap_stubs:
        .macro  stubaddr v
        .quad   trap_stub_\v
        .endm
        .set    v, 0
        .rept   256
        stubaddr %v
        .set    v, v + 1
        .endr
