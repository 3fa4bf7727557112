/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/xenstore/test-tree.c - the live tree and the path rules.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cunit-runner.h"
#include "harness.h"
#include "path.h"
#include "quota.h"
#include "tree.h"

static struct xs_node *add(const char *parent, const char *name)
{
    struct xs_node *p = xs_tree_lookup(parent);

    return xs_tree_add(p, name, strlen(name), p->perms);
}

static void tree_add_lookup(void)
{
    struct xs_node *a = add("/", "a"), *b = add("/a", "b");
    char path[64];

    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_PTR_EQUAL(xs_tree_lookup("/a/b"), b);
    CU_ASSERT_PTR_NULL(xs_tree_lookup("/a/c"));
    CU_ASSERT_PTR_NULL(xs_tree_lookup("/b"));
    CU_ASSERT_EQUAL(xs_tree_path(b, path, sizeof(path)), 4);
    CU_ASSERT_STRING_EQUAL(path, "/a/b");
    CU_ASSERT_EQUAL(xs_tree_count(), 3);
    CU_ASSERT_EQUAL(xs_tree_check(), 0);
}

static void tree_order_and_remove(void)
{
    struct xs_node *p = add("/", "d");
    const char *names[] = { "x", "y", "z", "w" };
    struct xs_node *c;
    unsigned int i;
    char got[32] = "";

    for (i = 0; i < 4; i++)
        add("/d", names[i]);
    CU_ASSERT_EQUAL(p->dirlen, 8);
    xs_tree_remove(xs_tree_lookup("/d/y"), NULL, NULL);
    xs_tree_remove(xs_tree_lookup("/d/w"), NULL, NULL);
    for (c = p->child; c; c = c->next)
        strcat(got, c->name);
    CU_ASSERT_STRING_EQUAL(got, "xz");
    CU_ASSERT_EQUAL(p->dirlen, 4);
    add("/d", "v");
    got[0] = '\0';
    for (c = p->child; c; c = c->next)
        strcat(got, c->name);
    CU_ASSERT_STRING_EQUAL(got, "xzv");
    CU_ASSERT_EQUAL(xs_tree_check(), 0);
}

static void tree_gen_moves(void)
{
    struct xs_node *p = add("/", "g"), *c;
    uint64_t g0 = p->gen, g1;

    c = add("/g", "k");
    CU_ASSERT(p->gen > g0);
    g1 = c->gen;
    xs_tree_set_value(c, "v", 1);
    CU_ASSERT(c->gen > g1);
    g1 = p->gen;
    xs_tree_remove(c, NULL, NULL);
    CU_ASSERT(p->gen > g1);
}

static void tree_remove_subtree_counts(void)
{
    size_t before = xs_tree_count();
    char name[8];
    int i;

    add("/", "big");
    for (i = 0; i < 100; i++) {
        snprintf(name, sizeof(name), "n%d", i);
        add("/big", name);
    }
    CU_ASSERT_EQUAL(xs_tree_count(), before + 101);
    xs_tree_remove(xs_tree_lookup("/big"), NULL, NULL);
    CU_ASSERT_EQUAL(xs_tree_count(), before);
    CU_ASSERT_EQUAL(xs_tree_check(), 0);
}

static const struct unit_test tree_tests[] = {
    UNIT_TEST(tree_add_lookup),
    UNIT_TEST(tree_order_and_remove),
    UNIT_TEST(tree_gen_moves),
    UNIT_TEST(tree_remove_subtree_counts),
    UNIT_END
};
UNIT_SUITE(xs_tree, ut_setup, ut_teardown, tree_tests)

static int resolve(unsigned int dom, const char *in, char *out)
{
    return xs_path_resolve(dom, in, 2048, out, NULL);
}

static void path_absolute_and_relative(void)
{
    char out[XS_PATH_BUF];
    unsigned int off;

    CU_ASSERT_EQUAL(resolve(0, "/a/b", out), 0);
    CU_ASSERT_STRING_EQUAL(out, "/a/b");
    CU_ASSERT_EQUAL(xs_path_resolve(7, "device/vbd", 2048, out, &off), 0);
    CU_ASSERT_STRING_EQUAL(out, "/local/domain/7/device/vbd");
    CU_ASSERT_STRING_EQUAL(out + off, "device/vbd");
    CU_ASSERT_EQUAL(resolve(0, "/", out), 0);
    CU_ASSERT_EQUAL(resolve(0, "@releaseDomain", out), 0);
    CU_ASSERT(xs_path_special(out));
}

static void path_invalid(void)
{
    char out[XS_PATH_BUF];

    CU_ASSERT_EQUAL(resolve(0, "", out), -EINVAL);
    CU_ASSERT_EQUAL(resolve(0, "/a//b", out), -EINVAL);
    CU_ASSERT_EQUAL(resolve(0, "/a/", out), -EINVAL);
    CU_ASSERT_EQUAL(resolve(0, "/a.b", out), -EINVAL);
    CU_ASSERT_EQUAL(resolve(0, "/a b", out), -EINVAL);
    CU_ASSERT_EQUAL(resolve(0, "/a-b_c@9", out), 0);
}

static void path_lengths(void)
{
    char in[XS_PATH_BUF], out[XS_PATH_BUF];

    /* Outside /local/domain/<id>/ the whole name counts: 2048 max. */
    in[0] = '/';
    memset(in + 1, 'a', 2047);
    in[2048] = '\0';
    CU_ASSERT_EQUAL(resolve(0, in, out), 0);
    in[2048] = 'a';
    in[2049] = '\0';
    CU_ASSERT_EQUAL(resolve(0, in, out), -EINVAL);
    /* Below a domain's home only the relative part counts. */
    strcpy(in, "/local/domain/1/");
    memset(in + 16, 'a', 2048);
    in[16 + 2048] = '\0';
    CU_ASSERT_EQUAL(resolve(0, in, out), 0);
    in[16 + 2048] = 'a';
    in[16 + 2049] = '\0';
    CU_ASSERT_EQUAL(resolve(0, in, out), -EINVAL);
}

static void path_under(void)
{
    CU_ASSERT(xs_path_is_under("/a", "/a"));
    CU_ASSERT(xs_path_is_under("/a", "/a/b"));
    CU_ASSERT(!xs_path_is_under("/a", "/ab"));
    CU_ASSERT(xs_path_is_under("/", "/ab"));
    CU_ASSERT(!xs_path_is_under("/a/b", "/a"));
    CU_ASSERT_EQUAL(xs_path_parent_len("/a/b"), 2);
    CU_ASSERT_EQUAL(xs_path_parent_len("/a"), 1);
    CU_ASSERT_STRING_EQUAL(xs_path_base("/a/bc"), "bc");
}

static const struct unit_test path_tests[] = {
    UNIT_TEST(path_absolute_and_relative),
    UNIT_TEST(path_invalid),
    UNIT_TEST(path_lengths),
    UNIT_TEST(path_under),
    UNIT_END
};
UNIT_SUITE(xs_path, NULL, NULL, path_tests)
