/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/mica/test-format.c - mica's tables byte for byte against the
 * lines xl printed on Xen 4.17 (xl-reference §3, §4), domain and size
 * arguments, and the xenstore layout against libxl's (§7).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <public/domctl.h>

#include "cunit-runner.h"
#include "domspec.h"
#include "format.h"
#include "uuid.h"
#include "xs-layout.h"

/* Run fn into a string; the caller frees it. */
#define CAPTURE(buf, call)                                      \
    do {                                                        \
        size_t len_;                                            \
        FILE *f = open_memstream(&(buf), &len_);                \
        call;                                                   \
        fclose(f);                                              \
    } while (0)

static void test_list(void)
{
    struct dom_row d0 = { "Domain-0", 0, 512 * 1024, 2, XEN_DOMINF_running, 34600000000ull, { 0 } };
    struct dom_row du = { "xlidle", 5, 16 * 1024, 1, XEN_DOMINF_blocked, 0, { 0 } };
    struct dom_row dy = { NULL, 1, 0, 1,
                          XEN_DOMINF_paused | XEN_DOMINF_shutdown | XEN_DOMINF_dying, 100000000, { 0 } };
    char *out;

    CAPTURE(out, (fmt_list_header(f, false), fmt_list_row(f, &d0, false),
                  fmt_list_row(f, &du, false), fmt_list_row(f, &dy, false)));
    CU_ASSERT_STRING_EQUAL(out,
        "Name                                        ID   Mem VCPUs\tState\tTime(s)\n"
        "Domain-0                                     0   512     2     r-----      34.6\n"
        "xlidle                                       5    16     1     -b----       0.0\n"
        "(null)                                       1     0     1     --ps-d       0.1\n");
    free(out);
    uuid_parse("90b1ad04-5b2f-4be6-a8c4-f919e0cd0744", du.handle);
    du.name = "pres";
    du.domid = 7;
    du.flags = XEN_DOMINF_shutdown;
    d0.cpu_ns = 57100000000ull;
    CAPTURE(out, (fmt_list_header(f, true), fmt_list_row(f, &d0, true),
                  fmt_list_row(f, &du, true)));
    CU_ASSERT_STRING_EQUAL(out,
        "Name                                        ID   Mem VCPUs\tState\tTime(s)   UUID  "
        "                          Reason-Code\tSecurity Label\n"
        "Domain-0                                     0   512     2     r-----      57.1 "
        "00000000-0000-0000-0000-000000000000        -                -\n"
        "pres                                         7    16     1     ---s--       0.0 "
        "90b1ad04-5b2f-4be6-a8c4-f919e0cd0744        0                -\n");
    free(out);
}

static void test_state(void)
{
    char s[7];

    fmt_state(s, XEN_DOMINF_shutdown | (3u << XEN_DOMINF_shutdownshift));
    CU_ASSERT_STRING_EQUAL(s, "---sc-");
    fmt_state(s, XEN_DOMINF_shutdown | (1u << XEN_DOMINF_shutdownshift));
    CU_ASSERT_STRING_EQUAL(s, "---sr-");
    fmt_state(s, XEN_DOMINF_blocked | XEN_DOMINF_paused);
    CU_ASSERT_STRING_EQUAL(s, "-bp---");
    fmt_state(s, XEN_DOMINF_shutdown | (200u << XEN_DOMINF_shutdownshift));
    CU_ASSERT_STRING_EQUAL(s, "---s?-");
}

