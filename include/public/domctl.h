/* SPDX-License-Identifier: MIT */
/*
 * include/public/domctl.h - HYPERVISOR_domctl: the control domain's
 * operations on one domain (create, destroy, pause, query, limits, vCPU
 * state, scheduling).
 *
 * The layout is Mica's own, but for every command Mica implements it
 * agrees with Xen 4.17 (interface version 0x15) in number, field names
 * and offsets, so Xen's tools and ours can share code; commands Mica does
 * not have are simply absent.  Two Mica commands reuse numbers Xen 4.17
 * retired (set_max_evtchn 70, set_gnttab_limits 80); on Xen they fail
 * with -ENOSYS, and createdomain carries the same limits in both.
 *
 * Every call names the interface version it was built for; a different
 * version is refused with -EACCES before anything else is looked at.
 * Only a privileged domain may call; others get -EPERM.
 */
#ifndef MICA_PUBLIC_DOMCTL_H
#define MICA_PUBLIC_DOMCTL_H

#include "xen.h"

#define XEN_DOMCTL_INTERFACE_VERSION    0x00000015

/* ---- XEN_DOMCTL_createdomain ---------------------------------------- */

/* flags: Mica builds PV domains only, so every flag is refused. */
#define XEN_DOMCTL_CDF_hvm          (1U << 0)
#define XEN_DOMCTL_CDF_hap          (1U << 1)
#define XEN_DOMCTL_CDF_s3_integrity (1U << 2)
#define XEN_DOMCTL_CDF_oos_off      (1U << 3)
#define XEN_DOMCTL_CDF_xs_domain    (1U << 4)
#define XEN_DOMCTL_CDF_iommu        (1U << 5)
#define XEN_DOMCTL_CDF_nested_virt  (1U << 6)
#define XEN_DOMCTL_CDF_vpmu         (1U << 7)

/* grant_opts: the grant-table ABI version in the low bits. */
#define XEN_DOMCTL_GRANT_version_mask   0xf
#define XEN_DOMCTL_GRANT_version(v)     ((v) & XEN_DOMCTL_GRANT_version_mask)

/* Devices a hypervisor would emulate (HVM only; zero for PV). */
struct xen_arch_domainconfig {
    uint32_t emulation_flags;
    uint32_t misc_flags;
};

/*
 * xen_domctl.domain is IN/OUT here: 0 or a reserved id asks for any free
 * id, which is written back.
 */
struct xen_domctl_createdomain {
    uint32_t ssidref;               /* IN: security label, must be 0 */
    xen_domain_handle_t handle;     /* IN: the toolstack's UUID */
    uint32_t flags;                 /* IN: XEN_DOMCTL_CDF_* */
    uint32_t iommu_opts;            /* IN: must be 0 */
    uint32_t max_vcpus;             /* IN: fixed for the domain's life */
    uint32_t max_evtchn_port;       /* IN: highest port it may bind */
    int32_t max_grant_frames;       /* IN: < 0: the hypervisor's default */
    int32_t max_maptrack_frames;    /* IN: < 0: the hypervisor's default */
    uint32_t grant_opts;            /* IN: XEN_DOMCTL_GRANT_version() */
    uint32_t vmtrace_size;          /* IN: must be 0 */
    uint32_t cpupool_id;            /* IN: must be 0 */
    struct xen_arch_domainconfig arch;  /* IN: must be 0 for PV */
};
_Static_assert(sizeof(struct xen_domctl_createdomain) == 64, "createdomain");

/* ---- XEN_DOMCTL_getdomaininfo (and sysctl getdomaininfolist) --------- */

#define XEN_DOMINF_dying        (1U << 0)   /* being destroyed */
#define XEN_DOMINF_hvm_guest    (1U << 1)
#define XEN_DOMINF_shutdown     (1U << 2)   /* the guest shut down */
#define XEN_DOMINF_paused       (1U << 3)   /* paused by the toolstack */
#define XEN_DOMINF_blocked      (1U << 4)   /* every online vCPU blocked */
#define XEN_DOMINF_running      (1U << 5)   /* some vCPU on a CPU now */
#define XEN_DOMINF_debugged     (1U << 6)
#define XEN_DOMINF_xs_domain    (1U << 7)
#define XEN_DOMINF_hap          (1U << 8)
/* The SHUTDOWN_* reason sits in bits 16..23 of flags. */
#define XEN_DOMINF_shutdownmask     255
#define XEN_DOMINF_shutdownshift    16

#define XEN_INVALID_MAX_VCPU_ID (~0U)       /* the domain has no vCPUs */

