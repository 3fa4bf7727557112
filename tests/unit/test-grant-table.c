/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test-grant-table.c - the grant-table core (common/
 * grant-table.c): the v1 entry state machine (permit, readonly, reading,
 * writing, and when a granter may revoke), pin counting and overflow,
 * frame checks, maptrack allocation and exhaustion, and the limits.
 */
#include <stdlib.h>
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/heap.h>
#include <mica/page.h>
#include "../../hypervisor/common/grant-table.h"
#include "harness.h"
#include "cunit-runner.h"

/* ---- stand-ins ----------------------------------------------------------- */

#define NR 16
static struct page_info pages[NR];
struct page_info *frame_table = pages;
mfn_t frame_table_size = NR;
static struct domain doms[2];
static int alloc_fail;                  /* xzalloc fails when set */
static int frames_live;

int page_validate(struct page_info *pg, unsigned int type) { return 0; }
void page_invalidate(struct page_info *pg, unsigned int type) { }
void page_release(struct page_info *pg) { }
void flush_tlb_retype(const struct page_info *pg) { }
unsigned int page_cpu(void) { return 0; }

static int dom_refs;                    /* references held: 0 between calls */

struct domain *get_domain_by_id(domid_t id)
{
    if (id >= 2)
        return NULL;
    dom_refs++;
    return &doms[id];
}

void get_knownalive_domain(struct domain *d)
{
    dom_refs++;
}

struct domain *get_domain_by_any_id(struct domain *cd, domid_t id)
{
    if (id != DOMID_SELF)
        return get_domain_by_id(id);
    dom_refs++;
    return cd;
}

void put_domain(struct domain *d)
{
    dom_refs--;
}

void *xzalloc(size_t size)
{
    return alloc_fail ? NULL : calloc(1, size);
}

void xfree(void *p)
{
    free(p);
}

void *gnttab_alloc_frame(struct domain *d, mfn_t *mfn)
{
    void *p = aligned_alloc(4096, 4096);

    memset(p, 0, 4096);
    *mfn = 1000 + frames_live++;
    return p;
}

void gnttab_free_frame(void *va, mfn_t mfn)
{
    frames_live--;
    free(va);
}

/* ---- fixture ----------------------------------------------------------- */

#define D0 (&doms[0])
#define D1 (&doms[1])

static void setup(void)
{
    memset(doms, 0, sizeof(doms));
    memset(pages, 0, sizeof(pages));
    for (int i = 0; i < NR; i++) {
        pages[i].owner = i < NR / 2 ? D0 : D1;
        pages[i].count = 1;
        pages[i].flags = PGC_allocated | PGC_ram;
    }
    doms[1].domain_id = 1;
    alloc_fail = 0;
    CU_ASSERT_EQUAL(gnttab_init(D0), 0);
    CU_ASSERT_EQUAL(gnttab_init(D1), 0);
}

static void teardown(void)
{
    gnttab_destroy(D0);
    gnttab_destroy(D1);
    CU_ASSERT_EQUAL(frames_live, 0);
    CU_ASSERT_EQUAL(dom_refs, 0);       /* every lookup was put */
}

static grant_entry_v1_t *entry(struct domain *d, grant_ref_t ref)
{
    return gnttab_shared(d->grant_table, ref);
}

static void offer(struct domain *d, grant_ref_t ref, domid_t to, mfn_t mfn,
                  uint16_t flags)
{
    entry(d, ref)->domid = to;
    entry(d, ref)->frame = mfn;
    entry(d, ref)->flags = flags;
}

/* A granter's revocation as Linux does it: only when neither bit is set. */
static bool revoke(struct domain *d, grant_ref_t ref)
{
    uint16_t f = entry(d, ref)->flags;

    if (f & (GTF_reading | GTF_writing))
        return false;
    entry(d, ref)->flags = 0;
    return true;
}

/* ---- tests ----------------------------------------------------------- */

