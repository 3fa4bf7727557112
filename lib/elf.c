/* SPDX-License-Identifier: MIT */
/*
 * lib/elf.c - checks a 64-bit PV kernel's ELF image for the domain
 * builders (hypervisor, libmica, test kernel): its file header, header
 * tables and loadable segments; lib/elf-notes.c reads its "Xen" notes.
 *
 * The image comes from the boot loader or from dom0 and is not trusted:
 * every offset and size is checked against the image length before it is
 * used, sums are checked for wrap-around first, and every walk is bounded.
 * A rejected image yields -ENOEXEC and a one-line reason, following Xen's
 * libelf so that a kernel Xen accepts is accepted here.  Pure code,
 * unit-tested on the host with crafted and mutated images, and fuzzed.
 */
#include "elf-ctx.h"

int pvb_elf_reject(struct elf_ctx *c, const char *fmt, ...)
{
    va_list ap;

    if (c->whylen) {
        va_start(ap, fmt);
        vsnprintf(c->why, c->whylen, fmt, ap);
        va_end(ap);
    }
    return -XEN_ENOEXEC;
}

static bool phdr_is_loadable(const Elf64_Phdr *ph)
{
    /* As libelf: a PT_LOAD with no access rights at all is not loaded. */
    return ph->p_type == PT_LOAD && (ph->p_flags & (PF_R | PF_W | PF_X));
}

/* ---- file header and header tables -------------------------------------- */

static int check_ehdr(struct elf_ctx *c, Elf64_Ehdr *eh)
{
    if (c->len < sizeof(*eh))
        return pvb_elf_reject(c, "image of %zu bytes is too short for an ELF header",
                      c->len);
    memcpy(eh, c->img, sizeof(*eh));
    if (memcmp(eh->e_ident, "\177ELF", 4))
        return pvb_elf_reject(c, "not an ELF image (bad magic)");
    if (eh->e_ident[EI_CLASS] != ELFCLASS64)
        return pvb_elf_reject(c, "not a 64-bit ELF image (class %u)",
                      eh->e_ident[EI_CLASS]);
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
        return pvb_elf_reject(c, "not a little-endian ELF image (data %u)",
                      eh->e_ident[EI_DATA]);
    if (eh->e_machine != EM_X86_64)
        return pvb_elf_reject(c, "not an x86-64 ELF image (machine %u)",
                      eh->e_machine);
    if (eh->e_type != ET_EXEC)
        return pvb_elf_reject(c, "not an executable ELF image (type %u)", eh->e_type);

    if (eh->e_phnum == 0)
        return pvb_elf_reject(c, "no program headers");
    if (eh->e_phnum > ELF_MAX_PHNUM)
        return pvb_elf_reject(c, "%u program headers, at most %u supported",
                      eh->e_phnum, ELF_MAX_PHNUM);
    if (eh->e_phentsize != sizeof(Elf64_Phdr))
        return pvb_elf_reject(c, "program header size %u, expected %zu",
                      eh->e_phentsize, sizeof(Elf64_Phdr));
    if (!pvb_in_image(c, eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr)))
        return pvb_elf_reject(c, "program header table at %#lx runs past the image",
                      (unsigned long)eh->e_phoff);

    /* Sections are only a fallback for notes, but a table must be sound. */
    if (eh->e_shnum) {
        if (eh->e_shentsize != sizeof(Elf64_Shdr))
            return pvb_elf_reject(c, "section header size %u, expected %zu",
                          eh->e_shentsize, sizeof(Elf64_Shdr));
        if (!pvb_in_image(c, eh->e_shoff,
                      (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)))
            return pvb_elf_reject(c, "section header table at %#lx runs past the image",
                          (unsigned long)eh->e_shoff);
    }
    return 0;
}

/* One loadable segment must lie in the file and have a sane extent. */
static int check_load(struct elf_ctx *c, unsigned int i, const Elf64_Phdr *ph)
{
    if (ph->p_filesz > ph->p_memsz)
        return pvb_elf_reject(c, "segment %u: file size %#lx exceeds memory size %#lx",
                      i, (unsigned long)ph->p_filesz,
                      (unsigned long)ph->p_memsz);
    if (!pvb_in_image(c, ph->p_offset, ph->p_filesz))
        return pvb_elf_reject(c, "segment %u: bytes at %#lx+%#lx run past the image",
                      i, (unsigned long)ph->p_offset,
                      (unsigned long)ph->p_filesz);
    if (ph->p_memsz > ELF_MAX_IMAGE_SPAN ||
        ph->p_paddr > UINT64_MAX - ph->p_memsz)
        return pvb_elf_reject(c, "segment %u: %#lx bytes at paddr %#lx is too large",
                      i, (unsigned long)ph->p_memsz,
                      (unsigned long)ph->p_paddr);
    return 0;
}

