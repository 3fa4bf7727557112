/* SPDX-License-Identifier: MIT */
/*
 * pvboot/elf.h - the PV kernel image parser: checks a 64-bit x86 ELF
 * kernel and reads its "Xen" ELF notes, for every domain builder (the
 * hypervisor's for dom0 and boot-time guests, libmica's, the test
 * kernel's).
 *
 * The parser is pure: it reads a (pointer, length) image that it does not
 * trust, never writes to it, allocates nothing and touches no hardware, so
 * tests/unit runs it on the host against truncated and hostile images.
 * Errors are negative errno values (Linux's numbers, as public/errno.h).
 */
#ifndef PVBOOT_ELF_H
#define PVBOOT_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <public/features.h>

#define PVBOOT_PAGE_SHIFT   12
#define PVBOOT_PAGE_SIZE    (1ULL << PVBOOT_PAGE_SHIFT)

/* ---- limits ------------------------------------------------------------ */

/*
 * The initial mapping Linux keeps is one L2 (1 GiB), so no image we could
 * boot spans more; refusing larger ones early also keeps every later sum
 * of addresses far from wrapping.
 */
#define ELF_MAX_IMAGE_SPAN  (1ULL << 30)
#define ELF_MAX_PHNUM       128     /* real kernels have about 5 */
#define ELF_MAX_NOTES       4096    /* bounds the note walk, as Xen does */
#define ELF_WHY_LEN         128     /* a comfortable size for 'why' buffers */
#define ELF_STR_LEN         32      /* longer note strings are truncated */
#define ELF_NOTE_STR_MAX    1024    /* longest string note accepted */

/* ---- what the parser reports ------------------------------------------- */

enum xen_elf_pae {
    XEN_ELF_PAE_NO = 0,         /* note absent or any other value */
    XEN_ELF_PAE_YES,            /* "yes": extended CR3 understood */
    XEN_ELF_PAE_BIMODAL,        /* contains "bimodal" */
};

/*
 * Everything the domain builder needs from the image.  Addresses are guest
 * virtual unless named p*.  Optional notes come with a has_* flag because 0
 * is a meaningful value for several of them.
 */
struct xen_elf_info {
    uint64_t entry;             /* XEN_ELFNOTE_ENTRY, else e_entry */
    uint64_t hypercall_page;    /* XEN_ELFNOTE_HYPERCALL_PAGE (optional) */
    bool has_hypercall_page;

    /*
     * Notes 3 and 4 after libelf's defaults: VIRT_BASE 0 when absent;
     * PADDR_OFFSET 0 with notes, VIRT_BASE with the legacy section.
     */
    uint64_t virt_base;
    uint64_t paddr_offset;

    /* [pstart, pend): lowest p_paddr to highest p_paddr + p_memsz. */
    uint64_t pstart, pend;
    /* [virt_kstart, virt_kend): the same range moved by base - offset. */
    uint64_t virt_kstart, virt_kend;

    char xen_version[ELF_STR_LEN];      /* starts with "xen-3.0" */
    char guest_os[ELF_STR_LEN];
    char guest_version[ELF_STR_LEN];
    char loader[ELF_STR_LEN];

    /*
     * Feature bitmaps indexed by XENFEAT_* bit number: FEATURES names a
     * feature as supported, or as required with a leading '!' (a required
     * feature is also supported); SUPPORTED_FEATURES ORs in a raw bitmap.
     * Whether the hypervisor can meet f_required is the builder's call.
     */
    uint32_t f_supported[XENFEAT_NR_SUBMAPS];
    uint32_t f_required[XENFEAT_NR_SUBMAPS];
    bool has_supported_features;        /* note 17 present (dom0 check) */

    enum xen_elf_pae pae;
    bool bsd_symtab;                    /* recorded; symbols are not loaded */
    bool suspend_cancel;
    bool mod_start_pfn;                 /* initrd may be given as a pfn */

    uint64_t hv_start_low;
    bool has_hv_start_low;
    uint64_t init_p2m;                  /* outside the image when present */
    bool has_init_p2m;
    uint64_t phys32_entry;              /* PVH only; recorded, unused */
    bool has_phys32_entry;
    uint64_t l1_mfn_valid_mask, l1_mfn_valid_value;
    bool has_l1_mfn_valid;

    unsigned int nr_load;       /* loadable PT_LOAD segments */
    unsigned int nr_xen_notes;  /* "Xen" notes seen */
    bool notes_from_sections;   /* found via SHT_NOTE, not PT_NOTE */
    bool legacy_guest_info;     /* no notes: the "__xen_guest" string */
    bool entry_from_ehdr;       /* no ENTRY: the ELF header's e_entry */
};

/* One loadable segment, ready to copy: filesz bytes, then zeroes to memsz. */
struct elf_segment {
    uint64_t offset;    /* in the image; [offset, offset + filesz) is inside */
    uint64_t filesz;
    uint64_t memsz;     /* >= filesz */
    uint64_t paddr;     /* p_paddr as linked */
    uint64_t dest;      /* guest VA: virt_kstart + (paddr - pstart) */
    uint32_t flags;     /* ELF's PF_R (4) | PF_W (2) | PF_X (1) */
};

/*
 * Check a 64-bit x86 PV kernel image and fill *info from its headers and
 * Xen notes, following Xen's libelf rules.  Returns 0, or -ENOEXEC (image
 * rejected) / -EINVAL (bad arguments) with a one-line reason in 'why'
 * (which may be NULL when whylen is 0).  *info is zeroed first and is only
 * meaningful on success.
 */
int elf_parse_xen(const void *image, size_t len, struct xen_elf_info *info,
                  char *why, size_t whylen);

/*
 * Describe loadable segment 'idx' (0 .. info->nr_load - 1, in program
 * header order) of an image that elf_parse_xen() accepted into *info.
 * The segment's bounds are checked again, so a mismatched image fails
 * cleanly.  Returns 0, -ENOENT past the last segment, or -ENOEXEC.
 */
int elf_load_segment(const void *image, size_t len,
                     const struct xen_elf_info *info, unsigned int idx,
                     struct elf_segment *seg);

#endif /* PVBOOT_ELF_H */
