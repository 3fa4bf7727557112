/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/boot/head.S - Multiboot2 header and the path from
 * the loader's 32-bit protected mode to 64-bit C code in the upper half.
 *
 * GRUB enters start32 with paging off, EAX = the Multiboot2 magic and
 * EBX = the physical address of the boot information.  The early page
 * tables below are fully static (the linker computes their physical
 * addresses), so nothing has to be written before paging is on: they map
 * the first 4 GiB twice, at 0 (so the instruction after enabling paging
 * still runs) and at DIRECTMAP_VIRT_START (where the image is linked).
 * setup.c replaces them with a proper direct map later.
 */
#include <asm/config.h>
#include <asm/cpu.h>
#include <asm/desc.h>

#define PA(x)           ((x) - DIRECTMAP_VIRT_START)
#define MB2_MAGIC       0xe85250d6
#define MB2_BOOT_MAGIC  0x36d76289
#define MB2_ARCH_I386   0
#define COM1            0x3f8
#define PTE_P_RW        0x003
#define PTE_P_RW_PS     0x083

/* ---- Multiboot2 header (must be 8-byte aligned, in the first 32 KiB) ---- */
        .section .multiboot2, "a"
        .balign 8
mb2_header:
        .long   MB2_MAGIC
        .long   MB2_ARCH_I386
        .long   mb2_header_end - mb2_header
        .long   -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
        /* Entry address tag: the ELF entry is a 64-bit virtual address. */
        .balign 8
        .short  3, 0
        .long   12
        .long   PA(start32)
        /* Module alignment tag: page-aligned modules can be mapped in place. */
        .balign 8
        .short  6, 0
        .long   8
        /* End tag. */
        .balign 8
        .short  0, 0
        .long   8
mb2_header_end:

/* ---- 32-bit entry ---------------------------------------------------- */
        .section .text.boot32, "ax"
        .code32
        .globl  start32
start32:
        cli
        cld
        cmp     $MB2_BOOT_MAGIC, %eax
        jne     not_multiboot2
        mov     %ebx, PA(mb2_info_pa)
        mov     $PA(boot_stack_top), %esp

        /* Long mode must exist; NX is used when present. */
        mov     $0x80000000, %eax
        cpuid
        cmp     $0x80000001, %eax
        jb      no_long_mode
        mov     $0x80000001, %eax
        cpuid
        bt      $29, %edx
        jnc     no_long_mode
        mov     %edx, %esi

        mov     $PA(l4_boot), %eax
        mov     %eax, %cr3
        mov     %cr4, %eax
        or      $0x20, %eax                 /* PAE */
        mov     %eax, %cr4

        mov     $MSR_EFER_NUM, %ecx
        rdmsr
        or      $0x100, %eax                /* LME */
        bt      $20, %esi
        jnc     1f
        or      $0x800, %eax                /* NXE */
1:      wrmsr

        mov     %cr0, %eax
        or      $0x80010001, %eax           /* PG | WP | PE */
        mov     %eax, %cr0

        lgdt    PA(boot_gdt_ptr)
        ljmp    $0x08, $PA(start64_low)

/* Print the string at ESI on COM1 and stop: no console exists yet. */
early_fail:
        mov     $COM1 + 5, %dx
2:      inb     %dx, %al
        test    $0x20, %al
        jz      2b
        lodsb
        test    %al, %al
        jz      3f
        mov     $COM1, %dx
        outb    %al, %dx
        jmp     early_fail
3:      hlt
        jmp     3b

not_multiboot2:
        mov     $PA(msg_not_mb2), %esi
        jmp     early_fail
no_long_mode:
        mov     $PA(msg_no_lm), %esi
        jmp     early_fail

        .set    MSR_EFER_NUM, 0xc0000080

/* ---- 64-bit, still on the identity mapping ---------------------------- */
        .code64
start64_low:
        movabs  $start64, %rax
        jmp     *%rax

        .text
start64:
        xor     %eax, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %fs
        mov     %eax, %gs
        mov     $0x10, %eax
        mov     %eax, %ss

        /* Zero .bss (GRUB should have, but the loader is not ours). */
        lea     __bss_start(%rip), %rdi
        lea     __bss_end(%rip), %rcx
        sub     %rdi, %rcx
        xor     %eax, %eax
        rep stosb

        /* The top of the stack holds struct cpu_info (zeroed: CPU 0). */
        lea     boot_stack_top - CPU_INFO_SIZE(%rip), %rsp
        xor     %ebp, %ebp
        mov     mb2_info_pa(%rip), %edi
        call    start_mica
        ud2

/* ---- static boot data ------------------------------------------------- */
        .section .rodata
msg_not_mb2:
        .asciz  "Mica: not started by a Multiboot2 loader; use GRUB's multiboot2 command.\r\n"
msg_no_lm:
        .asciz  "Mica: this CPU has no 64-bit long mode.\r\n"

        .balign 8
boot_gdt:
        .quad   0
        .quad   0x00af9a000000ffff          /* 0x08: 64-bit ring-0 code */
        .quad   0x00cf92000000ffff          /* 0x10: ring-0 data */
boot_gdt_end:
boot_gdt_ptr:
        .short  boot_gdt_end - boot_gdt - 1
        .long   PA(boot_gdt)

        .data
        .globl  mb2_info_pa
mb2_info_pa:
        .long   0

        .section .data.page_aligned, "aw"
        .balign 4096
        .globl  l4_boot
l4_boot:
        .quad   PA(l3_boot) + PTE_P_RW
        .fill   DIRECTMAP_PML4_FIRST - 1, 8, 0
        .quad   PA(l3_boot) + PTE_P_RW
        .fill   511 - DIRECTMAP_PML4_FIRST, 8, 0
        .globl  l3_boot
l3_boot:
        .quad   PA(l2_boot) + 0x0000 + PTE_P_RW
        .quad   PA(l2_boot) + 0x1000 + PTE_P_RW
        .quad   PA(l2_boot) + 0x2000 + PTE_P_RW
        .quad   PA(l2_boot) + 0x3000 + PTE_P_RW
        .fill   508, 8, 0
l2_boot:
        .set    i, 0
        .rept   2048
        .quad   (i << 21) + PTE_P_RW_PS
        .set    i, i + 1
        .endr

        .section .bss.page_aligned, "aw", @nobits
        .balign STACK_SIZE
        .globl  boot_stack
boot_stack:
        .skip   STACK_SIZE
        .globl  boot_stack_top
boot_stack_top:
