/* SPDX-License-Identifier: MIT */
/*
 * lib/elf-ctx.h - what lib/elf.c (file header, segments) and
 * lib/elf-notes.c (the Xen notes and libelf's rules for them) share while
 * one image is inspected.  Private to lib/.
 */
#ifndef PVBOOT_ELF_CTX_H
#define PVBOOT_ELF_CTX_H

#include "freestanding.h"
#include <pvboot/elf.h>
#include <pvboot/elf64.h>
#include <public/elfnote.h>

/* The image under inspection and where to explain a rejection. */
struct elf_ctx {
    const uint8_t *img;
    size_t len;
    char *why;
    size_t whylen;
    unsigned int nr_notes;      /* all notes walked, Xen's or not */
    uint64_t e_entry;           /* the ELF header's, libelf's default ENTRY */
    /* Numeric notes by type, and which were present (0 is a real value). */
    uint64_t num[XEN_ELFNOTE_MAX + 1];
    uint32_t seen;
};

#define SEEN(type) (1U << (type))

/* Write the one-line reason for a rejection; returns -ENOEXEC. */
int PVB_PRINTF(2, 3) pvb_elf_reject(struct elf_ctx *c, const char *fmt, ...);

/* Is [off, off + size) inside the image?  Written so nothing can wrap. */
static inline bool pvb_in_image(const struct elf_ctx *c, uint64_t off, uint64_t size)
{
    return off <= c->len && size <= c->len - off;
}

/* Program header i of a table check_ehdr() found inside the image. */
static inline void pvb_get_phdr(const struct elf_ctx *c, const Elf64_Ehdr *eh,
                                unsigned int i, Elf64_Phdr *ph)
{
    memcpy(ph, c->img + eh->e_phoff + (uint64_t)i * sizeof(*ph), sizeof(*ph));
}

/*
 * Walk the PT_NOTE segments (else the SHT_NOTE sections) for Xen's notes,
 * then apply libelf's rules to them and place the image (virt_kstart,
 * virt_kend).  Each returns 0 or a rejection.
 */
int pvb_elf_find_notes(struct elf_ctx *c, const Elf64_Ehdr *eh,
                       struct xen_elf_info *info);
int pvb_elf_check_notes(struct elf_ctx *c, struct xen_elf_info *info);

/* A FEATURES string ("a|!b"), from a note or the legacy section. */
int pvb_elf_parse_features(struct elf_ctx *c, struct xen_elf_info *info,
                           const char *s);

/*
 * Read the legacy "__xen_guest" section (lib/elf-guest-info.c): 0 when
 * found and read, -ENOENT when there is none, else a rejection.
 */
int pvb_elf_guest_info(struct elf_ctx *c, const Elf64_Ehdr *eh,
                       struct xen_elf_info *info);

#endif /* PVBOOT_ELF_CTX_H */
