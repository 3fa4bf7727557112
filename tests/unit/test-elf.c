/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test-elf.c - the PV kernel ELF parser (hypervisor/pv/elf.c)
 * against images built in memory: a Linux-like valid kernel, each missing
 * or malformed note, broken header tables, every truncation of the valid
 * image and thousands of seeded random mutations.
 *
 * Every image is parsed from a heap copy of exactly its length, so
 * AddressSanitizer flags any read past the end.
 */
#include <stdlib.h>
#include <string.h>
#include <CUnit/CUnit.h>
#include <mica/elf.h>
#include <mica/errno.h>
#include <public/elfnote.h>
#include "cunit-runner.h"

#define KBASE       0xffffffff80000000ULL   /* VIRT_BASE, as Linux */
#define PSTART      0x1000000ULL
#define KSTART      (KBASE + PSTART)
#define TEXT_SZ     0x1000ULL
#define DATA_FILESZ 0x800ULL
#define DATA_MEMSZ  0x3000ULL
#define KEND        (KSTART + TEXT_SZ + DATA_MEMSZ)
#define ENTRY       (KSTART + 0x100)

#define PHDR_OFF    64
#define SHDR_OFF    0x300       /* room for 3 section headers */
#define NOTE_OFF    0x400
#define MAX_NOTES   0x12000
#define MAX_IMG     (MAX_NOTES + 0x8000)

/* An image under construction: headers as structs, notes as raw bytes. */
struct tmpl {
    Elf64_Ehdr eh;
    Elf64_Phdr ph[8];
    Elf64_Shdr sh[3];
    unsigned int nph, nsh;
    uint8_t notes[MAX_NOTES];
    size_t notes_len;
    uint64_t note_align;
};

static struct tmpl t;
static uint8_t img[MAX_IMG] __attribute__((aligned(16)));
static size_t img_len;
static struct xen_elf_info info;
static char why[ELF_WHY_LEN];

static void add_note(const char *name, uint32_t type, const void *desc,
                     uint32_t descsz)
{
    uint32_t namesz = name ? strlen(name) + 1 : 0;
    Elf64_Nhdr nh = { namesz, descsz, type };
    size_t a = t.note_align;

    memcpy(t.notes + t.notes_len, &nh, sizeof(nh));
    t.notes_len += sizeof(nh);
    if (name)
        memcpy(t.notes + t.notes_len, name, namesz);
    t.notes_len = ROUNDUP(t.notes_len + namesz, a);
    if (descsz)
        memcpy(t.notes + t.notes_len, desc, descsz);
    t.notes_len = ROUNDUP(t.notes_len + descsz, a);
}

static void note_str(uint32_t type, const char *s)
{
    add_note("Xen", type, s, strlen(s) + 1);
}

static void note_u64(uint32_t type, uint64_t v)
{
    add_note("Xen", type, &v, 8);
}

static void note_u32(uint32_t type, uint32_t v)
{
    add_note("Xen", type, &v, 4);
}

/* The notes of a Debian 6.1 kernel (and a hypercall page), less 'skip'. */
static void std_notes(int skip)
{
    static const uint64_t l1[2] = { 1, 1 };
    static const struct { uint32_t type; const char *str; uint64_t v; int sz; }
    std[] = {
        { XEN_ELFNOTE_ENTRY, NULL, ENTRY, 8 },
        { XEN_ELFNOTE_HYPERCALL_PAGE, NULL, KSTART, 8 },
        { XEN_ELFNOTE_VIRT_BASE, NULL, KBASE, 8 },
        { XEN_ELFNOTE_PADDR_OFFSET, NULL, 0, 8 },
        { XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 0, 0 },
        { XEN_ELFNOTE_GUEST_OS, "linux", 0, 0 },
        { XEN_ELFNOTE_GUEST_VERSION, "2.6", 0, 0 },
        { XEN_ELFNOTE_LOADER, "generic", 0, 0 },
        { XEN_ELFNOTE_PAE_MODE, "yes", 0, 0 },
        { XEN_ELFNOTE_FEATURES, "!writable_page_tables|pae_pgdir_above_4gb",
          0, 0 },
        { XEN_ELFNOTE_HV_START_LOW, NULL, 0xffff800000000000ULL, 8 },
        { XEN_ELFNOTE_L1_MFN_VALID, NULL, 0, 16 },
        { XEN_ELFNOTE_SUSPEND_CANCEL, NULL, 1, 4 },
        { XEN_ELFNOTE_INIT_P2M, NULL, 0x8000000000ULL, 8 },
        { XEN_ELFNOTE_MOD_START_PFN, NULL, 1, 4 },
        { XEN_ELFNOTE_SUPPORTED_FEATURES, NULL, 0x8801, 4 },
        { XEN_ELFNOTE_PHYS32_ENTRY, NULL, 0x1000050, 4 },
    };

    add_note("GNU", 3, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
    for (unsigned int i = 0; i < ARRAY_SIZE(std); i++) {
        if ((int)std[i].type == skip)
            continue;
        if (std[i].str)
            note_str(std[i].type, std[i].str);
        else if (std[i].sz == 16)
            add_note("Xen", std[i].type, l1, sizeof(l1));
        else if (std[i].sz == 8)
            note_u64(std[i].type, std[i].v);
        else
            note_u32(std[i].type, (uint32_t)std[i].v);
    }
}

/* Header, a PT_NOTE (placed by build()), text at PSTART, data after it. */
static void tmpl_init(int skip)
{
    memset(&t, 0, sizeof(t));
    memcpy(t.eh.e_ident, "\177ELF", 4);
    t.eh.e_ident[EI_CLASS] = ELFCLASS64;
    t.eh.e_ident[EI_DATA] = ELFDATA2LSB;
    t.eh.e_ident[EI_VERSION] = EV_CURRENT;
    t.eh.e_type = ET_EXEC;
    t.eh.e_machine = EM_X86_64;
    t.eh.e_version = EV_CURRENT;
    t.eh.e_entry = PSTART;
    t.eh.e_phoff = PHDR_OFF;
    t.eh.e_ehsize = sizeof(Elf64_Ehdr);
    t.eh.e_phentsize = sizeof(Elf64_Phdr);
    t.note_align = 4;
    t.nph = 3;
    t.ph[0] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_flags = PF_R, .p_align = 4 };
    t.ph[1] = (Elf64_Phdr){ PT_LOAD, PF_R | PF_X, 0, KSTART, PSTART,
                            TEXT_SZ, TEXT_SZ, 0x1000 };
    /* Linked at VA 0 like Linux's per-CPU data: placement goes by paddr. */
    t.ph[2] = (Elf64_Phdr){ PT_LOAD, PF_R | PF_W, 0, 0, PSTART + TEXT_SZ,
                            DATA_FILESZ, DATA_MEMSZ, 0x1000 };
    if (skip != -2)
        std_notes(skip);
}

