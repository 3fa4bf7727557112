/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/micatop/test-table.c - micatop's table byte for byte against
 * what xentop 4.17 printed on Xen (xl-reference §5.2, §5.3): header, rows
 * of running, blocked, paused and shut-down domains, the vCPU line, the
 * summary lines, "no limit", and every sort order S cycles through.
 */
#include <stdlib.h>
#include <string.h>

#include <public/domctl.h>
#include <public/sched.h>

#include "cunit-runner.h"
#include "table.h"

#define S 1000000000ull

static const struct mt_host host = { 2096636, 1532152, 2, 2096, "4.17.7" };

static uint64_t d0_ns[] = { 22 * S + 5, 19 * S + 7 };
static bool d0_on[] = { true, true };
static uint64_t du_ns[] = { 0 };
static bool du_on[] = { true };

static struct mt_dom dom0(void)
{
    struct mt_dom d = { 0 };

    d.domid = 0;
    strcpy(d.name, "Domain-0");
    d.flags = XEN_DOMINF_running;
    d.cpu_ns = 42 * S + 123;
    d.mem_kb = d.maxmem_kb = 524288;
    d.nr_vcpus = 2;
    d.vcpu_ns = d0_ns;
    d.vcpu_online = d0_on;
    return d;
}

static struct mt_dom idle(void)
{
    struct mt_dom d = { 0 };

    d.domid = 5;
    strcpy(d.name, "xlidle");
    d.flags = XEN_DOMINF_blocked;
    d.mem_kb = 16384;
    d.maxmem_kb = 17408;
    d.nr_vcpus = 1;
    d.vcpu_ns = du_ns;
    d.vcpu_online = du_on;
    return d;
}

static void test_header(void)
{
    char out[256];

    mt_header(out, sizeof(out));
    CU_ASSERT_STRING_EQUAL(out,
        "      NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%) VCPUS NETS "
        "NETTX(k) NETRX(k) VBDS   VBD_OO   VBD_RD   VBD_WR  VBD_RSECT  VBD_WSECT SSID");
}

static void test_rows(void)
{
    struct mt_dom d = dom0(), u = idle();
    char out[256];

    mt_row(&d, &host, false, out, sizeof(out));
    CU_ASSERT_STRING_EQUAL(out,
        "  Domain-0 -----r         42    0.0     524288   25.0     524288      25.0     2    0 "
        "       0        0    0        0        0        0          0          0    0");
    d.cpu_pct = 7.93;
    mt_row(&d, &host, false, out, sizeof(out));
    CU_ASSERT_STRING_EQUAL(out,
        "  Domain-0 -----r         42    7.9     524288   25.0     524288      25.0     2    0 "
        "       0        0    0        0        0        0          0          0    0");
    u.cpu_pct = 3.1;
    mt_row(&u, &host, false, out, sizeof(out));
    CU_ASSERT_STRING_EQUAL(out,
        "    xlidle --b---          0    3.1      16384    0.8      17408       0.8     1    0 "
        "       0        0    0        0        0        0          0          0    0");
    u.flags = XEN_DOMINF_paused;
    u.cpu_pct = 0;
    mt_row(&u, &host, false, out, sizeof(out));
    CU_ASSERT_STRING_EQUAL(out,
        "    xlidle ----p-          0    0.0      16384    0.8      17408       0.8     1    0 "
        "       0        0    0        0        0        0          0          0    0");
    strcpy(u.name, "pres");
    u.flags = XEN_DOMINF_shutdown | (SHUTDOWN_poweroff << XEN_DOMINF_shutdownshift);
    mt_row(&u, &host, false, out, sizeof(out));
    CU_ASSERT_STRING_EQUAL(out,
        "      pres -s----          0    0.0      16384    0.8      17408       0.8     1    0 "
        "       0        0    0        0        0        0          0          0    0");
}

static void test_names_and_limits(void)
{
    struct mt_dom u = idle();
    char out[64];

    strcpy(u.name, "a-rather-long-name");
    mt_cell(&u, &host, MT_NAME, false, out, sizeof(out));
    CU_ASSERT_STRING_EQUAL(out, "a-rather-l");
    mt_cell(&u, &host, MT_NAME, true, out, sizeof(out));
    CU_ASSERT_STRING_EQUAL(out, "a-rather-long-name");
    u.maxmem_kb = MT_NO_LIMIT;
    mt_cell(&u, &host, MT_MAXMEM, false, out, sizeof(out));
    CU_ASSERT_STRING_EQUAL(out, "  no limit");
    mt_cell(&u, &host, MT_MAXMEM_PCT, false, out, sizeof(out));
    CU_ASSERT_STRING_EQUAL(out, "      n/a");
    u.flags = XEN_DOMINF_shutdown | XEN_DOMINF_dying | (SHUTDOWN_crash << XEN_DOMINF_shutdownshift);
    mt_cell(&u, &host, MT_STATE, false, out, sizeof(out));
    CU_ASSERT_STRING_EQUAL(out, "ds-c--");
}

