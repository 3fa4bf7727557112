/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test-elf.c - the PV kernel ELF parser (lib/elf.c):
 * a valid Linux-like image, its file header and tables, and its loadable
 * segments.  The notes and the hostile-input runs have files of their own.
 */
#include "elf-image.h"
#include "cunit-runner.h"

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
    UNIT_END
};
UNIT_SUITE(elf, NULL, NULL, elf_tests)
