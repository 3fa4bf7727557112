/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test-elf-legacy.c - libelf's defaults for what a kernel
 * leaves out (ENTRY is e_entry, VIRT_BASE 0, no hypercall page) and the
 * legacy "__xen_guest" section read when there is no Xen note at all.
 */
#include "elf-image.h"
#include "cunit-runner.h"

#define STRTAB      "\0.shstrtab\0__xen_guest"
#define GUEST_OFF   32          /* the string, after the section names */

/* No note at all: a string table and a __xen_guest section holding 's'. */
static void legacy_image(const char *s, size_t size)
{
    tmpl_init(-2);
    t.ph[0].p_type = PT_NULL;
    /* Legacy kernels gave virtual addresses as paddrs. */
    t.ph[1].p_paddr = KSTART;
    t.ph[2].p_paddr = KSTART + TEXT_SZ;
    t.eh.e_entry = KSTART + 0x40;
    memcpy(t.notes, STRTAB, sizeof(STRTAB));
    memcpy(t.notes + GUEST_OFF, s, size);
    t.notes_len = GUEST_OFF + size;
    t.nsh = 3;
    t.eh.e_shstrndx = 1;
    t.sh[1] = (Elf64_Shdr){ .sh_name = 1, .sh_type = SHT_STRTAB,
                            .sh_offset = NOTE_OFF, .sh_size = sizeof(STRTAB) };
    t.sh[2] = (Elf64_Shdr){ .sh_name = 11, .sh_type = 1 /* PROGBITS */,
                            .sh_offset = NOTE_OFF + GUEST_OFF, .sh_size = size };
}

static void legacy(const char *s)
{
    legacy_image(s, strlen(s) + 1);
}