static void test_entry_states(void)
{
    mfn_t mfn;

    setup();
    /* D1 grants its frame 9 to D0. */
    CU_ASSERT_EQUAL(gnttab_pin(D1, 3, 0, GNTPIN_hstw_inc, false, &mfn),
                    GNTST_general_error);          /* never offered */
    offer(D1, 3, 0, 9, GTF_permit_access);
    CU_ASSERT_EQUAL(gnttab_pin(D1, 3, 1, GNTPIN_hstw_inc, false, &mfn),
                    GNTST_general_error);          /* offered to someone else */
    CU_ASSERT_EQUAL(gnttab_pin(D1, 3, 0, GNTPIN_hstr_inc, true, &mfn), GNTST_okay);
    CU_ASSERT_EQUAL(mfn, 9);
    CU_ASSERT_EQUAL(entry(D1, 3)->flags, GTF_permit_access | GTF_reading);
    CU_ASSERT_FALSE(revoke(D1, 3));
    CU_ASSERT_EQUAL(gnttab_pin(D1, 3, 0, GNTPIN_hstw_inc, false, &mfn), GNTST_okay);
    CU_ASSERT_EQUAL(entry(D1, 3)->flags, GTF_permit_access | GTF_reading | GTF_writing);
    /* Pinned: the frame comes from the active entry, not the shared one. */
    entry(D1, 3)->frame = 10;
    CU_ASSERT_EQUAL(gnttab_pin(D1, 3, 0, GNTPIN_hstr_inc, true, &mfn), GNTST_okay);
    CU_ASSERT_EQUAL(mfn, 9);
    /* Another domain cannot share the pinned entry. */
    CU_ASSERT_EQUAL(gnttab_pin(D1, 3, 1, GNTPIN_hstr_inc, true, &mfn),
                    GNTST_general_error);
    gnttab_unpin(D1, 3, GNTPIN_hstw_inc, false);
    CU_ASSERT_EQUAL(entry(D1, 3)->flags, GTF_permit_access | GTF_reading);
    gnttab_unpin(D1, 3, GNTPIN_hstr_inc, true);
    CU_ASSERT_EQUAL(entry(D1, 3)->flags, GTF_permit_access | GTF_reading);
    gnttab_unpin(D1, 3, GNTPIN_hstr_inc, true);
    CU_ASSERT_EQUAL(entry(D1, 3)->flags, GTF_permit_access);
    CU_ASSERT_TRUE(revoke(D1, 3));
    CU_ASSERT_EQUAL(gnttab_pin(D1, 3, 0, GNTPIN_hstr_inc, true, &mfn),
                    GNTST_general_error);          /* after revocation */
    teardown();
}

static void test_readonly_and_frames(void)
{
    mfn_t mfn;

    setup();
    offer(D0, 4, 1, 2, GTF_permit_access | GTF_readonly);
    CU_ASSERT_EQUAL(gnttab_pin(D0, 4, 1, GNTPIN_hstw_inc, false, &mfn),
                    GNTST_general_error);
    CU_ASSERT_EQUAL(entry(D0, 4)->flags, GTF_permit_access | GTF_readonly);
    CU_ASSERT_EQUAL(gnttab_pin(D0, 4, 1, GNTPIN_devr_inc, true, &mfn), GNTST_okay);
    /* Pinned read-only: a writable use is still refused. */
    CU_ASSERT_EQUAL(gnttab_pin(D0, 4, 1, GNTPIN_devw_inc, false, &mfn),
                    GNTST_general_error);
    gnttab_unpin(D0, 4, GNTPIN_devr_inc, true);
    /* A frame the granter does not own; a frame past memory. */
    offer(D0, 5, 1, 12, GTF_permit_access);
    CU_ASSERT_EQUAL(gnttab_pin(D0, 5, 1, GNTPIN_hstr_inc, true, &mfn), GNTST_bad_page);
    CU_ASSERT_EQUAL(entry(D0, 5)->flags, GTF_permit_access);
    offer(D0, 5, 1, 4000, GTF_permit_access);
    CU_ASSERT_EQUAL(gnttab_pin(D0, 5, 1, GNTPIN_hstr_inc, true, &mfn), GNTST_bad_page);
    CU_ASSERT_EQUAL(gnttab_pin(D0, 512, 1, GNTPIN_hstr_inc, true, &mfn), GNTST_bad_gntref);
    teardown();
}

