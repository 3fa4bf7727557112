/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/pv/elf.c - checks a 64-bit PV kernel's ELF image and reads
 * its "Xen" notes for the domain builder.
 *
 * The image comes from the boot loader or from dom0 and is not trusted:
 * every offset and size is checked against the image length before it is
 * used, sums are checked for wrap-around first, and every walk is bounded.
 * A rejected image yields -ENOEXEC and a one-line reason.  The meaning of
 * the notes (defaults, which notes are required, the address checks)
 * follows Xen's libelf so that a kernel Xen accepts is accepted here.
 * Pure code, unit-tested on the host with crafted and mutated images.
 */
#include <stdarg.h>
#include <string.h>
#include <mica/types.h>
#include <mica/errno.h>
#include <mica/lib.h>
#include <mica/elf.h>
#include <public/elfnote.h>
#include <public/features.h>

/* The image under inspection and where to explain a rejection. */
struct elf_ctx {
    const uint8_t *img;
    size_t len;
    char *why;
    size_t whylen;
    unsigned int nr_notes;      /* all notes walked, Xen's or not */
    /* Numeric notes by type, and which were present (0 is a real value). */
    uint64_t num[XEN_ELFNOTE_MAX + 1];
    uint32_t seen;
};

#define SEEN(type) (1U << (type))

static int __printf(2, 3) reject(struct elf_ctx *c, const char *fmt, ...)
{
    va_list ap;

    if (c->whylen) {
        va_start(ap, fmt);
        vsnprintf(c->why, c->whylen, fmt, ap);
        va_end(ap);
    }
    return -ENOEXEC;
}

/* Is [off, off + size) inside the image?  Written so nothing can wrap. */
static bool in_image(const struct elf_ctx *c, uint64_t off, uint64_t size)
{
    return off <= c->len && size <= c->len - off;
}

static uint64_t read_le(const uint8_t *p, unsigned int size)
{
    uint64_t v = 0;

    /* Byte by byte: 'p' has no alignment and the format is little-endian. */
    while (size--)
        v = (v << 8) | p[size];
    return v;
}

static bool phdr_is_loadable(const Elf64_Phdr *ph)
{
    /* As libelf: a PT_LOAD with no access rights at all is not loaded. */
    return ph->p_type == PT_LOAD && (ph->p_flags & (PF_R | PF_W | PF_X));
}

static void get_phdr(const struct elf_ctx *c, const Elf64_Ehdr *eh,
                     unsigned int i, Elf64_Phdr *ph)
{
    memcpy(ph, c->img + eh->e_phoff + (uint64_t)i * sizeof(*ph), sizeof(*ph));
}

/* ---- file header and header tables -------------------------------------- */

static int check_ehdr(struct elf_ctx *c, Elf64_Ehdr *eh)
{
    if (c->len < sizeof(*eh))
        return reject(c, "image of %zu bytes is too short for an ELF header",
                      c->len);
    memcpy(eh, c->img, sizeof(*eh));
    if (memcmp(eh->e_ident, "\177ELF", 4))
        return reject(c, "not an ELF image (bad magic)");
    if (eh->e_ident[EI_CLASS] != ELFCLASS64)
        return reject(c, "not a 64-bit ELF image (class %u)",
                      eh->e_ident[EI_CLASS]);
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
        return reject(c, "not a little-endian ELF image (data %u)",
                      eh->e_ident[EI_DATA]);
    if (eh->e_machine != EM_X86_64)
        return reject(c, "not an x86-64 ELF image (machine %u)",
                      eh->e_machine);
    if (eh->e_type != ET_EXEC)
        return reject(c, "not an executable ELF image (type %u)", eh->e_type);

    if (eh->e_phnum == 0)
        return reject(c, "no program headers");
    if (eh->e_phnum > ELF_MAX_PHNUM)
        return reject(c, "%u program headers, at most %u supported",
                      eh->e_phnum, ELF_MAX_PHNUM);
    if (eh->e_phentsize != sizeof(Elf64_Phdr))
        return reject(c, "program header size %u, expected %zu",
                      eh->e_phentsize, sizeof(Elf64_Phdr));
    if (!in_image(c, eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr)))
        return reject(c, "program header table at %#lx runs past the image",
                      (unsigned long)eh->e_phoff);

    /* Sections are only a fallback for notes, but a table must be sound. */
    if (eh->e_shnum) {
        if (eh->e_shentsize != sizeof(Elf64_Shdr))
            return reject(c, "section header size %u, expected %zu",
                          eh->e_shentsize, sizeof(Elf64_Shdr));
        if (!in_image(c, eh->e_shoff,
                      (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)))
            return reject(c, "section header table at %#lx runs past the image",
                          (unsigned long)eh->e_shoff);
    }
    return 0;
}