/*
 * Lay the template out in img[]: loads start on the page after the notes,
 * and the image ends exactly at the last file byte of the data segment,
 * so every truncation cuts into something the parser must check.
 */
static void build(void)
{
    uint64_t load_off = ROUNDUP(NOTE_OFF + t.notes_len, 0x1000);

    memset(img, 0, sizeof(img));
    if (t.ph[0].p_type == PT_NOTE && !t.ph[0].p_offset) {
        t.ph[0].p_offset = NOTE_OFF;
        t.ph[0].p_filesz = t.notes_len;
    }
    if (!t.ph[1].p_offset)
        t.ph[1].p_offset = load_off;
    if (!t.ph[2].p_offset)
        t.ph[2].p_offset = load_off + TEXT_SZ;
    t.eh.e_phnum = t.nph;
    if (t.nsh) {
        t.eh.e_shoff = SHDR_OFF;
        t.eh.e_shnum = t.nsh;
        t.eh.e_shentsize = sizeof(Elf64_Shdr);
    }
    memcpy(img, &t.eh, sizeof(t.eh));
    memcpy(img + PHDR_OFF, t.ph, t.nph * sizeof(Elf64_Phdr));
    memcpy(img + SHDR_OFF, t.sh, t.nsh * sizeof(Elf64_Shdr));
    memcpy(img + NOTE_OFF, t.notes, t.notes_len);
    for (uint64_t i = load_off; i < load_off + TEXT_SZ + DATA_FILESZ; i++)
        img[i] = (uint8_t)(i * 7);
    img_len = load_off + TEXT_SZ + DATA_FILESZ;
}

/* Parse the first 'len' bytes of img[] from an exact-size heap copy. */
static int parse_len(size_t len)
{
    uint8_t *copy = malloc(len ? len : 1);
    int rc;

    memcpy(copy, img, len);
    rc = elf_parse_xen(copy, len, &info, why, sizeof(why));
    free(copy);
    return rc;
}

static int parse(void)
{
    build();
    return parse_len(img_len);
}

/* Expect a rejection whose reason mentions 'word'. */
#define REJECT(word)                                                    \
    do {                                                                \
        CU_ASSERT_EQUAL(parse(), -ENOEXEC);                             \
        CU_ASSERT_PTR_NOT_NULL(strstr(why, word));                      \
    } while (0)

/* ---- the valid image ----------------------------------------------------- */

