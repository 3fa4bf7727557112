/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/include/elf-xen.h - what the test kernel's domain builder
 * needs from a PV kernel image: its loadable segments and the Xen ELF
 * notes that place it (entry, VIRT_BASE, PADDR_OFFSET, HYPERCALL_PAGE).
 */
#ifndef TESTKERNEL_ELF_XEN_H
#define TESTKERNEL_ELF_XEN_H

#include <stddef.h>
#include <stdint.h>

#define ELF_XEN_MAX_SEGS    4

struct elf_xen_seg {
    uint64_t dest;              /* virtual address it is loaded at */
    uint64_t offset;            /* in the file */
    uint64_t filesz, memsz;     /* memsz >= filesz; the rest is zero */
};

struct elf_xen {
    uint64_t entry;             /* ENTRY note, else e_entry */
    uint64_t virt_base;         /* VIRT_BASE note (required) */
    uint64_t hypercall_page;    /* HYPERCALL_PAGE note, 0 without one */
    uint64_t kstart, kend;      /* virtual extent of all segments */
    unsigned int nr_segs;
    struct elf_xen_seg segs[ELF_XEN_MAX_SEGS];
};

/*
 * Parse an ELF64 x86-64 executable of 'len' bytes; every offset and size
 * is checked against the image.  0, or -EINVAL with a reason in 'why'.
 */
int elf_xen_parse(const void *img, size_t len, struct elf_xen *out,
                  char *why, size_t whylen);

#endif /* TESTKERNEL_ELF_XEN_H */