struct xen_domctl_getdomaininfo {
    domid_t domain;                 /* OUT: also written to xen_domctl.domain */
    uint16_t pad1;
    uint32_t flags;                 /* OUT: XEN_DOMINF_* */
    uint64_t tot_pages;             /* OUT: frames it owns now */
    uint64_t max_pages;             /* OUT: its limit (max_mem) */
    uint64_t outstanding_pages;     /* OUT: 0 (no claims) */
    uint64_t shr_pages;             /* OUT: 0 (no sharing) */
    uint64_t paged_pages;           /* OUT: 0 (no paging) */
    uint64_t shared_info_frame;     /* OUT: machine frame of shared_info */
    uint64_t cpu_time;              /* OUT: ns run, summed over its vCPUs */
    uint32_t nr_online_vcpus;       /* OUT: vCPUs that are up */
    uint32_t max_vcpu_id;           /* OUT: highest vCPU id created */
    uint32_t ssidref;               /* OUT: 0 */
    xen_domain_handle_t handle;     /* OUT: as set by the toolstack */
    uint32_t cpupool;               /* OUT: 0 */
    uint8_t gpaddr_bits;            /* OUT: machine address width */
    uint8_t pad2[7];
    struct xen_arch_domainconfig arch_config;   /* OUT: 0 for PV */
};
typedef struct xen_domctl_getdomaininfo xen_domctl_getdomaininfo_t;
_Static_assert(sizeof(struct xen_domctl_getdomaininfo) == 112, "getdomaininfo");

/* ---- memory and vCPU limits ---------------------------------------- */

struct xen_domctl_max_mem {
    uint64_t max_memkb;             /* IN: new limit, in KiB */
};

/* Must repeat createdomain's max_vcpus; creates the vCPUs (down). */
struct xen_domctl_max_vcpus {
    uint32_t max;                   /* IN */
};

/* Mica: XEN_DOMCTL_set_max_evtchn. */
struct xen_domctl_set_max_evtchn {
    uint32_t max_port;              /* IN: highest port it may bind */
};

/* Mica: XEN_DOMCTL_set_gnttab_limits (before the grant table is in use). */
struct xen_domctl_set_gnttab_limits {
    uint32_t grant_frames;          /* IN */
    uint32_t maptrack_frames;       /* IN */
};

/* ---- XEN_DOMCTL_shadow_op: log-dirty tracking ------------------------ */

#define XEN_DOMCTL_SHADOW_OP_OFF                0
#define XEN_DOMCTL_SHADOW_OP_ENABLE_TEST        1
#define XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY    2
#define XEN_DOMCTL_SHADOW_OP_CLEAN              11
#define XEN_DOMCTL_SHADOW_OP_PEEK               12
#define XEN_DOMCTL_SHADOW_OP_GET_ALLOCATION     30
#define XEN_DOMCTL_SHADOW_OP_SET_ALLOCATION     31
#define XEN_DOMCTL_SHADOW_OP_ENABLE             32

#define XEN_DOMCTL_SHADOW_ENABLE_REFCOUNT   (1U << 1)
#define XEN_DOMCTL_SHADOW_ENABLE_LOG_DIRTY  (1U << 2)
#define XEN_DOMCTL_SHADOW_ENABLE_TRANSLATE  (1U << 3)
#define XEN_DOMCTL_SHADOW_ENABLE_EXTERNAL   (1U << 4)

#define XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL    (1U << 0)   /* CLEAN/PEEK mode */

struct xen_domctl_shadow_op_stats {
    uint32_t fault_count;
    uint32_t dirty_count;
};

struct xen_domctl_shadow_op {
    uint32_t op;                    /* IN: XEN_DOMCTL_SHADOW_OP_* */
    uint32_t mode;                  /* IN: ENABLE bits, or LOGDIRTY_FINAL */
    uint32_t mb;                    /* IN/OUT: shadow pool in MiB */
    uint32_t pad;
    XEN_GUEST_HANDLE(uint8) dirty_bitmap;   /* OUT: bit p = pfn p */
    uint64_t pages;                 /* IN: bitmap size in pfns; OUT: covered */
    struct xen_domctl_shadow_op_stats stats;    /* OUT */
};
_Static_assert(sizeof(struct xen_domctl_shadow_op) == 40, "shadow_op");

/* ---- save and restore ---------------------------------------------- */