static void test_valid_image(void)
{
    tmpl_init(-1);
    CU_ASSERT_EQUAL_FATAL(parse(), 0);
    CU_ASSERT_STRING_EQUAL(why, "");
    CU_ASSERT_EQUAL(info.entry, ENTRY);
    CU_ASSERT(info.has_hypercall_page);
    CU_ASSERT_EQUAL(info.hypercall_page, KSTART);
    CU_ASSERT_EQUAL(info.virt_base, KBASE);
    CU_ASSERT_EQUAL(info.paddr_offset, 0);
    CU_ASSERT_EQUAL(info.pstart, PSTART);
    CU_ASSERT_EQUAL(info.pend, PSTART + TEXT_SZ + DATA_MEMSZ);
    CU_ASSERT_EQUAL(info.virt_kstart, KSTART);
    CU_ASSERT_EQUAL(info.virt_kend, KEND);
    CU_ASSERT_STRING_EQUAL(info.xen_version, "xen-3.0");
    CU_ASSERT_STRING_EQUAL(info.guest_os, "linux");
    CU_ASSERT_STRING_EQUAL(info.guest_version, "2.6");
    CU_ASSERT_STRING_EQUAL(info.loader, "generic");
    CU_ASSERT_EQUAL(info.pae, XEN_ELF_PAE_YES);
    /* FEATURES gives bits 0 (required) and 4; SUPPORTED_FEATURES 0, 11, 15. */
    CU_ASSERT_EQUAL(info.f_supported[0], 0x8811);
    CU_ASSERT_EQUAL(info.f_required[0], 0x1);
    CU_ASSERT(info.has_supported_features);
    CU_ASSERT(info.has_hv_start_low);
    CU_ASSERT_EQUAL(info.hv_start_low, 0xffff800000000000ULL);
    CU_ASSERT(info.has_l1_mfn_valid);
    CU_ASSERT_EQUAL(info.l1_mfn_valid_mask, 1);
    CU_ASSERT_EQUAL(info.l1_mfn_valid_value, 1);
    CU_ASSERT(info.suspend_cancel);
    CU_ASSERT(info.has_init_p2m);
    CU_ASSERT_EQUAL(info.init_p2m, 0x8000000000ULL);
    CU_ASSERT(info.mod_start_pfn);
    CU_ASSERT(info.has_phys32_entry);
    CU_ASSERT_EQUAL(info.phys32_entry, 0x1000050);
    CU_ASSERT(!info.bsd_symtab);
    CU_ASSERT_EQUAL(info.nr_load, 2);
    CU_ASSERT_EQUAL(info.nr_xen_notes, 17);
    CU_ASSERT(!info.notes_from_sections);
}

static void test_load_segments(void)
{
    struct elf_segment seg;

    tmpl_init(-1);
    CU_ASSERT_EQUAL_FATAL(parse(), 0);
    CU_ASSERT_EQUAL(elf_load_segment(img, img_len, &info, 0, &seg), 0);
    CU_ASSERT_EQUAL(seg.offset, t.ph[1].p_offset);
    CU_ASSERT_EQUAL(seg.filesz, TEXT_SZ);
    CU_ASSERT_EQUAL(seg.memsz, TEXT_SZ);
    CU_ASSERT_EQUAL(seg.dest, KSTART);
    CU_ASSERT_EQUAL(seg.flags, PF_R | PF_X);
    /* The data segment is linked at VA 0 but lands after the text. */
    CU_ASSERT_EQUAL(elf_load_segment(img, img_len, &info, 1, &seg), 0);
    CU_ASSERT_EQUAL(seg.paddr, PSTART + TEXT_SZ);
    CU_ASSERT_EQUAL(seg.dest, KSTART + TEXT_SZ);
    CU_ASSERT_EQUAL(seg.filesz, DATA_FILESZ);
    CU_ASSERT_EQUAL(seg.memsz, DATA_MEMSZ);
    CU_ASSERT_EQUAL(elf_load_segment(img, img_len, &info, 2, &seg), -ENOENT);
    /* A truncated image is refused even with the info of the whole one. */
    CU_ASSERT_EQUAL(elf_load_segment(img, img_len - 1, &info, 1, &seg),
                    -ENOEXEC);
    CU_ASSERT_EQUAL(elf_load_segment(NULL, 0, &info, 0, &seg), -EINVAL);
}

static void test_arguments(void)
{
    tmpl_init(-1);
    build();
    CU_ASSERT_EQUAL(elf_parse_xen(img, img_len, NULL, why, sizeof(why)),
                    -EINVAL);
    CU_ASSERT_EQUAL(elf_parse_xen(NULL, 10, &info, why, sizeof(why)), -EINVAL);
    /* No reason buffer is fine, and a tiny one is truncated, not overrun. */
    CU_ASSERT_EQUAL(elf_parse_xen(img, img_len, &info, NULL, 0), 0);
    CU_ASSERT_EQUAL(elf_parse_xen(img, 10, &info, NULL, 0), -ENOEXEC);
    CU_ASSERT_EQUAL(elf_parse_xen(img, 10, &info, why, 4), -ENOEXEC);
    CU_ASSERT_EQUAL(strlen(why), 3);
}

/* ---- file header and tables ---------------------------------------------- */

static void test_bad_ident(void)
{
    tmpl_init(-1);
    t.eh.e_ident[1] = 'F';
    REJECT("magic");
    tmpl_init(-1);
    t.eh.e_ident[EI_CLASS] = 1;
    REJECT("64-bit");
    tmpl_init(-1);
    t.eh.e_ident[EI_DATA] = 2;
    REJECT("little-endian");
    tmpl_init(-1);
    t.eh.e_machine = 3;         /* EM_386 */
    REJECT("x86-64");
    tmpl_init(-1);
    t.eh.e_type = 3;            /* ET_DYN */
    REJECT("executable");
    CU_ASSERT_EQUAL(parse_len(63), -ENOEXEC);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "too short"));
}

