/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/mica/test-xlcfg.c - the xl.cfg parser against golden files:
 * each cfg/fail-*.cfg must fail with exactly the line in its .err, each
 * cfg/pass-*.cfg must give exactly the JSON in its .json; plus escapes,
 * command-line overrides, CPU lists, vdev numbers and UUIDs.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cunit-runner.h"
#include "domcfg.h"
#include "domcfg-json.h"
#include "uuid.h"
#include "xlcfg.h"

#ifndef CFG_DIR
#define CFG_DIR "tests/unit/mica/cfg"
#endif

static char *slurp(const char *dir, const char *name, const char *ext, size_t *len)
{
    char path[512], *buf = NULL;
    FILE *f;
    long n;

    snprintf(path, sizeof(path), "%s/%.*s%s", dir, (int)(strlen(name) - 4), name, ext);
    f = fopen(path, "rb");
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)n + 1);
        if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
            buf[n] = 0;
            *len = (size_t)n;
        } else {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

/* Parse a whole file into 'out' (JSON) or 'err'; 0 on success. */
static int run_cfg(const char *name, const char *buf, size_t len, char **json,
                   struct xlcfg_err *err)
{
    struct xlcfg cfg;
    struct domcfg d;
    size_t jlen;
    FILE *f;
    int rc;

    rc = xlcfg_parse(&cfg, name, buf, len, err);
    if (rc)
        return rc;
    rc = domcfg_from_xlcfg(&d, &cfg, err);
    xlcfg_free(&cfg);
    if (rc)
        return rc;
    f = open_memstream(json, &jlen);
    domcfg_json(f, &d, 0);
    fclose(f);
    domcfg_free(&d);
    return 0;
}

/* Every golden file of one kind; a mismatch names the file on stderr. */
static void golden(const char *prefix)
{
    DIR *dir = opendir(CFG_DIR);
    struct dirent *e;
    int seen = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    while ((e = readdir(dir))) {
        size_t n = strlen(e->d_name), len, elen;
        struct xlcfg_err err;
        char *buf, *want, *json = NULL, got[sizeof(err.msg) + 2];
        bool pass = prefix[0] == 'p';
        int rc;

        if (strncmp(e->d_name, prefix, strlen(prefix)) || n < 5 ||
            strcmp(e->d_name + n - 4, ".cfg"))
            continue;
        seen++;
        buf = slurp(CFG_DIR, e->d_name, ".cfg", &len);
        want = slurp(CFG_DIR, e->d_name, pass ? ".json" : ".err", &elen);
        CU_ASSERT_PTR_NOT_NULL(buf);
        CU_ASSERT_PTR_NOT_NULL(want);
        if (!buf || !want) {
            fprintf(stderr, "%s: cannot read it or its expected result\n", e->d_name);
            free(buf);
            free(want);
            continue;
        }
        rc = run_cfg(e->d_name, buf, len, &json, &err);
        snprintf(got, sizeof(got), "%s\n", err.msg);
        if (pass ? rc || strcmp(json, want) : rc != -EINVAL || strcmp(got, want))
            fprintf(stderr, "%s: got rc %d\n%s", e->d_name, rc, pass && !rc ? json : got);
        CU_ASSERT_EQUAL(rc, pass ? 0 : -EINVAL);
        CU_ASSERT_STRING_EQUAL(pass && !rc ? json : got, want);
        free(json);
        free(buf);
        free(want);
    }
    closedir(dir);
    CU_ASSERT(seen >= 5);
}

static void test_golden_fail(void) { golden("fail-"); }
static void test_golden_pass(void) { golden("pass-"); }

static const struct xlcfg_setting *parse1(struct xlcfg *cfg, const char *text,
                                          const char *key)
{
    struct xlcfg_err err;

    if (xlcfg_parse(cfg, "t.cfg", text, strlen(text), &err))
        return NULL;
    return xlcfg_get(cfg, key);
}

static void test_escapes(void)
{
    struct xlcfg cfg;
    const struct xlcfg_setting *s;

    s = parse1(&cfg, "x = \"\\a\\b\\f\\n\\r\\t\\v\\\\\\'\\\"\\101\\x41\\q.\"\n", "x");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(s->val->type, XLCFG_STRING);
    /* \q is dropped as xl drops unknown escapes */
    CU_ASSERT_STRING_EQUAL(s->val->str, "\a\b\f\n\r\t\v\\'\"AA.");
    xlcfg_free(&cfg);
    s = parse1(&cfg, "x = 'it''s'\n", "x");
    CU_ASSERT_PTR_NULL(s);
    s = parse1(&cfg, "x = 'say \"hi\"'\n", "x");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_STRING_EQUAL(s->val->str, "say \"hi\"");
    xlcfg_free(&cfg);
}

static void test_lists(void)
{
    struct xlcfg cfg;
    const struct xlcfg_setting *s;

    s = parse1(&cfg, "x = [\n  1, # one\n\n  [ 'a', [] ],\n  \"b\",\n]\n", "x");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL_FATAL(s->val->n, 3);
    CU_ASSERT_EQUAL(s->val->items[0]->type, XLCFG_NUMBER);
    CU_ASSERT_EQUAL(s->val->items[1]->type, XLCFG_LIST);
    CU_ASSERT_EQUAL(s->val->items[1]->n, 2);
    CU_ASSERT_EQUAL(s->val->items[1]->items[1]->n, 0);
    CU_ASSERT_EQUAL(s->val->items[2]->line, 5);
    CU_ASSERT_EQUAL(s->line, 1);
    xlcfg_free(&cfg);
    /* a newline outside a list ends the statement */
    CU_ASSERT_PTR_NULL(parse1(&cfg, "x =\n 1\n", "x"));
    CU_ASSERT_PTR_NULL(parse1(&cfg, "x = [ , ]\n", "x"));
}

/* xl appends "\n" + each override to the file: they win, and their errors count on. */
static void test_overrides(void)
{
    static const char file[] = "name = \"a\"\nkernel = \"/k\"\nmemory = 16\n";
    char *ov1[] = { "name=\"b\"", "memory=32" }, *ov2[] = { "memory==" };
    struct xlcfg_err err;
    struct xlcfg cfg;
    struct domcfg d;
    size_t len;
    char *text;

    text = xlcfg_with_overrides(file, strlen(file), ov1, 2, &len);
    CU_ASSERT_EQUAL_FATAL(xlcfg_parse(&cfg, "o.cfg", text, len, &err), 0);
    CU_ASSERT_EQUAL_FATAL(domcfg_from_xlcfg(&d, &cfg, &err), 0);
    CU_ASSERT_STRING_EQUAL(d.name, "b");
    CU_ASSERT_EQUAL(d.memory_mb, 32);
    CU_ASSERT_EQUAL(d.maxmem_mb, 32);
    domcfg_free(&d);
    xlcfg_free(&cfg);
    free(text);
    text = xlcfg_with_overrides(file, strlen(file), ov2, 1, &len);
    CU_ASSERT_EQUAL(xlcfg_parse(&cfg, "o.cfg", text, len, &err), -EINVAL);
    CU_ASSERT_STRING_EQUAL(err.msg, "o.cfg:5: config parsing error near `=': syntax error, "
                           "unexpected '=', expecting STRING or NUMBER or '['");
    free(text);
}

static void test_defaults(void)
{
    static const char file[] = "name = \"d\"\nkernel = \"/k\"\n";
    struct xlcfg_err err;
    struct xlcfg cfg;
    struct domcfg d;

    CU_ASSERT_EQUAL_FATAL(xlcfg_parse(&cfg, "d.cfg", file, strlen(file), &err), 0);
    CU_ASSERT_EQUAL_FATAL(domcfg_from_xlcfg(&d, &cfg, &err), 0);
    CU_ASSERT_EQUAL(d.memory_mb, 32);
    CU_ASSERT_EQUAL(d.vcpus, 1);
    CU_ASSERT_EQUAL(d.maxvcpus, 1);
    CU_ASSERT_EQUAL(d.weight, 256);
    CU_ASSERT_EQUAL(d.on_poweroff, ACT_DESTROY);
    CU_ASSERT_EQUAL(d.on_reboot, ACT_RESTART);
    CU_ASSERT_EQUAL(d.on_crash, ACT_DESTROY);
    CU_ASSERT_FALSE(d.has_uuid);
    CU_ASSERT_PTR_NULL(d.cmdline);
    CU_ASSERT_EQUAL(d.ncpus, 0);
    domcfg_free(&d);
    xlcfg_free(&cfg);
}

static void test_cpumap(void)
{
    struct cpumap m;
    const char *why;
    char buf[64];

    CU_ASSERT_EQUAL(cpumap_parse(&m, "0-3,^1,7", &why), 0);
    cpumap_format(&m, 8, buf, sizeof(buf));
    CU_ASSERT_STRING_EQUAL(buf, "0,2-3,7");
    CU_ASSERT_EQUAL(cpumap_parse(&m, "all", &why), 0);
    cpumap_format(&m, 2, buf, sizeof(buf));
    CU_ASSERT_STRING_EQUAL(buf, "all");
    CU_ASSERT_EQUAL(cpumap_parse(&m, "1", &why), 0);
    cpumap_format(&m, 2, buf, sizeof(buf));
    CU_ASSERT_STRING_EQUAL(buf, "1");
    cpumap_format(&m, 1, buf, sizeof(buf));
    CU_ASSERT_STRING_EQUAL(buf, "");
    CU_ASSERT_EQUAL(cpumap_parse(&m, "0-1", &why), 0);
    cpumap_format(&m, 2, buf, sizeof(buf));
    CU_ASSERT_STRING_EQUAL(buf, "all");
    CU_ASSERT_EQUAL(cpumap_parse(&m, "3-1", &why), -EINVAL);
    CU_ASSERT_EQUAL(cpumap_parse(&m, "^1", &why), -EINVAL);
    CU_ASSERT_EQUAL(cpumap_parse(&m, "256", &why), -EINVAL);
    CU_ASSERT_EQUAL(cpumap_parse(&m, "1,,2", &why), -EINVAL);
    CU_ASSERT_EQUAL(cpumap_parse(&m, "", &why), -EINVAL);
    CU_ASSERT_EQUAL(cpumap_parse(&m, "99999999999999999999999", &why), -EINVAL);
}

static void test_vdev(void)
{
    CU_ASSERT_EQUAL(vdev_to_number("xvda"), 51712);
    CU_ASSERT_EQUAL(vdev_to_number("xvdb"), 51728);
    CU_ASSERT_EQUAL(vdev_to_number("xvda1"), 51713);
    CU_ASSERT_EQUAL(vdev_to_number("xvdq"), (1 << 28) | (16 << 8));
    CU_ASSERT_EQUAL(vdev_to_number("xvdaa"), (1 << 28) | (26 << 8));
    CU_ASSERT_EQUAL(vdev_to_number("hda"), 3 << 8);
    CU_ASSERT_EQUAL(vdev_to_number("hdc"), 22 << 8);
    CU_ASSERT_EQUAL(vdev_to_number("hdb2"), (3 << 8) | 64 | 2);
    CU_ASSERT_EQUAL(vdev_to_number("sdb"), (8 << 8) | 16);
    CU_ASSERT_EQUAL(vdev_to_number("d0p1"), (1 << 28) | 1);
    CU_ASSERT_EQUAL(vdev_to_number("xvd"), -EINVAL);
    CU_ASSERT_EQUAL(vdev_to_number("xvda0"), -EINVAL);
    CU_ASSERT_EQUAL(vdev_to_number("xvdA"), -EINVAL);
    CU_ASSERT_EQUAL(vdev_to_number("d1p"), -EINVAL);
    CU_ASSERT_EQUAL(vdev_to_number("sdq"), -EINVAL);
}

static void test_uuid(void)
{
    uint8_t u[16], r[16];
    char s[UUID_STR_LEN];

    CU_ASSERT_EQUAL(uuid_parse("bcee3c22-72b1-46dc-8487-6cc113db5525", u), 0);
    uuid_format(u, s);
    CU_ASSERT_STRING_EQUAL(s, "bcee3c22-72b1-46dc-8487-6cc113db5525");
    CU_ASSERT_EQUAL(uuid_parse("BCEE3C22-72B1-46DC-8487-6CC113DB5525", r), 0);
    CU_ASSERT_EQUAL(memcmp(u, r, 16), 0);
    CU_ASSERT_EQUAL(uuid_parse("bcee3c22-72b1-46dc-8487-6cc113db552", u), -EINVAL);
    CU_ASSERT_EQUAL(uuid_parse("bcee3c22-72b1-46dc-8487-6cc113db55255", u), -EINVAL);
    CU_ASSERT_EQUAL(uuid_parse("bcee3c22+72b1-46dc-8487-6cc113db5525", u), -EINVAL);
    CU_ASSERT_EQUAL(uuid_parse("gcee3c22-72b1-46dc-8487-6cc113db5525", u), -EINVAL);
    memset(u, 0xff, 16);
    uuid_make_v4(u);
    uuid_format(u, s);
    CU_ASSERT_STRING_EQUAL(s, "ffffffff-ffff-4fff-bfff-ffffffffffff");
    memset(u, 0, 16);
    uuid_make_v4(u);
    uuid_format(u, s);
    CU_ASSERT_STRING_EQUAL(s, "00000000-0000-4000-8000-000000000000");
}

static const struct unit_test xlcfg_tests[] = {
    UNIT_TEST(test_golden_fail),
    UNIT_TEST(test_golden_pass),
    UNIT_TEST(test_escapes),
    UNIT_TEST(test_lists),
    UNIT_TEST(test_overrides),
    UNIT_TEST(test_defaults),
    UNIT_TEST(test_cpumap),
    UNIT_TEST(test_vdev),
    UNIT_TEST(test_uuid),
    UNIT_END,
};
UNIT_SUITE(xlcfg, NULL, NULL, xlcfg_tests)
