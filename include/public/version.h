/* SPDX-License-Identifier: MIT */
/*
 * include/public/version.h - HYPERVISOR_xen_version(cmd, arg): who the
 * hypervisor is and what it offers.
 */
#ifndef MICA_PUBLIC_VERSION_H
#define MICA_PUBLIC_VERSION_H

#include "xen.h"

/* arg NULL; returns (major << 16) | minor. */
#define XENVER_version          0

/* arg: char[16], e.g. ".7" */
#define XENVER_extraversion     1
#define XEN_EXTRAVERSION_LEN    16
typedef char xen_extraversion_t[XEN_EXTRAVERSION_LEN];

#define XENVER_compile_info     2
struct xen_compile_info {
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};
typedef struct xen_compile_info xen_compile_info_t;
_Static_assert(sizeof(struct xen_compile_info) == 144, "compile_info");

/* arg: char[1024], space-separated ABI names such as "xen-3.0-x86_64" */
#define XENVER_capabilities     3
typedef char xen_capabilities_info_t[1024];

/* arg: char[64] */
#define XENVER_changeset        4
typedef char xen_changeset_info_t[64];
#define XEN_CHANGESET_INFO_LEN  (sizeof(xen_changeset_info_t))

/* arg: struct xen_platform_parameters; where the hypervisor hole starts */
#define XENVER_platform_parameters 5
struct xen_platform_parameters {
    xen_ulong_t virt_start;
};
typedef struct xen_platform_parameters xen_platform_parameters_t;
_Static_assert(sizeof(struct xen_platform_parameters) == 8, "platform_params");

/* arg: struct xen_feature_info; submap_idx in, submap (XENFEAT_* bits) out */
#define XENVER_get_features     6
struct xen_feature_info {
    uint32_t submap_idx;
    uint32_t submap;
};
typedef struct xen_feature_info xen_feature_info_t;
_Static_assert(sizeof(struct xen_feature_info) == 8, "feature_info");

/* arg NULL; returns the page size */
#define XENVER_pagesize         7

/* arg: xen_domain_handle_t; the caller's UUID */
#define XENVER_guest_handle     8

/* arg: char[1024]; the hypervisor command line (privileged callers) */
#define XENVER_commandline      9
typedef char xen_commandline_t[1024];

/*
 * arg: struct xen_build_id with len = size of buf; returns the number of
 * bytes written.  With no build id compiled in the call fails -ENODATA.
 */
#define XENVER_build_id         10
struct xen_build_id {
    uint32_t len;               /* IN: buffer size */
    unsigned char buf[];
};
typedef struct xen_build_id xen_build_id_t;
_Static_assert(sizeof(struct xen_build_id) == 4, "build_id");

#endif /* MICA_PUBLIC_VERSION_H */