static void test_phdr_table(void)
{
    tmpl_init(-1);
    t.eh.e_phentsize = 32;
    REJECT("program header size");

    /* build() sets e_phnum, so patch the header afterwards. */
    tmpl_init(-1);
    build();
    ((Elf64_Ehdr *)img)->e_phnum = 0;
    CU_ASSERT_EQUAL(parse_len(img_len), -ENOEXEC);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "no program headers"));
    ((Elf64_Ehdr *)img)->e_phnum = 0xffff;
    CU_ASSERT_EQUAL(parse_len(img_len), -ENOEXEC);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "program headers, at most"));
    ((Elf64_Ehdr *)img)->e_phnum = ELF_MAX_PHNUM + 1;
    CU_ASSERT_EQUAL(parse_len(img_len), -ENOEXEC);
    ((Elf64_Ehdr *)img)->e_phnum = 3;
    ((Elf64_Ehdr *)img)->e_phoff = UINT64_MAX - 8;
    CU_ASSERT_EQUAL(parse_len(img_len), -ENOEXEC);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "runs past"));
    ((Elf64_Ehdr *)img)->e_phoff = img_len - 100;
    CU_ASSERT_EQUAL(parse_len(img_len), -ENOEXEC);
}

static void test_shdr_table(void)
{
    tmpl_init(-1);
    t.nsh = 1;
    CU_ASSERT_EQUAL(parse(), 0);
    ((Elf64_Ehdr *)img)->e_shoff = UINT64_MAX - 0x20;
    CU_ASSERT_EQUAL(parse_len(img_len), -ENOEXEC);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "section header table"));
    ((Elf64_Ehdr *)img)->e_shoff = SHDR_OFF;
    ((Elf64_Ehdr *)img)->e_shentsize = 40;
    CU_ASSERT_EQUAL(parse_len(img_len), -ENOEXEC);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "section header size"));
}

/* ---- loadable segments --------------------------------------------------- */

static void test_load_bounds(void)
{
    tmpl_init(-1);
    t.ph[2].p_filesz = DATA_MEMSZ + 1;
    REJECT("exceeds memory size");
    tmpl_init(-1);
    t.ph[2].p_offset = UINT64_MAX - 0x10;   /* offset + filesz wraps */
    REJECT("run past the image");
    tmpl_init(-1);
    t.ph[1].p_offset = 0x100000;
    REJECT("run past the image");
    tmpl_init(-1);
    t.ph[2].p_paddr = UINT64_MAX - 0x100;   /* paddr + memsz wraps */
    REJECT("too large");
    tmpl_init(-1);
    t.ph[2].p_memsz = ELF_MAX_IMAGE_SPAN + 1;
    REJECT("too large");
    tmpl_init(-1);
    t.ph[2].p_paddr = PSTART + ELF_MAX_IMAGE_SPAN;
    REJECT("image spans");
}

static void test_overlap(void)
{
    tmpl_init(-1);
    t.ph[2].p_paddr = PSTART + TEXT_SZ - 1;
    REJECT("overlap");
    tmpl_init(-1);
    t.ph[2].p_paddr = PSTART - DATA_MEMSZ + 1;  /* below, touching text */
    REJECT("overlap");
    /* A segment just below the text is fine; it moves pstart down. */
    tmpl_init(-1);
    t.ph[2].p_paddr = PSTART - DATA_MEMSZ;
    CU_ASSERT_EQUAL(parse(), 0);
    CU_ASSERT_EQUAL(info.pstart, PSTART - DATA_MEMSZ);
    CU_ASSERT_EQUAL(info.virt_kstart, KSTART - DATA_MEMSZ);
}

static void test_loadable_flags(void)
{
    tmpl_init(-1);
    t.ph[2].p_flags = 0;        /* ignored, as libelf does */
    CU_ASSERT_EQUAL(parse(), 0);
    CU_ASSERT_EQUAL(info.nr_load, 1);
    CU_ASSERT_EQUAL(info.virt_kend, KSTART + TEXT_SZ);
    t.ph[1].p_flags = 0;
    REJECT("no loadable segments");
}

/* ---- notes: presence and values ------------------------------------------ */

