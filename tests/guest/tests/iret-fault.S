/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/iret-fault.S - an iret hypercall whose return faults
 * (a CS beyond the GDT), with every other register holding a known value,
 * and a #GP handler that records the registers it was entered with.
 *
 * long iret_fault_probe(uint64_t out[14]): out gets rbx rdx rsi rdi rbp
 * r8 r9 r10 r12 r13 r14 r15 as the handler saw them, then its error code
 * and reported rip; returns the rax it saw.  The handler puts a good CS
 * in the bounce frame and irets back to where the probe meant to go.
 */
#define FLAT_KERNEL_CS_RPL0 0xe030      /* RPL 0: stay in kernel mode */
#define BAD_CS_RPL0         0xfff0      /* past the GDT's limit */
#define HC_IRET             23

        .text
        .globl  iret_fault_probe
iret_fault_probe:
        push    %rbx
        push    %rbp
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        mov     %rdi, probe_out(%rip)
        mov     %rsp, probe_rsp(%rip)
        pushq   $0xe02b                 /* ss */
        pushq   probe_rsp(%rip)         /* rsp */
        pushq   $0x2                    /* rflags: events stay masked */
        pushq   $BAD_CS_RPL0
        lea     1f(%rip), %rax
        push    %rax                    /* rip */
        pushq   $0                      /* flags */
        pushq   $0x3333                 /* rcx */
        pushq   $0x1111                 /* r11 */
        pushq   $0xaaaa                 /* rax */
        movabs  $0x1b1b1b1b1b1b1b1b, %rbx
        movabs  $0x2d2d2d2d2d2d2d2d, %rdx
        movabs  $0x3535353535353535, %rsi
        movabs  $0x4d4d4d4d4d4d4d4d, %rdi
        movabs  $0x5b5b5b5b5b5b5b5b, %rbp
        movabs  $0x0808080808080808, %r8
        movabs  $0x0909090909090909, %r9
        movabs  $0x1010101010101010, %r10
        movabs  $0x1212121212121212, %r12
        movabs  $0x1313131313131313, %r13
        movabs  $0x1414141414141414, %r14
        movabs  $0x1515151515151515, %r15
        mov     $HC_IRET, %eax
        syscall
1:      mov     probe_rsp(%rip), %rsp
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbp
        pop     %rbx
        mov     probe_rax(%rip), %rax
        ret

/* The #GP bounce frame: rcx, r11, error code, rip, cs, rflags, rsp, ss. */
        .globl  iret_fault_gp_entry
iret_fault_gp_entry:
        mov     %rax, probe_rax(%rip)
        mov     probe_out(%rip), %rax
        mov     %rbx, 0(%rax)
        mov     %rdx, 8(%rax)
        mov     %rsi, 16(%rax)
        mov     %rdi, 24(%rax)
        mov     %rbp, 32(%rax)
        mov     %r8, 40(%rax)
        mov     %r9, 48(%rax)
        mov     %r10, 56(%rax)
        mov     %r12, 64(%rax)
        mov     %r13, 72(%rax)
        mov     %r14, 80(%rax)
        mov     %r15, 88(%rax)
        mov     16(%rsp), %rcx
        mov     %rcx, 96(%rax)          /* error code */
        mov     24(%rsp), %rcx
        mov     %rcx, 104(%rax)         /* rip */
        mov     (%rsp), %rcx
        mov     8(%rsp), %r11
        add     $24, %rsp               /* now at rip */
        movq    $FLAT_KERNEL_CS_RPL0, 8(%rsp)
        pushq   $0                      /* flags */
        push    %rcx
        push    %r11
        push    %rax
        mov     $HC_IRET, %eax
        syscall

        .bss
        .balign 8
probe_out:      .quad 0
probe_rsp:      .quad 0
probe_rax:      .quad 0
        .section .note.GNU-stack, "", @progbits