static void test_vcpu_uptime_sched(void)
{
    char *out, up[48];

    CAPTURE(out, (fmt_vcpu_header(f),
                  fmt_vcpu_row(f, "Domain-0", 0, 0, 1, true, false, 20000000000ull, "all", "all"),
                  fmt_vcpu_row(f, "xlidle", 5, 0, 1, false, true, 800000000, "1", "all"),
                  fmt_vcpu_row(f, "pres", 7, 0, 0, false, false, 0, "all", "all")));
    CU_ASSERT_STRING_EQUAL(out,
        "Name                                ID  VCPU   CPU State   Time(s) Affinity (Hard / Soft)\n"
        "Domain-0                             0     0    1   r--      20.0  all / all\n"
        "xlidle                               5     0    1   -b-       0.8  1 / all\n"
        "pres                                 7     0    0   ---       0.0  all / all\n");
    free(out);
    CAPTURE(out, (fmt_uptime_header(f), fmt_uptime_row(f, "Domain-0", 0, 35),
                  fmt_uptime_row(f, "xlidle", 5, 4)));
    CU_ASSERT_STRING_EQUAL(out,
        "Name                                ID Uptime\n"
        "Domain-0                             0  0:00:35\n"
        "xlidle                               5  0:00:04\n");
    free(out);
    fmt_uptime(up, sizeof(up), 2 * 86400 + 3 * 3600 + 4 * 60 + 5);
    CU_ASSERT_STRING_EQUAL(up, "2 days,  3:04:05");
    CAPTURE(out, (fmt_sched_header(f), fmt_sched_row(f, "Domain-0", 0, 256, 0)));
    CU_ASSERT_STRING_EQUAL(out,
        "Name                                ID Weight  Cap\n"
        "Domain-0                             0    256    0\n");
    free(out);
    CAPTURE(out, fmt_info(f, "xen_pagesize", "%d", 4096));
    CU_ASSERT_STRING_EQUAL(out, "xen_pagesize           : 4096\n");
    free(out);
}

static void test_domspec(void)
{
    uint32_t id = 99;
    uint64_t kb;

    CU_ASSERT_EQUAL(domspec_parse("0", &id), 0);
    CU_ASSERT_EQUAL(id, 0);
    CU_ASSERT_EQUAL(domspec_parse("42", &id), 0);
    CU_ASSERT_EQUAL(id, 42);
    CU_ASSERT_EQUAL(domspec_parse("xlidle", &id), -ENOENT);
    CU_ASSERT_EQUAL(domspec_parse("4x", &id), -ENOENT);
    CU_ASSERT_EQUAL(domspec_parse("", &id), -EINVAL);
    CU_ASSERT_EQUAL(domspec_parse("32752", &id), -EINVAL);
    CU_ASSERT_EQUAL(domspec_parse("99999999999999999999999", &id), -EINVAL);
    CU_ASSERT_EQUAL(domspec_mem_kb("12", &kb), 0);
    CU_ASSERT_EQUAL(kb, 12 * 1024);
    CU_ASSERT_EQUAL(domspec_mem_kb("12m", &kb), 0);
    CU_ASSERT_EQUAL(kb, 12 * 1024);
    CU_ASSERT_EQUAL(domspec_mem_kb("2g", &kb), 0);
    CU_ASSERT_EQUAL(kb, 2 * 1024 * 1024);
    CU_ASSERT_EQUAL(domspec_mem_kb("512k", &kb), 0);
    CU_ASSERT_EQUAL(kb, 512);
    CU_ASSERT_EQUAL(domspec_mem_kb("1025b", &kb), 0);
    CU_ASSERT_EQUAL(kb, 1);
    CU_ASSERT_EQUAL(domspec_mem_kb("1023B", &kb), 0);
    CU_ASSERT_EQUAL(kb, 0);
    CU_ASSERT_EQUAL(domspec_mem_kb("160M", &kb), 0);
    CU_ASSERT_EQUAL(kb, 160 * 1024);
    CU_ASSERT_EQUAL(domspec_mem_kb("163840k", &kb), 0);
    CU_ASSERT_EQUAL(kb, 160 * 1024);
    CU_ASSERT_EQUAL(domspec_mem_kb("12q", &kb), -EINVAL);
    CU_ASSERT_EQUAL(domspec_mem_kb("", &kb), -EINVAL);
    CU_ASSERT_EQUAL(domspec_mem_kb("1t", &kb), 0);
    CU_ASSERT_EQUAL(kb, 1ull << 30);
    CU_ASSERT_EQUAL(domspec_mem_kb("12mb", &kb), -EINVAL);
    CU_ASSERT_EQUAL(domspec_mem_kb("-1", &kb), -EINVAL);
    CU_ASSERT_EQUAL(domspec_mem_kb("x", &kb), -EINVAL);
    CU_ASSERT_EQUAL(domspec_mem_kb("99999999999999999999t", &kb), -ERANGE);
    CU_ASSERT_EQUAL(domspec_mem_kb("9999999999999t", &kb), -ERANGE);
}