static void test_required_notes(void)
{
    tmpl_init(XEN_ELFNOTE_ENTRY);
    REJECT("no ENTRY");
    tmpl_init(XEN_ELFNOTE_XEN_VERSION);
    REJECT("XEN_VERSION");
    tmpl_init(XEN_ELFNOTE_XEN_VERSION);
    note_str(XEN_ELFNOTE_XEN_VERSION, "xen-2.0");
    REJECT("xen-2.0");
    /* Either LOADER=generic or GUEST_OS=linux is enough. */
    tmpl_init(XEN_ELFNOTE_LOADER);
    CU_ASSERT_EQUAL(parse(), 0);
    tmpl_init(XEN_ELFNOTE_GUEST_OS);
    CU_ASSERT_EQUAL(parse(), 0);
    tmpl_init(XEN_ELFNOTE_GUEST_OS);
    note_str(XEN_ELFNOTE_GUEST_OS, "plan9");
    CU_ASSERT_EQUAL(parse(), 0);        /* the loader note still matches */
    tmpl_init(XEN_ELFNOTE_LOADER);
    note_str(XEN_ELFNOTE_LOADER, "bsd");
    CU_ASSERT_EQUAL(parse(), 0);        /* GUEST_OS still says linux */
    tmpl_init(-2);
    note_u64(XEN_ELFNOTE_ENTRY, ENTRY);
    note_u64(XEN_ELFNOTE_VIRT_BASE, KBASE);
    note_str(XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    note_str(XEN_ELFNOTE_GUEST_OS, "plan9");
    REJECT("only generic-loader or Linux");
}

static void test_defaults(void)
{
    /* Minimal notes: no VIRT_BASE, so the image maps at its paddrs. */
    tmpl_init(-2);
    note_u64(XEN_ELFNOTE_ENTRY, PSTART + 0x10);
    note_str(XEN_ELFNOTE_XEN_VERSION, "xen-3.0.4");
    note_str(XEN_ELFNOTE_LOADER, "generic");
    CU_ASSERT_EQUAL_FATAL(parse(), 0);
    CU_ASSERT_EQUAL(info.virt_base, 0);
    CU_ASSERT_EQUAL(info.paddr_offset, 0);
    CU_ASSERT_EQUAL(info.virt_kstart, PSTART);
    CU_ASSERT(!info.has_hypercall_page && !info.has_init_p2m);
    CU_ASSERT_EQUAL(info.pae, XEN_ELF_PAE_NO);
    CU_ASSERT_EQUAL(info.f_supported[0], 0);

    tmpl_init(XEN_ELFNOTE_VIRT_BASE);
    REJECT("PADDR_OFFSET is set but VIRT_BASE");

    /* A paddr offset moves the image: libelf's virt_kstart formula. */
    tmpl_init(XEN_ELFNOTE_PADDR_OFFSET);
    note_u64(XEN_ELFNOTE_PADDR_OFFSET, 0x800000);
    t.ph[1].p_paddr += 0x800000;
    t.ph[2].p_paddr += 0x800000;
    CU_ASSERT_EQUAL(parse(), 0);
    CU_ASSERT_EQUAL(info.virt_kstart, KSTART);
    CU_ASSERT_EQUAL(info.pstart, PSTART + 0x800000);
}

static void test_addresses(void)
{
    tmpl_init(XEN_ELFNOTE_ENTRY);
    note_u64(XEN_ELFNOTE_ENTRY, KEND);
    REJECT("ENTRY");
    tmpl_init(XEN_ELFNOTE_ENTRY);
    note_u64(XEN_ELFNOTE_ENTRY, KSTART - 1);
    REJECT("outside the image");
    tmpl_init(XEN_ELFNOTE_ENTRY);
    note_u64(XEN_ELFNOTE_ENTRY, KEND - 1);
    CU_ASSERT_EQUAL(parse(), 0);

    tmpl_init(XEN_ELFNOTE_HYPERCALL_PAGE);
    note_u64(XEN_ELFNOTE_HYPERCALL_PAGE, KSTART + 8);
    REJECT("HYPERCALL_PAGE");
    tmpl_init(XEN_ELFNOTE_HYPERCALL_PAGE);
    note_u64(XEN_ELFNOTE_HYPERCALL_PAGE, KEND);
    REJECT("HYPERCALL_PAGE");
    tmpl_init(XEN_ELFNOTE_HYPERCALL_PAGE);
    note_u64(XEN_ELFNOTE_HYPERCALL_PAGE, KSTART - PAGE_SIZE);
    REJECT("HYPERCALL_PAGE");
    tmpl_init(XEN_ELFNOTE_HYPERCALL_PAGE);
    note_u64(XEN_ELFNOTE_HYPERCALL_PAGE, KEND - PAGE_SIZE);
    CU_ASSERT_EQUAL(parse(), 0);

    /* Page aligned, but the image ends half-way through that page. */
    tmpl_init(XEN_ELFNOTE_HYPERCALL_PAGE);
    t.ph[2].p_memsz = DATA_MEMSZ - 0x800;
    note_u64(XEN_ELFNOTE_HYPERCALL_PAGE, KEND - PAGE_SIZE);
    REJECT("HYPERCALL_PAGE");

    tmpl_init(XEN_ELFNOTE_INIT_P2M);
    note_u64(XEN_ELFNOTE_INIT_P2M, KSTART + 0x2000);
    REJECT("INIT_P2M");

    /* VIRT_BASE above the image start. */
    tmpl_init(XEN_ELFNOTE_PADDR_OFFSET);
    note_u64(XEN_ELFNOTE_PADDR_OFFSET, PSTART + 0x1000);
    REJECT("VIRT_BASE");

    /* Start near the top so that start + size wraps past zero. */
    tmpl_init(XEN_ELFNOTE_PADDR_OFFSET);
    note_u64(XEN_ELFNOTE_PADDR_OFFSET, PSTART + KBASE - (0ULL - 0x2000));
    REJECT("wraps");
}

static void test_numeric_sizes(void)
{
    uint8_t one = 1;
    uint16_t two = 0x1234;

    tmpl_init(XEN_ELFNOTE_MOD_START_PFN);
    add_note("Xen", XEN_ELFNOTE_MOD_START_PFN, &one, 1);
    add_note("Xen", XEN_ELFNOTE_HV_START_LOW, &two, 2);
    CU_ASSERT_EQUAL(parse(), 0);
    CU_ASSERT(info.mod_start_pfn);
    CU_ASSERT_EQUAL(info.hv_start_low, 0x1234);     /* the later note wins */

    tmpl_init(XEN_ELFNOTE_ENTRY);
    add_note("Xen", XEN_ELFNOTE_ENTRY, "\0\1\2", 3);
    REJECT("3-byte");
    tmpl_init(XEN_ELFNOTE_ENTRY);
    add_note("Xen", XEN_ELFNOTE_ENTRY, NULL, 0);
    REJECT("0-byte");
    tmpl_init(XEN_ELFNOTE_SUPPORTED_FEATURES);
    add_note("Xen", XEN_ELFNOTE_SUPPORTED_FEATURES, "\1\0\0", 3);
    REJECT("SUPPORTED_FEATURES");
    /* L1_MFN_VALID of another shape is ignored, as only restore reads it. */
    tmpl_init(XEN_ELFNOTE_L1_MFN_VALID);
    note_u32(XEN_ELFNOTE_L1_MFN_VALID, 1);
    CU_ASSERT_EQUAL(parse(), 0);
    CU_ASSERT(!info.has_l1_mfn_valid);
}

static void test_strings(void)
{
    /* A string may fill its descriptor without a NUL (Linux's FEATURES). */
    tmpl_init(XEN_ELFNOTE_XEN_VERSION);
    add_note("Xen", XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 7);   /* no NUL */
    CU_ASSERT_EQUAL(parse(), 0);
    CU_ASSERT_STRING_EQUAL(info.xen_version, "xen-3.0");
    tmpl_init(XEN_ELFNOTE_FEATURES);
    add_note("Xen", XEN_ELFNOTE_FEATURES, "!writable_page_tables|pae_pgdir_above_4gb", 41);
    CU_ASSERT_EQUAL(parse(), 0);
    CU_ASSERT(info.f_required[0] & (1U << XENFEAT_writable_page_tables));
    CU_ASSERT(info.f_supported[0] & (1U << XENFEAT_pae_pgdir_above_4gb));
    tmpl_init(XEN_ELFNOTE_GUEST_OS);
    add_note("Xen", XEN_ELFNOTE_GUEST_OS, NULL, 0);
    REJECT("GUEST_OS");
    /* Over-long strings are cut to the field, not rejected. */
    tmpl_init(XEN_ELFNOTE_GUEST_VERSION);
    note_str(XEN_ELFNOTE_GUEST_VERSION,
             "0123456789012345678901234567890123456789");
    CU_ASSERT_EQUAL(parse(), 0);
    CU_ASSERT_EQUAL(strlen(info.guest_version), ELF_STR_LEN - 1);
    tmpl_init(XEN_ELFNOTE_PAE_MODE);
    note_str(XEN_ELFNOTE_PAE_MODE, "yes,bimodal");
    note_str(XEN_ELFNOTE_BSD_SYMTAB, "yes");
    CU_ASSERT_EQUAL(parse(), 0);
    CU_ASSERT_EQUAL(info.pae, XEN_ELF_PAE_BIMODAL);
    CU_ASSERT(info.bsd_symtab);
    tmpl_init(XEN_ELFNOTE_PAE_MODE);
    note_str(XEN_ELFNOTE_PAE_MODE, "no");
    CU_ASSERT_EQUAL(parse(), 0);
    CU_ASSERT_EQUAL(info.pae, XEN_ELF_PAE_NO);
}

static void test_features(void)
{
    tmpl_init(XEN_ELFNOTE_SUPPORTED_FEATURES);
    note_str(XEN_ELFNOTE_FEATURES,
             "||dom0|bogus_feature||!supervisor_mode_kernel|");
    CU_ASSERT_EQUAL(parse(), 0);
    /* std FEATURES (bits 0 req, 4) plus this note: dom0 11, smk 3 req. */
    CU_ASSERT_EQUAL(info.f_supported[0], (1U << 0) | (1U << 3) | (1U << 4) |
                                         (1U << 11));
    CU_ASSERT_EQUAL(info.f_required[0], (1U << 0) | (1U << 3));
    CU_ASSERT(!info.has_supported_features);
    tmpl_init(XEN_ELFNOTE_FEATURES);
    note_str(XEN_ELFNOTE_FEATURES, "writable_page_tables|!no_such_thing");
    REJECT("no_such_thing");
    tmpl_init(XEN_ELFNOTE_FEATURES);
    note_str(XEN_ELFNOTE_FEATURES, "!");
    REJECT("unknown feature");
    tmpl_init(XEN_ELFNOTE_FEATURES);
    note_str(XEN_ELFNOTE_FEATURES, "");
    CU_ASSERT_EQUAL(parse(), 0);
    CU_ASSERT_EQUAL(info.f_required[0], 0);
}

/* ---- notes: containers and framing --------------------------------------- */

static void test_note_framing(void)
{
    Elf64_Nhdr nh;

    /* A "Xen" note claiming a huge descriptor. */
    tmpl_init(-1);
    nh = (Elf64_Nhdr){ 4, 0xffffffff, XEN_ELFNOTE_ENTRY };
    memcpy(t.notes + t.notes_len, &nh, sizeof(nh));
    memcpy(t.notes + t.notes_len + 12, "Xen", 4);
    t.notes_len += 24;
    REJECT("runs past its container");
    /* A foreign note with a huge name is still bounds-checked. */
    tmpl_init(-1);
    nh = (Elf64_Nhdr){ 0xfffffffd, 0, 1 };
    memcpy(t.notes + t.notes_len, &nh, sizeof(nh));
    t.notes_len += 16;
    REJECT("runs past its container");
    /* Trailing bytes too short for a note header. */
    tmpl_init(-1);
    t.notes_len += 8;
    REJECT("truncated note header");
    /* The note segment itself pointing past the image. */
    tmpl_init(-1);
    t.ph[0].p_offset = NOTE_OFF;
    t.ph[0].p_filesz = UINT64_MAX - NOTE_OFF + 1;
    REJECT("notes at");
    /* A descriptor one byte longer than what is left of the container. */
    tmpl_init(-1);
    t.ph[0].p_offset = NOTE_OFF;
    t.ph[0].p_filesz = t.notes_len - 1;
    REJECT("runs past its container");
    /* The last note may lack its padding. */
    tmpl_init(-1);
    add_note("Xen", XEN_ELFNOTE_GUEST_VERSION, "abcde", 6);
    t.notes_len -= 2;
    CU_ASSERT_EQUAL(parse(), 0);
    CU_ASSERT_STRING_EQUAL(info.guest_version, "abcde");
    /* "Xen" without its NUL, or a longer name, is someone else's note. */
    tmpl_init(XEN_ELFNOTE_ENTRY);
    add_note("Xe", XEN_ELFNOTE_ENTRY, "abcdefgh", 8);
    add_note("XenX", XEN_ELFNOTE_ENTRY, "abcdefgh", 8);
    REJECT("no ENTRY");
}

static void test_note_containers(void)
{
    Elf64_Nhdr nh = { 0, 0, 99 };

    /* Only a foreign note: no Xen notes at all. */
    tmpl_init(-2);
    add_note("GNU", 3, "12345678", 8);
    REJECT("no Xen ELF notes");
    /* Notes split across two PT_NOTE segments add up. */
    tmpl_init(-1);
    t.nph = 4;
    t.ph[3] = t.ph[0];
    t.ph[0].p_offset = NOTE_OFF;
    t.ph[0].p_filesz = 48;      /* the GNU note and ENTRY, 24 bytes each */
    t.ph[3].p_offset = NOTE_OFF + 48;
    t.ph[3].p_filesz = t.notes_len - 48;
    CU_ASSERT_EQUAL(parse(), 0);
    CU_ASSERT_EQUAL(info.nr_xen_notes, 17);
    /* 8-byte note alignment when the segment asks for it. */
    tmpl_init(-2);
    t.note_align = 8;
    t.ph[0].p_align = 8;
    note_str(XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    note_u64(XEN_ELFNOTE_ENTRY, ENTRY);
    note_u64(XEN_ELFNOTE_VIRT_BASE, KBASE);
    note_str(XEN_ELFNOTE_GUEST_OS, "linux");
    CU_ASSERT_EQUAL(parse(), 0);
    CU_ASSERT_EQUAL(info.entry, ENTRY);
    /* Too many (empty) notes. */
    tmpl_init(-1);
    for (int i = 0; i <= ELF_MAX_NOTES; i++) {
        memcpy(t.notes + t.notes_len, &nh, sizeof(nh));
        t.notes_len += sizeof(nh);
    }
    REJECT("more than");
}

static void test_section_notes(void)
{
    /* No usable PT_NOTE (p_offset 0 is skipped): the SHT_NOTE is used. */
    tmpl_init(-1);
    t.nsh = 2;
    t.sh[1].sh_type = SHT_NOTE;
    t.sh[1].sh_offset = NOTE_OFF;
    t.sh[1].sh_size = t.notes_len;
    t.sh[1].sh_addralign = 4;
    build();
    ((Elf64_Phdr *)(img + PHDR_OFF))->p_offset = 0;
    CU_ASSERT_EQUAL(parse_len(img_len), 0);
    CU_ASSERT(info.notes_from_sections);
    CU_ASSERT_EQUAL(info.entry, ENTRY);
    /* A note section outside the image. */
    ((Elf64_Shdr *)(img + SHDR_OFF))[1].sh_size = 0x100000;
    CU_ASSERT_EQUAL(parse_len(img_len), -ENOEXEC);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "notes at"));
}