static void test_pin_overflow(void)
{
    mfn_t mfn;
    int i;

    setup();
    offer(D0, 6, 0, 1, GTF_permit_access);
    for (i = 0; i < 1000; i++)
        if (gnttab_pin(D0, 6, 0, GNTPIN_devr_inc, true, &mfn) != GNTST_okay)
            break;
    CU_ASSERT_EQUAL(i, 128);
    CU_ASSERT_EQUAL(gnttab_pin(D0, 6, 0, GNTPIN_devw_inc, false, &mfn), GNTST_okay);
    while (i--)
        gnttab_unpin(D0, 6, GNTPIN_devr_inc, true);
    gnttab_unpin(D0, 6, GNTPIN_devw_inc, false);
    CU_ASSERT_EQUAL(entry(D0, 6)->flags, GTF_permit_access);
    teardown();
}

static void test_maptrack(void)
{
    struct grant_table *gt;
    int h, n = 0;

    setup();
    gt = D0->grant_table;
    D0->max_maptrack_frames = 2;
    gnttab_lock_two(D0, D0);                /* as grant-map.c's callers hold it */
    while ((h = maptrack_get(D0)) >= 0) {
        CU_ASSERT_EQUAL(h, n);
        maptrack_entry(gt, h)->flags = GNTMAP_host_map;
        n++;
    }
    CU_ASSERT_EQUAL(n, 2 * MAPTRACK_PER_FRAME);
    CU_ASSERT_PTR_NULL(maptrack_entry(gt, n));
    maptrack_put(gt, 7);
    CU_ASSERT_EQUAL(maptrack_entry(gt, 7)->flags, 0);
    CU_ASSERT_EQUAL(maptrack_get(D0), 7);
    CU_ASSERT_EQUAL(maptrack_get(D0), -1);
    D0->max_maptrack_frames = 0;            /* the default again */
    CU_ASSERT_EQUAL(maptrack_get(D0), n);
    alloc_fail = 1;
    for (h = n + 1; h < n + (int)MAPTRACK_PER_FRAME; h++)
        CU_ASSERT_EQUAL(maptrack_get(D0), h);
    CU_ASSERT_EQUAL(maptrack_get(D0), -1);  /* no memory for a frame */
    alloc_fail = 0;
    gnttab_unlock_two(D0, D0);
    teardown();
}

/* maptrack_get and maptrack_put without the grant lock: caught. */
static void test_maptrack_unlocked(void)
{
    setup();
    CU_ASSERT_TRUE(EXPECT_PANIC(maptrack_get(D0)));
    CU_ASSERT_TRUE(EXPECT_PANIC(maptrack_put(D0->grant_table, 0)));
    teardown();
}

static void test_limits(void)
{
    setup();
    CU_ASSERT_EQUAL(gnttab_max_frames(D0), GNTTAB_MAX_FRAMES);
    CU_ASSERT_EQUAL(D0->grant_table->nr_frames, 1);
    CU_ASSERT_EQUAL(gnttab_grow(D0, 4), 0);
    CU_ASSERT_EQUAL(D0->grant_table->nr_frames, 4);
    CU_ASSERT_EQUAL(gnttab_nr_entries(D0->grant_table), 4 * 512);
    CU_ASSERT_EQUAL(gnttab_grow(D0, 2), 0);  /* never shrinks */
    CU_ASSERT_EQUAL(D0->grant_table->nr_frames, 4);
    CU_ASSERT_EQUAL(gnttab_grow(D0, GNTTAB_MAX_FRAMES + 1), -EINVAL);
    D0->max_grant_frames = 5;
    CU_ASSERT_EQUAL(gnttab_max_frames(D0), 5);
    CU_ASSERT_EQUAL(gnttab_grow(D0, 6), -EINVAL);
    CU_ASSERT_EQUAL(gnttab_grow(D0, 5), 0);
    D0->max_grant_frames = 1000;            /* capped by the default */
    CU_ASSERT_EQUAL(gnttab_max_frames(D0), GNTTAB_MAX_FRAMES);
    alloc_fail = 1;
    CU_ASSERT_EQUAL(gnttab_grow(D0, 6), -ENOMEM);
    CU_ASSERT_EQUAL(D0->grant_table->nr_frames, 5);
    alloc_fail = 0;
    teardown();
}

static const struct unit_test grant_tests[] = {
    UNIT_TEST(test_entry_states),
    UNIT_TEST(test_readonly_and_frames),
    UNIT_TEST(test_pin_overflow),
    UNIT_TEST(test_maptrack),
    UNIT_TEST(test_maptrack_unlocked),
    UNIT_TEST(test_limits),
    UNIT_END
};
UNIT_SUITE(grant_table, NULL, NULL, grant_tests)
