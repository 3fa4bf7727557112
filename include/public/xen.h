/* SPDX-License-Identifier: MIT */
/*
 * include/public/xen.h - core of the Xen-compatible PV ABI: hypercall and
 * VIRQ numbers, page-table update commands, start_info and shared_info.
 *
 * Everything here must match Xen byte for byte, because unmodified Linux
 * compiled against Xen's own headers is the main guest.  check/abi-vs-xen.c
 * compares every number and layout with an installed copy of Xen's headers.
 */
#ifndef MICA_PUBLIC_XEN_H
#define MICA_PUBLIC_XEN_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif
#include "arch-x86/xen.h"

/*
 * Hypercall numbers.  A 64-bit PV guest calls hypercall_page + 32 * nr, or
 * executes "mov $nr,%eax; syscall" itself in guest kernel mode.  Arguments
 * go in rdi, rsi, rdx, r10, r8 (r9 for a sixth); the result comes back in
 * rax as a value >= 0 or a negative errno.
 */
#define __HYPERVISOR_set_trap_table                  0
#define __HYPERVISOR_mmu_update                      1
#define __HYPERVISOR_set_gdt                         2
#define __HYPERVISOR_stack_switch                    3
#define __HYPERVISOR_set_callbacks                   4
#define __HYPERVISOR_fpu_taskswitch                  5
#define __HYPERVISOR_sched_op_compat                 6  /* obsolete */
#define __HYPERVISOR_platform_op                     7
#define __HYPERVISOR_set_debugreg                    8
#define __HYPERVISOR_get_debugreg                    9
#define __HYPERVISOR_update_descriptor              10
/* 11 was never assigned */
#define __HYPERVISOR_memory_op                      12
#define __HYPERVISOR_multicall                      13
#define __HYPERVISOR_update_va_mapping              14
#define __HYPERVISOR_set_timer_op                   15
#define __HYPERVISOR_event_channel_op_compat        16  /* obsolete */
#define __HYPERVISOR_xen_version                    17
#define __HYPERVISOR_console_io                     18
#define __HYPERVISOR_physdev_op_compat              19  /* obsolete */
#define __HYPERVISOR_grant_table_op                 20
#define __HYPERVISOR_vm_assist                      21
#define __HYPERVISOR_update_va_mapping_otherdomain  22
#define __HYPERVISOR_iret                           23
#define __HYPERVISOR_vcpu_op                        24
#define __HYPERVISOR_set_segment_base               25
#define __HYPERVISOR_mmuext_op                      26
#define __HYPERVISOR_xsm_op                         27
#define __HYPERVISOR_nmi_op                         28
#define __HYPERVISOR_sched_op                       29
#define __HYPERVISOR_callback_op                    30
#define __HYPERVISOR_xenoprof_op                    31
#define __HYPERVISOR_event_channel_op               32
#define __HYPERVISOR_physdev_op                     33
#define __HYPERVISOR_hvm_op                         34
#define __HYPERVISOR_sysctl                         35
#define __HYPERVISOR_domctl                         36
#define __HYPERVISOR_kexec_op                       37
#define __HYPERVISOR_tmem_op                        38
#define __HYPERVISOR_argo_op                        39
#define __HYPERVISOR_xenpmu_op                      40
#define __HYPERVISOR_dm_op                          41
#define __HYPERVISOR_hypfs_op                       42
/* 48-55 are per-architecture; x86 uses arch_0 for machine-check handling. */
#define __HYPERVISOR_arch_0                         48
#define __HYPERVISOR_arch_1                         49
#define __HYPERVISOR_arch_2                         50
#define __HYPERVISOR_arch_3                         51
#define __HYPERVISOR_arch_4                         52
#define __HYPERVISOR_arch_5                         53
#define __HYPERVISOR_arch_6                         54
#define __HYPERVISOR_arch_7                         55
#define __HYPERVISOR_mca                            __HYPERVISOR_arch_0

