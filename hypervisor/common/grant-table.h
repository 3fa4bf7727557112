/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/grant-table.h - the grant table's private state,
 * shared by the grant-*.c files only.  Lock rules: top of grant-table.c.
 */
#ifndef COMMON_GRANT_TABLE_H
#define COMMON_GRANT_TABLE_H

#include <mica/domain.h>
#include <mica/grant-table.h>
#include <mica/grant-pte.h>
#include <public/grant_table.h>
#include <asm/spinlock.h>

#define GNTTAB_ENTRIES_PER_FRAME    (4096 / sizeof(grant_entry_v1_t))

/*
 * Pin counts of an active entry, one 8-bit counter per kind of use, as
 * in Xen: host mappings (and copies) writable/read-only, device mappings
 * writable/read-only.  A counter may not pass 127, so overflow is refused
 * long before it could wrap.
 */
#define GNTPIN_hstw_inc     (1U << 0)
#define GNTPIN_hstr_inc     (1U << 8)
#define GNTPIN_devw_inc     (1U << 16)
#define GNTPIN_devr_inc     (1U << 24)
#define GNTPIN_write_mask   0x00ff00ffU     /* any writable use */
#define GNTPIN_oflow(inc)   ((inc) << 7)

/* Per grant entry: who holds it and which frame they got. */
struct active_grant {
    uint32_t pin;                   /* GNTPIN_* counts; 0 = not in use */
    domid_t domid;                  /* the domain holding the pins */
    uint16_t pad;
    mfn_t mfn;                      /* frame read from the entry at first pin */
};

/*
 * One mapping a domain holds of someone's grant ("handle" = its index).
 * A host mapping's frame references belong to the PTE (as in Xen for PV):
 * whoever removes that PTE - unmap, or the guest overwriting it - drops
 * them through put_page_from_l1e().  A device mapping's belong here.
 */
struct maptrack {
    grant_ref_t ref;
    uint16_t flags;                 /* GNTMAP_* low bits; 0 = free */
    domid_t domid;                  /* the granter */
    uint64_t pte;                   /* host map: machine address of the PTE;
                                       free: next free handle + 1 */
};
_Static_assert(sizeof(struct maptrack) == 16, "256 maptrack entries per frame");
#define MAPTRACK_PER_FRAME  (4096 / sizeof(struct maptrack))

struct grant_table {
    spinlock_t lock;
    unsigned int nr_frames;         /* grant frames in use */
    unsigned int maptrack_frames;
    uint32_t maptrack_free;         /* first free handle + 1, 0 = none */
    unsigned int maptrack_used;
    grant_entry_v1_t *shared[GNTTAB_MAX_FRAMES];
    mfn_t shared_mfn[GNTTAB_MAX_FRAMES];
    struct active_grant *active[GNTTAB_MAX_FRAMES];
    struct maptrack **maptrack;     /* [GNTTAB_MAX_MAPTRACK_FRAMES] */
};

/* Lock one table, or the tables of two domains (lower domain_id first). */
void gnttab_lock_two(struct domain *a, struct domain *b);
void gnttab_unlock_two(struct domain *a, struct domain *b);

static inline unsigned int gnttab_nr_entries(const struct grant_table *gt)
{
    return gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME;
}

static inline grant_entry_v1_t *gnttab_shared(const struct grant_table *gt,
                                              grant_ref_t ref)
{
    return &gt->shared[ref / GNTTAB_ENTRIES_PER_FRAME][ref % GNTTAB_ENTRIES_PER_FRAME];
}

static inline struct active_grant *gnttab_active(const struct grant_table *gt,
                                                 grant_ref_t ref)
{
    return &gt->active[ref / GNTTAB_ENTRIES_PER_FRAME][ref % GNTTAB_ENTRIES_PER_FRAME];
}

/* grant-table.c: the table, the entry state machine, maptrack. */
int gnttab_grow(struct domain *d, unsigned int nr_frames);
int gnttab_pin(struct domain *rd, grant_ref_t ref, domid_t ldom,
               uint32_t pin_inc, bool readonly, mfn_t *mfn);
void gnttab_unpin(struct domain *rd, grant_ref_t ref, uint32_t pin_inc,
                  bool readonly);
int maptrack_get(struct domain *d);     /* handle, or -1: full */
unsigned int gnttab_max_frames(const struct domain *d);
void maptrack_put(struct grant_table *gt, uint32_t handle);
struct maptrack *maptrack_entry(const struct grant_table *gt, uint32_t handle);
struct domain *gnttab_domain(struct domain *cd, domid_t dom, bool self_ok);

/* grant-map.c */
int gnttab_map_one(struct domain *ld, struct gnttab_map_grant_ref *op);
int gnttab_unmap_one(struct domain *ld, uint64_t host_addr, uint64_t dev_bus_addr,
                     grant_handle_t handle, uint64_t new_addr);
/* grant-copy.c */
int gnttab_copy_one(struct domain *ld, const struct gnttab_copy *op);

/* The hardware side: mica/grant-pte.h. */

#endif
