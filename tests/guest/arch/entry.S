/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/arch/entry.S - exception and callback entry stubs, the return
 * path through HYPERVISOR_iret, guest user-mode entry, setjmp/longjmp.
 *
 * The hypervisor enters a handler with this bounce frame at rsp (lowest
 * address first): rcx, r11, [error code], rip, cs, rflags, rsp, ss.  The
 * stubs restore rcx/r11, make every frame the same shape (dummy error code,
 * vector number), save the registers as struct cpu_regs and call C.
 */
#include <public/xen.h>
#include <frame.h>

.macro exc_stub vec, has_err
    .globl exc_entry_\vec
exc_entry_\vec:
    pop     %rcx
    pop     %r11
    .if !\has_err
    push    $0
    .endif
    push    $\vec
    jmp     exc_common
.endm

    .text
    exc_stub 0, 0
    exc_stub 1, 0
    exc_stub 2, 0
    exc_stub 3, 0
    exc_stub 4, 0
    exc_stub 5, 0
    exc_stub 6, 0
    exc_stub 7, 0
    exc_stub 8, 1
    exc_stub 9, 0
    exc_stub 10, 1
    exc_stub 11, 1
    exc_stub 12, 1
    exc_stub 13, 1
    exc_stub 14, 1
    exc_stub 15, 0
    exc_stub 16, 0
    exc_stub 17, 1
    exc_stub 18, 0
    exc_stub 19, 0
    exc_stub 20, 0
    exc_stub 21, 1
    /* software-interrupt vectors used by the int $N tests */
    exc_stub 0x80, 0
    exc_stub 0x81, 0
    exc_stub 0x85, 0
    exc_stub 0x86, 0
    /* second handler for vector 2, installed through CALLBACKTYPE_nmi */
    .globl nmi_cb_entry
nmi_cb_entry:
    pop     %rcx
    pop     %r11
    push    $0
    push    $0x102
    jmp     exc_common

    /* stand-in handler the set_trap_table tests install over a vector */
    .globl alt_trap_entry
alt_trap_entry:
    pop     %rcx
    pop     %r11
    push    $0
    push    $0x200
    jmp     exc_common

    .globl event_callback_entry
event_callback_entry:
    pop     %rcx
    pop     %r11
    push    $0
    push    $VEC_EVENT
    jmp     exc_common

    /* Failsafe frame has ds, es, fs, gs between r11 and rip: drop them. */
    .globl failsafe_callback_entry
failsafe_callback_entry:
    pop     %rcx
    pop     %r11
    add     $32, %rsp
    push    $0
    push    $VEC_FAILSAFE
    jmp     exc_common

exc_common:
    save_regs_and_call exc_dispatch
    .globl exc_return
exc_return:
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %r11
    pop     %r10
    pop     %r9
    pop     %r8
    pop     %rbp
    pop     %rdi
    pop     %rsi
    pop     %rdx
    pop     %rcx
    pop     %rbx
    pop     %rax
    add     $16, %rsp               /* vector, error code */
    /* rsp -> rip, cs, rflags, rsp, ss: complete an iret_context below. */
    pushq   $0                      /* flags: not returning from a syscall */
    jmp     iret_tail

/*
 * iret_tail: rsp points at {flags, rip, cs, rflags, rsp, ss}; push rcx,
 * r11, rax and make the iret hypercall by the configured path.
 */
    .globl iret_tail
iret_tail:
    cmpl    $0, hypercall_via_syscall(%rip)
    jne     1f
    jmp     hypercall_page + __HYPERVISOR_iret * HYPERCALL_STUB_SIZE
1:  push    %rcx
    push    %r11
    push    %rax
    mov     $__HYPERVISOR_iret, %eax
    syscall
    ud2                             /* iret never returns here */

/*
 * Syscall from guest user mode: the hypervisor switched to guest kernel
 * mode and put {rcx, r11, rip, cs, rflags, rsp, ss} on the kernel stack
 * given to HYPERVISOR_stack_switch.  Hand it to C, which longjmps back
 * into user_run().
 */
    .globl syscall_callback_entry
syscall_callback_entry:
    mov     %rsp, %rdi
    mov     %rax, %rsi
    and     $~15, %rsp
    call    user_syscall_dispatch
    ud2

/*
 * user_enter(rip, rsp, rax): build an iret_context that returns to guest
 * user mode (CS with RPL 3) and issue HYPERVISOR_iret.  Events stay masked
 * in user mode (IF clear in the frame).
 */
    .globl user_enter
user_enter:
    pushq   $FLAT_USER_SS
    push    %rsi                    /* user rsp */
    pushq   $0x2                    /* rflags: reserved bit 1, IF clear */
    pushq   $FLAT_USER_CS
    push    %rdi                    /* user rip */
    pushq   $0                      /* flags */
    mov     %rdx, %rax
    xor     %ecx, %ecx
    xor     %r11d, %r11d
    jmp     iret_tail

/* Minimal setjmp/longjmp: callee-saved registers, rsp and return rip. */
    .globl tk_setjmp
tk_setjmp:
    mov     %rbx, 0(%rdi)
    mov     %rbp, 8(%rdi)
    mov     %r12, 16(%rdi)
    mov     %r13, 24(%rdi)
    mov     %r14, 32(%rdi)
    mov     %r15, 40(%rdi)
    lea     8(%rsp), %rax
    mov     %rax, 48(%rdi)
    mov     (%rsp), %rax
    mov     %rax, 56(%rdi)
    xor     %eax, %eax
    ret

    .globl tk_longjmp
tk_longjmp:
    mov     0(%rdi), %rbx
    mov     8(%rdi), %rbp
    mov     16(%rdi), %r12
    mov     24(%rdi), %r13
    mov     32(%rdi), %r14
    mov     40(%rdi), %r15
    mov     48(%rdi), %rsp
    mov     %esi, %eax
    test    %eax, %eax
    jnz     1f
    inc     %eax
1:  jmp     *56(%rdi)