/* One loadable segment must lie in the file and have a sane extent. */
static int check_load(struct elf_ctx *c, unsigned int i, const Elf64_Phdr *ph)
{
    if (ph->p_filesz > ph->p_memsz)
        return reject(c, "segment %u: file size %#lx exceeds memory size %#lx",
                      i, (unsigned long)ph->p_filesz,
                      (unsigned long)ph->p_memsz);
    if (!in_image(c, ph->p_offset, ph->p_filesz))
        return reject(c, "segment %u: bytes at %#lx+%#lx run past the image",
                      i, (unsigned long)ph->p_offset,
                      (unsigned long)ph->p_filesz);
    if (ph->p_memsz > ELF_MAX_IMAGE_SPAN ||
        ph->p_paddr > UINT64_MAX - ph->p_memsz)
        return reject(c, "segment %u: %#lx bytes at paddr %#lx is too large",
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

        get_phdr(c, eh, i, &ph);
        if (!phdr_is_loadable(&ph))
            continue;
        rc = check_load(c, i, &ph);
        if (rc)
            return rc;
        for (unsigned int j = 0; j < i && ph.p_memsz; j++) {
            get_phdr(c, eh, j, &other);
            if (!phdr_is_loadable(&other) || !other.p_memsz)
                continue;
            if (ph.p_paddr < other.p_paddr + other.p_memsz &&
                other.p_paddr < ph.p_paddr + ph.p_memsz)
                return reject(c, "segments %u and %u overlap", j, i);
        }
        lo = MIN(lo, ph.p_paddr);
        hi = MAX(hi, ph.p_paddr + ph.p_memsz);
        info->nr_load++;
    }
    if (!info->nr_load)
        return reject(c, "no loadable segments");
    if (hi - lo > ELF_MAX_IMAGE_SPAN)
        return reject(c, "image spans %#lx bytes, at most %#llx supported",
                      (unsigned long)(hi - lo), ELF_MAX_IMAGE_SPAN);
    info->pstart = lo;
    info->pend = hi;
    return 0;
}

/* ---- Xen notes ------------------------------------------------------------ */

static const char *const note_names[] = {
    [XEN_ELFNOTE_ENTRY] = "ENTRY",
    [XEN_ELFNOTE_HYPERCALL_PAGE] = "HYPERCALL_PAGE",
    [XEN_ELFNOTE_VIRT_BASE] = "VIRT_BASE",
    [XEN_ELFNOTE_PADDR_OFFSET] = "PADDR_OFFSET",
    [XEN_ELFNOTE_XEN_VERSION] = "XEN_VERSION",
    [XEN_ELFNOTE_GUEST_OS] = "GUEST_OS",
    [XEN_ELFNOTE_GUEST_VERSION] = "GUEST_VERSION",
    [XEN_ELFNOTE_LOADER] = "LOADER",
    [XEN_ELFNOTE_PAE_MODE] = "PAE_MODE",
    [XEN_ELFNOTE_FEATURES] = "FEATURES",
    [XEN_ELFNOTE_BSD_SYMTAB] = "BSD_SYMTAB",
    [XEN_ELFNOTE_HV_START_LOW] = "HV_START_LOW",
    [XEN_ELFNOTE_L1_MFN_VALID] = "L1_MFN_VALID",
    [XEN_ELFNOTE_SUSPEND_CANCEL] = "SUSPEND_CANCEL",
    [XEN_ELFNOTE_INIT_P2M] = "INIT_P2M",
    [XEN_ELFNOTE_MOD_START_PFN] = "MOD_START_PFN",
    [XEN_ELFNOTE_SUPPORTED_FEATURES] = "SUPPORTED_FEATURES",
    [XEN_ELFNOTE_PHYS32_ENTRY] = "PHYS32_ENTRY",
};