/* Each hypercall-page slot is this big; the page holds 128 of them. */
#define HYPERCALL_STUB_SIZE     32

/*
 * Virtual IRQs: hypervisor-generated events, bound to ports with
 * EVTCHNOP_bind_virq.  Global ones may be bound by one vCPU only.
 */
#define VIRQ_TIMER       0  /* per vCPU: timer expired */
#define VIRQ_DEBUG       1  /* per vCPU: debug key pressed */
#define VIRQ_CONSOLE     2  /* global: input on the hypervisor console */
#define VIRQ_DOM_EXC     3  /* global: a domain crashed or shut down */
#define VIRQ_TBUF        4  /* global: trace buffer has data */
#define VIRQ_DEBUGGER    6  /* global: a domain was paused for debugging */
#define VIRQ_XENOPROF    7  /* per vCPU */
#define VIRQ_CON_RING    8  /* global: console ring has new text */
#define VIRQ_PCPU_STATE  9  /* global: physical CPU came or went */
#define VIRQ_MEM_EVENT  10
#define VIRQ_ARGO       11
#define VIRQ_ENOMEM     12  /* global: hypervisor memory is low */
#define VIRQ_XENPMU     13  /* per vCPU */
#define VIRQ_ARCH_0     16
#define VIRQ_ARCH_1     17
#define VIRQ_ARCH_2     18
#define VIRQ_ARCH_3     19
#define VIRQ_ARCH_4     20
#define VIRQ_ARCH_5     21
#define VIRQ_ARCH_6     22
#define VIRQ_ARCH_7     23
#define NR_VIRQS        24
#define VIRQ_MCA        VIRQ_ARCH_0 /* x86: machine-check telemetry */

/*
 * HYPERVISOR_mmu_update: the low two bits of mmu_update.ptr pick the
 * command, the rest is a machine address (or MFN << 12 for MACHPHYS).
 */
#define MMU_NORMAL_PT_UPDATE        0  /* *ptr = val, validated */
#define MMU_MACHPHYS_UPDATE         1  /* M2P[ptr >> 12] = val */
#define MMU_PT_UPDATE_PRESERVE_AD   2  /* as NORMAL, keep Accessed/Dirty */
#define MMU_PT_UPDATE_NO_TRANSLATE  3  /* foreign mapping, no translation */

#ifndef __ASSEMBLER__
struct mmu_update {
    uint64_t ptr;   /* machine address of the entry | command */
    uint64_t val;   /* new contents */
};
typedef struct mmu_update mmu_update_t;
_Static_assert(sizeof(struct mmu_update) == 16, "mmu_update");
#endif /* !__ASSEMBLER__ */

/* HYPERVISOR_mmuext_op commands. */
#define MMUEXT_PIN_L1_TABLE         0   /* arg1.mfn */
#define MMUEXT_PIN_L2_TABLE         1
#define MMUEXT_PIN_L3_TABLE         2
#define MMUEXT_PIN_L4_TABLE         3
#define MMUEXT_UNPIN_TABLE          4   /* arg1.mfn */
#define MMUEXT_NEW_BASEPTR          5   /* arg1.mfn: new kernel L4 */
#define MMUEXT_TLB_FLUSH_LOCAL      6
#define MMUEXT_INVLPG_LOCAL         7   /* arg1.linear_addr */
#define MMUEXT_TLB_FLUSH_MULTI      8   /* arg2.vcpumask */
#define MMUEXT_INVLPG_MULTI         9   /* arg1.linear_addr, arg2.vcpumask */
#define MMUEXT_TLB_FLUSH_ALL       10
#define MMUEXT_INVLPG_ALL          11   /* arg1.linear_addr */
#define MMUEXT_FLUSH_CACHE         12
#define MMUEXT_SET_LDT             13   /* arg1.linear_addr, arg2.nr_ents */
#define MMUEXT_NEW_USER_BASEPTR    15   /* arg1.mfn: user L4, 0 for none */
#define MMUEXT_CLEAR_PAGE          16   /* arg1.mfn */
#define MMUEXT_COPY_PAGE           17   /* arg1.mfn <- arg2.src_mfn */
#define MMUEXT_FLUSH_CACHE_GLOBAL  18
#define MMUEXT_MARK_SUPER          19
#define MMUEXT_UNMARK_SUPER        20