/* getpageframeinfo3: each frame's type, as the saver records it. */
#define XEN_DOMCTL_PFINFO_LTAB_SHIFT    28
#define XEN_DOMCTL_PFINFO_NOTAB         (0x0U << 28)
#define XEN_DOMCTL_PFINFO_L1TAB         (0x1U << 28)
#define XEN_DOMCTL_PFINFO_L2TAB         (0x2U << 28)
#define XEN_DOMCTL_PFINFO_L3TAB         (0x3U << 28)
#define XEN_DOMCTL_PFINFO_L4TAB         (0x4U << 28)
#define XEN_DOMCTL_PFINFO_LTABTYPE_MASK (0x7U << 28)
#define XEN_DOMCTL_PFINFO_LPINTAB       (0x1U << 31)
#define XEN_DOMCTL_PFINFO_XTAB          (0xfU << 28)   /* not the domain's */
#define XEN_DOMCTL_PFINFO_XALLOC        (0xeU << 28)
#define XEN_DOMCTL_PFINFO_BROKEN        (0xdU << 28)
#define XEN_DOMCTL_PFINFO_LTAB_MASK     (0xfU << 28)

struct xen_domctl_getpageframeinfo3 {
    uint64_t num;                   /* IN: entries, at most 1024 */
    XEN_GUEST_HANDLE(xen_pfn_t) array;  /* IN: mfns; OUT: XEN_DOMCTL_PFINFO_* */
};
_Static_assert(sizeof(struct xen_domctl_getpageframeinfo3) == 16, "getpageframeinfo3");

/* gettscinfo / settscinfo: how the guest's TSC runs (mode 0: default). */
struct xen_domctl_tsc_info {
    uint32_t tsc_mode;              /* IN/OUT */
    uint32_t gtsc_khz;              /* IN/OUT */
    uint32_t incarnation;           /* IN/OUT: restores so far */
    uint32_t pad;
    uint64_t elapsed_nsec;          /* IN/OUT */
};
_Static_assert(sizeof(struct xen_domctl_tsc_info) == 24, "tsc_info");

/*
 * get/setvcpuextstate: a vCPU's XSAVE state as {xcr0, xcr0_accum, the
 * uncompressed area}.  get with a NULL buffer gives the size and mask.
 */
struct xen_domctl_vcpuextstate {
    uint32_t vcpu;                  /* IN */
    uint32_t pad;
    uint64_t xfeature_mask;         /* OUT (get) */
    uint64_t size;                  /* IN/OUT: bytes of buffer */
    XEN_GUEST_HANDLE(uint64) buffer;
};
_Static_assert(sizeof(struct xen_domctl_vcpuextstate) == 32, "vcpuextstate");

/* ---- vCPU state ------------------------------------------------------ */

/* setvcpucontext / getvcpucontext: a vcpu_guest_context in caller memory. */
struct xen_domctl_vcpucontext {
    uint32_t vcpu;                  /* IN */
    uint32_t pad;
    XEN_GUEST_HANDLE(vcpu_guest_context_t) ctxt;    /* IN (set) / OUT (get) */
};

/* getvcpuinfo: a vCPU's state for xl vcpu-list, as Xen 4.17 lays it out. */
struct xen_domctl_getvcpuinfo {
    uint32_t vcpu;                  /* IN */
    uint8_t online;                 /* OUT: up (not VCPUOP_down, not new) */
    uint8_t blocked;                /* OUT: waiting for an event */
    uint8_t running;                /* OUT: on a CPU at this moment */
    uint8_t pad;
    uint64_t cpu_time;              /* OUT: ns spent running, in all */
    uint32_t cpu;                   /* OUT: the CPU it runs or waits on */
    uint32_t pad2;
};
_Static_assert(sizeof(struct xen_domctl_getvcpuinfo) == 24, "getvcpuinfo");

/* setvcpuaffinity / getvcpuaffinity: which CPUs a vCPU may run on. */
#define XEN_VCPUAFFINITY_HARD   (1U << 0)
#define XEN_VCPUAFFINITY_SOFT   (1U << 1)
#define XEN_VCPUAFFINITY_FORCE  (1U << 2)

struct xen_domctl_vcpuaffinity {
    uint32_t vcpu;                  /* IN */
    uint32_t flags;                 /* IN: XEN_VCPUAFFINITY_* */
    /* IN/OUT for set (the effective masks come back), OUT for get. */
    struct xenctl_bitmap cpumap_hard;
    struct xenctl_bitmap cpumap_soft;
};

/* ---- scheduler parameters --------------------------------------------- */

#define XEN_SCHEDULER_CREDIT    5
#define XEN_SCHEDULER_CREDIT2   6
#define XEN_SCHEDULER_ARINC653  7
#define XEN_SCHEDULER_RTDS      8
#define XEN_SCHEDULER_NULL      9