/* Names a FEATURES string may use, indexed by XENFEAT_* bit number. */
static const char *const feature_names[] = {
    [XENFEAT_writable_page_tables] = "writable_page_tables",
    [XENFEAT_writable_descriptor_tables] = "writable_descriptor_tables",
    [XENFEAT_auto_translated_physmap] = "auto_translated_physmap",
    [XENFEAT_supervisor_mode_kernel] = "supervisor_mode_kernel",
    [XENFEAT_pae_pgdir_above_4gb] = "pae_pgdir_above_4gb",
    [XENFEAT_mmu_pt_update_preserve_ad] = "mmu_pt_update_preserve_ad",
    [XENFEAT_highmem_assist] = "highmem_assist",
    [XENFEAT_gnttab_map_avail_bits] = "gnttab_map_avail_bits",
    [XENFEAT_hvm_callback_vector] = "hvm_callback_vector",
    [XENFEAT_hvm_safe_pvclock] = "hvm_safe_pvclock",
    [XENFEAT_hvm_pirqs] = "hvm_pirqs",
    [XENFEAT_dom0] = "dom0",
    [XENFEAT_grant_map_identity] = "grant_map_identity",
    [XENFEAT_memory_op_vnode_supported] = "memory_op_vnode_supported",
    [XENFEAT_ARM_SMCCC_supported] = "ARM_SMCCC_supported",
    [XENFEAT_linux_rsdp_unrestricted] = "linux_rsdp_unrestricted",
    [XENFEAT_not_direct_mapped] = "not_direct_mapped",
    [XENFEAT_direct_mapped] = "direct_mapped",
};
_Static_assert(ARRAY_SIZE(feature_names) <= 32 * XENFEAT_NR_SUBMAPS,
               "feature bits must fit the bitmaps");

static int feature_bit(const char *name, size_t n)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(feature_names); i++)
        if (feature_names[i] && strlen(feature_names[i]) == n &&
            !memcmp(feature_names[i], name, n))
            return (int)i;
    return -1;
}

/*
 * "a|!b|c": each name is supported, '!' makes it required too.  Names we
 * do not know are ignored unless required, because then the kernel cannot
 * run without something we cannot even name (libelf refuses it as well).
 */
static int parse_features(struct elf_ctx *c, struct xen_elf_info *info,
                          const char *s)
{
    while (*s) {
        size_t n = 0;
        bool required = *s == '!';
        int bit;

        s += required;
        while (s[n] && s[n] != '|')
            n++;
        bit = n ? feature_bit(s, n) : -1;
        if (bit >= 0) {
            info->f_supported[bit / 32] |= 1U << (bit % 32);
            if (required)
                info->f_required[bit / 32] |= 1U << (bit % 32);
        } else if (required) {
            return reject(c, "FEATURES requires unknown feature '%.*s'",
                          (int)MIN(n, (size_t)40), s);
        }
        s += n;
        if (*s == '|')
            s++;
    }
    return 0;
}

static bool contains(const char *s, const char *word)
{
    size_t n = strlen(word);

    for (; *s; s++)
        if (!strncmp(s, word, n))
            return true;
    return false;
}

static void copy_str(char *dst, const char *src)
{
    size_t n = MIN(strlen(src), (size_t)ELF_STR_LEN - 1);

    memcpy(dst, src, n);
    dst[n] = '\0';
}

