/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test-page-type-smp.c - mm/page-type.c under contention:
 * several host threads (standing in for CPUs) race on the same frames
 * with every transition - references, retypes between "writable" and a
 * table type, validation of tables that reference shared lower-level
 * tables, pins - and the counts must come out exact.  The hooks model a
 * small page-table graph: an L2 frame's validation takes an L1 type
 * reference on each of its children, its invalidation drops them.
 *
 * Every thread checks the type rule while it holds a reference (a frame
 * held writable is never a validated table, and vice versa) and the
 * hooks check that a table is never validated while held writable.
 */
#include <pthread.h>
#include <string.h>
#include <stdint.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/page.h>
#include "cunit-runner.h"

#define NR_PAGES    8
#define NR_THREADS  4
#define ITERS       100000

static struct page_info pages[NR_PAGES];
struct page_info *frame_table = pages;
mfn_t frame_table_size = NR_PAGES;

static char dom_a;
#define A ((struct domain *)&dom_a)

/* The graph: L2 frames 0 and 1 both point at L1 frames 2 and 3. */
static const int children[NR_PAGES][2] = { { 2, 3 }, { 2, 3 } };

static int writable_held[NR_PAGES];         /* writable refs taken by threads */
static int validations, invalidations, releases, flushes, violations;
static __thread unsigned int thread_cpu;

static void note_violation(void)
{
    __atomic_fetch_add(&violations, 1, __ATOMIC_SEQ_CST);
}

int page_validate(struct page_info *pg, unsigned int type)
{
    int i = (int)page_to_mfn(pg), rc;

    __atomic_fetch_add(&validations, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&writable_held[i], __ATOMIC_SEQ_CST))
        note_violation();                   /* validating a writable frame */
    if (type != PGT_l2 || !children[i][0])
        return 0;
    rc = get_page_type(&pages[children[i][0]], PGT_l1);
    if (rc)
        return rc;
    rc = get_page_type(&pages[children[i][1]], PGT_l1);
    if (rc)
        put_page_type(&pages[children[i][0]]);
    return rc;
}

void page_invalidate(struct page_info *pg, unsigned int type)
{
    int i = (int)page_to_mfn(pg);

    __atomic_fetch_add(&invalidations, 1, __ATOMIC_SEQ_CST);
    if (type == PGT_l2 && children[i][0]) {
        put_page_type(&pages[children[i][0]]);
        put_page_type(&pages[children[i][1]]);
    }
}

void page_release(struct page_info *pg)
{
    __atomic_fetch_add(&releases, 1, __ATOMIC_SEQ_CST);
}

void flush_tlb_retype(const struct page_info *pg)
{
    __atomic_fetch_add(&flushes, 1, __ATOMIC_SEQ_CST);
}

unsigned int page_cpu(void)
{
    return thread_cpu;
}

static void reset(void)
{
    memset(pages, 0, sizeof(pages));
    memset(writable_held, 0, sizeof(writable_held));
    for (int i = 0; i < NR_PAGES; i++) {
        pages[i].owner = A;
        pages[i].count = 1;
        pages[i].flags = PGC_allocated | PGC_ram;
    }
    validations = invalidations = releases = flushes = violations = 0;
}

static pthread_barrier_t start_line;

/* Run fn on NR_THREADS threads at once, each with its own CPU number. */
static void run_threads(void *(*fn)(void *))
{
    pthread_t t[NR_THREADS];

    pthread_barrier_init(&start_line, NULL, NR_THREADS);
    for (uintptr_t i = 0; i < NR_THREADS; i++)
        CU_ASSERT_EQUAL_FATAL(pthread_create(&t[i], NULL, fn, (void *)i), 0);
    for (int i = 0; i < NR_THREADS; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&start_line);
}

/* A thread's start: its CPU number, then all start together. */
static void enter(void *arg)
{
    thread_cpu = (unsigned int)(uintptr_t)arg + 1;
    pthread_barrier_wait(&start_line);
}

/* A cheap per-thread pseudo-random sequence. */
static unsigned int next_rand(unsigned int *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 16;
}

static void *refs_worker(void *arg)
{
    enter(arg);
    for (int i = 0; i < ITERS; i++) {
        struct page_info *pg = &pages[i % 2];

        if (!get_page(pg, A))
            note_violation();
        put_page(pg);
    }
    return NULL;
}

static void test_refs_contended(void)
{
    reset();
    run_threads(refs_worker);
    CU_ASSERT_EQUAL(pages[0].count, 1);
    CU_ASSERT_EQUAL(pages[1].count, 1);
    CU_ASSERT_EQUAL(releases, 0);
    CU_ASSERT_EQUAL(violations, 0);
}