static void test_vcpu_line(void)
{
    struct mt_dom d = dom0(), u = idle();
    char out[128];

    mt_vcpu_line(&d, out, sizeof(out));
    CU_ASSERT_STRING_EQUAL(out, "VCPUs(sec):   0:         22s  1:         19s");
    mt_vcpu_line(&u, out, sizeof(out));
    CU_ASSERT_STRING_EQUAL(out, "VCPUs(sec):   0:          0s");
    /* Offline vCPUs are left out, as xentop does. */
    d0_on[0] = false;
    mt_vcpu_line(&d, out, sizeof(out));
    d0_on[0] = true;
    CU_ASSERT_STRING_EQUAL(out, "VCPUs(sec):   1:         19s");
}

static void test_summary(void)
{
    struct mt_dom d = dom0(), u = idle();
    struct mt_dom *both[] = { &d, &u };
    char out[128];

    mt_summary_states(both, 2, out, sizeof(out));
    CU_ASSERT_STRING_EQUAL(out,
        "2 domains: 1 running, 1 blocked, 0 paused, 0 crashed, 0 dying, 0 shutdown");
    u.flags = XEN_DOMINF_shutdown | (SHUTDOWN_crash << XEN_DOMINF_shutdownshift);
    mt_summary_states(both, 2, out, sizeof(out));
    CU_ASSERT_STRING_EQUAL(out,
        "2 domains: 1 running, 0 blocked, 0 paused, 1 crashed, 0 dying, 0 shutdown");
    mt_summary_mem(&host, out, sizeof(out));
    CU_ASSERT_STRING_EQUAL(out,
        "Mem: 2096636k total, 564484k used, 1532152k free    CPUs: 2 @ 2096MHz");
}

static void test_devices(void)
{
    struct mt_vif v[2] = { { 0, 2048, 2, 0, 0, 4096, 4, 0, 1 }, { 1, 1024, 1, 0, 0, 0, 0, 0, 0 } };
    struct mt_vbd b[1] = { { 51712, 3, 100, 50, 800, 400 } };
    struct mt_dom u = idle();
    char out[256];

    u.vifs = v;
    u.nr_vifs = 2;
    u.vbds = b;
    u.nr_vbds = 1;
    CU_ASSERT_EQUAL(mt_net_kb(&u, true), 3);
    CU_ASSERT_EQUAL(mt_net_kb(&u, false), 4);
    CU_ASSERT_EQUAL(mt_vbd_sum(&u, MT_VBD_RSECT), 800);
    mt_row(&u, &host, false, out, sizeof(out));
    CU_ASSERT_STRING_EQUAL(out,
        "    xlidle --b---          0    0.0      16384    0.8      17408       0.8     1    2 "
        "       3        4    1        3      100       50        800        400    0");
    mt_vif_line(&v[0], 0, out, sizeof(out));
    CU_ASSERT_STRING_EQUAL(out, "Net0 RX:     4096bytes        4pkts        0err        1drop  "
                                "TX:     2048bytes        2pkts        0err        0drop");
}

static void test_sort(void)
{
    struct mt_dom a = dom0(), b = idle(), c = idle();
    struct mt_dom *v[3] = { &a, &b, &c };

    strcpy(c.name, "Alpha");
    c.domid = 9;
    c.flags = XEN_DOMINF_paused;
    c.mem_kb = 65536;
    c.cpu_pct = 50;
    a.cpu_pct = 10;
    mt_sort(v, 3, MT_NAME);
    CU_ASSERT(v[0] == &c && v[1] == &a && v[2] == &b);
    /* STATE: blocked before paused before running (d,s,b,c,p,r, set first). */
    mt_sort(v, 3, MT_STATE);
    CU_ASSERT(v[0] == &b && v[1] == &c && v[2] == &a);
    mt_sort(v, 3, MT_CPU_PCT);
    CU_ASSERT(v[0] == &c && v[1] == &a && v[2] == &b);
    mt_sort(v, 3, MT_MEM);
    CU_ASSERT(v[0] == &a && v[1] == &c && v[2] == &b);
    mt_sort(v, 3, MT_CPU_SEC);
    CU_ASSERT(v[0] == &a && v[1] == &b && v[2] == &c);
    /* Every column sorts without falling over, ties by domid. */
    for (int col = 0; col < MT_NR_COLS; col++) {
        mt_sort(v, 3, (enum mt_col)col);
        CU_ASSERT_PTR_NOT_NULL(mt_col_title((enum mt_col)col));
    }
    mt_sort(v, 3, MT_SSID);
    CU_ASSERT(v[0] == &a && v[1] == &b && v[2] == &c);
}

static const struct unit_test table_tests[] = {
    UNIT_TEST(test_header),
    UNIT_TEST(test_rows),
    UNIT_TEST(test_names_and_limits),
    UNIT_TEST(test_vcpu_line),
    UNIT_TEST(test_summary),
    UNIT_TEST(test_devices),
    UNIT_TEST(test_sort),
    UNIT_END,
};
UNIT_SUITE(micatop_table, NULL, NULL, table_tests);