static int string_note(struct elf_ctx *c, struct xen_elf_info *info,
                       uint32_t type, const char *s, uint32_t size)
{
    char buf[ELF_NOTE_STR_MAX];
    size_t len;

    /*
     * A string note ends at its first NUL or at the end of its descriptor,
     * whichever comes first: Linux's FEATURES note has no NUL at all.  It is
     * copied out so nothing can read past the descriptor.
     */
    if (!size)
        return reject(c, "note %s is empty", note_names[type]);
    len = strnlen(s, size);
    if (len >= sizeof(buf))
        return reject(c, "note %s is longer than %zu bytes", note_names[type],
                      sizeof(buf) - 1);
    memcpy(buf, s, len);
    buf[len] = '\0';
    s = buf;
    switch (type) {
    case XEN_ELFNOTE_XEN_VERSION:
        copy_str(info->xen_version, s);
        break;
    case XEN_ELFNOTE_GUEST_OS:
        copy_str(info->guest_os, s);
        break;
    case XEN_ELFNOTE_GUEST_VERSION:
        copy_str(info->guest_version, s);
        break;
    case XEN_ELFNOTE_LOADER:
        copy_str(info->loader, s);
        break;
    case XEN_ELFNOTE_PAE_MODE:
        info->pae = !strcmp(s, "yes") ? XEN_ELF_PAE_YES : XEN_ELF_PAE_NO;
        if (contains(s, "bimodal"))
            info->pae = XEN_ELF_PAE_BIMODAL;
        break;
    case XEN_ELFNOTE_FEATURES:
        return parse_features(c, info, s);
    case XEN_ELFNOTE_BSD_SYMTAB:
        info->bsd_symtab = !strcmp(s, "yes");
        break;
    }
    return 0;
}

static int numeric_note(struct elf_ctx *c, uint32_t type, const uint8_t *d,
                        uint32_t size)
{
    if (size != 1 && size != 2 && size != 4 && size != 8)
        return reject(c, "note %s has a %u-byte value", note_names[type],
                      size);
    c->num[type] = read_le(d, size);     /* a later duplicate wins */
    c->seen |= SEEN(type);
    return 0;
}

static int xen_note(struct elf_ctx *c, struct xen_elf_info *info,
                    uint32_t type, const uint8_t *d, uint32_t size)
{
    info->nr_xen_notes++;
    switch (type) {
    case XEN_ELFNOTE_XEN_VERSION:
    case XEN_ELFNOTE_GUEST_OS:
    case XEN_ELFNOTE_GUEST_VERSION:
    case XEN_ELFNOTE_LOADER:
    case XEN_ELFNOTE_PAE_MODE:
    case XEN_ELFNOTE_FEATURES:
    case XEN_ELFNOTE_BSD_SYMTAB:
        return string_note(c, info, type, (const char *)d, size);
    case XEN_ELFNOTE_L1_MFN_VALID:
        /* Only save/restore reads it; Linux gives {mask, value} quads. */
        if (size == 16) {
            info->l1_mfn_valid_mask = read_le(d, 8);
            info->l1_mfn_valid_value = read_le(d + 8, 8);
            info->has_l1_mfn_valid = true;
        }
        return 0;
    case XEN_ELFNOTE_SUPPORTED_FEATURES:
        if (!size || size % 4)
            return reject(c, "note SUPPORTED_FEATURES has %u bytes", size);
        for (unsigned int i = 0; i < XENFEAT_NR_SUBMAPS && i < size / 4; i++)
            info->f_supported[i] |= (uint32_t)read_le(d + 4 * i, 4);
        info->has_supported_features = true;
        return 0;
    case XEN_ELFNOTE_ENTRY:
    case XEN_ELFNOTE_HYPERCALL_PAGE:
    case XEN_ELFNOTE_VIRT_BASE:
    case XEN_ELFNOTE_PADDR_OFFSET:
    case XEN_ELFNOTE_HV_START_LOW:
    case XEN_ELFNOTE_SUSPEND_CANCEL:
    case XEN_ELFNOTE_INIT_P2M:
    case XEN_ELFNOTE_MOD_START_PFN:
    case XEN_ELFNOTE_PHYS32_ENTRY:
        return numeric_note(c, type, d, size);
    default:
        return 0;       /* INFO and types newer than we know: ignored */
    }
}

/*
 * Walk the notes in [off, off + size).  Name and descriptor are each padded
 * to 'align' (4, or 8 when the container asks for 8-byte alignment, as
 * newer toolchains do).  The last note's padding may be cut off by the end
 * of the container; anything else running past it is malformed.
 */
static int walk_notes(struct elf_ctx *c, struct xen_elf_info *info,
                      uint64_t off, uint64_t size, uint64_t align_hint)
{
    const uint64_t align = align_hint == 8 ? 8 : 4;
    uint64_t pos = 0;
    int rc;

    if (!in_image(c, off, size))
        return reject(c, "notes at %#lx+%#lx run past the image",
                      (unsigned long)off, (unsigned long)size);
    while (pos < size) {
        Elf64_Nhdr nh;
        uint64_t desc, next;
        const uint8_t *note = c->img + off + pos;

        if (size - pos < sizeof(nh))
            return reject(c, "truncated note header at %#lx",
                          (unsigned long)(off + pos));
        if (++c->nr_notes > ELF_MAX_NOTES)
            return reject(c, "more than %u ELF notes", ELF_MAX_NOTES);
        memcpy(&nh, note, sizeof(nh));
        /* All sums below are of 32-bit values into 64 bits: none wraps. */
        desc = ROUNDUP(sizeof(nh) + (uint64_t)nh.n_namesz, align);
        if (desc > size - pos || nh.n_descsz > size - pos - desc)
            return reject(c, "note at %#lx (name %u, desc %u bytes) runs past "
                          "its container", (unsigned long)(off + pos),
                          nh.n_namesz, nh.n_descsz);
        next = MIN(desc + ROUNDUP((uint64_t)nh.n_descsz, align), size - pos);
        if (nh.n_namesz == 4 && !memcmp(note + sizeof(nh), "Xen", 4)) {
            rc = xen_note(c, info, nh.n_type, note + desc, nh.n_descsz);
            if (rc)
                return rc;
        }
        pos += next;
    }
    return 0;
}

static int find_notes(struct elf_ctx *c, const Elf64_Ehdr *eh,
                      struct xen_elf_info *info)
{
    int rc;

    for (unsigned int i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph;

        get_phdr(c, eh, i, &ph);
        /* Some binutils leave p_offset 0 on note segments; libelf skips. */
        if (ph.p_type != PT_NOTE || !ph.p_offset)
            continue;
        rc = walk_notes(c, info, ph.p_offset, ph.p_filesz, ph.p_align);
        if (rc)
            return rc;
    }
    if (info->nr_xen_notes)
        return 0;

    /* No Xen note in any segment: try the note sections instead. */
    for (unsigned int i = 1; i < eh->e_shnum; i++) {
        Elf64_Shdr sh;

        memcpy(&sh, c->img + eh->e_shoff + (uint64_t)i * sizeof(sh),
               sizeof(sh));
        if (sh.sh_type != SHT_NOTE)
            continue;
        rc = walk_notes(c, info, sh.sh_offset, sh.sh_size, sh.sh_addralign);
        if (rc)
            return rc;
    }
    info->notes_from_sections = info->nr_xen_notes != 0;
    if (!info->nr_xen_notes)
        return reject(c, "no Xen ELF notes (legacy __xen_guest images are "
                      "not supported)");
    return 0;
}

/* ---- the rules libelf applies to the notes --------------------------- */

static bool has(const struct elf_ctx *c, unsigned int type)
{
    return c->seen & SEEN(type);
}

/* Absent numeric notes read as 0, which is also libelf's default base. */
static void apply_numeric(const struct elf_ctx *c, struct xen_elf_info *info)
{
    info->entry = c->num[XEN_ELFNOTE_ENTRY];
    info->hypercall_page = c->num[XEN_ELFNOTE_HYPERCALL_PAGE];
    info->has_hypercall_page = has(c, XEN_ELFNOTE_HYPERCALL_PAGE);
    info->virt_base = c->num[XEN_ELFNOTE_VIRT_BASE];
    info->paddr_offset = c->num[XEN_ELFNOTE_PADDR_OFFSET];
    info->hv_start_low = c->num[XEN_ELFNOTE_HV_START_LOW];
    info->has_hv_start_low = has(c, XEN_ELFNOTE_HV_START_LOW);
    info->suspend_cancel = c->num[XEN_ELFNOTE_SUSPEND_CANCEL] != 0;
    info->init_p2m = c->num[XEN_ELFNOTE_INIT_P2M];
    info->has_init_p2m = has(c, XEN_ELFNOTE_INIT_P2M);
    info->mod_start_pfn = c->num[XEN_ELFNOTE_MOD_START_PFN] != 0;
    info->phys32_entry = c->num[XEN_ELFNOTE_PHYS32_ENTRY];
    info->has_phys32_entry = has(c, XEN_ELFNOTE_PHYS32_ENTRY);
}

