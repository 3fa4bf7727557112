/* SPDX-License-Identifier: MIT */
/*
 * privcmd-abi.h - Linux's ioctl ABI for /dev/xen/privcmd, /dev/xen/evtchn,
 * /dev/xen/gntdev and /dev/xen/gntalloc, as Linux 6.1's uapi headers
 * (privcmd.h, evtchn.h, gntdev.h, gntalloc.h) define it, restated:
 * numbers and layouts as the kernel checks them, sizes pinned below.
 */
#ifndef LIBMICA_PRIVCMD_ABI_H
#define LIBMICA_PRIVCMD_ABI_H

#include <stdint.h>

/* ---- privcmd: type 'P', _IOC_NONE ------------------------------------- */

struct privcmd_hypercall {
    uint64_t op;
    uint64_t arg[5];
};

struct privcmd_mmapbatch_v2 {
    uint32_t num;                   /* frames */
    uint16_t dom;
    uint64_t addr;                  /* start of a privcmd VMA of num pages */
    const uint64_t *arr;            /* gfns */
    int *err;                       /* per-frame result, 0 or -errno */
};

struct privcmd_mmap_resource {
    uint16_t dom;
    uint32_t type;
    uint32_t id;
    uint32_t idx;
    uint64_t num;
    uint64_t addr;
};

#define IOCTL_PRIVCMD_HYPERCALL         0x00305000UL
#define IOCTL_PRIVCMD_MMAPBATCH_V2      0x00205004UL
#define IOCTL_PRIVCMD_MMAP_RESOURCE     0x00205007UL

_Static_assert(sizeof(struct privcmd_hypercall) == 48, "privcmd_hypercall");
_Static_assert(sizeof(struct privcmd_mmapbatch_v2) == 32, "mmapbatch_v2");
_Static_assert(sizeof(struct privcmd_mmap_resource) == 32, "mmap_resource");

/* ---- evtchn: type 'E', _IOC_NONE; the bind ioctls return the port ------ */

#define IOCTL_EVTCHN_BIND_VIRQ          0x00044500UL    /* {u32 virq} */
#define IOCTL_EVTCHN_BIND_INTERDOMAIN   0x00084501UL    /* {u32 dom, port} */
#define IOCTL_EVTCHN_BIND_UNBOUND_PORT  0x00044502UL    /* {u32 remote dom} */
#define IOCTL_EVTCHN_UNBIND             0x00044503UL    /* {u32 port} */
#define IOCTL_EVTCHN_NOTIFY             0x00044504UL    /* {u32 port} */
#define IOCTL_EVTCHN_RESET              0x00004505UL

struct evtchn_ioctl_interdomain {
    uint32_t remote_domain;
    uint32_t remote_port;
};

/* ---- gntdev and gntalloc: type 'G', _IOC_NONE -------------------------- */

struct gntdev_grant_ref {
    uint32_t domid;
    uint32_t ref;
};

struct gntdev_map_grant_ref {
    uint32_t count;
    uint32_t pad;
    uint64_t index;                 /* OUT: the mmap offset */
    struct gntdev_grant_ref refs[]; /* count of them */
};

struct gntdev_unmap_grant_ref {
    uint64_t index;
    uint32_t count;
    uint32_t pad;
};

struct gntdev_get_offset_for_vaddr {
    uint64_t vaddr;
    uint64_t offset;                /* OUT */
    uint32_t count;                 /* OUT */
    uint32_t pad;
};

struct gntalloc_alloc_gref {
    uint16_t domid;
    uint16_t flags;                 /* GNTALLOC_FLAG_WRITABLE */
    uint32_t count;
    uint64_t index;                 /* OUT: the mmap offset */
    uint32_t gref_ids[];            /* OUT: count of them */
};

struct gntalloc_dealloc_gref {
    uint64_t index;
    uint32_t count;
    uint32_t pad;
};

/* One side of a grant copy: a local address, or a grant of another domain. */
union gntdev_copy_ptr {
    uint64_t virt;
    struct {
        uint32_t ref;
        uint16_t offset;
        uint16_t domid;
    } foreign;
};

struct gntdev_grant_copy_segment {
    union gntdev_copy_ptr source, dest;
    uint16_t len;
    uint16_t flags;                 /* GNTCOPY_source_gref, GNTCOPY_dest_gref */
    int16_t status;                 /* OUT: GNTST_* */
    uint16_t pad;
};

struct gntdev_grant_copy {
    uint32_t count;
    uint32_t pad;
    uint64_t segments;              /* struct gntdev_grant_copy_segment * */
};

#define IOCTL_GNTDEV_MAP_GRANT_REF          0x00184700UL
#define IOCTL_GNTDEV_UNMAP_GRANT_REF        0x00104701UL
#define IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR   0x00184702UL
#define IOCTL_GNTDEV_GRANT_COPY             0x00104708UL
#define IOCTL_GNTALLOC_ALLOC_GREF           0x00184705UL
#define IOCTL_GNTALLOC_DEALLOC_GREF         0x00104706UL
#define GNTALLOC_FLAG_WRITABLE              1

_Static_assert(sizeof(struct gntdev_map_grant_ref) == 16, "map_grant_ref head");
_Static_assert(sizeof(struct gntdev_unmap_grant_ref) == 16, "unmap_grant_ref");
_Static_assert(sizeof(struct gntdev_get_offset_for_vaddr) == 24, "get_offset");
_Static_assert(sizeof(struct gntalloc_alloc_gref) == 16, "alloc_gref head");
_Static_assert(sizeof(struct gntdev_grant_copy_segment) == 24, "grant_copy_segment");
_Static_assert(sizeof(struct gntdev_grant_copy) == 16, "grant_copy");
_Static_assert(sizeof(struct gntalloc_dealloc_gref) == 16, "dealloc_gref");

#endif /* LIBMICA_PRIVCMD_ABI_H */
