/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test-unzip.c - lib/'s bzImage reader and its gzip and xz
 * decoders against what the host's gzip and xz make of the same bytes
 * (text, zeros, random bytes, and this test's own x86 code for the BCJ
 * filter), then against damaged, truncated and crafted streams: each
 * must fail cleanly (ASan watches every read and write) or, where the
 * damage is invisible to the format, decode to the original.
 *
 * With UNZIP_VMLINUZ and UNZIP_VMLINUX set (make test-unzip-vmlinuz),
 * Debian's real vmlinuz is unpacked and compared with the vmlinux that
 * the host's xz extracted from it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <CUnit/CUnit.h>
#include <pvboot/elf.h>
#include <pvboot/unzip.h>
#include <mica/errno.h>
#include "cunit-runner.h"

static struct pvb_unzip_work *work;
static char why[160];
static char dir[] = "/tmp/test-unzip-XXXXXX";

static uint8_t *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    uint8_t *p;
    long len;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    rewind(f);
    p = malloc(len ? (size_t)len : 1);
    *n = fread(p, 1, (size_t)len, f);
    fclose(f);
    return p;
}

/* 'data' through the host command 'filter' (stdin to stdout). */
static uint8_t *host(const char *filter, const uint8_t *data, size_t n, size_t *outn)
{
    char in[64], out[64], cmd[256];
    FILE *f;

    sprintf(in, "%s/in", dir);
    sprintf(out, "%s/out", dir);
    f = fopen(in, "wb");
    fwrite(data, 1, n, f);
    fclose(f);
    sprintf(cmd, "%s < %s > %s", filter, in, out);
    CU_ASSERT_FATAL(system(cmd) == 0);
    return read_file(out, outn);
}

/* Sample inputs: text, zeros, random, and real x86 code (this binary). */
static uint8_t *sample(int kind, size_t *n)
{
    uint8_t *p;

    if (kind == 3) {
        uint8_t *exe = read_file("/proc/self/exe", n);

        *n = *n > (256 << 10) ? (256 << 10) : *n;
        return exe;
    }
    *n = kind == 2 ? 50000 : 200000;
    p = malloc(*n);
    for (size_t i = 0; i < *n; i++)
        p[i] = kind == 0 ? (uint8_t)"the quick brown fox jumps\n"[(i * 7 / 3) % 26]
             : kind == 1 ? 0 : (uint8_t)rand();
    return p;
}

typedef int (*decoder)(const uint8_t *, size_t, uint8_t *, size_t, size_t *,
                       struct pvb_unzip_work *, char *, size_t);

/* Decode and compare; returns the decoder's status. */
static int roundtrip(decoder dec, const uint8_t *z, size_t zn, const uint8_t *orig, size_t n)
{
    uint8_t *out = malloc(n + 1);
    size_t got = 7;
    int rc = dec(z, zn, out, n + 1, &got, work, why, sizeof(why));

    if (!rc) {
        CU_ASSERT_EQUAL(got, n);
        CU_ASSERT(got == n && !memcmp(out, orig, n));
    } else {
        CU_ASSERT_EQUAL(got, 0);
    }
    free(out);
    return rc;
}

/* Every sample through every host command, back through our decoder. */
static void host_roundtrips(decoder dec, const char *const *cmds, unsigned int n_cmds)
{
    for (int kind = 0; kind < 4; kind++)
        for (unsigned int c = 0; c < n_cmds; c++) {
            size_t n, zn;
            uint8_t *d = sample(kind, &n), *z = host(cmds[c], d, n, &zn);

            CU_ASSERT_EQUAL(roundtrip(dec, z, zn, d, n), 0);
            CU_ASSERT_EQUAL(roundtrip(pvb_unzip, z, zn, d, n), 0);
            free(z);
            free(d);
        }
}

static void test_gzip_host(void)
{
    static const char *const cmds[] = { "gzip -1 -n", "gzip -6 -n", "gzip -9", "gzip -c" };

    host_roundtrips(pvb_gunzip, cmds, 4);
}

static void test_xz_host(void)
{
    static const char *const cmds[] = {
        "xz -c", "xz -c --check=crc32 --x86 --lzma2=dict=32MiB", "xz -c --check=crc64 -0",
        "xz -c --check=none -9e", "xz -c --block-size=30000 --x86 --lzma2",
        "xz -c --lzma2=preset=6,lc=0,lp=4,pb=0", "xz -c --lzma2=preset=1,lc=4,lp=0,pb=4",
        "xz -c --x86=start=4096 --lzma2",
    };

    host_roundtrips(pvb_unxz, cmds, sizeof(cmds) / sizeof(cmds[0]));
}

static void test_empty_and_bounds(void)
{
    size_t n, zn, got;
    uint8_t *d = sample(0, &n), *z, out[16];

    z = host("gzip -n", d, 0, &zn);
    CU_ASSERT_EQUAL(roundtrip(pvb_gunzip, z, zn, d, 0), 0);
    free(z);
    z = host("xz -c", d, 0, &zn);
    CU_ASSERT_EQUAL(roundtrip(pvb_unxz, z, zn, d, 0), 0);
    free(z);

    /* One byte too little room: -ENOSPC, whatever the format. */
    z = host("gzip -n", d, n, &zn);
    CU_ASSERT_EQUAL(pvb_gunzip(z, zn, d, n - 1, &got, work, why, sizeof(why)), -ENOSPC);
    CU_ASSERT_EQUAL(pvb_gunzip(z, zn, out, 0, &got, work, why, sizeof(why)), -ENOSPC);
    free(z);
    free(d);
    d = sample(2, &n);
    z = host("xz -c", d, n, &zn);       /* random: stored LZMA2 chunks */
    CU_ASSERT_EQUAL(pvb_unxz(z, zn, out, sizeof(out), &got, work, why, sizeof(why)), -ENOSPC);
    free(z);
    free(d);
    d = sample(0, &n);
    z = host("xz -c", d, n, &zn);
    CU_ASSERT_EQUAL(pvb_unxz(z, zn, d, n - 1, &got, work, why, sizeof(why)), -ENOSPC);
    free(z);
    free(d);
}

/* Every prefix fails; every byte flipped fails or still decodes exactly. */
static void damage(decoder dec, const char *cmd, int kind, size_t max)
{
    size_t n, zn;
    uint8_t *d = sample(kind, &n), *z;

    n = n > max ? max : n;
    z = host(cmd, d, n, &zn);
    for (size_t cut = 0; cut < zn; cut += 1 + cut / 64) {
        uint8_t *copy = malloc(cut ? cut : 1);

        memcpy(copy, z, cut);
        CU_ASSERT_NOT_EQUAL(roundtrip(dec, copy, cut, d, n), 0);
        free(copy);
    }
    for (size_t i = 0; i < zn; i++) {
        uint8_t *copy = malloc(zn);

        memcpy(copy, z, zn);
        copy[i] ^= (uint8_t)(1 << (i % 8));
        roundtrip(dec, copy, zn, d, n);         /* asserts when it succeeds */
        free(copy);
    }
    free(z);
    free(d);
}

static void test_damage(void)
{
    damage(pvb_gunzip, "gzip -9 -n", 3, 6000);
    damage(pvb_gunzip, "gzip -1 -n", 0, 3000);
    damage(pvb_unxz, "xz -c --x86 --lzma2", 3, 8000);
    damage(pvb_unxz, "xz -c --check=crc64 --block-size=1000", 0, 3000);
    damage(pvb_unxz, "xz -c -0", 2, 2000);
}

/* CRC-32 the slow way, independent of lib/crc.c's tables. */
static uint32_t crc32_ref(const uint8_t *p, size_t n)
{
    uint32_t c = ~0U;

    while (n--) {
        c ^= *p++;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ 0xEDB88320U : c >> 1;
    }
    return ~c;
}