static void test_missing_notes(void)
{
    /* Only what the issue names: entry point and placement by default. */
    tmpl_init(-2);
    note_str(XEN_ELFNOTE_GUEST_OS, "Mica-testkernel");
    note_str(XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    note_str(XEN_ELFNOTE_LOADER, "generic");
    note_u64(XEN_ELFNOTE_HYPERCALL_PAGE, PSTART + 0x1000);
    t.eh.e_entry = PSTART + 0x40;
    CU_ASSERT_EQUAL_FATAL(parse(), 0);
    CU_ASSERT(info.entry_from_ehdr);
    CU_ASSERT_EQUAL(info.entry, PSTART + 0x40);
    CU_ASSERT_EQUAL(info.virt_base, 0);
    CU_ASSERT_EQUAL(info.paddr_offset, 0);
    CU_ASSERT_EQUAL(info.virt_kstart, PSTART);
    CU_ASSERT(info.has_hypercall_page);
    CU_ASSERT_EQUAL(info.hypercall_page, PSTART + 0x1000);
    CU_ASSERT(!info.legacy_guest_info);

    /* An ELF entry outside the image is refused like a bad ENTRY note. */
    t.eh.e_entry = KSTART;
    REJECT("outside the image");

    /* With notes, HYPERCALL_PAGE is optional. */
    tmpl_init(XEN_ELFNOTE_HYPERCALL_PAGE);
    CU_ASSERT_EQUAL(parse(), 0);
    CU_ASSERT(!info.has_hypercall_page);
    CU_ASSERT(!info.entry_from_ehdr);
}

static void test_legacy_full(void)
{
    legacy("GUEST_OS=linux,GUEST_VER=2.6,XEN_VER=xen-3.0,"
           "VIRT_BASE=0xffffffff80000000,VIRT_ENTRY=0xffffffff81000100,"
           "HYPERCALL_PAGE=0x1001,FEATURES=writable_page_tables|!pae_pgdir_above_4gb,"
           "PAE=yes[extended-cr3],LOADER=generic,BSD_SYMTAB");
    CU_ASSERT_EQUAL_FATAL(parse(), 0);
    CU_ASSERT(info.legacy_guest_info);
    CU_ASSERT_EQUAL(info.nr_xen_notes, 0);
    CU_ASSERT_STRING_EQUAL(info.guest_os, "linux");
    CU_ASSERT_STRING_EQUAL(info.guest_version, "2.6");
    CU_ASSERT_STRING_EQUAL(info.xen_version, "xen-3.0");
    CU_ASSERT_STRING_EQUAL(info.loader, "generic");
    CU_ASSERT_EQUAL(info.entry, ENTRY);
    CU_ASSERT(!info.entry_from_ehdr);
    CU_ASSERT_EQUAL(info.virt_base, KBASE);
    /* libelf: without ELF_PADDR_OFFSET the paddrs are virtual. */
    CU_ASSERT_EQUAL(info.paddr_offset, KBASE);
    CU_ASSERT_EQUAL(info.virt_kstart, KSTART);
    CU_ASSERT_EQUAL(info.virt_kend, KEND);
    CU_ASSERT(info.has_hypercall_page);
    CU_ASSERT_EQUAL(info.hypercall_page, KSTART + 0x1000);
    CU_ASSERT_EQUAL(info.f_supported[0], (1U << XENFEAT_writable_page_tables) |
                    (1U << XENFEAT_pae_pgdir_above_4gb));
    CU_ASSERT_EQUAL(info.f_required[0], 1U << XENFEAT_pae_pgdir_above_4gb);
    CU_ASSERT_EQUAL(info.pae, XEN_ELF_PAE_YES);
    CU_ASSERT(info.bsd_symtab);
}

static void test_legacy_defaults(void)
{
    /* No VIRT_ENTRY: the ELF entry; octal and decimal numbers. */
    legacy("GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_BASE=01777777777760000000000");
    CU_ASSERT_EQUAL_FATAL(parse(), 0);
    CU_ASSERT(info.entry_from_ehdr);
    CU_ASSERT_EQUAL(info.entry, KSTART + 0x40);
    CU_ASSERT_EQUAL(info.virt_base, KBASE);
    CU_ASSERT(!info.has_hypercall_page);

    /* An explicit offset: paddrs are physical again. */
    legacy("XEN_VER=xen-3.0,LOADER=generic,VIRT_BASE=18446744071562067968,"
           "ELF_PADDR_OFFSET=0");
    t.ph[1].p_paddr = PSTART;
    t.ph[2].p_paddr = PSTART + TEXT_SZ;
    CU_ASSERT_EQUAL_FATAL(parse(), 0);
    CU_ASSERT_EQUAL(info.paddr_offset, 0);
    CU_ASSERT_EQUAL(info.virt_kstart, KSTART);

    /* The string may fill its section with no NUL. */
    legacy_image("XEN_VER=xen-3.0,GUEST_OS=linux", 30);
    CU_ASSERT_EQUAL(parse(), 0);
    CU_ASSERT_STRING_EQUAL(info.guest_os, "linux");
}

static void test_legacy_rejects(void)
{
    legacy("GUEST_OS=linux,VIRT_BASE=0xffffffff80000000");
    REJECT("XEN_VERSION");
    legacy("XEN_VER=xen-3.0,GUEST_OS=netbsd");
    REJECT("only generic-loader or Linux");
    legacy("XEN_VER=xen-3.0,GUEST_OS=linux,FEATURES=!no_such_feature");
    REJECT("unknown feature");
    legacy("XEN_VER=xen-3.0,GUEST_OS=linux,HYPERCALL_PAGE=0x99999");
    REJECT("HYPERCALL_PAGE");
    legacy("XEN_VER=xen-3.0,GUEST_OS=linux,ELF_PADDR_OFFSET=0");
    REJECT("VIRT_BASE is not");

    /* The section runs past the image. */
    legacy("XEN_VER=xen-3.0,GUEST_OS=linux");
    t.sh[2].sh_size = 0x100000;
    REJECT("__xen_guest section");

    /* A string table out of range or of the wrong type hides the name. */
    legacy("XEN_VER=xen-3.0,GUEST_OS=linux");
    t.eh.e_shstrndx = 3;
    REJECT("no __xen_guest");
    legacy("XEN_VER=xen-3.0,GUEST_OS=linux");
    t.sh[1].sh_type = 1;
    REJECT("no __xen_guest");
    /* A name offset at the very end of the string table. */
    legacy("XEN_VER=xen-3.0,GUEST_OS=linux");
    t.sh[2].sh_name = sizeof(STRTAB) - 1;
    REJECT("no __xen_guest");
}

static void test_legacy_odd_strings(void)
{
    char big[600];

    /* Empty items, no '=', a bare '=', overlong names and values are cut. */
    legacy(",,=x,NOVALUE,XEN_VER=xen-3.0,,GUEST_OS=linux,"
           "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=1,");
    CU_ASSERT_EQUAL(parse(), 0);
    memset(big, 'x', sizeof(big));
    memcpy(big, "XEN_VER=xen-3.0,GUEST_OS=linux,GUEST_VER=", 41);
    big[sizeof(big) - 1] = '\0';
    legacy(big);
    CU_ASSERT_EQUAL(parse(), 0);
    CU_ASSERT_EQUAL(strlen(info.guest_version), ELF_STR_LEN - 1);

    /* Notes win: the section is not read when any Xen note exists. */
    legacy("XEN_VER=xen-9.9");
    t.ph[0].p_type = PT_NOTE;
    t.ph[1].p_paddr = PSTART;
    t.ph[2].p_paddr = PSTART + TEXT_SZ;
    t.eh.e_entry = PSTART + 0x40;
    memset(t.notes, 0, sizeof(STRTAB));
    t.notes_len = 0;
    note_str(XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    note_str(XEN_ELFNOTE_LOADER, "generic");
    t.sh[1].sh_offset = NOTE_OFF + 0x800;       /* zeroes: the name misses */
    CU_ASSERT_EQUAL(parse(), 0);
    CU_ASSERT(!info.legacy_guest_info);
}

static const struct unit_test elf_legacy_tests[] = {
    UNIT_TEST(test_missing_notes),
    UNIT_TEST(test_legacy_full),
    UNIT_TEST(test_legacy_defaults),
    UNIT_TEST(test_legacy_rejects),
    UNIT_TEST(test_legacy_odd_strings),
    UNIT_END
};
UNIT_SUITE(elf_legacy, NULL, NULL, elf_legacy_tests)
