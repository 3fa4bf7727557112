/* SPDX-License-Identifier: MIT */
/*
 * include/public/sysctl.h - HYPERVISOR_sysctl: the control domain's
 * questions about the whole machine (CPUs, memory, domains, the
 * hypervisor's log, per-CPU idle time).
 *
 * Mica's own layout, which for each command Mica implements agrees with
 * Xen 4.17 (interface version 0x15) in number, field names and offsets.
 * A different interface version is refused with -EACCES; a caller
 * without privilege gets -EPERM.
 */
#ifndef MICA_PUBLIC_SYSCTL_H
#define MICA_PUBLIC_SYSCTL_H

#include "xen.h"
#include "domctl.h"

#define XEN_SYSCTL_INTERFACE_VERSION    0x00000015

/*
 * XEN_SYSCTL_readconsole: copy out the hypervisor's log ring.  Indexes
 * count characters ever written (modulo 2^32); without "incremental" the
 * read starts at the oldest character still held.
 */
struct xen_sysctl_readconsole {
    uint8_t clear;                  /* IN: non-zero: drop what was read */
    uint8_t incremental;            /* IN: non-zero: start at index */
    uint8_t pad0, pad1;
    uint32_t index;                 /* IN: where to start; OUT: where it stopped */
    XEN_GUEST_HANDLE(char) buffer;  /* IN */
    uint32_t count;                 /* IN: buffer size; OUT: bytes written */
};

/* XEN_SYSCTL_physinfo capabilities. */
#define XEN_SYSCTL_PHYSCAP_hvm          (1U << 0)
#define XEN_SYSCTL_PHYSCAP_pv           (1U << 1)
#define XEN_SYSCTL_PHYSCAP_directio     (1U << 2)
#define XEN_SYSCTL_PHYSCAP_hap          (1U << 3)
#define XEN_SYSCTL_PHYSCAP_shadow       (1U << 4)
#define XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share (1U << 5)
#define XEN_SYSCTL_PHYSCAP_vmtrace      (1U << 6)
#define XEN_SYSCTL_PHYSCAP_vpmu         (1U << 7)
#define XEN_SYSCTL_PHYSCAP_gnttab_v1    (1U << 8)
#define XEN_SYSCTL_PHYSCAP_gnttab_v2    (1U << 9)

struct xen_sysctl_physinfo {
    uint32_t threads_per_core;
    uint32_t cores_per_socket;
    uint32_t nr_cpus;               /* CPUs online */
    uint32_t max_cpu_id;            /* highest CPU number there can be */
    uint32_t nr_nodes;              /* NUMA nodes online */
    uint32_t max_node_id;
    uint32_t cpu_khz;
    uint32_t capabilities;          /* XEN_SYSCTL_PHYSCAP_* */
    uint32_t arch_capabilities;     /* none on x86 yet */
    uint32_t pad;
    uint64_t total_pages;           /* RAM frames */
    uint64_t free_pages;            /* frames in the free pool */
    uint64_t scrub_pages;           /* 0: frames are scrubbed when given out */
    uint64_t outstanding_pages;     /* 0: no claims */
    uint64_t max_mfn;               /* highest machine frame */
    uint32_t hw_cap[8];             /* boot CPU feature words, Xen's order */
};

struct xen_sysctl_sched_id {
    uint32_t sched_id;              /* OUT: XEN_SCHEDULER_* */
};

/* XEN_SYSCTL_getdomaininfolist: domains with id >= first_domain, in order. */
struct xen_sysctl_getdomaininfolist {
    domid_t first_domain;           /* IN */
    uint16_t pad;
    uint32_t max_domains;           /* IN: entries the buffer holds */
    XEN_GUEST_HANDLE(xen_domctl_getdomaininfo_t) buffer;    /* IN */
    uint32_t num_domains;           /* OUT: entries written */
};

/* XEN_SYSCTL_getcpuinfo: per CPU, ns spent idle since boot. */
struct xen_sysctl_cpuinfo {
    uint64_t idletime;
};
typedef struct xen_sysctl_cpuinfo xen_sysctl_cpuinfo_t;

struct xen_sysctl_getcpuinfo {
    uint32_t max_cpus;              /* IN: entries the array holds */
    uint32_t pad;
    XEN_GUEST_HANDLE(xen_sysctl_cpuinfo_t) info;    /* IN */
    uint32_t nr_cpus;               /* OUT: entries written */
};

#define XEN_SYSCTL_readconsole          1
#define XEN_SYSCTL_physinfo             3
#define XEN_SYSCTL_sched_id             4
#define XEN_SYSCTL_getdomaininfolist    6
#define XEN_SYSCTL_getcpuinfo           8

struct xen_sysctl {
    uint32_t cmd;                   /* XEN_SYSCTL_* */
    uint32_t interface_version;     /* XEN_SYSCTL_INTERFACE_VERSION */
    union {
        struct xen_sysctl_readconsole readconsole;
        struct xen_sysctl_physinfo physinfo;
        struct xen_sysctl_sched_id sched_id;
        struct xen_sysctl_getdomaininfolist getdomaininfolist;
        struct xen_sysctl_getcpuinfo getcpuinfo;
        uint8_t pad[128];           /* room for commands to come */
    } u;
};
typedef struct xen_sysctl xen_sysctl_t;
_Static_assert(sizeof(struct xen_sysctl) == 136, "xen_sysctl");

#endif /* MICA_PUBLIC_SYSCTL_H */
