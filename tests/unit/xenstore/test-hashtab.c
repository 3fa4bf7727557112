/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/xenstore/test-hashtab.c - micastored's hash table: entries
 * are found by hash and key through growth, removal unlinks exactly one,
 * iteration visits each once, and colliding hashes share a chain.
 */
#include <stdio.h>
#include <string.h>
#include "cunit-runner.h"
#include "hashtab.h"
#include "list.h"

struct ent {
    struct xs_hlink hl;
    char key[16];
    int seen;
};

#define N 5000
static struct ent ents[N];

static uint64_t key_hash(const char *k)
{
    return xs_fnv1a(XS_FNV_BASIS, k, strlen(k));
}

static struct ent *lookup(const struct xs_htab *t, const char *k)
{
    uint64_t h = key_hash(k);
    struct xs_hlink *l;

    for (l = xs_htab_chain(t, h); l; l = l->next) {
        struct ent *e = xs_container_of(l, struct ent, hl);

        if (l->hash == h && !strcmp(e->key, k))
            return e;
    }
    return NULL;
}

static void fill(struct xs_htab *t)
{
    for (int i = 0; i < N; i++) {
        snprintf(ents[i].key, sizeof(ents[i].key), "node%d", i);
        ents[i].seen = 0;
        CU_ASSERT_EQUAL_FATAL(xs_htab_reserve(t), 0);
        xs_htab_insert(t, &ents[i].hl, key_hash(ents[i].key));
    }
}

static void hashtab_fnv_vectors(void)
{
    /* Published FNV-1a 64-bit test vectors. */
    CU_ASSERT_EQUAL(xs_fnv1a(XS_FNV_BASIS, "", 0), 0xcbf29ce484222325ull);
    CU_ASSERT_EQUAL(xs_fnv1a(XS_FNV_BASIS, "a", 1), 0xaf63dc4c8601ec8cull);
    CU_ASSERT_EQUAL(xs_fnv1a(XS_FNV_BASIS, "foobar", 6), 0x85944171f73967e8ull);
    /* Continuing over a second piece equals hashing the whole. */
    CU_ASSERT_EQUAL(xs_fnv1a(xs_fnv1a(XS_FNV_BASIS, "foo", 3), "bar", 3),
                    xs_fnv1a(XS_FNV_BASIS, "foobar", 6));
}

static void hashtab_grow_find_remove(void)
{
    struct xs_htab t = { .first_size = 4 };
    struct xs_hlink *l, *next;
    size_t i;

    CU_ASSERT_PTR_NULL(xs_htab_chain(&t, 42));
    fill(&t);
    CU_ASSERT_EQUAL(t.count, N);
    CU_ASSERT(t.size >= N && (t.size & (t.size - 1)) == 0);
    for (int k = 0; k < N; k++)
        CU_ASSERT_PTR_EQUAL(lookup(&t, ents[k].key), &ents[k]);
    CU_ASSERT_PTR_NULL(lookup(&t, "node5000"));

    for (int k = 0; k < N; k += 2)
        xs_htab_remove(&t, &ents[k].hl);
    CU_ASSERT_EQUAL(t.count, N / 2);
    for (int k = 0; k < N; k++)
        CU_ASSERT_PTR_EQUAL(lookup(&t, ents[k].key), k % 2 ? &ents[k] : NULL);

    xs_htab_for_each_safe(&t, i, l, next)
        xs_container_of(l, struct ent, hl)->seen++;
    for (int k = 0; k < N; k++)
        CU_ASSERT_EQUAL(ents[k].seen, k % 2);
    xs_htab_free(&t);
    CU_ASSERT_EQUAL(t.size, 0);
    CU_ASSERT_PTR_NULL(xs_htab_chain(&t, key_hash("node1")));
}

static void hashtab_collisions(void)
{
    struct xs_htab t = { 0 };
    struct ent a = { .key = "a" }, b = { .key = "b" };

    /* Same hash, different keys: both live in one chain, told apart by key. */
    CU_ASSERT_EQUAL_FATAL(xs_htab_reserve(&t), 0);
    xs_htab_insert(&t, &a.hl, 7);
    CU_ASSERT_EQUAL_FATAL(xs_htab_reserve(&t), 0);
    xs_htab_insert(&t, &b.hl, 7);
    CU_ASSERT_EQUAL(t.size, 16);
    CU_ASSERT(xs_htab_chain(&t, 7) == &b.hl && b.hl.next == &a.hl);
    xs_htab_remove(&t, &b.hl);
    CU_ASSERT(xs_htab_chain(&t, 7) == &a.hl && !a.hl.next);
    xs_htab_free(&t);
}

static const struct unit_test hashtab_tests[] = {
    UNIT_TEST(hashtab_fnv_vectors),
    UNIT_TEST(hashtab_grow_find_remove),
    UNIT_TEST(hashtab_collisions),
    UNIT_END
};
UNIT_SUITE(xs_hashtab, NULL, NULL, hashtab_tests)