static void test_vcpus(void)
{
    unsigned int n = 99;

    CU_ASSERT_EQUAL(domspec_vcpus("2", &n), 0);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_EQUAL(domspec_vcpus("0", &n), 0);
    CU_ASSERT_EQUAL(n, 0);
    /* as xl's strtoul: what follows the digits is ignored */
    CU_ASSERT_EQUAL(domspec_vcpus("3x", &n), 0);
    CU_ASSERT_EQUAL(n, 3);
    CU_ASSERT_EQUAL(domspec_vcpus("x", &n), -EINVAL);
    CU_ASSERT_EQUAL(domspec_vcpus("", &n), -EINVAL);
    CU_ASSERT_EQUAL(domspec_vcpus("-1", &n), -EINVAL);
    CU_ASSERT_EQUAL(domspec_vcpus(" 1", &n), -EINVAL);
    CU_ASSERT_EQUAL(domspec_vcpus("4096", &n), 0);
    CU_ASSERT_EQUAL(domspec_vcpus("4097", &n), -ERANGE);
    CU_ASSERT_EQUAL(domspec_vcpus("99999999999999999999999", &n), -ERANGE);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * libxl's layout for domid 5 as `xenstore-ls -p` showed it on Xen 4.17
 * (xl-reference §7), without console/tty (the console daemon writes it)
 * and with Mica's /mica/5 in place of /libxl/5; sorted.
 */
static const char *const libxl_layout[] = {
    "/local/domain/0/backend/console/5 = \"\"   (n0)",
    "/local/domain/0/backend/console/5/0 = \"\"   (n0,r5)",
    "/local/domain/0/backend/console/5/0/frontend = \"/local/domain/5/console\"   (n0,r5)",
    "/local/domain/0/backend/console/5/0/frontend-id = \"5\"   (n0,r5)",
    "/local/domain/0/backend/console/5/0/online = \"1\"   (n0,r5)",
    "/local/domain/0/backend/console/5/0/protocol = \"vt100\"   (n0,r5)",
    "/local/domain/0/backend/console/5/0/state = \"1\"   (n0,r5)",
    "/local/domain/5 = \"\"   (n0,r5)",
    "/local/domain/5/attr = \"\"   (n5)",
    "/local/domain/5/console = \"\"   (n0,r5)",
    "/local/domain/5/console/backend = \"/local/domain/0/backend/console/5/0\"   (n0,r5)",
    "/local/domain/5/console/backend-id = \"0\"   (n5,r0)",
    "/local/domain/5/console/limit = \"1048576\"   (n0,r5)",
    "/local/domain/5/console/output = \"pty\"   (n0,r5)",
    "/local/domain/5/console/port = \"2\"   (n0,r5)",
    "/local/domain/5/console/ring-ref = \"493851\"   (n0,r5)",
    "/local/domain/5/console/type = \"xenconsoled\"   (n0,r5)",
    "/local/domain/5/control = \"\"   (n0,r5)",
    "/local/domain/5/control/feature-poweroff = \"\"   (n5)",
    "/local/domain/5/control/feature-reboot = \"\"   (n5)",
    "/local/domain/5/control/feature-suspend = \"\"   (n5)",
    "/local/domain/5/control/platform-feature-multiprocessor-suspend = \"1\"   (n0,r5)",
    "/local/domain/5/control/platform-feature-xs_reset_watches = \"1\"   (n0,r5)",
    "/local/domain/5/control/shutdown = \"\"   (n5)",
    "/local/domain/5/control/sysrq = \"\"   (n5)",
    "/local/domain/5/cpu = \"\"   (n0,r5)",
    "/local/domain/5/cpu/0 = \"\"   (n0,r5)",
    "/local/domain/5/cpu/0/availability = \"online\"   (n0,r5)",
    "/local/domain/5/data = \"\"   (n5)",
    "/local/domain/5/device = \"\"   (n0,r5)",
    "/local/domain/5/device/suspend = \"\"   (n0,r5)",
    "/local/domain/5/device/suspend/event-channel = \"\"   (n5)",
    "/local/domain/5/domid = \"5\"   (n0,r5)",
    "/local/domain/5/drivers = \"\"   (n5)",
    "/local/domain/5/error = \"\"   (n5)",
    "/local/domain/5/feature = \"\"   (n5)",
    "/local/domain/5/memory = \"\"   (n0,r5)",
    "/local/domain/5/memory/static-max = \"16384\"   (n0,r5)",
    "/local/domain/5/memory/target = \"16384\"   (n0,r5)",
    "/local/domain/5/memory/videoram = \"0\"   (n0,r5)",
    "/local/domain/5/name = \"xlidle\"   (n0,r5)",
    "/local/domain/5/store = \"\"   (n0,r5)",
    "/local/domain/5/store/port = \"1\"   (n0,r5)",
    "/local/domain/5/store/ring-ref = \"493850\"   (n0,r5)",
    "/local/domain/5/vm = \"/vm/bcee3c22-72b1-46dc-8487-6cc113db5525\"   (n0,r5)",
    "/mica/5 = \"\"   (n0)",
    "/mica/5/type = \"pv\"   (n0)",
    "/mica/5/uuid = \"bcee3c22-72b1-46dc-8487-6cc113db5525\"   (n0)",
    "/vm/bcee3c22-72b1-46dc-8487-6cc113db5525 = \"\"   (n0,r5)",
    "/vm/bcee3c22-72b1-46dc-8487-6cc113db5525/image = \"\"   (n0,r5)",
    "/vm/bcee3c22-72b1-46dc-8487-6cc113db5525/image/kernel = \"/xtf/test-pv64-xlidle\"   (n0,r5)",
    "/vm/bcee3c22-72b1-46dc-8487-6cc113db5525/image/ostype = \"linux\"   (n0,r5)",
    "/vm/bcee3c22-72b1-46dc-8487-6cc113db5525/name = \"xlidle\"   (n0,r5)",
    "/vm/bcee3c22-72b1-46dc-8487-6cc113db5525/start_time = \"1795577616.89\"   (n0,r5)",
    "/vm/bcee3c22-72b1-46dc-8487-6cc113db5525/uuid = \"bcee3c22-72b1-46dc-8487-6cc113db5525\"   (n0,r5)",
};

static long plan_index(const struct xs_plan *p, const char *path)
{
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->nodes[i].path, path))
            return (long)i;
    return -2;
}

