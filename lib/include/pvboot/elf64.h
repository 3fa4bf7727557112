/* SPDX-License-Identifier: MIT */
/*
 * pvboot/elf64.h - the ELF64 file format, the subset a PV x86-64 kernel
 * uses: file, program and section headers and the note header.
 *
 * Kept apart from pvboot/elf.h so that a hosted program may use glibc's
 * <elf.h> with the parser's API; only the parser and the tests that craft
 * images include this one.
 */
#ifndef PVBOOT_ELF64_H
#define PVBOOT_ELF64_H

#include <stdint.h>

/* ---- ELF64 file format (the subset a PV x86-64 kernel needs) ---------- */

#define EI_NIDENT       16
#define EI_CLASS        4
#define EI_DATA         5
#define EI_VERSION      6
#define ELFCLASS64      2
#define ELFDATA2LSB     1
#define EV_CURRENT      1
#define ET_EXEC         2
#define EM_X86_64       62
#define PN_XNUM         0xffff      /* e_phnum escape for huge tables */

#define PT_NULL         0
#define PT_LOAD         1
#define PT_NOTE         4
#define PF_X            1
#define PF_W            2
#define PF_R            4

#define SHT_STRTAB      3
#define SHT_NOTE        7

typedef struct {
    uint8_t  e_ident[EI_NIDENT];
    uint16_t e_type;
    uint16_t e_machine;
    uint32_t e_version;
    uint64_t e_entry;
    uint64_t e_phoff;
    uint64_t e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize;
    uint16_t e_phentsize;
    uint16_t e_phnum;
    uint16_t e_shentsize;
    uint16_t e_shnum;
    uint16_t e_shstrndx;
} Elf64_Ehdr;

typedef struct {
    uint32_t p_type;
    uint32_t p_flags;
    uint64_t p_offset;
    uint64_t p_vaddr;
    uint64_t p_paddr;
    uint64_t p_filesz;
    uint64_t p_memsz;
    uint64_t p_align;
} Elf64_Phdr;

typedef struct {
    uint32_t sh_name;
    uint32_t sh_type;
    uint64_t sh_flags;
    uint64_t sh_addr;
    uint64_t sh_offset;
    uint64_t sh_size;
    uint32_t sh_link;
    uint32_t sh_info;
    uint64_t sh_addralign;
    uint64_t sh_entsize;
} Elf64_Shdr;

/* Note header; the name and then the descriptor follow, each padded. */
typedef struct {
    uint32_t n_namesz;
    uint32_t n_descsz;
    uint32_t n_type;
} Elf64_Nhdr;

_Static_assert(sizeof(Elf64_Ehdr) == 64, "ELF64 file header is 64 bytes");
_Static_assert(sizeof(Elf64_Phdr) == 56, "ELF64 program header is 56 bytes");
_Static_assert(sizeof(Elf64_Shdr) == 64, "ELF64 section header is 64 bytes");
_Static_assert(sizeof(Elf64_Nhdr) == 12, "ELF note header is 12 bytes");

#endif /* PVBOOT_ELF64_H */
