/* SPDX-License-Identifier: MIT */
/*
 * lib/elf-notes.c - a PV kernel's "Xen" ELF notes: found in its PT_NOTE
 * segments (or SHT_NOTE sections), decoded, and checked by the rules of
 * Xen's libelf (defaults, required notes, where the image lands).
 *
 * Notes are as hostile as the rest of the image: each is framed inside
 * its container before it is read, strings are copied out bounded, and
 * the walk stops after ELF_MAX_NOTES.
 */
#include "elf-ctx.h"
#include <public/features.h>

static uint64_t read_le(const uint8_t *p, unsigned int size)
{
    uint64_t v = 0;

    /* Byte by byte: 'p' has no alignment and the format is little-endian. */
    while (size--)
        v = (v << 8) | p[size];
    return v;
}

/* Each name is its enumerator's, so the tables spell them once. */
#define NOTE(n)     [XEN_ELFNOTE_##n] = #n
#define FEATURE(f)  [XENFEAT_##f] = #f

static const char *const note_names[] = {
    NOTE(ENTRY), NOTE(HYPERCALL_PAGE), NOTE(VIRT_BASE), NOTE(PADDR_OFFSET),
    NOTE(XEN_VERSION), NOTE(GUEST_OS), NOTE(GUEST_VERSION), NOTE(LOADER),
    NOTE(PAE_MODE), NOTE(FEATURES), NOTE(BSD_SYMTAB), NOTE(HV_START_LOW),
    NOTE(L1_MFN_VALID), NOTE(SUSPEND_CANCEL), NOTE(INIT_P2M),
    NOTE(MOD_START_PFN), NOTE(SUPPORTED_FEATURES), NOTE(PHYS32_ENTRY),
};

/* Names a FEATURES string may use, indexed by XENFEAT_* bit number. */
static const char *const feature_names[] = {
    FEATURE(writable_page_tables), FEATURE(writable_descriptor_tables),
    FEATURE(auto_translated_physmap), FEATURE(supervisor_mode_kernel),
    FEATURE(pae_pgdir_above_4gb), FEATURE(mmu_pt_update_preserve_ad),
    FEATURE(highmem_assist), FEATURE(gnttab_map_avail_bits),
    FEATURE(hvm_callback_vector), FEATURE(hvm_safe_pvclock),
    FEATURE(hvm_pirqs), FEATURE(dom0), FEATURE(grant_map_identity),
    FEATURE(memory_op_vnode_supported), FEATURE(ARM_SMCCC_supported),
    FEATURE(linux_rsdp_unrestricted), FEATURE(not_direct_mapped),
    FEATURE(direct_mapped),
};
_Static_assert(PVB_ARRAY_SIZE(feature_names) <= 32 * XENFEAT_NR_SUBMAPS,
               "feature bits must fit the bitmaps");