/* Which nodes get their own XS_SET_PERMS when the plan creates them all. */
static void check_inherit(const struct xs_plan *p)
{
    long *parent = calloc(p->n, sizeof(*parent));
    long home = plan_index(p, "/local/domain/5"), name = plan_index(p, "/local/domain/5/name");
    long shut = plan_index(p, "/local/domain/5/control/shutdown");
    long vm = plan_index(p, "/vm/bcee3c22-72b1-46dc-8487-6cc113db5525");
    size_t own = 0, roots = 0;

    CU_ASSERT_FATAL(parent != NULL && home >= 0 && name >= 0 && shut >= 0 && vm >= 0);
    xs_plan_parents(p, parent);
    CU_ASSERT_EQUAL(parent[home], -1);
    CU_ASSERT_EQUAL(parent[vm], -1);
    CU_ASSERT_EQUAL(parent[name], home);
    CU_ASSERT_EQUAL(parent[shut], plan_index(p, "/local/domain/5/control"));
    CU_ASSERT_EQUAL(parent[plan_index(p, "/vm/bcee3c22-72b1-46dc-8487-6cc113db5525/name")], vm);
    /* roots always; (n0,r5) below (n0,r5) inherits; the guest's own nodes do not */
    CU_ASSERT(xs_node_needs_perms(p, parent, (size_t)home, 1));
    CU_ASSERT(!xs_node_needs_perms(p, parent, (size_t)name, 1));
    CU_ASSERT(xs_node_needs_perms(p, parent, (size_t)shut, 1));
    /* a parent that was there before may have other permissions: set them all */
    CU_ASSERT(xs_node_needs_perms(p, parent, (size_t)name, 0));
    for (size_t i = 0; i < p->n; i++) {
        CU_ASSERT(parent[i] < (long)i);
        roots += parent[i] < 0;
        own += (size_t)xs_node_needs_perms(p, parent, i, 1);
    }
    /*
     * Roots: home, the console back end's (n0), /vm/UUID, /mica/5.  Then the
     * 11 guest-owned nodes (control/ 5, the guest's 5 directories,
     * device/suspend/event-channel), console/backend-id (n5,r0) and the
     * back end's (n0,r5) directory below its (n0) parent.
     */
    CU_ASSERT_EQUAL(roots, 4);
    CU_ASSERT_EQUAL(own, 17);
    free(parent);
}

