/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/arch/head.S - Xen ELF notes, the entry point and the
 * hypercall page of the PV test kernel.
 *
 * The domain builder enters at _start in 64-bit mode, guest kernel mode
 * (ring 3), events masked, with rsi = start_info and rsp on a boot stack we
 * replace at once.
 */
#include <public/elfnote.h>

#ifndef VIRT_BASE
#define VIRT_BASE 0xffffffff80000000
#endif

/* One "Xen" note: name, descriptor, padded to 4 bytes as ELF requires. */
.macro xen_note type, desc_directive:vararg
    .pushsection .note.Xen, "a", @note
    .balign 4
    .long 2f - 1f           /* namesz */
    .long 4f - 3f           /* descsz */
    .long \type
1:  .asciz "Xen"
2:  .balign 4
3:  \desc_directive
4:  .balign 4
    .popsection
.endm

    xen_note XEN_ELFNOTE_GUEST_OS,       .asciz "Mica-testkernel"
    xen_note XEN_ELFNOTE_XEN_VERSION,    .asciz "xen-3.0"
    xen_note XEN_ELFNOTE_LOADER,         .asciz "generic"
    xen_note XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page
    /*
     * The minimal variant (lib/minimal-notes.mk) stops here: libelf's
     * defaults give the ELF entry point and VIRT_BASE 0, so it is linked
     * at its physical addresses.
     */
#ifndef MINIMAL_NOTES
    xen_note XEN_ELFNOTE_GUEST_VERSION,  .asciz "1"
    xen_note XEN_ELFNOTE_VIRT_BASE,      .quad VIRT_BASE
    xen_note XEN_ELFNOTE_PADDR_OFFSET,   .quad 0
    xen_note XEN_ELFNOTE_ENTRY,          .quad _start
    /* Nothing required; listing "dom0" is what lets Xen build us as dom0
     * once a SUPPORTED_FEATURES note is present, so state it here too. */
    xen_note XEN_ELFNOTE_FEATURES,       .asciz "pae_pgdir_above_4gb|dom0"
    xen_note XEN_ELFNOTE_PAE_MODE,       .asciz "yes"
    xen_note XEN_ELFNOTE_SUPPORTED_FEATURES, .long (1 << 11)
#endif

    .section .text.head, "ax", @progbits
    .code64
    .globl _start
_start:
    cld
    /* Keep start_info in a callee-saved register across the bss clear. */
    mov     %rsi, %rbx
    lea     _bss_start(%rip), %rdi
    lea     _bss_end(%rip), %rcx
    sub     %rdi, %rcx
    xor     %eax, %eax
    rep stosb
    lea     boot_stack_top(%rip), %rsp
    xor     %ebp, %ebp
    mov     %rbx, %rdi
    call    kernel_main
    /* kernel_main shuts the domain down; never reached. */
1:  ud2
    jmp     1b

/*
 * The hypervisor fills this page with one 32-byte stub per hypercall when
 * it loads us (HYPERCALL_PAGE note).  Until then it holds int3s.
 */
    .section .text.hypercall_page, "ax", @progbits
    .balign 4096
    .globl hypercall_page
hypercall_page:
    .fill 4096, 1, 0xcc

    .section .bss.page_aligned, "aw", @nobits
    .balign 4096
boot_stack:
    .skip 4 * 4096
    .globl boot_stack_top
boot_stack_top:
