/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/boot/trampoline.S - the code a secondary CPU runs
 * after INIT-SIPI-SIPI: real mode at TRAMPOLINE_PA, through 32-bit
 * protected mode into long mode, then a jump to its C entry.
 *
 * This is data to the hypervisor: smp.c copies it below 1 MiB and fills in
 * the parameter block at its end (page tables, stack, entry, CPU number)
 * before each start-up IPI.  Addresses are absolute, computed for the
 * copy's location.
 */
#include <asm/config.h>
#include <asm/smp.h>

#define T(x)    ((x) - trampoline_start + TRAMPOLINE_PA)

        .section .rodata, "a"
        .balign 16
        .globl  trampoline_start, trampoline_end
        .code16
trampoline_start:
        cli
        cld
        xor     %ax, %ax
        mov     %ax, %ds
        lgdtl   T(tramp_gdt_ptr)
        mov     %cr0, %eax
        or      $1, %eax                    /* PE */
        mov     %eax, %cr0
        ljmpl   $0x08, $T(tramp32)

        .code32
tramp32:
        mov     $0x10, %ax
        mov     %ax, %ds
        mov     %ax, %es
        mov     %ax, %ss
        mov     %cr4, %eax
        or      $0x20, %eax                 /* PAE */
        mov     %eax, %cr4
        mov     T(tramp_cr3), %eax
        mov     %eax, %cr3
        mov     $0xc0000080, %ecx           /* EFER: LME, plus NXE if the BSP has it */
        rdmsr
        or      T(tramp_efer), %eax
        wrmsr
        mov     %cr0, %eax
        or      $0x80010000, %eax           /* PG | WP */
        mov     %eax, %cr0
        ljmp    $0x18, $T(tramp64)

        .code64
tramp64:
        mov     T(tramp_stack), %rsp
        mov     T(tramp_entry), %rax
        mov     T(tramp_cpu), %edi
        xor     %ebp, %ebp
        jmp     *%rax

        .balign 8
tramp_gdt:
        .quad   0
        .quad   0x00cf9a000000ffff          /* 0x08: 32-bit code */
        .quad   0x00cf92000000ffff          /* 0x10: data */
        .quad   0x00af9a000000ffff          /* 0x18: 64-bit code */
tramp_gdt_ptr:
        .short  tramp_gdt_ptr - tramp_gdt - 1
        .long   T(tramp_gdt)

        /* Parameter block, written by smp.c (offsets in asm/smp.h). */
        .balign 8
        .globl  tramp_params
tramp_params:
tramp_cr3:      .long   0
tramp_efer:     .long   0
tramp_stack:    .quad   0
tramp_entry:    .quad   0
tramp_cpu:      .long   0
                .long   0
trampoline_end:
