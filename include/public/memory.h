/* SPDX-License-Identifier: MIT */
/*
 * include/public/memory.h - HYPERVISOR_memory_op(cmd, arg): growing and
 * shrinking a domain's memory, memory maps, and mapping special frames.
 */
#ifndef MICA_PUBLIC_MEMORY_H
#define MICA_PUBLIC_MEMORY_H

#include "xen.h"

/* Reservation changes; all take struct xen_memory_reservation and return
 * how many extents were done. */
#define XENMEM_increase_reservation     0
#define XENMEM_decrease_reservation     1
#define XENMEM_populate_physmap         6

/*
 * mem_flags: bits 0-7 limit the machine address width of new frames; bits
 * 8-15 are a NUMA node + 1; the rest are flags.
 */
#define XENMEMF_address_bits(x)     (x)
#define XENMEMF_get_address_bits(x) ((x) & 0xffu)
#define XENMEMF_node(x)             (((x) + 1) << 8)
#define XENMEMF_get_node(x)         ((((x) >> 8) - 1) & 0xffu)
#define XENMEMF_populate_on_demand  (1 << 16)
#define XENMEMF_exact_node_request  (1 << 17)
#define XENMEMF_exact_node(n)       (XENMEMF_node(n) | XENMEMF_exact_node_request)
#define XENMEMF_vnode               (1 << 18)

struct xen_memory_reservation {
    /* IN/OUT: frame numbers.  For increase: OUT mfns.  For decrease: IN
     * gpfns to release.  For populate: IN gpfns to back with memory. */
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start;
    xen_ulong_t nr_extents;
    uint32_t extent_order;          /* log2 of pages per extent */
    uint32_t mem_flags;             /* XENMEMF_* */
    domid_t domid;                  /* usually DOMID_SELF */
};
typedef struct xen_memory_reservation xen_memory_reservation_t;
_Static_assert(sizeof(struct xen_memory_reservation) == 32, "reservation");

/* Trade frames for others (e.g. machine-contiguous ones for DMA). */
#define XENMEM_exchange                 11
struct xen_memory_exchange {
    struct xen_memory_reservation in;
    struct xen_memory_reservation out;
    xen_ulong_t nr_exchanged;       /* OUT: input extents done so far */
};
typedef struct xen_memory_exchange xen_memory_exchange_t;
_Static_assert(sizeof(struct xen_memory_exchange) == 72, "exchange");

/* arg NULL or domid_t *; the result is the answer. */
#define XENMEM_maximum_ram_page         2
#define XENMEM_current_reservation      3
#define XENMEM_maximum_reservation      4
#define XENMEM_maximum_gpfn             14

/* The frames that back the machine-to-phys table, for mapping it. */
#define XENMEM_machphys_mfn_list        5
#define XENMEM_machphys_compat_mfn_list 25
struct xen_machphys_mfn_list {
    uint32_t max_extents;
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start;   /* OUT: one mfn per 2 MiB */
    uint32_t nr_extents;                        /* OUT */
};
typedef struct xen_machphys_mfn_list xen_machphys_mfn_list_t;
_Static_assert(sizeof(struct xen_machphys_mfn_list) == 24, "machphys_mfn_list");

/* Where the read-only machine-to-phys table is mapped. */
#define XENMEM_machphys_mapping         12
struct xen_machphys_mapping {
    xen_ulong_t v_start, v_end;     /* virtual range */
    xen_ulong_t max_mfn;            /* highest entry */
};
typedef struct xen_machphys_mapping xen_machphys_mapping_t;
_Static_assert(sizeof(struct xen_machphys_mapping) == 24, "machphys_mapping");

/* Map a special frame into the physmap (translated guests). */
#define XENMAPSPACE_shared_info     0
#define XENMAPSPACE_grant_table     1
#define XENMAPSPACE_gmfn            2
#define XENMAPSPACE_gmfn_range      3
#define XENMAPSPACE_gmfn_foreign    4
#define XENMAPSPACE_dev_mmio        5
#define XENMAPIDX_grant_table_status 0x80000000U

#define XENMEM_add_to_physmap           7
struct xen_add_to_physmap {
    domid_t domid;
    uint16_t size;                  /* for gmfn_range */
    uint32_t space;                 /* XENMAPSPACE_* */
    xen_ulong_t idx;
    xen_pfn_t gpfn;
};
typedef struct xen_add_to_physmap xen_add_to_physmap_t;
_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "add_to_physmap");

#define XENMEM_add_to_physmap_batch     23
struct xen_add_to_physmap_batch {
    domid_t domid;
    uint16_t space;
    uint16_t size;
    union xen_add_to_physmap_batch_extra {
        domid_t foreign_domid;      /* for gmfn_foreign */
        uint16_t res0;
    } u;
    XEN_GUEST_HANDLE(xen_ulong_t) idxs;
    XEN_GUEST_HANDLE(xen_pfn_t) gpfns;
    XEN_GUEST_HANDLE(int) errs;     /* OUT: per-entry result */
};
typedef struct xen_add_to_physmap_batch xen_add_to_physmap_batch_t;
_Static_assert(sizeof(struct xen_add_to_physmap_batch) == 32, "physmap_batch");

#define XENMEM_remove_from_physmap      15
struct xen_remove_from_physmap {
    domid_t domid;
    xen_pfn_t gpfn;
};
typedef struct xen_remove_from_physmap xen_remove_from_physmap_t;
_Static_assert(sizeof(struct xen_remove_from_physmap) == 16, "remove_physmap");

/*
 * E820-style maps: the guest's pseudo-physical one (memory_map), the host's
 * (machine_memory_map, dom0 only), and setting a domU's (set_memory_map).
 * buffer points at nr_entries packed 20-byte {u64 addr, u64 size, u32 type}.
 */
#define XENMEM_memory_map               9
#define XENMEM_machine_memory_map       10
#define XENMEM_set_memory_map           13
struct xen_memory_map {
    uint32_t nr_entries;            /* IN: room; OUT: entries written */
    XEN_GUEST_HANDLE(void) buffer;
};
typedef struct xen_memory_map xen_memory_map_t;
_Static_assert(sizeof(struct xen_memory_map) == 16, "memory_map");

struct xen_foreign_memory_map {
    domid_t domid;
    struct xen_memory_map map;
};
typedef struct xen_foreign_memory_map xen_foreign_memory_map_t;
_Static_assert(sizeof(struct xen_foreign_memory_map) == 24, "foreign_map");

/* One entry of the map buffer; the layout is the BIOS E820 one. */
struct xen_e820_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;                  /* 1 RAM, 2 reserved, 3 ACPI, ... */
} __attribute__((packed));
_Static_assert(sizeof(struct xen_e820_entry) == 20, "e820_entry");

#define XENMEM_set_pod_target           16
#define XENMEM_get_pod_target           17
struct xen_pod_target {
    uint64_t target_pages;          /* IN */
    uint64_t tot_pages;             /* OUT */
    uint64_t pod_cache_pages;       /* OUT */
    uint64_t pod_entries;           /* OUT */
    domid_t domid;
};
typedef struct xen_pod_target xen_pod_target_t;
_Static_assert(sizeof(struct xen_pod_target) == 40, "pod_target");

#define XENMEM_get_sharing_freed_pages  18
#define XENMEM_get_sharing_shared_pages 19
#define XENMEM_paging_op                20
#define XENMEM_access_op                21
#define XENMEM_sharing_op               22
#define XENMEM_claim_pages              24
#define XENMEM_get_vnumainfo            26
#define XENMEM_reserved_device_memory_map 27

/*
 * Map frames of a hypervisor resource (grant table, ioreq pages) owned by
 * another domain; used by the toolstack through privcmd.
 */
#define XENMEM_acquire_resource         28
#define XENMEM_resource_ioreq_server    0
#define XENMEM_resource_grant_table     1
#define XENMEM_resource_vmtrace_buf     2
#define XENMEM_resource_grant_table_id_shared   0
#define XENMEM_resource_grant_table_id_status   1
#define XENMEM_resource_ioreq_server_frame_bufioreq 0
#define XENMEM_resource_ioreq_server_frame_ioreq(n) (1 + (n))

struct xen_mem_acquire_resource {
    domid_t domid;
    uint16_t type;                  /* XENMEM_resource_* */
    uint32_t id;
    uint32_t nr_frames;             /* IN/OUT */
    uint32_t pad;
    uint64_t frame;                 /* first frame index of the resource */
    XEN_GUEST_HANDLE(xen_pfn_t) frame_list;
};
typedef struct xen_mem_acquire_resource xen_mem_acquire_resource_t;
_Static_assert(sizeof(struct xen_mem_acquire_resource) == 32, "acquire_resource");

#endif /* MICA_PUBLIC_MEMORY_H */
