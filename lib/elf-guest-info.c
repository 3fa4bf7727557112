/* SPDX-License-Identifier: MIT */
/*
 * lib/elf-guest-info.c - the legacy "__xen_guest" section that kernels
 * older than Xen's ELF notes carry: one string of comma-separated
 * NAME=VALUE items ("GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_BASE=0x...").
 * Libelf reads it only when an image has no Xen note at all, and so do we.
 *
 * The names and their meaning are libelf's: VIRT_ENTRY (not ENTRY) is the
 * entry point, HYPERCALL_PAGE is a page number counted from the VIRT_BASE
 * given before it, numbers are C literals (0x.., 0.., decimal).  Unknown
 * names are ignored, as libelf does; overlong names and values are cut.
 */
#include "elf-ctx.h"

#define GI_NAME_LEN     32
#define GI_VALUE_LEN    128
#define GI_MAX_LEN      4096    /* far beyond any real string */

/* Like strtoull(s, NULL, 0) on a trusted-length string; wraps silently. */
static uint64_t c_number(const char *s)
{
    unsigned int base = 10;
    uint64_t v = 0;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    } else if (s[0] == '0') {
        base = 8;
    }
    for (;; s++) {
        unsigned int d;

        if (*s >= '0' && *s <= '9')
            d = (unsigned int)(*s - '0');
        else if (*s >= 'a' && *s <= 'f')
            d = (unsigned int)(*s - 'a' + 10);
        else if (*s >= 'A' && *s <= 'F')
            d = (unsigned int)(*s - 'A' + 10);
        else
            break;
        if (d >= base)
            break;
        v = v * base + d;
    }
    return v;
}

static void set_num(struct elf_ctx *c, unsigned int type, uint64_t v)
{
    c->num[type] = v;
    c->seen |= SEEN(type);
}

static void copy_value(char *dst, const char *value)
{
    size_t n = PVB_MIN(strlen(value), (size_t)ELF_STR_LEN - 1);

    memcpy(dst, value, n);
    dst[n] = '\0';
}

static int guest_item(struct elf_ctx *c, struct xen_elf_info *info,
                      const char *name, const char *value)
{
    if (!strcmp(name, "LOADER"))
        copy_value(info->loader, value);
    else if (!strcmp(name, "GUEST_OS"))
        copy_value(info->guest_os, value);
    else if (!strcmp(name, "GUEST_VER"))
        copy_value(info->guest_version, value);
    else if (!strcmp(name, "XEN_VER"))
        copy_value(info->xen_version, value);
    else if (!strcmp(name, "PAE"))
        info->pae = !strncmp(value, "yes", 3) ? XEN_ELF_PAE_YES : info->pae;
    else if (!strcmp(name, "BSD_SYMTAB"))
        info->bsd_symtab = true;
    else if (!strcmp(name, "VIRT_BASE"))
        set_num(c, XEN_ELFNOTE_VIRT_BASE, c_number(value));
    else if (!strcmp(name, "VIRT_ENTRY"))
        set_num(c, XEN_ELFNOTE_ENTRY, c_number(value));
    else if (!strcmp(name, "ELF_PADDR_OFFSET"))
        set_num(c, XEN_ELFNOTE_PADDR_OFFSET, c_number(value));
    else if (!strcmp(name, "HYPERCALL_PAGE"))
        set_num(c, XEN_ELFNOTE_HYPERCALL_PAGE,
                (c_number(value) << PVBOOT_PAGE_SHIFT) + c->num[XEN_ELFNOTE_VIRT_BASE]);
    else if (!strcmp(name, "FEATURES"))
        return pvb_elf_parse_features(c, info, value);
    return 0;
}

/* Copy one NAME or VALUE out, cut to 'max' - 1 bytes; returns its end. */
static size_t take(const char *s, size_t n, size_t i, char *dst, size_t max,
                   bool is_name)
{
    size_t k = 0;

    while (i < n && s[i] != ',' && !(is_name && s[i] == '=')) {
        if (k < max - 1)
            dst[k++] = s[i];
        i++;
    }
    dst[k] = '\0';
    return i;
}

static int parse_string(struct elf_ctx *c, struct xen_elf_info *info,
                        const char *s, size_t n)
{
    size_t i = 0;
    int rc;

    while (i < n) {
        char name[GI_NAME_LEN], value[GI_VALUE_LEN];

        i = take(s, n, i, name, sizeof(name), true);
        value[0] = '\0';
        if (i < n && s[i] == '=')
            i = take(s, n, i + 1, value, sizeof(value), false);
        if (i < n)
            i++;                /* the comma */
        rc = guest_item(c, info, name, value);
        if (rc)
            return rc;
    }
    return 0;
}

/* Is the section named "__xen_guest"?  Its name is framed in the table. */
static bool named_xen_guest(const struct elf_ctx *c, const Elf64_Shdr *strtab,
                            const Elf64_Shdr *sh)
{
    static const char want[] = "__xen_guest";

    if (sh->sh_name >= strtab->sh_size ||
        strtab->sh_size - sh->sh_name < sizeof(want))
        return false;
    return !memcmp(c->img + strtab->sh_offset + sh->sh_name, want, sizeof(want));
}

int pvb_elf_guest_info(struct elf_ctx *c, const Elf64_Ehdr *eh,
                       struct xen_elf_info *info)
{
    Elf64_Shdr strtab, sh;
    size_t n;

    if (!eh->e_shnum || eh->e_shstrndx >= eh->e_shnum)
        return -XEN_ENOENT;
    memcpy(&strtab, c->img + eh->e_shoff + (uint64_t)eh->e_shstrndx * sizeof(sh),
           sizeof(strtab));
    if (strtab.sh_type != SHT_STRTAB || !pvb_in_image(c, strtab.sh_offset, strtab.sh_size))
        return -XEN_ENOENT;
    for (unsigned int i = 1; i < eh->e_shnum; i++) {
        memcpy(&sh, c->img + eh->e_shoff + (uint64_t)i * sizeof(sh), sizeof(sh));
        if (!named_xen_guest(c, &strtab, &sh))
            continue;
        if (!pvb_in_image(c, sh.sh_offset, sh.sh_size))
            return pvb_elf_reject(c, "__xen_guest section at %#lx+%#lx runs past the image",
                                  (unsigned long)sh.sh_offset, (unsigned long)sh.sh_size);
        /* The string ends at its NUL or at the end of the section. */
        for (n = 0; n < sh.sh_size && n < GI_MAX_LEN && c->img[sh.sh_offset + n]; n++)
            ;
        info->legacy_guest_info = true;
        return parse_string(c, info, (const char *)c->img + sh.sh_offset, n);
    }
    return -XEN_ENOENT;
}