/* ---- hostile input at scale ---------------------------------------------- */

/* Every strict prefix of the valid image must fail cleanly with a reason. */
static void test_truncation(void)
{
    struct elf_segment seg;
    unsigned int bad = 0;

    tmpl_init(-1);
    build();
    for (size_t len = 0; len < img_len; len++) {
        if (parse_len(len) != -ENOEXEC || !why[0])
            bad++;
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL(parse_len(img_len), 0);
    for (size_t len = 0; len < img_len; len += 61) {
        uint8_t *copy = malloc(len ? len : 1);

        memcpy(copy, img, len);
        CU_ASSERT(elf_load_segment(copy, len, &info, 1, &seg) < 0);
        free(copy);
    }
}

static uint64_t rng_state;

static uint64_t rng(void)
{
    /* xorshift64: deterministic, so a failure reproduces. */
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* What an accepted image promises the builder must hold. */
static bool invariants_hold(const uint8_t *p, size_t len)
{
    struct elf_segment seg;

    if (info.entry < info.virt_kstart || info.entry >= info.virt_kend ||
        info.virt_kend - info.virt_kstart > ELF_MAX_IMAGE_SPAN ||
        !info.nr_load)
        return false;
    for (unsigned int i = 0; i < info.nr_load; i++) {
        if (elf_load_segment(p, len, &info, i, &seg))
            return false;
        if (seg.offset > len || seg.filesz > len - seg.offset ||
            seg.filesz > seg.memsz || seg.dest < info.virt_kstart ||
            seg.memsz > info.virt_kend - seg.dest)
            return false;
    }
    return elf_load_segment(p, len, &info, info.nr_load, &seg) == -ENOENT;
}

static void mutate_run(unsigned int rounds, bool headers_only)
{
    static const uint64_t nasty[] = {
        0, 1, 0xff, 0xffff, 0x7fffffff, 0xffffffff, 0xfffffffffffff000ULL,
        UINT64_MAX, 0x8000000000000000ULL,
    };
    unsigned int accepted = 0, broken = 0;
    uint8_t *copy;

    tmpl_init(-1);
    build();
    copy = malloc(img_len);
    for (unsigned int r = 0; r < rounds; r++) {
        unsigned int flips = 1 + rng() % 8;
        size_t span = headers_only ? NOTE_OFF + t.notes_len : img_len;
        int rc;

        memcpy(copy, img, img_len);
        for (unsigned int f = 0; f < flips; f++) {
            size_t at = rng() % span;

            if (rng() % 4) {
                copy[at] ^= (uint8_t)(1 + rng() % 255);
            } else {
                uint64_t v = nasty[rng() % ARRAY_SIZE(nasty)];
                size_t n = MIN((size_t)8, img_len - at);

                memcpy(copy + at, &v, n);
            }
        }
        rc = elf_parse_xen(copy, img_len, &info, why, sizeof(why));
        if (rc == 0) {
            accepted++;
            if (!invariants_hold(copy, img_len))
                broken++;
        } else if (rc != -ENOEXEC || !why[0]) {
            broken++;
        }
    }
    free(copy);
    CU_ASSERT_EQUAL(broken, 0);
    /* Sanity: some mutants still parse, so the checks above ran. */
    CU_ASSERT(accepted > 0);
}

static void test_mutations(void)
{
    rng_state = 0x6d6963612d656c66ULL;
    mutate_run(3000, false);
}

static void test_header_mutations(void)
{
    rng_state = 0x1234567887654321ULL;
    mutate_run(3000, true);
}

static const struct unit_test elf_tests[] = {
    UNIT_TEST(test_valid_image),
    UNIT_TEST(test_load_segments),
    UNIT_TEST(test_arguments),
    UNIT_TEST(test_bad_ident),
    UNIT_TEST(test_phdr_table),
    UNIT_TEST(test_shdr_table),
    UNIT_TEST(test_load_bounds),
    UNIT_TEST(test_overlap),
    UNIT_TEST(test_loadable_flags),
    UNIT_TEST(test_required_notes),
    UNIT_TEST(test_defaults),
    UNIT_TEST(test_addresses),
    UNIT_TEST(test_numeric_sizes),
    UNIT_TEST(test_strings),
    UNIT_TEST(test_features),
    UNIT_TEST(test_note_framing),
    UNIT_TEST(test_note_containers),
    UNIT_TEST(test_section_notes),
    UNIT_TEST(test_truncation),
    UNIT_TEST(test_mutations),
    UNIT_TEST(test_header_mutations),
    UNIT_END
};
UNIT_SUITE(elf, NULL, NULL, elf_tests)
