/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/arch/smp-entry.S - the secondary vCPU's event callback and
 * first instruction.
 *
 * The callback builds the same struct cpu_regs frame as entry.S does for
 * vCPU 0 but calls smp_ap_event(), which knows it runs on vCPU 1, and
 * leaves through entry.S's exc_return (HYPERVISOR_iret).
 */
#define VEC_EVENT       0x100

    .text
    .globl smp_ap_event_entry
smp_ap_event_entry:
    pop     %rcx
    pop     %r11
    push    $0
    push    $VEC_EVENT
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
    call    smp_ap_event
    mov     %rbx, %rsp
    jmp     exc_return

/* VCPUOP_initialise starts vCPU 1 here with rsp at the top of its stack. */
    .globl smp_ap_start
smp_ap_start:
    and     $~15, %rsp
    call    smp_ap_main
    ud2
