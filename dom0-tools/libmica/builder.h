/* SPDX-License-Identifier: MIT */
/*
 * builder.h - the state of one user-space PV domain build, shared by
 * builder.c (the steps, in libxc's order) and builder-mem.c (writing the
 * new domain's memory through foreign mappings).
 */
#ifndef LIBMICA_BUILDER_H
#define LIBMICA_BUILDER_H

#include <pvboot/elf.h>
#include <pvboot/layout.h>
#include "libmica-priv.h"

struct build {
    struct mica *m;
    uint32_t domid;
    struct mica_build *req;
    uint8_t *elf;                   /* the ELF image, unpacked */
    size_t elf_len;
    uint8_t *ramdisk;               /* the ramdisk file as it is */
    size_t ramdisk_len;
    struct xen_elf_info info;
    struct pvboot_layout l;
    uint64_t nr_pages;
    uint64_t *p2m;                  /* pfn -> mfn, nr_pages of them */
    uint64_t shared_info_frame;
};

/* The mfn backing guest virtual 'va' of the bootstrap region. */
uint64_t build_mfn_at(const struct build *bd, uint64_t va);

/*
 * Copy 'len' bytes of 'src' (NULL: zeroes) to guest virtual 'va' in the
 * bootstrap region, through foreign mappings of a few MiB at a time.
 */
int build_copy(struct build *bd, uint64_t va, const void *src, uint64_t len);

/* The initial page tables, written, unmapped again, then the L4 pinned. */
int build_page_tables(struct build *bd);

/* shared_info cleared with every vCPU's events masked, as libxc leaves it. */
int build_shared_info(struct build *bd);

#endif /* LIBMICA_BUILDER_H */
