/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/entry.S - every way into the hypervisor: interrupt
 * and exception stubs, and the SYSCALL entry that PV guests use for
 * hypercalls (from their kernel) and system calls (from their user space).
 *
 * Every path builds the same struct cpu_regs (asm/regs.h) on the stack.
 * For an entry from a guest that frame sits at the very top of the CPU's
 * stack (TSS.rsp0), where guest_regs() finds it; all paths leave through
 * the same register restore and iretq.
 */
#include <asm/config.h>
#include <asm/desc.h>

#define VEC_SYSCALL 0x100

        .macro  SAVE_REGS
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
        .endm

        .macro  RESTORE_REGS
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
        .endm

/* Vectors for which the CPU pushes an error code itself. */
#define HAS_ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
                        (v) == 21 || (v) == 29 || (v) == 30)

        .altmacro
        .text
        .balign 16
common_trap:
        SAVE_REGS
        cld
        mov     %rsp, %rdi
        call    do_trap
        .globl  restore_all
restore_all:
        RESTORE_REGS
        add     $16, %rsp           /* vector and error code */
        .globl  iret_to_guest
iret_to_guest:
        iretq

/*
 * The iretq above faulted on a guest's CS/SS (its own GDT/LDT selectors):
 * traps.c points the fault's return here.  Start again from the guest
 * frame at the top of the stack, which the failed iretq left intact.
 */
        .globl  iret_fault_recover
iret_fault_recover:
        call    get_guest_frame
        mov     %rax, %rsp
        mov     %rax, %rdi
        call    pv_iret_failed
        jmp     restore_all
/*
 * SYSCALL from a PV guest: RCX holds its RIP, R11 its RFLAGS, and SFMASK
 * has cleared IF.  The CPU's stub (descriptors.c) has already switched to
 * this CPU's stack and pushed the SS and RSP slots; finish the frame an
 * interrupt from ring 3 would have built, at the top of the stack.
 */
        .balign 16
        .globl  syscall_common
syscall_common:
        push    %r11
        push    $FLAT_RING3_CS64
        push    %rcx
        push    $0
        push    $VEC_SYSCALL
        SAVE_REGS
        cld
        mov     %rsp, %rdi
        call    pv_syscall
        jmp     restore_all

/* Enter a guest for the first time: RDI is its frame, at the stack top. */
        .globl  enter_guest
enter_guest:
        mov     %rdi, %rsp
        jmp     restore_all


/*
 * #DB, NMI and #MC arrive on IST stacks (descriptors.c) wherever they hit.
 * From a guest, the frame moves to the top of the CPU's own stack, where
 * every guest entry keeps it; the word IST_TOP_RESERVED - 8 above the
 * hardware frame holds the address of TSS.rsp0.  Here RSP points at the
 * vector, with RAX and RCX saved below it for the copy.
 */
#define IST_FROM_GUEST_WORDS 9      /* rcx, rax, vector, error, 5 of the CPU */
ist_from_guest:
        push    %rax
        push    %rcx
        mov     (IST_FROM_GUEST_WORDS * 8 + 8)(%rsp), %rax
        mov     (%rax), %rax
        sub     $(IST_FROM_GUEST_WORDS * 8), %rax
        .irp    off, 0, 8, 16, 24, 32, 40, 48, 56, 64
        mov     \off(%rsp), %rcx
        mov     %rcx, \off(%rax)
        .endr
        mov     %rax, %rsp
        pop     %rcx
        pop     %rax
        jmp     common_trap

#define IST_VECTOR(v) ((v) == 1 || (v) == 2 || (v) == 18)

/* 256 stubs of equal alignment; trap_stubs[] below lists their addresses. */
        .macro  stub v
        .balign 16
trap_stub_\v:
        .if !HAS_ERRCODE(\v)
        push    $0
        .endif
        push    $\v
        .if IST_VECTOR(\v)
        testb   $3, 24(%rsp)        /* the CS the CPU saved */
        jnz     ist_from_guest
        .endif
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