/* Hold the frame as 'type' for a moment, checking the rule meanwhile. */
static void hold_type(int i, unsigned int type)
{
    struct page_info *pg = &pages[i];

    if (get_page_and_type(pg, A, type))
        return;                             /* in use as another type */
    if (type == PGT_writable)
        __atomic_fetch_add(&writable_held[i], 1, __ATOMIC_SEQ_CST);
    if (pg->type != type || !pg->type_count ||
        (type != PGT_writable && !(pg->type_flags & PGT_validated)))
        note_violation();
    if (type == PGT_writable)
        __atomic_fetch_sub(&writable_held[i], 1, __ATOMIC_SEQ_CST);
    put_page_and_type(pg);
}

static void *retype_worker(void *arg)
{
    unsigned int seed = (unsigned int)(uintptr_t)arg * 7919u + 1;

    enter(arg);
    for (int i = 0; i < ITERS; i++) {
        unsigned int r = next_rand(&seed);
        /* L2s 0-1 (taking L1 refs on 2-3), L1s 2-3, writable anything. */
        int pg = r % 4;
        unsigned int type = (r >> 4) % 3 == 0 ? PGT_writable
                                              : (pg < 2 ? PGT_l2 : PGT_l1);

        hold_type(pg, type);
    }
    return NULL;
}

static void test_retype_and_validate_contended(void)
{
    reset();
    run_threads(retype_worker);
    for (int i = 0; i < 4; i++) {
        CU_ASSERT_EQUAL(pages[i].type_count, 0);
        CU_ASSERT_EQUAL(pages[i].count, 1);
        CU_ASSERT_EQUAL(pages[i].type_cpu, 0);
        CU_ASSERT_FALSE(pages[i].type_flags & PGT_validated);
    }
    /* Every validation that succeeded was undone exactly once. */
    CU_ASSERT(validations >= invalidations);
    CU_ASSERT(invalidations > 0);
    CU_ASSERT(flushes > 0);
    CU_ASSERT_EQUAL(violations, 0);
}

static void *pin_worker(void *arg)
{
    unsigned int seed = (unsigned int)(uintptr_t)arg * 104729u + 3;

    enter(arg);
    for (int i = 0; i < ITERS; i++) {
        unsigned int r = next_rand(&seed);
        struct page_info *pg = &pages[r % 2];

        if (r & 0x100) {
            /* MMUEXT_PIN_L2_TABLE, as pv/mmu.c does it. */
            if (get_page_and_type(pg, A, PGT_l2) == 0 && !page_set_pinned(pg))
                put_page_and_type(pg);
        } else if (page_clear_pinned(pg)) {
            put_page_and_type(pg);          /* MMUEXT_UNPIN_TABLE */
        }
        if (r & 0x200)
            hold_type(2 + (r >> 10) % 2, PGT_writable);
    }
    return NULL;
}

static void test_pin_unpin_contended(void)
{
    reset();
    run_threads(pin_worker);
    for (int i = 0; i < 2; i++)
        if (page_clear_pinned(&pages[i]))
            put_page_and_type(&pages[i]);
    for (int i = 0; i < 4; i++) {
        CU_ASSERT_EQUAL(pages[i].type_count, 0);
        CU_ASSERT_EQUAL(pages[i].count, 1);
        CU_ASSERT_FALSE(pages[i].type_flags & (PGT_pinned | PGT_validated));
    }
    CU_ASSERT_EQUAL(violations, 0);
    CU_ASSERT_EQUAL(releases, 0);
}

static void *validated_worker(void *arg)
{
    enter(arg);
    for (int i = 0; i < ITERS; i++) {
        struct page_info *pg = &pages[2];

        /* mmu_update's way in: only a table that is already one. */
        if (get_page_type_validated(pg, PGT_l1)) {
            if (pg->type != PGT_l1 || !(pg->type_flags & PGT_validated))
                note_violation();
            put_page_type(pg);
        }
        if ((uintptr_t)arg == 0)
            hold_type(2, i & 1 ? PGT_l1 : PGT_writable);
    }
    return NULL;
}

static void test_get_validated_never_retypes(void)
{
    reset();
    run_threads(validated_worker);
    CU_ASSERT_EQUAL(pages[2].type_count, 0);
    CU_ASSERT_EQUAL(pages[2].count, 1);
    CU_ASSERT_EQUAL(violations, 0);
    /* Only the one thread that asks for types ever validated. */
    CU_ASSERT(validations > 0 && validations <= ITERS / 2);
}

static const struct unit_test tests[] = {
    UNIT_TEST(test_refs_contended),
    UNIT_TEST(test_retype_and_validate_contended),
    UNIT_TEST(test_pin_unpin_contended),
    UNIT_TEST(test_get_validated_never_retypes),
    UNIT_END
};
UNIT_SUITE(page_type_smp, NULL, NULL, tests)
