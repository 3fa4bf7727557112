/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/elf-image.h - a Linux-like PV kernel ELF image built in memory
 * for the ELF parser's tests (test-elf*.c): a template of headers and Xen
 * notes that each test bends before laying it out and parsing it.
 *
 * Every image is parsed from a heap copy of exactly its length, so
 * AddressSanitizer flags any read past the end.
 */
#ifndef TESTS_UNIT_ELF_IMAGE_H
#define TESTS_UNIT_ELF_IMAGE_H

#include <stdint.h>
#include <string.h>
#include <CUnit/CUnit.h>
#include <pvboot/elf.h>
#include <pvboot/elf64.h>
#include <mica/errno.h>
#include <mica/lib.h>
#include <public/elfnote.h>

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

extern struct tmpl t;
extern uint8_t img[MAX_IMG];
extern size_t img_len;
extern struct xen_elf_info info;
extern char why[ELF_WHY_LEN];

void add_note(const char *name, uint32_t type, const void *desc, uint32_t descsz);
void note_str(uint32_t type, const char *s);
void note_u64(uint32_t type, uint64_t v);
void note_u32(uint32_t type, uint32_t v);

/*
 * Start a template: skip >= 0 leaves that Xen note out of the standard
 * set, -1 keeps them all, -2 adds none.
 */
void tmpl_init(int skip);
void build(void);
int parse_len(size_t len);
int parse(void);

/* Expect a rejection whose reason mentions 'word'. */
#define REJECT(word)                                                    \
    do {                                                                \
        CU_ASSERT_EQUAL(parse(), -ENOEXEC);                             \
        CU_ASSERT_PTR_NOT_NULL(strstr(why, word));                      \
    } while (0)

#endif
