/* SPDX-License-Identifier: MIT */
/*
 * mica/page.h - struct page_info, one per machine frame, and the rules
 * that keep PV guests from reaching memory they must not touch.
 *
 * Every frame has an owner (a domain, or none), a general reference count
 * and a type with its own count.  A frame can hold only one type at a time:
 * while any L1..L4 or descriptor-table reference exists it cannot be
 * mapped writable, and vice versa.  Page-table types are "validated" on
 * first use: every entry is checked and takes its own references, so the
 * counts always describe the whole graph of mappings.
 *
 * Counts:  count       one for being allocated to the owner (PGC_allocated),
 *                      plus one per mapping, page-table reference, pin or
 *                      temporary use;  the frame is freed when it hits zero.
 *          type_count  one per use that needs the type (a writable mapping,
 *                      an upper-level entry, a pin, a CR3 load).
 */
#ifndef MICA_PAGE_H
#define MICA_PAGE_H

#include <mica/types.h>
#include <asm/page.h>          /* pte_t */

struct domain;

enum page_type {
    PGT_none = 0,
    PGT_l1 = 1, PGT_l2 = 2, PGT_l3 = 3, PGT_l4 = 4,
    PGT_seg_desc = 5,           /* GDT/LDT frame */
    PGT_writable = 6,           /* mapped writable somewhere */
};

#define PGT_validated   0x01    /* every entry checked and referenced */
#define PGT_pinned      0x02    /* MMUEXT_PIN_*: holds one type reference */

#define PGC_allocated   0x0001  /* the owner's own reference is held */
#define PGC_ram         0x0002  /* real RAM (from the memory map) */
#define PGC_xen_heap    0x0004  /* hypervisor page shared with the owner */

#define PAGE_COUNT_MAX  0x7fffffffU     /* refuse to count past this */

/*
 * Several CPUs change these at once (two vCPUs of a guest, or a grant
 * mapper and the owner), so: 'count' changes only by atomic add and
 * compare-exchange, 'flags' by atomic bit operations, and type_count,
 * type, type_flags and type_cpu together form the 64-bit word type_info,
 * replaced as a whole by compare-exchange in mm/page-type.c - the only
 * writer.  Elsewhere the fields may be read (a snapshot that can be stale
 * at once), never written.
 */
struct page_info {
    struct domain *owner;       /* NULL: free, hypervisor's, or I/O */
    uint32_t count;
    uint16_t flags;             /* PGC_* */
    uint16_t pad;
    union {
        uint64_t type_info;
        struct {
            uint32_t type_count;
            uint8_t type;       /* enum page_type */
            uint8_t type_flags; /* PGT_validated | PGT_pinned */
            uint16_t type_cpu;  /* CPU + 1 (un)validating it, 0: none */
        };
    };
    union {
        struct {
            uint32_t next, prev;    /* owner's page list: mfn + 1, 0 = none */
        };
        /* While free: the TLB clock when a guest let it go (0: no guest). */
        uint64_t tlbflush_stamp;
    };
};
_Static_assert(sizeof(struct page_info) == 32, "page_info stays small");

extern struct page_info *frame_table;
extern mfn_t frame_table_size;

static inline bool mfn_valid(mfn_t mfn)
{
    return mfn < frame_table_size;
}

static inline struct page_info *mfn_to_page(mfn_t mfn)
{
    return &frame_table[mfn];
}

static inline mfn_t page_to_mfn(const struct page_info *pg)
{
    return pg - frame_table;
}

static inline bool is_pagetable_type(unsigned int t)
{
    return t >= PGT_l1 && t <= PGT_l4;
}

struct boot_info;
void frame_table_init(const struct boot_info *bi);

/* General references: the domain must own the frame. */
bool get_page(struct page_info *pg, const struct domain *d);
void put_page(struct page_info *pg);

/* Type references: 0, or -EINVAL (type conflict), -EBUSY (overflow), or
 * the validator's error. */
int get_page_type(struct page_info *pg, unsigned int type);
void put_page_type(struct page_info *pg);
int get_page_and_type(struct page_info *pg, const struct domain *d,
                      unsigned int type);
void put_page_and_type(struct page_info *pg);

/* A reference on a frame whose count is not 0, whoever owns it. */
bool get_page_nonzero(struct page_info *pg);
/* A type reference only if the frame is in use as 'type' already and
 * validated: never starts a retype or a validation. */
bool get_page_type_validated(struct page_info *pg, unsigned int type);
/* MMUEXT_PIN_*: the flag, set or cleared by exactly one caller; the pin's
 * references are the caller's to take or drop. */
bool page_set_pinned(struct page_info *pg);
bool page_clear_pinned(struct page_info *pg);
/* Domain teardown (frame-table.c): end a table's validation whatever its
 * count (returns the type to invalidate, or PGT_none), and forget the
 * type references of entries that no longer exist. */
unsigned int page_end_validation(struct page_info *pg);
void page_forget_type(struct page_info *pg);

/*
 * Hooks the type machine calls (mm/pagetable.c, mm/frame-table.c; the
 * unit tests supply their own): validate every entry of a frame becoming
 * a page or descriptor table, undo that when its last type reference
 * goes, and release a frame whose last reference went.
 */
int page_validate(struct page_info *pg, unsigned int type);
void page_invalidate(struct page_info *pg, unsigned int type);
void page_release(struct page_info *pg);

/*
 * Changing one entry of a typed page table (mm/pagetable.c): the new
 * entry's references are taken before the old one's are dropped.  The
 * _foreign form maps pg_owner's frame (an L1 entry of a privileged caller).
 */
int mod_entry(struct page_info *pg, unsigned int level, unsigned int idx,
              pte_t val, bool preserve_ad);
int mod_entry_foreign(struct page_info *pg, unsigned int level, unsigned int idx,
                      pte_t val, bool preserve_ad, const struct domain *pg_owner);
int get_page_from_l1e(pte_t e, const struct domain *d);

/*
 * Segment descriptors (mm/seg-desc.c): one checked and fixed up in place
 * (false: refuse it), or every one of a frame taking PGT_seg_desc.
 */
bool check_descriptor(uint64_t *desc);
int validate_desc_page(struct page_info *pg);
void put_page_from_l1e(pte_t e);
void flush_tlb_local(void);
/* A frame stops being writable: no CPU may keep a writable TLB entry. */
void flush_tlb_retype(const struct page_info *pg);
/* This CPU's number, to tell "I am validating it" from "another CPU is". */
unsigned int page_cpu(void);

/*
 * The L1 table mapping guest virtual 'va' under the guest L4 'l4'
 * (mm/pagetable.c), or INVALID_MFN where an entry on the way is not
 * present, a large page or not a frame.  Only reads: a caller that keeps
 * the table takes its own references.
 */
mfn_t guest_l1_table(mfn_t l4, uint64_t va);

#endif