#ifndef __ASSEMBLER__
struct mmuext_op {
    uint32_t cmd;                       /* MMUEXT_* */
    union {
        xen_pfn_t mfn;
        uint64_t  linear_addr;
    } arg1;
    union {
        uint32_t  nr_ents;
        XEN_GUEST_HANDLE(const_void) vcpumask;  /* bitmap of vCPUs */
        xen_pfn_t src_mfn;
    } arg2;
};
typedef struct mmuext_op mmuext_op_t;
_Static_assert(sizeof(struct mmuext_op) == 24, "mmuext_op");
#endif /* !__ASSEMBLER__ */

/* HYPERVISOR_update_va_mapping flags: which flush, and on whom. */
#define UVMF_NONE           MICA_UL(0x0)
#define UVMF_TLB_FLUSH      MICA_UL(0x1)
#define UVMF_INVLPG         MICA_UL(0x2)
#define UVMF_FLUSHTYPE_MASK MICA_UL(0x3)
#define UVMF_MULTI          MICA_UL(0x0)   /* | pointer to a vCPU bitmap */
#define UVMF_LOCAL          MICA_UL(0x0)
#define UVMF_ALL            MICA_UL(0x4)

/* HYPERVISOR_console_io commands. */
#define CONSOLEIO_write     0
#define CONSOLEIO_read      1

/* HYPERVISOR_vm_assist: commands and assist types. */
#define VMASST_CMD_enable                   0
#define VMASST_CMD_disable                  1
#define VMASST_TYPE_4gb_segments            0   /* 32-bit guests only */
#define VMASST_TYPE_4gb_segments_notify     1
#define VMASST_TYPE_writable_pagetables     2   /* trap+emulate L1 writes */
#define VMASST_TYPE_pae_extended_cr3        3
#define VMASST_TYPE_architectural_iopl      4   /* IOPL in bounce frames */
#define VMASST_TYPE_runstate_update_flag    5   /* XEN_RUNSTATE_UPDATE bit */
#define VMASST_TYPE_m2p_strict             32
#define MAX_VMASST_TYPE                     3   /* legacy upper bound */

/* Domain identifiers; values from 0x7ff0 up are special. */
#ifndef __ASSEMBLER__
typedef uint16_t domid_t;
#endif /* !__ASSEMBLER__ */
#define DOMID_FIRST_RESERVED    0x7FF0U
#define DOMID_SELF              0x7FF0U /* the calling domain */
#define DOMID_IO                0x7FF1U /* owner of I/O memory */
#define DOMID_XEN               0x7FF2U /* owner of hypervisor frames */
#define DOMID_COW               0x7FF3U /* owner of shared pages */
#define DOMID_INVALID           0x7FF4U
#define DOMID_IDLE              0x7FFFU
#define DOMID_MASK              0x7FFFU

/*
 * One entry of HYPERVISOR_multicall.  The hypervisor runs op(args...) and
 * stores its return value in result.  Six arguments, one more than a direct
 * hypercall can pass, because the entry has room.
 */
#ifndef __ASSEMBLER__
struct multicall_entry {
    xen_ulong_t op;
    xen_ulong_t result;
    xen_ulong_t args[6];
};
typedef struct multicall_entry multicall_entry_t;
_Static_assert(sizeof(struct multicall_entry) == 64, "multicall_entry");
#endif /* !__ASSEMBLER__ */

