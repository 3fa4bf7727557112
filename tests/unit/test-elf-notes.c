/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test-elf-notes.c - the ELF parser on Xen notes: which are
 * required, their values, sizes and strings, the FEATURES syntax, and how
 * notes are framed in PT_NOTE segments and SHT_NOTE sections.
 */
#include "elf-image.h"
#include "cunit-runner.h"

/* ---- notes: presence and values ------------------------------------------ */

static void test_required_notes(void)
{
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

    /* pfn n of the region is at VIRT_BASE + n pages: a page boundary. */
    tmpl_init(XEN_ELFNOTE_VIRT_BASE);
    note_u64(XEN_ELFNOTE_VIRT_BASE, KBASE + 0x80);
    REJECT("not page aligned");

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
    t.eh.e_entry = ENTRY + 0x20;
    add_note("Xe", XEN_ELFNOTE_ENTRY, "abcdefgh", 8);
    add_note("XenX", XEN_ELFNOTE_ENTRY, "abcdefgh", 8);
    CU_ASSERT_EQUAL(parse(), 0);
    CU_ASSERT(info.entry_from_ehdr);
    CU_ASSERT_EQUAL(info.entry, ENTRY + 0x20);
}

static void test_note_containers(void)
{
    Elf64_Nhdr nh = { 0, 0, 99 };

    /* Only a foreign note: no Xen notes at all. */
    tmpl_init(-2);
    add_note("GNU", 3, "12345678", 8);
    REJECT("no Xen ELF notes and no __xen_guest");
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

static const struct unit_test elf_notes_tests[] = {
    UNIT_TEST(test_required_notes),
    UNIT_TEST(test_defaults),
    UNIT_TEST(test_addresses),
    UNIT_TEST(test_numeric_sizes),
    UNIT_TEST(test_strings),
    UNIT_TEST(test_features),
    UNIT_TEST(test_note_framing),
    UNIT_TEST(test_note_containers),
    UNIT_TEST(test_section_notes),
    UNIT_END
};
UNIT_SUITE(elf_notes, NULL, NULL, elf_notes_tests)