/* A stored-block gzip member around 'msg', with the header fields asked for. */
static size_t craft_gzip(uint8_t *g, uint8_t flg, const char *msg)
{
    size_t n = strlen(msg), p = 10;
    uint32_t crc;

    memcpy(g, "\x1f\x8b\x08", 3);
    g[3] = flg;
    memset(g + 4, 0, 6);
    if (flg & 4) {
        memcpy(g + p, "\x03\x00xyz", 5);
        p += 5;
    }
    if (flg & 8) {
        memcpy(g + p, "name", 5);
        p += 5;
    }
    if (flg & 16) {
        memcpy(g + p, "comment", 8);
        p += 8;
    }
    if (flg & 2) {
        crc = crc32_ref(g, p);
        g[p++] = (uint8_t)crc;
        g[p++] = (uint8_t)(crc >> 8);
    }
    g[p++] = 1;                         /* last, stored */
    g[p++] = (uint8_t)n;
    g[p++] = 0;
    g[p++] = (uint8_t)~n;
    g[p++] = 0xff;
    memcpy(g + p, msg, n);
    p += n;
    crc = crc32_ref((const uint8_t *)msg, n);
    for (int i = 0; i < 4; i++)
        g[p++] = (uint8_t)(crc >> (8 * i));
    for (int i = 0; i < 4; i++)
        g[p++] = (uint8_t)(n >> (8 * i));
    return p;
}

static void test_gzip_header(void)
{
    static const char msg[] = "header fields";
    uint8_t g[128], out[64];
    size_t n, got;

    for (unsigned int flg = 0; flg < 32; flg++) {
        n = craft_gzip(g, (uint8_t)flg, msg);
        CU_ASSERT_EQUAL(pvb_gunzip(g, n, out, sizeof(out), &got, work, why, sizeof(why)), 0);
        CU_ASSERT(got == strlen(msg) && !memcmp(out, msg, got));
    }
    n = craft_gzip(g, 2 | 8, msg);
    g[10] ^= 1;                                 /* the name, under FHCRC */
    CU_ASSERT_EQUAL(pvb_gunzip(g, n, out, sizeof(out), &got, work, why, sizeof(why)), -ENOEXEC);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "header CRC"));
    n = craft_gzip(g, 0x20, msg);
    CU_ASSERT_EQUAL(pvb_gunzip(g, n, out, sizeof(out), &got, work, why, sizeof(why)), -ENOEXEC);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "reserved"));
    n = craft_gzip(g, 0, msg);
    g[2] = 7;
    CU_ASSERT_EQUAL(pvb_gunzip(g, n, out, sizeof(out), &got, work, why, sizeof(why)), -ENOEXEC);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "deflate"));
    n = craft_gzip(g, 0, msg);
    g[12] ^= 0x10;                              /* NLEN no longer ~LEN */
    CU_ASSERT_EQUAL(pvb_gunzip(g, n, out, sizeof(out), &got, work, why, sizeof(why)), -ENOEXEC);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "complement"));
    n = craft_gzip(g, 0, msg);
    g[10] = 7;                                  /* block type 3 */
    CU_ASSERT_EQUAL(pvb_gunzip(g, n, out, sizeof(out), &got, work, why, sizeof(why)), -ENOEXEC);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "block type"));
    n = craft_gzip(g, 0, msg);
    g[n - 1] ^= 1;                              /* ISIZE */
    CU_ASSERT_EQUAL(pvb_gunzip(g, n, out, sizeof(out), &got, work, why, sizeof(why)), -ENOEXEC);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "ISIZE"));
}

static void test_formats(void)
{
    static const struct { const char *magic; size_t n; const char *name; } other[] = {
        { "\x5d\x00\x00\x80\x00", 5, "lzma" }, { "BZh91AY", 7, "bzip2" },
        { "\x89LZO\x00", 5, "lzo" }, { "\x02\x21\x4c\x18", 4, "lz4" },
        { "\x28\xb5\x2f\xfd", 4, "zstd" },
    };
    uint8_t buf[64], out[16];
    size_t got;

    for (unsigned int i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
        memset(buf, 0, sizeof(buf));
        memcpy(buf, other[i].magic, other[i].n);
        CU_ASSERT_STRING_EQUAL(pvb_zformat_name(pvb_zformat(buf, sizeof(buf))), other[i].name);
        CU_ASSERT_EQUAL(pvb_unzip(buf, sizeof(buf), out, sizeof(out), &got, work, why,
                                  sizeof(why)), -EOPNOTSUPP);
        CU_ASSERT_PTR_NOT_NULL(strstr(why, other[i].name));
    }
    CU_ASSERT_EQUAL(pvb_zformat((const uint8_t *)"\x1f", 1), PVB_Z_NONE);
    CU_ASSERT_EQUAL(pvb_unzip(buf, 0, out, sizeof(out), &got, work, why, sizeof(why)), -ENOEXEC);
    CU_ASSERT_STRING_EQUAL(pvb_zformat_name(99), "unknown");
}