/* vcpu_time_info.flags */
#define XEN_PVCLOCK_TSC_STABLE_BIT  (1 << 0)
#define XEN_PVCLOCK_GUEST_STOPPED   (1 << 1)

#ifndef __ASSEMBLER__
/*
 * Per-vCPU time record (pvclock).  system_time is nanoseconds since boot at
 * TSC value tsc_timestamp; the guest extrapolates with mul/shift.  version is
 * odd while the hypervisor is updating the record.
 */
struct vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;
    uint32_t tsc_to_system_mul;     /* ns per tick, 32.32 fixed point */
    int8_t   tsc_shift;             /* applied to the TSC delta first */
    uint8_t  flags;                 /* XEN_PVCLOCK_* */
    uint8_t  pad1[2];
};
typedef struct vcpu_time_info vcpu_time_info_t;
_Static_assert(sizeof(struct vcpu_time_info) == 32, "vcpu_time_info");

/*
 * Per-vCPU event and trap state.  Lives in shared_info until the guest moves
 * it with VCPUOP_register_vcpu_info.  upcall_mask is the guest's virtual
 * interrupt flag; upcall_pending says an event callback is owed.
 */
struct vcpu_info {
    uint8_t     evtchn_upcall_pending;
    uint8_t     evtchn_upcall_mask;
    xen_ulong_t evtchn_pending_sel;     /* which pending words to scan */
    struct arch_vcpu_info arch;         /* cr2 lives here */
    struct vcpu_time_info time;
};
typedef struct vcpu_info vcpu_info_t;
_Static_assert(sizeof(struct vcpu_info) == 64, "vcpu_info");
_Static_assert(__builtin_offsetof(struct vcpu_info, evtchn_pending_sel) == 8,
               "pending_sel");
_Static_assert(__builtin_offsetof(struct vcpu_info, arch.cr2) == 16, "cr2");
_Static_assert(__builtin_offsetof(struct vcpu_info, time) == 32, "time");

/*
 * The page every domain shares with the hypervisor.  The event bitmaps are
 * the 2-level event-channel ABI: 64 words of 64 bits, 4096 ports.
 */
struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    xen_ulong_t evtchn_pending[sizeof(xen_ulong_t) * 8];
    xen_ulong_t evtchn_mask[sizeof(xen_ulong_t) * 8];
    /* Wall clock at system time 0; wc_version is a seqcount. */
    uint32_t wc_version;
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;
    struct arch_shared_info arch;
};
typedef struct shared_info shared_info_t;
_Static_assert(sizeof(struct shared_info) == 3136, "shared_info");
_Static_assert(__builtin_offsetof(struct shared_info, evtchn_pending) == 0x800,
               "evtchn_pending");
_Static_assert(__builtin_offsetof(struct shared_info, wc_version) == 0xc00,
               "wc_version");
#endif /* !__ASSEMBLER__ */

/*
 * start_info: handed to a PV kernel in rsi at its first instruction.  Every
 * address is a guest virtual address inside the initial mapping unless the
 * comment says machine address or frame number.
 */
#define MAX_GUEST_CMDLINE   1024

#ifndef __ASSEMBLER__
struct start_info {
    char magic[32];             /* "xen-3.0-x86_64" (+ "p" with PAE note) */
    uint64_t nr_pages;          /* pages given to the domain */
    uint64_t shared_info;       /* machine address of shared_info */
    uint32_t flags;             /* SIF_* */
    xen_pfn_t store_mfn;        /* xenstore ring frame (domU) */
    uint32_t store_evtchn;      /* xenstore port (domU; 0 in dom0) */
    union {
        struct {
            xen_pfn_t mfn;      /* console ring frame */
            uint32_t evtchn;    /* console port */
        } domU;
        struct {
            uint32_t info_off;  /* offset of dom0_vga_console_info */
            uint32_t info_size;
        } dom0;
    } console;
    uint64_t pt_base;           /* initial L4 (virtual) */
    uint64_t nr_pt_frames;      /* page-table pages in the initial mapping */
    uint64_t mfn_list;          /* p2m list (virtual) */
    uint64_t mod_start;         /* initrd (virtual, or pfn if MOD_START_PFN) */
    uint64_t mod_len;           /* initrd size in bytes */
    int8_t cmd_line[MAX_GUEST_CMDLINE];
    uint64_t first_p2m_pfn;     /* only with the INIT_P2M ELF note */
    uint64_t nr_p2m_frames;
};
typedef struct start_info start_info_t;
_Static_assert(sizeof(struct start_info) == 1168, "start_info");
_Static_assert(__builtin_offsetof(struct start_info, store_mfn) == 0x38,
               "store_mfn");
