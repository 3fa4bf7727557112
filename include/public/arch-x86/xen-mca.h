/* SPDX-License-Identifier: MIT */
/*
 * include/public/arch-x86/xen-mca.h - HYPERVISOR_mca(op): machine-check
 * telemetry for dom0.  Only what Mica answers: the physical CPUs' machine-
 * check view (XEN_MC_physcpuinfo) and fetching telemetry (XEN_MC_fetch).
 * Layouts and numbers are Xen 4.17's.
 */
#ifndef MICA_PUBLIC_XEN_MCA_H
#define MICA_PUBLIC_XEN_MCA_H

#include "../xen.h"

#define XEN_MCA_INTERFACE_VERSION   0x01ecc003

/* XEN_MC_fetch flags: IN which class, OUT the result. */
#define XEN_MC_NONURGENT            0x0001
#define XEN_MC_URGENT               0x0002
#define XEN_MC_ACK                  0x0004
#define XEN_MC_OK                   0x0
#define XEN_MC_FETCHFAILED          0x1
#define XEN_MC_NODATA               0x2

#define MC_NCAPS                    7
#define __MC_MSR_ARRAYSIZE          8

struct mcinfo_msr {
    uint64_t reg;
    uint64_t value;
};
typedef struct mcinfo_msr xen_mcinfo_msr_t;

/* One physical CPU as machine-check handling sees it. */
struct mcinfo_logical_cpu {
    uint32_t mc_cpunr;
    uint32_t mc_chipid;
    uint16_t mc_coreid;
    uint16_t mc_threadid;
    uint32_t mc_apicid;
    uint32_t mc_clusterid;
    uint32_t mc_ncores;
    uint32_t mc_ncores_active;
    uint32_t mc_nthreads;
    int32_t mc_cpuid_level;
    uint32_t mc_family;
    uint32_t mc_vendor;
    uint32_t mc_model;
    uint32_t mc_step;
    char mc_vendorid[16];
    char mc_brandid[64];
    uint32_t mc_cpu_caps[MC_NCAPS];
    uint32_t mc_cache_size;
    uint32_t mc_cache_alignment;
    int32_t mc_nmsrvals;
    xen_mcinfo_msr_t mc_msrvalues[__MC_MSR_ARRAYSIZE];
};
typedef struct mcinfo_logical_cpu xen_mc_logical_cpu_t;
_Static_assert(sizeof(struct mcinfo_logical_cpu) == 304, "mcinfo_logical_cpu");

#define XEN_MC_fetch                1
struct xen_mc_fetch {
    uint32_t flags;                     /* IN: class (+ACK); OUT: XEN_MC_* */
    uint32_t _pad0;
    uint64_t fetch_id;                  /* OUT, or IN with XEN_MC_ACK */
    XEN_GUEST_HANDLE(void) data;        /* struct mc_info */
};
typedef struct xen_mc_fetch xen_mc_fetch_t;

#define XEN_MC_physcpuinfo          3
struct xen_mc_physcpuinfo {
    uint32_t ncpus;                     /* IN: room in info; OUT: CPUs */
    uint32_t _pad0;
    XEN_GUEST_HANDLE(void) info;        /* xen_mc_logical_cpu_t[ncpus], or 0 */
};
typedef struct xen_mc_physcpuinfo xen_mc_physcpuinfo_t;

struct xen_mc {
    uint32_t cmd;
    uint32_t interface_version;         /* XEN_MCA_INTERFACE_VERSION */
    union {
        xen_mc_fetch_t mc_fetch;
        xen_mc_physcpuinfo_t mc_physcpuinfo;
        uint8_t pad[144];               /* Xen's largest: mc_msrinject */
    } u;
};
typedef struct xen_mc xen_mc_t;
_Static_assert(sizeof(struct xen_mc) == 152, "xen_mc");

#endif
