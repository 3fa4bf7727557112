/* SPDX-License-Identifier: MIT */
/*
 * include/public/arch-x86/xen-x86_64.h - 64-bit PV specifics: selectors,
 * the reserved virtual-address hole, the iret frame and the register file.
 *
 * Included through arch-x86/xen.h; not meant to be included directly.
 */
#ifndef MICA_PUBLIC_ARCH_X86_XEN_X86_64_H
#define MICA_PUBLIC_ARCH_X86_XEN_X86_64_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/*
 * Flat selectors living in the hypervisor's part of the GDT (entries 260-262,
 * beyond FIRST_RESERVED_GDT_ENTRY).  A 64-bit PV kernel runs in ring 3, so
 * every one of them has DPL 3; "kernel" and "user" names are the same values.
 */
#define FLAT_RING3_CS32     0xe023  /* GDT entry 260: 32-bit code */
#define FLAT_RING3_CS64     0xe033  /* GDT entry 262: 64-bit code */
#define FLAT_RING3_DS32     0xe02b  /* GDT entry 261: flat data */
#define FLAT_RING3_DS64     0x0000  /* 64-bit code needs no data selector */
#define FLAT_RING3_SS32     0xe02b
#define FLAT_RING3_SS64     0xe02b

#define FLAT_KERNEL_DS64    FLAT_RING3_DS64
#define FLAT_KERNEL_DS32    FLAT_RING3_DS32
#define FLAT_KERNEL_DS      FLAT_KERNEL_DS64
#define FLAT_KERNEL_CS64    FLAT_RING3_CS64
#define FLAT_KERNEL_CS32    FLAT_RING3_CS32
#define FLAT_KERNEL_CS      FLAT_KERNEL_CS64
#define FLAT_KERNEL_SS64    FLAT_RING3_SS64
#define FLAT_KERNEL_SS32    FLAT_RING3_SS32
#define FLAT_KERNEL_SS      FLAT_KERNEL_SS64

#define FLAT_USER_DS64      FLAT_RING3_DS64
#define FLAT_USER_DS32      FLAT_RING3_DS32
#define FLAT_USER_DS        FLAT_USER_DS64
#define FLAT_USER_CS64      FLAT_RING3_CS64
#define FLAT_USER_CS32      FLAT_RING3_CS32
#define FLAT_USER_CS        FLAT_USER_CS64
#define FLAT_USER_SS64      FLAT_RING3_SS64
#define FLAT_USER_SS32      FLAT_RING3_SS32
#define FLAT_USER_SS        FLAT_USER_SS64

/*
 * PML4 slots 256-271 belong to the hypervisor.  The first 256 GiB of that
 * hole hold the read-only machine-to-phys table, which guests read directly.
 */
#define __HYPERVISOR_VIRT_START MICA_ULL(0xFFFF800000000000)
#define __HYPERVISOR_VIRT_END   MICA_ULL(0xFFFF880000000000)
#define __MACH2PHYS_VIRT_START  MICA_ULL(0xFFFF800000000000)
#define __MACH2PHYS_VIRT_END    MICA_ULL(0xFFFF804000000000)
#define __MACH2PHYS_SHIFT       3   /* one 8-byte entry per machine frame */

#ifndef HYPERVISOR_VIRT_START
#define HYPERVISOR_VIRT_START   __HYPERVISOR_VIRT_START
#define HYPERVISOR_VIRT_END     __HYPERVISOR_VIRT_END
#endif
#define MACH2PHYS_VIRT_START    __MACH2PHYS_VIRT_START
#define MACH2PHYS_VIRT_END      __MACH2PHYS_VIRT_END
#define MACH2PHYS_NR_ENTRIES \
    ((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> __MACH2PHYS_SHIFT)

/* HYPERVISOR_set_segment_base: which base to load. */
#define SEGBASE_FS          0   /* FS base */
#define SEGBASE_GS_USER     1   /* user GS base (the kernel's shadow) */
#define SEGBASE_GS_KERNEL   2   /* kernel GS base */
#define SEGBASE_GS_USER_SEL 3   /* load user %gs selector, swapgs around it */

/*
 * iret_context.flags: VGCF_in_syscall means "returning from a system call",
 * so RCX and R11 are left as they are instead of being restored from the
 * frame, mirroring what sysret would do.
 */
#define _VGCF_in_syscall    8
#define VGCF_in_syscall     (1 << _VGCF_in_syscall)
#define VGCF_IN_SYSCALL     VGCF_in_syscall

/*
 * Frame the guest pushes before HYPERVISOR_iret, lowest address first.  The
 * hypervisor finds it at the guest RSP of the hypercall.
 */
#ifndef __ASSEMBLER__
struct iret_context {
    uint64_t rax, r11, rcx, flags;  /* flags: VGCF_in_syscall or 0 */
    uint64_t rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct iret_context) == 72, "iret_context");

/*
 * Register file as used by vcpu_guest_context.  The odd padding keeps each
 * selector in its own 8-byte slot, which is how the hypervisor's own frame is
 * laid out; saved_upcall_mask sits in the upper half of the CS slot.
 */
struct cpu_user_regs {
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    uint64_t rax, rcx, rdx, rsi, rdi;
    uint32_t error_code;        /* filled by the hypervisor on entry */
    uint32_t entry_vector;      /* ditto */
    uint64_t rip;
    uint16_t cs, _pad0[1];
    uint8_t  saved_upcall_mask;
    uint8_t  _pad1[3];
    uint64_t rflags;
    uint64_t rsp;
    uint16_t ss, _pad2[3];
    uint16_t es, _pad3[3];
    uint16_t ds, _pad4[3];
    uint16_t fs, _pad5[3];
    uint16_t gs, _pad6[3];
};
typedef struct cpu_user_regs cpu_user_regs_t;
_Static_assert(sizeof(struct cpu_user_regs) == 200, "cpu_user_regs");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, rip) == 128, "rip");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, gs) == 192, "gs");

/* Fault address of the last #PF, written before the bounce; then padding. */
struct arch_vcpu_info {
    uint64_t cr2;
    uint64_t pad;
};
typedef struct arch_vcpu_info arch_vcpu_info_t;
_Static_assert(sizeof(struct arch_vcpu_info) == 16, "arch_vcpu_info");

/* A callback is just the guest virtual address of its entry point. */
typedef uint64_t xen_callback_t;
#endif /* !__ASSEMBLER__ */

#endif /* MICA_PUBLIC_ARCH_X86_XEN_X86_64_H */
