/* SPDX-License-Identifier: MIT */
/*
 * include/public/arch-x86/xen.h - x86 parts of the PV ABI: basic types,
 * guest handles, trap table entries, the vCPU context and the x86 pieces
 * of shared_info.  Only the 64-bit PV ABI is provided.
 */
#ifndef MICA_PUBLIC_ARCH_X86_XEN_H
#define MICA_PUBLIC_ARCH_X86_XEN_H

#ifdef __ASSEMBLER__
#define MICA_UL(x)  x
#define MICA_ULL(x) x
#else
#include <stdint.h>
#define MICA_UL(x)  x##UL
#define MICA_ULL(x) x##ULL
#endif

/*
 * Guest handles.  Xen wraps guest pointers in a one-member struct; here a
 * handle is a plain 64-bit guest virtual address, so hypervisor code never
 * holds a dereferenceable pointer into guest memory.  Size and alignment are
 * those of a 64-bit pointer, so the byte layout is unchanged.  The macro
 * argument only documents what the address points at.
 */
#ifndef __ASSEMBLER__
#define XEN_GUEST_HANDLE(type)          uint64_t
#define XEN_GUEST_HANDLE_PARAM(type)    uint64_t
#define DEFINE_XEN_GUEST_HANDLE(type)   struct mica_unused_handle_##type
#define set_xen_guest_handle(hnd, val)  ((hnd) = (uint64_t)(uintptr_t)(val))
#define guest_handle_addr(hnd)          ((uint64_t)(hnd))

typedef uint64_t xen_pfn_t;     /* a guest or machine frame number */
typedef uint64_t xen_ulong_t;   /* an "unsigned long" of the 64-bit ABI */
#define PRI_xen_pfn     "lx"
#define PRIu_xen_pfn    "lu"
#define PRI_xen_ulong   "lx"
#endif /* !__ASSEMBLER__ */

#define XEN_HAVE_PV_GUEST_ENTRY 1
#define XEN_HAVE_PV_UPCALL_MASK 1

/*
 * The top of every GDT belongs to the hypervisor: guest GDT frames may fill
 * only pages 0-13, entries from 7168 on hold the FLAT_* descriptors.
 */
#define FIRST_RESERVED_GDT_PAGE  14
#define FIRST_RESERVED_GDT_BYTE  (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)

/* shared_info still has room for this many vcpu_info slots. */
#define XEN_LEGACY_MAX_VCPUS    32

#include "xen-x86_64.h"

/*
 * One entry of the virtual IDT given to HYPERVISOR_set_trap_table.  A table
 * ends at the first entry whose address is 0.  flags bits 0-1 are the DPL
 * needed to reach the vector with a software "int $n"; bit 2 asks for events
 * to be masked on entry, like an interrupt gate clearing IF.
 */
#ifndef __ASSEMBLER__
struct trap_info {
    uint8_t  vector;
    uint8_t  flags;
    uint16_t cs;            /* ignored for 64-bit PV; kernel CS is implied */
    uint64_t address;       /* handler, guest virtual address */
};
typedef struct trap_info trap_info_t;
_Static_assert(sizeof(struct trap_info) == 16, "trap_info");
#endif /* !__ASSEMBLER__ */

#define TI_GET_DPL(ti)      ((ti)->flags & 3)
#define TI_GET_IF(ti)       ((ti)->flags & 4)
#define TI_SET_DPL(ti, dpl) ((ti)->flags |= (dpl))
#define TI_SET_IF(ti, i)    ((ti)->flags |= ((!!(i)) << 2))

/* vcpu_guest_context.flags */
#define _VGCF_i387_valid                0
#define VGCF_i387_valid                 (1 << _VGCF_i387_valid)
#define VGCF_I387_VALID                 VGCF_i387_valid
#define _VGCF_in_kernel                 2
#define VGCF_in_kernel                  (1 << _VGCF_in_kernel)
#define VGCF_IN_KERNEL                  VGCF_in_kernel
#define _VGCF_failsafe_disables_events  3
#define VGCF_failsafe_disables_events   (1 << _VGCF_failsafe_disables_events)
#define _VGCF_syscall_disables_events   4
#define VGCF_syscall_disables_events    (1 << _VGCF_syscall_disables_events)
#define _VGCF_online                    5
#define VGCF_online                     (1 << _VGCF_online)

/*
 * Complete state of a PV vCPU, used by VCPUOP_initialise to start secondary
 * vCPUs and by the toolstack for save/restore.
 */
#ifndef __ASSEMBLER__
struct vcpu_guest_context {
    struct { char x[512]; } fpu_ctxt;   /* FXSAVE image */
    uint64_t flags;                     /* VGCF_* */
    struct cpu_user_regs user_regs;
    struct trap_info trap_ctxt[256];
    uint64_t ldt_base, ldt_ents;        /* as for MMUEXT_SET_LDT */
    uint64_t gdt_frames[16], gdt_ents;  /* as for HYPERVISOR_set_gdt */
    uint64_t kernel_ss, kernel_sp;      /* as for HYPERVISOR_stack_switch */
    uint64_t ctrlreg[8];                /* cr3 holds an MFN << 12 */
    uint64_t debugreg[8];
    uint64_t event_callback_eip;
    uint64_t failsafe_callback_eip;
    uint64_t syscall_callback_eip;
    uint64_t vm_assist;                 /* VMASST_TYPE_* bits */
    uint64_t fs_base;
    uint64_t gs_base_kernel;
    uint64_t gs_base_user;
};
typedef struct vcpu_guest_context vcpu_guest_context_t;
_Static_assert(sizeof(struct vcpu_guest_context) == 5168, "vcpu_guest_context");
_Static_assert(__builtin_offsetof(struct vcpu_guest_context, ctrlreg) == 4984,
               "ctrlreg");

/*
 * x86 tail of shared_info.  Most fields are written by the guest for the
 * toolstack (where its p2m lives); nmi_reason goes the other way.
 */
struct arch_shared_info {
    uint64_t max_pfn;                       /* guest's highest pfn + 1 */
    xen_pfn_t pfn_to_mfn_frame_list_list;   /* 3-level p2m frame list */
    uint64_t nmi_reason;                    /* bit0 I/O error, bit1 PCI SERR */
    uint64_t p2m_cr3;                       /* virtually mapped p2m: cr3 */
    uint64_t p2m_vaddr;                     /* ... its address */
    uint64_t p2m_generation;                /* ... bumped on every change */
};
typedef struct arch_shared_info arch_shared_info_t;
_Static_assert(sizeof(struct arch_shared_info) == 48, "arch_shared_info");
#endif /* !__ASSEMBLER__ */

/*
 * "ud2; .ascii "xen"" before an instruction asks the hypervisor to emulate
 * it with the guest's view (used for CPUID, which otherwise runs natively).
 */
#define XEN_EMULATE_PREFIX  ".byte 0x0f,0x0b,0x78,0x65,0x6e ; "
#define XEN_CPUID           XEN_EMULATE_PREFIX "cpuid"

#endif /* MICA_PUBLIC_ARCH_X86_XEN_H */