static int check_notes(struct elf_ctx *c, struct xen_elf_info *info)
{
    uint64_t span = info->pend - info->pstart;

    apply_numeric(c, info);

    /* Libelf compares prefixes of its copies; ours are the same prefixes. */
    if (strncmp(info->loader, "generic", 7) &&
        strncmp(info->guest_os, "linux", 5))
        return reject(c, "only generic-loader or Linux images are supported "
                      "(LOADER '%s', GUEST_OS '%s')", info->loader,
                      info->guest_os);
    if (strncmp(info->xen_version, "xen-3.0", 7))
        return reject(c, "XEN_VERSION '%s' is not xen-3.0",
                      info->xen_version);
    if (!has(c, XEN_ELFNOTE_ENTRY))
        return reject(c, "no ENTRY note");
    if (has(c, XEN_ELFNOTE_PADDR_OFFSET) && !has(c, XEN_ELFNOTE_VIRT_BASE))
        return reject(c, "PADDR_OFFSET is set but VIRT_BASE is not");

    /* Modular arithmetic on purpose: VIRT_BASE is usually above p_paddr. */
    info->virt_kstart = info->pstart + (info->virt_base - info->paddr_offset);
    if (info->virt_kstart > UINT64_MAX - span)
        return reject(c, "image at %#lx wraps around the address space",
                      (unsigned long)info->virt_kstart);
    info->virt_kend = info->virt_kstart + span;

    if (info->virt_base > info->virt_kstart)
        return reject(c, "VIRT_BASE %#lx is above the image start %#lx",
                      (unsigned long)info->virt_base,
                      (unsigned long)info->virt_kstart);
    if (info->entry < info->virt_kstart || info->entry >= info->virt_kend)
        return reject(c, "ENTRY %#lx is outside the image [%#lx, %#lx)",
                      (unsigned long)info->entry,
                      (unsigned long)info->virt_kstart,
                      (unsigned long)info->virt_kend);
    /* The builder writes a whole page of stubs there. */
    if (info->has_hypercall_page &&
        (!IS_ALIGNED(info->hypercall_page, PAGE_SIZE) ||
         info->hypercall_page < info->virt_kstart ||
         info->hypercall_page >= info->virt_kend ||
         info->virt_kend - info->hypercall_page < PAGE_SIZE))
        return reject(c, "HYPERCALL_PAGE %#lx is not a page inside the image",
                      (unsigned long)info->hypercall_page);
    if (info->has_init_p2m && info->init_p2m >= info->virt_kstart &&
        info->init_p2m < info->virt_kend)
        return reject(c, "INIT_P2M %#lx lies inside the image",
                      (unsigned long)info->init_p2m);
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
        return -EINVAL;
    memset(info, 0, sizeof(*info));
    if (c.whylen)
        why[0] = '\0';
    if (!image) {
        reject(&c, "no image");
        return -EINVAL;
    }
    rc = check_ehdr(&c, &eh);
    if (!rc)
        rc = scan_loads(&c, &eh, info);
    if (!rc)
        rc = find_notes(&c, &eh, info);
    if (!rc)
        rc = check_notes(&c, info);
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
        return -EINVAL;
    rc = check_ehdr(&c, &eh);
    if (rc)
        return rc;
    for (unsigned int i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;

        get_phdr(&c, &eh, i, &ph);
        if (!phdr_is_loadable(&ph) || n++ != idx)
            continue;
        rc = check_load(&c, i, &ph);
        if (rc)
            return rc;
        /* Guard against an 'info' that came from another image. */
        if (ph.p_paddr < info->pstart || ph.p_paddr + ph.p_memsz > info->pend)
            return -ENOEXEC;
        seg->offset = ph.p_offset;
        seg->filesz = ph.p_filesz;
        seg->memsz = ph.p_memsz;
        seg->paddr = ph.p_paddr;
        seg->dest = info->virt_kstart + (ph.p_paddr - info->pstart);
        seg->flags = ph.p_flags & (PF_R | PF_W | PF_X);
        return 0;
    }
    return -ENOENT;
}