static void test_xs_layout(void)
{
    const struct xs_layout_args a = {
        .domid = 5, .name = "xlidle", .uuid = "bcee3c22-72b1-46dc-8487-6cc113db5525",
        .kernel = "/xtf/test-pv64-xlidle", .target_kb = 16384, .max_kb = 16384,
        .vcpus = 1, .maxvcpus = 1, .store_port = 1, .console_port = 2,
        .store_mfn = 493850, .console_mfn = 493851, .console_backend = 0,
        .start_time = "1795577616.89",
    };
    size_t n = sizeof(libxl_layout) / sizeof(libxl_layout[0]), i;
    struct xs_plan p;
    char **lines, *paths[4];
    int k;

    CU_ASSERT_EQUAL_FATAL(xs_layout_plan(&p, &a), 0);
    CU_ASSERT_EQUAL(p.n, n);
    lines = calloc(p.n, sizeof(*lines));
    for (i = 0; i < p.n; i++) {
        const struct xs_node *x = &p.nodes[i];
        char perms[40];

        snprintf(perms, sizeof(perms), "%c%u", x->perms[0].perm, x->perms[0].id);
        if (x->nperms == 2)
            snprintf(perms + strlen(perms), sizeof(perms) - strlen(perms), ",%c%u",
                     x->perms[1].perm, x->perms[1].id);
        CU_ASSERT(asprintf(&lines[i], "%s = \"%s\"   (%s)", x->path, x->value, perms) > 0);
        /* parents first: each node's parent is earlier, or outside the plan */
        for (size_t j = i + 1; j < p.n; j++)
            CU_ASSERT(strncmp(p.nodes[j].path, x->path, strlen(p.nodes[j].path)) ||
                      x->path[strlen(p.nodes[j].path)] != '/');
    }
    check_inherit(&p);
    qsort(lines, p.n, sizeof(*lines), cmp_str);
    for (i = 0; i < p.n && i < n; i++) {
        if (strcmp(lines[i], libxl_layout[i]))
            fprintf(stderr, "layout: got  %s\n        want %s\n", lines[i], libxl_layout[i]);
        CU_ASSERT_STRING_EQUAL(lines[i], libxl_layout[i]);
    }
    for (i = 0; i < p.n; i++)
        free(lines[i]);
    free(lines);
    xs_plan_free(&p);

    k = xs_layout_subtrees(5, a.uuid, paths);
    CU_ASSERT_EQUAL_FATAL(k, 4);
    CU_ASSERT_STRING_EQUAL(paths[0], "/local/domain/5");
    CU_ASSERT_STRING_EQUAL(paths[1], "/local/domain/0/backend/console/5");
    CU_ASSERT_STRING_EQUAL(paths[2], "/mica/5");
    CU_ASSERT_STRING_EQUAL(paths[3], "/vm/bcee3c22-72b1-46dc-8487-6cc113db5525");
    while (k)
        free(paths[--k]);
}

static const struct unit_test format_tests[] = {
    UNIT_TEST(test_list),
    UNIT_TEST(test_state),
    UNIT_TEST(test_vcpu_uptime_sched),
    UNIT_TEST(test_domspec),
    UNIT_TEST(test_vcpus),
    UNIT_TEST(test_xs_layout),
    UNIT_END,
};
UNIT_SUITE(format, NULL, NULL, format_tests)