_Static_assert(__builtin_offsetof(struct start_info, pt_base) == 0x58,
               "pt_base");
_Static_assert(__builtin_offsetof(struct start_info, cmd_line) == 0x80,
               "cmd_line");
#endif /* !__ASSEMBLER__ */

/* start_info.flags */
#define SIF_PRIVILEGED      (1 << 0)    /* may use privileged operations */
#define SIF_INITDOMAIN      (1 << 1)    /* this is dom0 */
#define SIF_MULTIBOOT_MOD   (1 << 2)    /* mod_start is a multiboot list */
#define SIF_MOD_START_PFN   (1 << 3)    /* mod_start is a pfn */
#define SIF_VIRT_P2M_4TOOLS (1 << 4)    /* tools use the virtual p2m */
#define SIF_PM_MASK         (0xFF << 8) /* power-management flags */

/* With SIF_MULTIBOOT_MOD, mod_start points at an array of these. */
#ifndef __ASSEMBLER__
struct xen_multiboot_mod_list {
    uint32_t mod_start;     /* physical address of the module */
    uint32_t mod_end;
    uint32_t cmdline;       /* physical address of its command line */
    uint32_t pad;
};
_Static_assert(sizeof(struct xen_multiboot_mod_list) == 16, "mod_list");
#endif /* !__ASSEMBLER__ */

/* Boot video state handed to dom0 after start_info. */
#define XEN_VGATYPE_TEXT_MODE_3 0x03
#define XEN_VGATYPE_VESA_LFB    0x23
#define XEN_VGATYPE_EFI_LFB     0x70

#ifndef __ASSEMBLER__
struct dom0_vga_console_info {
    uint8_t video_type;         /* XEN_VGATYPE_* */
    union {
        struct {
            uint16_t font_height;
            uint16_t cursor_x, cursor_y;
            uint16_t rows, columns;
        } text_mode_3;
        struct {
            uint16_t width, height;
            uint16_t bytes_per_line;
            uint16_t bits_per_pixel;
            uint32_t lfb_base;
            uint32_t lfb_size;
            uint8_t  red_pos, red_size;
            uint8_t  green_pos, green_size;
            uint8_t  blue_pos, blue_size;
            uint8_t  rsvd_pos, rsvd_size;
            uint32_t gbl_caps;
            uint16_t mode_attrs;
            uint16_t pad;
            uint32_t ext_lfb_base;  /* upper 32 bits of lfb_base */
        } vesa_lfb;
    } u;
};
typedef struct dom0_vga_console_info dom0_vga_console_info_t;
_Static_assert(sizeof(struct dom0_vga_console_info) == 40, "vga_console_info");

/* A domain's UUID. */
typedef uint8_t xen_domain_handle_t[16];

/* A bitmap passed by reference (cpumaps, nodemaps). */
struct xenctl_bitmap {
    XEN_GUEST_HANDLE(uint8) bitmap;
    uint32_t nr_bits;
};
_Static_assert(sizeof(struct xenctl_bitmap) == 16, "xenctl_bitmap");
#endif /* !__ASSEMBLER__ */

#endif /* MICA_PUBLIC_XEN_H */
