/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/mm/shadow.h - the state of a domain in log-dirty mode, shared
 * by mm/log-dirty.c (the bitmap and the domctl), mm/shadow.c (the pool,
 * the roots and the hooks) and mm/shadow-fault.c (the fault path).
 * Everything here is guarded by d->paging_lock (see mm/shadow.c).
 */
#ifndef MM_SHADOW_H
#define MM_SHADOW_H

#include <mica/types.h>
#include <asm/page.h>

struct domain;
struct vcpu;

#define SH_NONE     (-1)

/* One frame of the pool: which guest table it shadows, the hash chain. */
struct shadow_meta {
    mfn_t gmfn;                     /* guest table shadowed; 0: free */
    int32_t next;                   /* hash chain, or the free list */
    uint8_t level;                  /* 1..3 (L4s are the per-vCPU roots) */
};

/* The shadow L4 a vCPU runs on in one mode, made from guest L4 'src'. */
struct shadow_root {
    mfn_t mfn;
    mfn_t src;                      /* 0: empty */
};

struct paging {
    /* log-dirty: bit p = pfn p, set atomically; counts since the last CLEAN */
    uint64_t *bitmap;
    uint64_t nr_bits;
    uint32_t fault_count, dirty_count;

    /* the pool of shadow L1-L3 tables, hashed by the guest table's mfn */
    unsigned int nr_frames;
    mfn_t *frames;
    struct shadow_meta *meta;
    int32_t free_head;
    unsigned int nr_free;
    int32_t *buckets;
    unsigned int bucket_mask;

    struct shadow_root *roots;      /* [vcpu * 2 + user] */
    unsigned int nr_roots;

    /* A full pool was blown at blow_gen; its frames are reused only once
     * every CPU has flushed since (flushed_gen catches up). */
    uint64_t blow_gen, flushed_gen;
};

/* mm/log-dirty.c */
bool logdirty_tracks(const struct paging *p, const struct domain *d, mfn_t mfn,
                     uint64_t *pfn);
void logdirty_set(struct paging *p, uint64_t pfn);
bool logdirty_test(const struct paging *p, uint64_t pfn);
/* d->paging_lock taken, frame 'mfn' logged; d->paging (NULL: off) comes back. */
struct paging *paging_lock_and_log(struct domain *d, mfn_t mfn, unsigned long *flags);

/* mm/shadow.c */
int shadow_enable(struct domain *d, struct paging *p, unsigned int pool_frames);
int shadow_resize(struct domain *d, unsigned int pool_frames);
void shadow_free(struct paging *p);
void shadow_blow_all(struct paging *p);
void shadow_flushed(struct paging *p, uint64_t gen);
void shadow_blow_and_flush(struct domain *d);
pte_t *shadow_table(mfn_t mfn);
struct shadow_root *shadow_root_of(struct paging *p, const struct vcpu *v);
mfn_t shadow_lookup(const struct paging *p, mfn_t gmfn);
mfn_t shadow_get(struct paging *p, mfn_t gmfn, unsigned int level);

#endif