/*
 * Collect pstart/pend over the loadable segments and refuse any two whose
 * destinations overlap: the builder copies them in order, so an overlap
 * would let a later segment overwrite an earlier one.  O(n^2) on at most
 * ELF_MAX_PHNUM headers.
 */
static int scan_loads(struct elf_ctx *c, const Elf64_Ehdr *eh,
                      struct xen_elf_info *info)
{
    uint64_t lo = UINT64_MAX, hi = 0;
    int rc;

    for (unsigned int i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph, other;

        pvb_get_phdr(c, eh, i, &ph);
        if (!phdr_is_loadable(&ph))
            continue;
        rc = check_load(c, i, &ph);
        if (rc)
            return rc;
        for (unsigned int j = 0; j < i && ph.p_memsz; j++) {
            pvb_get_phdr(c, eh, j, &other);
            if (!phdr_is_loadable(&other) || !other.p_memsz)
                continue;
            if (ph.p_paddr < other.p_paddr + other.p_memsz &&
                other.p_paddr < ph.p_paddr + ph.p_memsz)
                return pvb_elf_reject(c, "segments %u and %u overlap", j, i);
        }
        lo = PVB_MIN(lo, ph.p_paddr);
        hi = PVB_MAX(hi, ph.p_paddr + ph.p_memsz);
        info->nr_load++;
    }
    if (!info->nr_load)
        return pvb_elf_reject(c, "no loadable segments");
    if (hi - lo > ELF_MAX_IMAGE_SPAN)
        return pvb_elf_reject(c, "image spans %#lx bytes, at most %#llx supported",
                      (unsigned long)(hi - lo), ELF_MAX_IMAGE_SPAN);
    info->pstart = lo;
    info->pend = hi;
    return 0;
}

int elf_parse_xen(const void *image, size_t len, struct xen_elf_info *info,
                  char *why, size_t whylen)
{
    struct elf_ctx c = { .img = image, .len = len, .why = why,
                         .whylen = why ? whylen : 0 };
    Elf64_Ehdr eh;
    int rc;

    if (!info)
        return -XEN_EINVAL;
    memset(info, 0, sizeof(*info));
    if (c.whylen)
        why[0] = '\0';
    if (!image) {
        pvb_elf_reject(&c, "no image");
        return -XEN_EINVAL;
    }
    rc = check_ehdr(&c, &eh);
    c.e_entry = eh.e_entry;
    if (!rc)
        rc = scan_loads(&c, &eh, info);
    if (!rc)
        rc = pvb_elf_find_notes(&c, &eh, info);
    if (!rc)
        rc = pvb_elf_check_notes(&c, info);
    return rc;
}

int elf_load_segment(const void *image, size_t len,
                     const struct xen_elf_info *info, unsigned int idx,
                     struct elf_segment *seg)
{
    struct elf_ctx c = { .img = image, .len = len };
    Elf64_Ehdr eh;
    unsigned int n = 0;
    int rc;

    if (!image || !info || !seg)
        return -XEN_EINVAL;
    rc = check_ehdr(&c, &eh);
    if (rc)
        return rc;
    for (unsigned int i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;

        pvb_get_phdr(&c, &eh, i, &ph);
        if (!phdr_is_loadable(&ph) || n++ != idx)
            continue;
        rc = check_load(&c, i, &ph);
        if (rc)
            return rc;
        /* Guard against an 'info' that came from another image. */
        if (ph.p_paddr < info->pstart || ph.p_paddr + ph.p_memsz > info->pend)
            return -XEN_ENOEXEC;
        seg->offset = ph.p_offset;
        seg->filesz = ph.p_filesz;
        seg->memsz = ph.p_memsz;
        seg->paddr = ph.p_paddr;
        seg->dest = info->virt_kstart + (ph.p_paddr - info->pstart);
        seg->flags = ph.p_flags & (PF_R | PF_W | PF_X);
        return 0;
    }
    return -XEN_ENOENT;
}