static void test_xz_refused(void)
{
    size_t n, zn, got;
    uint8_t *d = sample(0, &n), *z, *out = malloc(n);

    z = host("xz -c --check=sha256", d, n, &zn);
    CU_ASSERT_EQUAL(pvb_unxz(z, zn, out, n, &got, work, why, sizeof(why)), -EOPNOTSUPP);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "SHA-256"));
    free(z);
    z = host("xz -c --delta=dist=4 --lzma2", d, n, &zn);
    CU_ASSERT_EQUAL(pvb_unxz(z, zn, out, n, &got, work, why, sizeof(why)), -EOPNOTSUPP);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "delta"));
    free(z);
    z = host("xz -c --arm --lzma2", d, n, &zn);
    CU_ASSERT_EQUAL(pvb_unxz(z, zn, out, n, &got, work, why, sizeof(why)), -EOPNOTSUPP);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "ARM BCJ"));
    free(z);
    /* As in a bzImage: the size word after the stream is ignored. */
    z = host("{ xz -c --x86 --lzma2; printf '\\001\\002\\003\\004'; }", d, n, &zn);
    CU_ASSERT_EQUAL(roundtrip(pvb_unxz, z, zn, d, n), 0);
    free(z);
    free(out);
    free(d);
}

/* A bzImage's setup header with the payload fields, payload appended. */
static size_t craft_bzimage(uint8_t *img, uint16_t version, uint8_t sects,
                            uint32_t poff, uint32_t plen)
{
    size_t start = ((sects ? sects : 4) + 1) * 512;

    memset(img, 0, start + 64);
    img[0x1f1] = sects;
    memcpy(img + 0x202, "HdrS", 4);
    img[0x206] = (uint8_t)version;
    img[0x207] = (uint8_t)(version >> 8);
    memcpy(img + 0x248, &poff, 4);
    memcpy(img + 0x24c, &plen, 4);
    return start + 64;
}

static void test_bzimage(void)
{
    static uint8_t img[32768];
    size_t len, off, plen;
    uint64_t size;

    len = craft_bzimage(img, 0x020f, 0, 0x10, 0x30);
    CU_ASSERT_EQUAL(pvb_bzimage_payload(img, len, &off, &plen, why, sizeof(why)), 0);
    CU_ASSERT_EQUAL(off, 5 * 512 + 0x10);       /* setup_sects 0 means 4 */
    CU_ASSERT_EQUAL(plen, 0x30);
    len = craft_bzimage(img, 0x020f, 39, 0x2cc, 0x20);
    CU_ASSERT_EQUAL(pvb_bzimage_payload(img, len, &off, &plen, why, sizeof(why)), -ENOEXEC);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "outside"));
    len = craft_bzimage(img, 0x020f, 9, 0, 64);
    CU_ASSERT_EQUAL(pvb_bzimage_payload(img, len, &off, &plen, why, sizeof(why)), 0);
    CU_ASSERT_EQUAL(pvb_bzimage_payload(img, len - 1, &off, &plen, why, sizeof(why)), -ENOEXEC);
    len = craft_bzimage(img, 0x020f, 9, 0xffffffffU, 0xffffffffU);
    CU_ASSERT_EQUAL(pvb_bzimage_payload(img, len, &off, &plen, why, sizeof(why)), -ENOEXEC);
    len = craft_bzimage(img, 0x020f, 9, 0, 0);
    CU_ASSERT_EQUAL(pvb_bzimage_payload(img, len, &off, &plen, why, sizeof(why)), -ENOEXEC);
    len = craft_bzimage(img, 0x0207, 9, 0, 64);
    CU_ASSERT_EQUAL(pvb_bzimage_payload(img, len, &off, &plen, why, sizeof(why)), -ENOEXEC);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "2.08"));
    img[0x202] = 'X';
    CU_ASSERT_EQUAL(pvb_bzimage_payload(img, len, &off, &plen, why, sizeof(why)), -ENOENT);
    CU_ASSERT_EQUAL(pvb_bzimage_payload(img, 0x24f, &off, &plen, why, sizeof(why)), -ENOENT);

    CU_ASSERT_EQUAL(pvb_payload_size((const uint8_t *)"xx\x01\x02\x03\x04", 6, &size), 0);
    CU_ASSERT_EQUAL(size, 0x04030201);
    CU_ASSERT_EQUAL(pvb_payload_size((const uint8_t *)"xyz", 3, &size), -ENOEXEC);
}