static int feature_bit(const char *name, size_t n)
{
    for (unsigned int i = 0; i < PVB_ARRAY_SIZE(feature_names); i++)
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
int pvb_elf_parse_features(struct elf_ctx *c, struct xen_elf_info *info,
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
            /* Copied out: not every caller's vsnprintf knows "%.*s". */
            char name[41];
            size_t shown = PVB_MIN(n, sizeof(name) - 1);

            memcpy(name, s, shown);
            name[shown] = '\0';
            return pvb_elf_reject(c, "FEATURES requires unknown feature '%s'", name);
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
    size_t n = PVB_MIN(strlen(src), (size_t)ELF_STR_LEN - 1);

    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* Where a string note that is only recorded is kept, else NULL. */
static char *kept_string(struct xen_elf_info *info, uint32_t type)
{
    switch (type) {
    case XEN_ELFNOTE_XEN_VERSION:   return info->xen_version;
    case XEN_ELFNOTE_GUEST_OS:      return info->guest_os;
    case XEN_ELFNOTE_GUEST_VERSION: return info->guest_version;
    case XEN_ELFNOTE_LOADER:        return info->loader;
    default:                        return NULL;
    }
}

static int string_note(struct elf_ctx *c, struct xen_elf_info *info,
                       uint32_t type, const char *s, uint32_t size)
{
    char buf[ELF_NOTE_STR_MAX];
    char *dst;
    size_t len;

    /*
     * A string note ends at its first NUL or at the end of its descriptor,
     * whichever comes first: Linux's FEATURES note has no NUL at all.  It is
     * copied out so nothing can read past the descriptor.
     */
    if (!size)
        return pvb_elf_reject(c, "note %s is empty", note_names[type]);
    for (len = 0; len < size && s[len]; len++)
        ;
    if (len >= sizeof(buf))
        return pvb_elf_reject(c, "note %s is longer than %zu bytes", note_names[type],
                      sizeof(buf) - 1);
    memcpy(buf, s, len);
    buf[len] = '\0';
    s = buf;
    dst = kept_string(info, type);
    if (dst) {
        copy_str(dst, s);
        return 0;
    }
    switch (type) {
    case XEN_ELFNOTE_PAE_MODE:
        info->pae = !strcmp(s, "yes") ? XEN_ELF_PAE_YES : XEN_ELF_PAE_NO;
        if (contains(s, "bimodal"))
            info->pae = XEN_ELF_PAE_BIMODAL;
        break;
    case XEN_ELFNOTE_FEATURES:
        return pvb_elf_parse_features(c, info, s);
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
        return pvb_elf_reject(c, "note %s has a %u-byte value", note_names[type],
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
            return pvb_elf_reject(c, "note SUPPORTED_FEATURES has %u bytes", size);
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

    if (!pvb_in_image(c, off, size))
        return pvb_elf_reject(c, "notes at %#lx+%#lx run past the image",
                      (unsigned long)off, (unsigned long)size);
    while (pos < size) {
        Elf64_Nhdr nh;
        uint64_t desc, next;
        const uint8_t *note = c->img + off + pos;

        if (size - pos < sizeof(nh))
            return pvb_elf_reject(c, "truncated note header at %#lx",
                          (unsigned long)(off + pos));
        if (++c->nr_notes > ELF_MAX_NOTES)
            return pvb_elf_reject(c, "more than %u ELF notes", ELF_MAX_NOTES);
        memcpy(&nh, note, sizeof(nh));
        /* All sums below are of 32-bit values into 64 bits: none wraps. */
        desc = PVB_ROUNDUP(sizeof(nh) + (uint64_t)nh.n_namesz, align);
        if (desc > size - pos || nh.n_descsz > size - pos - desc)
            return pvb_elf_reject(c, "note at %#lx (name %u, desc %u bytes) runs past "
                          "its container", (unsigned long)(off + pos),
                          nh.n_namesz, nh.n_descsz);
        next = PVB_MIN(desc + PVB_ROUNDUP((uint64_t)nh.n_descsz, align), size - pos);
        if (nh.n_namesz == 4 && !memcmp(note + sizeof(nh), "Xen", 4)) {
            rc = xen_note(c, info, nh.n_type, note + desc, nh.n_descsz);
            if (rc)
                return rc;
        }
        pos += next;
    }
    return 0;
}

int pvb_elf_find_notes(struct elf_ctx *c, const Elf64_Ehdr *eh,
                      struct xen_elf_info *info)
{
    int rc;

    for (unsigned int i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph;

        pvb_get_phdr(c, eh, i, &ph);
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
    if (info->nr_xen_notes)
        return 0;
    /* Libelf's last resort, for kernels older than the notes. */
    rc = pvb_elf_guest_info(c, eh, info);
    if (rc == -XEN_ENOENT)
        return pvb_elf_reject(c, "no Xen ELF notes and no __xen_guest section");
    return rc;
}

/* ---- the rules libelf applies to the notes --------------------------- */

static bool has(const struct elf_ctx *c, unsigned int type)
{
    return c->seen & SEEN(type);
}

/*
 * Absent numeric notes read as 0, which is also libelf's default base.
 * Libelf's other defaults: the entry is the ELF header's, and a legacy
 * image's paddrs were virtual addresses (PADDR_OFFSET = VIRT_BASE).
 */
static void apply_numeric(const struct elf_ctx *c, struct xen_elf_info *info)
{
    info->entry_from_ehdr = !has(c, XEN_ELFNOTE_ENTRY);
    info->entry = info->entry_from_ehdr ? c->e_entry : c->num[XEN_ELFNOTE_ENTRY];
    info->hypercall_page = c->num[XEN_ELFNOTE_HYPERCALL_PAGE];
    info->has_hypercall_page = has(c, XEN_ELFNOTE_HYPERCALL_PAGE);
    info->virt_base = c->num[XEN_ELFNOTE_VIRT_BASE];
    info->paddr_offset = c->num[XEN_ELFNOTE_PADDR_OFFSET];
    if (info->legacy_guest_info && !has(c, XEN_ELFNOTE_PADDR_OFFSET))
        info->paddr_offset = info->virt_base;
    info->hv_start_low = c->num[XEN_ELFNOTE_HV_START_LOW];
    info->has_hv_start_low = has(c, XEN_ELFNOTE_HV_START_LOW);
    info->suspend_cancel = c->num[XEN_ELFNOTE_SUSPEND_CANCEL] != 0;
    info->init_p2m = c->num[XEN_ELFNOTE_INIT_P2M];
    info->has_init_p2m = has(c, XEN_ELFNOTE_INIT_P2M);
    info->mod_start_pfn = c->num[XEN_ELFNOTE_MOD_START_PFN] != 0;
    info->phys32_entry = c->num[XEN_ELFNOTE_PHYS32_ENTRY];
    info->has_phys32_entry = has(c, XEN_ELFNOTE_PHYS32_ENTRY);
}

int pvb_elf_check_notes(struct elf_ctx *c, struct xen_elf_info *info)
{
    uint64_t span = info->pend - info->pstart;

    apply_numeric(c, info);

    /* Libelf compares prefixes of its copies; ours are the same prefixes. */
    if (strncmp(info->loader, "generic", 7) &&
        strncmp(info->guest_os, "linux", 5))
        return pvb_elf_reject(c, "only generic-loader or Linux images are supported "
                      "(LOADER '%s', GUEST_OS '%s')", info->loader,
                      info->guest_os);
    if (strncmp(info->xen_version, "xen-3.0", 7))
        return pvb_elf_reject(c, "XEN_VERSION '%s' is not xen-3.0",
                      info->xen_version);
    if (has(c, XEN_ELFNOTE_PADDR_OFFSET) && !has(c, XEN_ELFNOTE_VIRT_BASE))
        return pvb_elf_reject(c, "PADDR_OFFSET is set but VIRT_BASE is not");

    /* Modular arithmetic on purpose: VIRT_BASE is usually above p_paddr. */
    info->virt_kstart = info->pstart + (info->virt_base - info->paddr_offset);
    if (info->virt_kstart > UINT64_MAX - span)
        return pvb_elf_reject(c, "image at %#lx wraps around the address space",
                      (unsigned long)info->virt_kstart);
    info->virt_kend = info->virt_kstart + span;

    /* The builders map pfn n at VIRT_BASE + n pages. */
    if (!PVB_ALIGNED(info->virt_base, PVBOOT_PAGE_SIZE))
        return pvb_elf_reject(c, "VIRT_BASE %#lx is not page aligned",
                      (unsigned long)info->virt_base);
    if (info->virt_base > info->virt_kstart)
        return pvb_elf_reject(c, "VIRT_BASE %#lx is above the image start %#lx",
                      (unsigned long)info->virt_base,
                      (unsigned long)info->virt_kstart);
    if (info->entry < info->virt_kstart || info->entry >= info->virt_kend)
        return pvb_elf_reject(c, "ENTRY %#lx is outside the image [%#lx, %#lx)",
                      (unsigned long)info->entry,
                      (unsigned long)info->virt_kstart,
                      (unsigned long)info->virt_kend);
    /* The builder writes a whole page of stubs there. */
    if (info->has_hypercall_page &&
        (!PVB_ALIGNED(info->hypercall_page, PVBOOT_PAGE_SIZE) ||
         info->hypercall_page < info->virt_kstart ||
         info->hypercall_page >= info->virt_kend ||
         info->virt_kend - info->hypercall_page < PVBOOT_PAGE_SIZE))
        return pvb_elf_reject(c, "HYPERCALL_PAGE %#lx is not a page inside the image",
                      (unsigned long)info->hypercall_page);
    if (info->has_init_p2m && info->init_p2m >= info->virt_kstart &&
        info->init_p2m < info->virt_kend)
        return pvb_elf_reject(c, "INIT_P2M %#lx lies inside the image",
                      (unsigned long)info->init_p2m);
    return 0;
}