#define XEN_DOMCTL_SCHEDOP_putinfo      0
#define XEN_DOMCTL_SCHEDOP_getinfo      1
#define XEN_DOMCTL_SCHEDOP_putvcpuinfo  2
#define XEN_DOMCTL_SCHEDOP_getvcpuinfo  3

struct xen_domctl_sched_credit {
    uint16_t weight;                /* relative share; 0 on put: unchanged */
    uint16_t cap;                   /* % of one CPU, 0 = none; ~0 on put: unchanged */
};

struct xen_domctl_scheduler_op {
    uint32_t sched_id;              /* IN: XEN_SCHEDULER_*, must be the running one */
    uint32_t cmd;                   /* IN: XEN_DOMCTL_SCHEDOP_* */
    union {                         /* IN/OUT */
        struct xen_domctl_sched_credit credit;
        struct {                    /* per-vCPU forms: not in Mica */
            uint64_t vcpus;
            uint32_t nr_vcpus;
            uint32_t padding;
        } v;
    } u;
};

struct xen_domctl_setdomainhandle {
    xen_domain_handle_t handle;     /* IN */
};

/* Fill the domain's page 'gmfn' (a plain page it owns) with hypercall stubs. */
struct xen_domctl_hypercall_init {
    uint64_t gmfn;                  /* IN */
};

/* ---- the call ------------------------------------------------------ */

#define XEN_DOMCTL_createdomain         1
#define XEN_DOMCTL_destroydomain        2
#define XEN_DOMCTL_pausedomain          3
#define XEN_DOMCTL_unpausedomain        4
#define XEN_DOMCTL_getdomaininfo        5
#define XEN_DOMCTL_setvcpuaffinity      9
#define XEN_DOMCTL_shadow_op           10
#define XEN_DOMCTL_max_mem              11
#define XEN_DOMCTL_setvcpucontext       12
#define XEN_DOMCTL_getvcpucontext       13
#define XEN_DOMCTL_getvcpuinfo          14
#define XEN_DOMCTL_max_vcpus            15
#define XEN_DOMCTL_scheduler_op         16
#define XEN_DOMCTL_setdomainhandle      17
#define XEN_DOMCTL_hypercall_init       22
#define XEN_DOMCTL_getvcpuaffinity      25
#define XEN_DOMCTL_resumedomain         27
#define XEN_DOMCTL_gettscinfo           59
#define XEN_DOMCTL_settscinfo           60
#define XEN_DOMCTL_getpageframeinfo3    61
#define XEN_DOMCTL_setvcpuextstate      62
#define XEN_DOMCTL_getvcpuextstate      63
#define XEN_DOMCTL_set_max_evtchn       70  /* Mica; retired in Xen 4.17 */
#define XEN_DOMCTL_set_gnttab_limits    80  /* Mica; retired in Xen 4.17 */

struct xen_domctl {
    uint32_t cmd;                   /* XEN_DOMCTL_* */
    uint32_t interface_version;     /* XEN_DOMCTL_INTERFACE_VERSION */
    domid_t domain;                 /* the domain acted on (never DOMID_SELF) */
    uint16_t _pad[3];
    union {
        struct xen_domctl_createdomain createdomain;
        struct xen_domctl_getdomaininfo getdomaininfo;
        struct xen_domctl_max_mem max_mem;
        struct xen_domctl_max_vcpus max_vcpus;
        struct xen_domctl_set_max_evtchn set_max_evtchn;
        struct xen_domctl_set_gnttab_limits set_gnttab_limits;
        struct xen_domctl_vcpucontext vcpucontext;
        struct xen_domctl_getvcpuinfo getvcpuinfo;
        struct xen_domctl_vcpuaffinity vcpuaffinity;
        struct xen_domctl_scheduler_op scheduler_op;
        struct xen_domctl_setdomainhandle setdomainhandle;
        struct xen_domctl_hypercall_init hypercall_init;
        struct xen_domctl_getpageframeinfo3 getpageframeinfo3;
        struct xen_domctl_tsc_info tsc_info;
        struct xen_domctl_vcpuextstate vcpuextstate;
        struct xen_domctl_shadow_op shadow_op;
        uint8_t pad[128];           /* room for commands to come */
    } u;
};
typedef struct xen_domctl xen_domctl_t;
_Static_assert(sizeof(struct xen_domctl) == 144, "xen_domctl");

#endif /* MICA_PUBLIC_DOMCTL_H */
