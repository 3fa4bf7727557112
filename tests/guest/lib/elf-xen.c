/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/lib/elf-xen.c - a small ELF64 reader for the test kernel's
 * domain builder: the PT_LOAD segments and the "Xen" notes of a PV kernel.
 *
 * The image comes from a boot module, so nothing in it is trusted: every
 * table and note is bounds-checked against the file before it is read,
 * and sizes are checked for overflow before they are added.
 */
#include <lib.h>
#include <elf-xen.h>
#include <public/elfnote.h>
#include <public/errno.h>

#define EI_NIDENT       16
#define ET_EXEC         2
#define EM_X86_64       62
#define PT_LOAD         1
#define PT_NOTE         4
#define VA_TOP          (1UL << 47)     /* lowest non-canonical address */

struct ehdr {
    uint8_t ident[EI_NIDENT];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct nhdr {
    uint32_t namesz, descsz, type;
};

struct notes {
    uint64_t entry, virt_base, paddr_offset, hypercall_page;
    unsigned int seen;                  /* bit per note type */
};

static int reject(char *why, size_t whylen, const char *msg)
{
    snprintf(why, whylen, "%s", msg);
    return -EINVAL;
}

/* Is [off, off + size) inside a file of 'len' bytes? */
static int in_file(uint64_t off, uint64_t size, size_t len)
{
    return off <= len && size <= len - off;
}

static uint64_t note_value(const uint8_t *desc, uint32_t size)
{
    uint64_t v = 0;

    memcpy(&v, desc, size < 8 ? size : 8);
    return v;
}

/* Walk one PT_NOTE segment, keeping the numeric notes the builder uses. */
static int read_notes(const uint8_t *p, uint64_t size, struct notes *n)
{
    while (size >= sizeof(struct nhdr)) {
        struct nhdr h;
        uint64_t name_len, desc_len, total;
        const uint8_t *desc;

        memcpy(&h, p, sizeof(h));
        name_len = ((uint64_t)h.namesz + 3) & ~3UL;
        desc_len = ((uint64_t)h.descsz + 3) & ~3UL;
        total = sizeof(h) + name_len + desc_len;
        if (total > size)
            return -EINVAL;
        desc = p + sizeof(h) + name_len;
        if (h.namesz == 4 && !memcmp(p + sizeof(h), "Xen", 4) && h.type < 32) {
            uint64_t v = note_value(desc, h.descsz);

            n->seen |= 1U << h.type;
            if (h.type == XEN_ELFNOTE_ENTRY)
                n->entry = v;
            else if (h.type == XEN_ELFNOTE_VIRT_BASE)
                n->virt_base = v;
            else if (h.type == XEN_ELFNOTE_PADDR_OFFSET)
                n->paddr_offset = v;
            else if (h.type == XEN_ELFNOTE_HYPERCALL_PAGE)
                n->hypercall_page = v;
        }
        p += total;
        size -= total;
    }
    return 0;
}

static int check_header(const struct ehdr *e, size_t len)
{
    if (len < sizeof(*e) || memcmp(e->ident, "\177ELF", 4))
        return 0;
    if (e->ident[4] != 2 || e->ident[5] != 1)      /* ELFCLASS64, little endian */
        return 0;
    if (e->type != ET_EXEC || e->machine != EM_X86_64)
        return 0;
    return e->phentsize == sizeof(struct phdr) && e->phnum &&
           in_file(e->phoff, (uint64_t)e->phnum * sizeof(struct phdr), len);
}

int elf_xen_parse(const void *img, size_t len, struct elf_xen *out,
                  char *why, size_t whylen)
{
    const uint8_t *base = img;
    struct notes n = { 0 };
    struct ehdr e;
    uint64_t off;

    memset(out, 0, sizeof(*out));
    if (len < sizeof(e))
        return reject(why, whylen, "shorter than an ELF header");
    memcpy(&e, img, sizeof(e));
    if (!check_header(&e, len))
        return reject(why, whylen, "not an x86-64 ELF executable");

    for (unsigned int i = 0; i < e.phnum; i++) {
        struct phdr ph;

        memcpy(&ph, base + e.phoff + i * sizeof(ph), sizeof(ph));
        if (ph.type == PT_NOTE) {
            if (!in_file(ph.offset, ph.filesz, len) ||
                read_notes(base + ph.offset, ph.filesz, &n))
                return reject(why, whylen, "a note segment runs past the file");
            continue;
        }
        if (ph.type != PT_LOAD || !ph.memsz)
            continue;
        if (out->nr_segs == ELF_XEN_MAX_SEGS)
            return reject(why, whylen, "too many loadable segments");
        if (!in_file(ph.offset, ph.filesz, len) || ph.filesz > ph.memsz)
            return reject(why, whylen, "a segment runs past the file");
        out->segs[out->nr_segs++] = (struct elf_xen_seg){
            .dest = ph.paddr, .offset = ph.offset,
            .filesz = ph.filesz, .memsz = ph.memsz,
        };
    }
    if (!out->nr_segs)
        return reject(why, whylen, "no loadable segment");
    if (!(n.seen & (1U << XEN_ELFNOTE_VIRT_BASE)))
        return reject(why, whylen, "no Xen VIRT_BASE note");

    /* Segments sit at p_paddr - PADDR_OFFSET + VIRT_BASE, as Xen places them. */
    off = n.virt_base - n.paddr_offset;
    out->kstart = ~0UL;
    for (unsigned int i = 0; i < out->nr_segs; i++) {
        struct elf_xen_seg *s = &out->segs[i];

        s->dest += off;
        if (s->dest < n.virt_base || s->dest + s->memsz < s->dest ||
            (s->dest < VA_TOP && s->dest + s->memsz > VA_TOP))
            return reject(why, whylen, "a segment lies outside the address space");
        out->kstart = s->dest < out->kstart ? s->dest : out->kstart;
        out->kend = s->dest + s->memsz > out->kend ? s->dest + s->memsz : out->kend;
    }
    out->virt_base = n.virt_base;
    out->entry = (n.seen & (1U << XEN_ELFNOTE_ENTRY)) ? n.entry : e.entry;
    out->hypercall_page = n.hypercall_page;
    if (out->entry < out->kstart || out->entry >= out->kend)
        return reject(why, whylen, "the entry point is outside the image");
    if (out->hypercall_page &&
        (out->hypercall_page < out->kstart || out->hypercall_page >= out->kend ||
         (out->hypercall_page & (PAGE_SIZE - 1))))
        return reject(why, whylen, "the hypercall page is outside the image");
    return 0;
}
