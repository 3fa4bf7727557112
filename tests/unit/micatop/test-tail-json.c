/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/micatop/test-tail-json.c - the console tail of the detail
 * view (last lines, partial lines, CRs, escape sequences and high bytes
 * made harmless, cut to width) and the JSON line of --json (escaping,
 * "no limit" as null, offline vCPUs left out).
 */
#include <stdlib.h>
#include <string.h>

#include <public/domctl.h>

#include "cunit-runner.h"
#include "json.h"
#include "tail.h"

#define W 8
static char out[16 * (W + 1)];

static const char *line(size_t i)
{
    return out + i * (W + 1);
}

static void test_tail_last_lines(void)
{
    const char log[] = "one\ntwo\nthree\nfour\n";

    CU_ASSERT_EQUAL(mt_tail(log, strlen(log), 2, W, out), 2);
    CU_ASSERT_STRING_EQUAL(line(0), "three");
    CU_ASSERT_STRING_EQUAL(line(1), "four");
    CU_ASSERT_EQUAL(mt_tail(log, strlen(log), 10, W, out), 4);
    CU_ASSERT_STRING_EQUAL(line(0), "one");
}

static void test_tail_partial_and_empty(void)
{
    CU_ASSERT_EQUAL(mt_tail("a\nprompt# ", 10, 2, W, out), 2);
    CU_ASSERT_STRING_EQUAL(line(1), "prompt# ");
    CU_ASSERT_EQUAL(mt_tail("", 0, 3, W, out), 0);
    CU_ASSERT_EQUAL(mt_tail("\nx", 2, 3, W, out), 2);
    CU_ASSERT_STRING_EQUAL(line(0), "");
    CU_ASSERT_STRING_EQUAL(line(1), "x");
    CU_ASSERT_EQUAL(mt_tail("a\n\n", 3, 3, W, out), 2);
    CU_ASSERT_STRING_EQUAL(line(0), "a");
    CU_ASSERT_STRING_EQUAL(line(1), "");
}

static void test_tail_sanitised(void)
{
    const char log[] = "\x1b]0;owned\x07\r\nok\tgo\r\n\xc3\xa9t\x7f\n";

    CU_ASSERT_EQUAL(mt_tail(log, strlen(log), 3, W, out), 3);
    /* The title-setting sequence is cut to width and has no ESC or BEL. */
    CU_ASSERT_STRING_EQUAL(line(0), ".]0;owne");
    CU_ASSERT_STRING_EQUAL(line(1), "ok go");
    CU_ASSERT_STRING_EQUAL(line(2), "..t.");
}

static void test_tail_nul_bytes(void)
{
    const char log[] = { 'a', 0, 'b', '\n', 'c' };

    CU_ASSERT_EQUAL(mt_tail(log, sizeof(log), 2, W, out), 2);
    CU_ASSERT_STRING_EQUAL(line(0), "a.b");
    CU_ASSERT_STRING_EQUAL(line(1), "c");
}

static void test_json(void)
{
    uint64_t ns[] = { 3000000000ull, 5, MT_VCPU_ABSENT };
    bool on[] = { true, false, true };
    struct mt_host h = { 1000, 600, 2, 2000, "4.17.0-mica" };
    struct mt_dom d;
    struct mt_dom *v[1] = { &d };
    char *buf = NULL;
    size_t len;
    FILE *f;

    memset(&d, 0, sizeof(d));
    d.domid = 3;
    strcpy(d.name, "we\"ird\\\n");
    d.flags = XEN_DOMINF_blocked;
    d.cpu_ns = 3000000005ull;
    d.cpu_pct = 12.345;
    d.mem_kb = 100;
    d.maxmem_kb = MT_NO_LIMIT;
    d.nr_vcpus = 3;
    d.vcpu_ns = ns;
    d.vcpu_online = on;
    f = open_memstream(&buf, &len);
    mt_json(f, 77, &h, v, 1);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(buf,
        "{\"time\":77,\"host\":{\"version\":\"4.17.0-mica\",\"total_kb\":1000,\"free_kb\":600,"
        "\"cpus\":2,\"cpu_mhz\":2000},\"domains\":[{\"domid\":3,\"name\":\"we\\\"ird\\\\\\n\","
        "\"state\":\"--b---\",\"cpu_ns\":3000000005,\"cpu_pct\":12.35,\"mem_kb\":100,"
        "\"mem_pct\":10.00,\"maxmem_kb\":null,\"vcpus\":3,\"vcpu_ns\":[[0,3000000000]],"
        "\"nettx_kb\":0,\"netrx_kb\":0,\"vifs\":[],\"vbds\":[],\"ssid\":0}]}\n");
    free(buf);
}

static const struct unit_test tail_json_tests[] = {
    UNIT_TEST(test_tail_last_lines),
    UNIT_TEST(test_tail_partial_and_empty),
    UNIT_TEST(test_tail_sanitised),
    UNIT_TEST(test_tail_nul_bytes),
    UNIT_TEST(test_json),
    UNIT_END,
};
UNIT_SUITE(micatop_tail_json, NULL, NULL, tail_json_tests);