/* Debian's own kernel, when make test-unzip-vmlinuz names it. */
static void test_debian_vmlinuz(void)
{
    const char *zpath = getenv("UNZIP_VMLINUZ"), *epath = getenv("UNZIP_VMLINUX");
    size_t zn, en, off, plen, got;
    uint8_t *z, *e, *out;
    uint64_t size;
    struct xen_elf_info info;

    CU_ASSERT_FATAL(zpath && epath);
    z = read_file(zpath, &zn);
    e = read_file(epath, &en);
    CU_ASSERT_FATAL(z && e);
    CU_ASSERT_EQUAL_FATAL(pvb_bzimage_payload(z, zn, &off, &plen, why, sizeof(why)), 0);
    CU_ASSERT_EQUAL(pvb_zformat(z + off, plen), PVB_Z_XZ);
    CU_ASSERT_EQUAL_FATAL(pvb_payload_size(z + off, plen, &size), 0);
    CU_ASSERT_EQUAL_FATAL(size, en);
    out = malloc(size);
    CU_ASSERT_EQUAL(pvb_unzip(z + off, plen, out, size, &got, work, why, sizeof(why)), 0);
    CU_ASSERT(got == en && !memcmp(out, e, en));
    CU_ASSERT_EQUAL(elf_parse_xen(out, got, &info, why, sizeof(why)), 0);
    CU_ASSERT_STRING_EQUAL(info.guest_os, "linux");
    /* The bzImage itself is no ELF: the builder must unpack it first. */
    CU_ASSERT_EQUAL(elf_parse_xen(z, zn, &info, why, sizeof(why)), -ENOEXEC);
    free(out);
    free(e);
    free(z);
}

static int suite_init(void)
{
    work = malloc(pvb_unzip_work_size());
    srand(1);
    return !work || !mkdtemp(dir);
}

static int suite_cleanup(void)
{
    char cmd[64];

    sprintf(cmd, "rm -rf %s", dir);
    free(work);
    work = NULL;
    return system(cmd);
}

static int vmlinuz_init(void)
{
    work = malloc(pvb_unzip_work_size());
    return !work;
}

static int vmlinuz_cleanup(void)
{
    free(work);
    work = NULL;
    return 0;
}

static const struct unit_test unzip_tests[] = {
    UNIT_TEST(test_gzip_host),
    UNIT_TEST(test_xz_host),
    UNIT_TEST(test_empty_and_bounds),
    UNIT_TEST(test_damage),
    UNIT_TEST(test_gzip_header),
    UNIT_TEST(test_formats),
    UNIT_TEST(test_xz_refused),
    UNIT_TEST(test_bzimage),
    UNIT_END
};
UNIT_SUITE(unzip, suite_init, suite_cleanup, unzip_tests)

static const struct unit_test vmlinuz_tests[] = {
    UNIT_TEST(test_debian_vmlinuz),
    UNIT_END
};

/* Registered only when asked for: it needs Debian's package unpacked. */
__attribute__((constructor)) static void vmlinuz_ctor(void)
{
    static struct unit_suite s = { "unzip_vmlinuz", vmlinuz_init, vmlinuz_cleanup,
                                   vmlinuz_tests, 0 };

    if (getenv("UNZIP_VMLINUZ"))
        unit_register(&s);
}
