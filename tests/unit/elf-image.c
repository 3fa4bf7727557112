/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/elf-image.c - lays out the in-memory kernel images of
 * elf-image.h and parses them with lib/elf.c.
 */
#include <stdlib.h>
#include "elf-image.h"

struct tmpl t;
uint8_t img[MAX_IMG] __attribute__((aligned(16)));
size_t img_len;
struct xen_elf_info info;
char why[ELF_WHY_LEN];

void add_note(const char *name, uint32_t type, const void *desc,
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

void note_str(uint32_t type, const char *s)
{
    add_note("Xen", type, s, strlen(s) + 1);
}

void note_u64(uint32_t type, uint64_t v)
{
    add_note("Xen", type, &v, 8);
}

void note_u32(uint32_t type, uint32_t v)
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
void tmpl_init(int skip)
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
void build(void)
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
int parse_len(size_t len)
{
    uint8_t *copy = malloc(len ? len : 1);
    int rc;

    memcpy(copy, img, len);
    rc = elf_parse_xen(copy, len, &info, why, sizeof(why));
    free(copy);
    return rc;
}

int parse(void)
{
    build();
    return parse_len(img_len);
}
