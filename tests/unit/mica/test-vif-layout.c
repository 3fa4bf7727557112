/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/mica/test-vif-layout.c - a vif's xenstore nodes as libxl
 * writes them: the front end's directory the guest's (dom0 reads), the
 * back end's dom0's (the guest reads), the mac netfront requires, the
 * default bridge and script, the optional keys only when given.
 */
#include <string.h>
#include "cunit-runner.h"
#include "vif.h"

static const struct xs_node *find(const struct xs_plan *p, const char *path)
{
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->nodes[i].path, path))
            return &p->nodes[i];
    return NULL;
}

static const char *val(const struct xs_plan *p, const char *path)
{
    const struct xs_node *n = find(p, path);

    return n ? n->value : NULL;
}

static void defaults(void)
{
    struct xs_plan p = { 0 };
    struct vif_spec v = { .devid = -1 };
    const uint8_t mac[6] = { 0x00, 0x16, 0x3e, 0x0a, 0xbb, 0x0c };
    const struct xs_node *n;

    CU_ASSERT_EQUAL(vif_layout_add(&p, 7, 0, &v, mac), 0);
    CU_ASSERT_STRING_EQUAL(val(&p, "/local/domain/7/device/vif/0/mac"), "00:16:3e:0a:bb:0c");
    CU_ASSERT_STRING_EQUAL(val(&p, "/local/domain/7/device/vif/0/backend"),
                           "/local/domain/0/backend/vif/7/0");
    CU_ASSERT_STRING_EQUAL(val(&p, "/local/domain/7/device/vif/0/state"), "1");
    CU_ASSERT_STRING_EQUAL(val(&p, "/local/domain/0/backend/vif/7/0/frontend"),
                           "/local/domain/7/device/vif/0");
    CU_ASSERT_STRING_EQUAL(val(&p, "/local/domain/0/backend/vif/7/0/bridge"), "micabr0");
    CU_ASSERT_STRING_EQUAL(val(&p, "/local/domain/0/backend/vif/7/0/script"), VIF_SCRIPT);
    CU_ASSERT_STRING_EQUAL(val(&p, "/local/domain/0/backend/vif/7/0/type"), "vif");
    CU_ASSERT_PTR_NULL(find(&p, "/local/domain/0/backend/vif/7/0/mtu"));
    CU_ASSERT_PTR_NULL(find(&p, "/local/domain/0/backend/vif/7/0/vifname"));
    n = find(&p, "/local/domain/7/device/vif/0");
    CU_ASSERT_TRUE(n && n->perms[0].id == 7 && n->perms[0].perm == 'n' &&
                   n->perms[1].id == 0 && n->perms[1].perm == 'r');
    n = find(&p, "/local/domain/0/backend/vif/7/0/online");
    CU_ASSERT_TRUE(n && n->perms[0].id == 0 && n->perms[1].id == 7 && n->perms[1].perm == 'r');
    xs_plan_free(&p);
}

static void given_keys(void)
{
    struct xs_plan p = { 0 };
    struct vif_spec v;
    char why[128];
    const uint8_t mac[6] = { 0 };

    CU_ASSERT_EQUAL(vif_spec_parse(&v, "bridge=br1, vifname=guest0, mtu=9000, devid=3",
                                   why, sizeof(why)), 0);
    CU_ASSERT_EQUAL(vif_devid(&v, 0), 3);
    CU_ASSERT_EQUAL(vif_layout_add(&p, 2, vif_devid(&v, 0), &v, mac), 0);
    CU_ASSERT_STRING_EQUAL(val(&p, "/local/domain/0/backend/vif/2/3/bridge"), "br1");
    CU_ASSERT_STRING_EQUAL(val(&p, "/local/domain/0/backend/vif/2/3/vifname"), "guest0");
    CU_ASSERT_STRING_EQUAL(val(&p, "/local/domain/0/backend/vif/2/3/mtu"), "9000");
    CU_ASSERT_STRING_EQUAL(val(&p, "/local/domain/2/device/vif/3/mtu"), "9000");
    CU_ASSERT_STRING_EQUAL(val(&p, "/local/domain/2/device/vif/3/handle"), "3");
    vif_spec_free(&v);
    xs_plan_free(&p);
    v = (struct vif_spec){ .devid = -1 };
    CU_ASSERT_EQUAL(vif_devid(&v, 2), 2);
}

static const struct unit_test tests[] = {
    UNIT_TEST(defaults),
    UNIT_TEST(given_keys),
    UNIT_END,
};
UNIT_SUITE(vif_layout, NULL, NULL, tests)
