/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/libmica/test-image.c - libmica's kernel-image front end on the
 * host: bzImage setup headers (crafted, truncated, lying) as lib/'s reader
 * sees them for libmica, each
 * decompressor on payloads compressed here at test time with the same
 * libraries' encoders, the output bound, corrupt and truncated streams,
 * and a kernel file to ELF image end to end.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>
#include "cunit-runner.h"
#include "image.h"

#define PLAIN_LEN   (300 * 1024)

static uint8_t plain[PLAIN_LEN];
static char why[MICA_WHY_LEN];

/* Compressible but not trivial: a slow-changing pseudo-random text. */
static void fill_plain(uint8_t *p, size_t len)
{
    uint32_t x = 12345;

    for (size_t i = 0; i < len; i++) {
        x = x * 1103515245 + 12345;
        p[i] = (uint8_t)("abcdefgh\n"[(x >> 16) % 9]);
    }
    memcpy(p, "\177ELF", 4);
}

static int suite_init(void)
{
    fill_plain(plain, sizeof(plain));
    return 0;
}

/* ---- compressors, each into a malloc'd buffer with 'extra' spare bytes */

static uint8_t *gz(const uint8_t *in, size_t len, size_t *out_len)
{
    size_t cap = len + 1024;
    uint8_t *out = malloc(cap);
    z_stream zs;

    memset(&zs, 0, sizeof(zs));
    CU_ASSERT_FATAL(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
                                 Z_DEFAULT_STRATEGY) == Z_OK);
    zs.next_in = (Bytef *)in;
    zs.avail_in = (uInt)len;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    CU_ASSERT_FATAL(deflate(&zs, Z_FINISH) == Z_STREAM_END);
    *out_len = zs.total_out;
    deflateEnd(&zs);
    return out;
}

static uint8_t *xz(const uint8_t *in, size_t len, size_t *out_len)
{
    size_t cap = len + 1024, pos = 0;
    uint8_t *out = malloc(cap);

    CU_ASSERT_FATAL(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, NULL, in, len,
                                            out, &pos, cap) == LZMA_OK);
    *out_len = pos;
    return out;
}

static uint8_t *lzma_alone(const uint8_t *in, size_t len, size_t *out_len)
{
    size_t cap = len + 1024;
    uint8_t *out = malloc(cap);
    lzma_stream s = LZMA_STREAM_INIT;
    lzma_options_lzma opt;

    lzma_lzma_preset(&opt, 6);
    opt.dict_size = 1U << 20;
    CU_ASSERT_FATAL(lzma_alone_encoder(&s, &opt) == LZMA_OK);
    s.next_in = in;
    s.avail_in = len;
    s.next_out = out;
    s.avail_out = cap;
    CU_ASSERT_FATAL(lzma_code(&s, LZMA_FINISH) == LZMA_STREAM_END);
    *out_len = s.total_out;
    lzma_end(&s);
    return out;
}

static uint8_t *zst(const uint8_t *in, size_t len, size_t *out_len)
{
    size_t cap = ZSTD_compressBound(len);
    uint8_t *out = malloc(cap);
    size_t n = ZSTD_compress(out, cap, in, len, 3);

    CU_ASSERT_FATAL(!ZSTD_isError(n));
    *out_len = n;
    return out;
}

typedef uint8_t *compress_fn(const uint8_t *, size_t, size_t *);

/* ---- bzImage headers --------------------------------------------------- */

#define BZ_SETUP_SECTS  3
#define BZ_PM_START     ((BZ_SETUP_SECTS + 1) * 512)

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* A bzImage of 'len' bytes whose payload is [poff, poff + plen) past setup. */
static uint8_t *make_bz(size_t len, uint32_t poff, uint32_t plen, uint16_t proto)
{
    uint8_t *b = calloc(1, len);

    b[0x1f1] = BZ_SETUP_SECTS;
    memcpy(b + 0x202, "HdrS", 4);
    b[0x206] = (uint8_t)proto;
    b[0x207] = (uint8_t)(proto >> 8);
    put32(b + 0x248, poff);
    put32(b + 0x24c, plen);
    return b;
}

/* Where the payload of the len-byte bzImage b is, or the reader's error. */
static size_t bz_off, bz_len;

static int bzimage_parse(const uint8_t *b, size_t len)
{
    return pvb_bzimage_payload(b, len, &bz_off, &bz_len, why, sizeof(why));
}

static void test_bz_valid(void)
{
    uint8_t *b = make_bz(8192, 0x100, 1000, 0x20f);

    CU_ASSERT_EQUAL(bzimage_parse(b, 8192), 0);
    CU_ASSERT_EQUAL(bz_off, BZ_PM_START + 0x100);
    CU_ASSERT_EQUAL(bz_len, 1000);
    free(b);
}

static void test_bz_zero_sects_means_four(void)
{
    uint8_t *b = make_bz(8192, 0, 16, 0x20f);

    b[0x1f1] = 0;
    CU_ASSERT_EQUAL(bzimage_parse(b, 8192), 0);
    CU_ASSERT_EQUAL(bz_off, 5 * 512);
    free(b);
}

static void test_bz_not_bzimage(void)
{
    uint8_t *b = make_bz(8192, 0, 16, 0x20f);

    b[0x202] = 'X';
    CU_ASSERT_EQUAL(bzimage_parse(b, 8192), -ENOENT);
    free(b);
}

static void test_bz_truncated_header(void)
{
    uint8_t *b = make_bz(8192, 0, 16, 0x20f);

    /* Every length that cuts into the header is refused, none read past. */
    for (size_t len = 0; len < 0x250; len++) {
        uint8_t *copy = malloc(len ? len : 1);

        memcpy(copy, b, len);
        CU_ASSERT_EQUAL(bzimage_parse(copy, len), -ENOENT);
        free(copy);
    }
    free(b);
}

static void test_bz_old_protocol(void)
{
    uint8_t *b = make_bz(8192, 0, 16, 0x207);

    CU_ASSERT_EQUAL(bzimage_parse(b, 8192), -ENOEXEC);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "2.08"));
    free(b);
}

static void test_bz_payload_outside(void)
{
    static const struct { uint32_t off, len; } bad[] = {
        { 0, 0 },                                   /* empty payload */
        { 8192 - BZ_PM_START, 1 },                  /* starts at the end */
        { 0, 8192 - BZ_PM_START + 1 },              /* one byte too long */
        { 0xffffffffu, 16 },                        /* offset wraps 32 bits */
        { 16, 0xffffffffu },                        /* length wraps */
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint8_t *b = make_bz(8192, bad[i].off, bad[i].len, 0x20f);

        CU_ASSERT_EQUAL(bzimage_parse(b, 8192), -ENOEXEC);
        free(b);
    }
    /* The payload may end exactly at the end of the file. */
    uint8_t *b = make_bz(8192, 0, 8192 - BZ_PM_START, 0x20f);
    CU_ASSERT_EQUAL(bzimage_parse(b, 8192), 0);
    free(b);
}

/* ---- decompression ----------------------------------------------------- */

static void roundtrip(compress_fn *fn, enum pvb_zformat f)
{
    size_t clen, olen;
    uint8_t *c = fn(plain, sizeof(plain), &clen), *out;

    CU_ASSERT_EQUAL(pvb_zformat(c, clen), f);
    CU_ASSERT_EQUAL_FATAL(mica_decompress(c, clen, 0, MICA_KERNEL_MAX, &out, &olen,
                                          why, sizeof(why)), 0);
    CU_ASSERT_EQUAL(olen, sizeof(plain));
    CU_ASSERT(olen == sizeof(plain) && !memcmp(out, plain, olen));
    free(out);
    free(c);
}

static void test_gzip(void) { roundtrip(gz, PVB_Z_GZIP); }
static void test_xz(void) { roundtrip(xz, PVB_Z_XZ); }
static void test_zstd(void) { roundtrip(zst, PVB_Z_ZSTD); }
static void test_lzma(void) { roundtrip(lzma_alone, PVB_Z_LZMA); }

/* Linux appends the decompressed size after the stream: ignored. */
static void test_trailing_bytes_ignored(void)
{
    compress_fn *fns[] = { gz, xz, zst };

    for (size_t i = 0; i < 3; i++) {
        size_t clen, olen;
        uint8_t *c = fns[i](plain, sizeof(plain), &clen), *out;

        c = realloc(c, clen + 4);
        put32(c + clen, sizeof(plain));
        CU_ASSERT_EQUAL(mica_decompress(c, clen + 4, 0, MICA_KERNEL_MAX, &out, &olen,
                                        why, sizeof(why)), 0);
        CU_ASSERT_EQUAL(olen, sizeof(plain));
        free(out);
        free(c);
    }
}

/* The bound holds exactly: one byte under the true size fails. */
static void test_output_bound(void)
{
    compress_fn *fns[] = { gz, xz, zst, lzma_alone };

    for (size_t i = 0; i < 4; i++) {
        size_t clen, olen;
        uint8_t *c = fns[i](plain, sizeof(plain), &clen), *out = (uint8_t *)1;

        CU_ASSERT_EQUAL(mica_decompress(c, clen, 0, sizeof(plain) - 1, &out, &olen,
                                        why, sizeof(why)), -EFBIG);
        CU_ASSERT_PTR_NULL(out);
        CU_ASSERT_PTR_NOT_NULL(strstr(why, "size limit"));
        CU_ASSERT_EQUAL(mica_decompress(c, clen, 0, sizeof(plain), &out, &olen,
                                        why, sizeof(why)), 0);
        CU_ASSERT_EQUAL(olen, sizeof(plain));
        free(out);
        free(c);
    }
}

/* An exact, a short, a long and an impossible hint all give the same bytes. */
static void test_size_hints(void)
{
    compress_fn *fns[] = { gz, xz, zst, lzma_alone };
    size_t hints[] = { sizeof(plain), 1, sizeof(plain) + 4096, MICA_KERNEL_MAX + 1 };

    for (size_t i = 0; i < 4; i++) {
        size_t clen, olen;
        uint8_t *c = fns[i](plain, sizeof(plain), &clen), *out;

        for (size_t h = 0; h < 4; h++) {
            CU_ASSERT_EQUAL_FATAL(mica_decompress(c, clen, hints[h], MICA_KERNEL_MAX, &out,
                                                  &olen, why, sizeof(why)), 0);
            CU_ASSERT(olen == sizeof(plain) && !memcmp(out, plain, olen));
            free(out);
        }
        /* A hint never lifts the bound. */
        CU_ASSERT_EQUAL(mica_decompress(c, clen, sizeof(plain), sizeof(plain) - 1, &out,
                                        &olen, why, sizeof(why)), -EFBIG);
        free(c);
    }
}

static void test_truncated_streams(void)
{
    compress_fn *fns[] = { gz, xz, zst, lzma_alone };

    for (size_t i = 0; i < 4; i++) {
        size_t clen, olen;
        uint8_t *c = fns[i](plain, sizeof(plain), &clen), *out;

        for (size_t cut = 1; cut < clen; cut += clen / 7 + 1) {
            CU_ASSERT_EQUAL(mica_decompress(c, clen - cut, 0, MICA_KERNEL_MAX, &out,
                                            &olen, why, sizeof(why)), -EINVAL);
            CU_ASSERT_PTR_NULL(out);
        }
        free(c);
    }
}

static void test_corrupt_streams(void)
{
    compress_fn *fns[] = { gz, xz, zst };

    for (size_t i = 0; i < 3; i++) {
        size_t clen, olen;
        uint8_t *c = fns[i](plain, sizeof(plain), &clen), *out;

        /* Past the magic, flip bits in the middle: CRCs or syntax catch it. */
        for (size_t k = clen / 2; k < clen / 2 + 64 && k < clen; k++)
            c[k] ^= 0x5a;
        CU_ASSERT_NOT_EQUAL(mica_decompress(c, clen, 0, MICA_KERNEL_MAX, &out, &olen,
                                            why, sizeof(why)), 0);
        CU_ASSERT_PTR_NULL(out);
        free(c);
    }
}

static void test_unknown_and_unsupported(void)
{
    static const uint8_t junk[] = "this is not compressed";
    static const uint8_t bz2[] = "BZh91AY&SY";
    static const uint8_t lz4[] = { 0x02, 0x21, 0x4c, 0x18, 0, 0, 0, 0 };
    size_t olen;
    uint8_t *out;

    CU_ASSERT_EQUAL(mica_decompress(junk, sizeof(junk), 0, 1 << 20, &out, &olen,
                                    why, sizeof(why)), -ENOEXEC);
    CU_ASSERT_EQUAL(mica_decompress(bz2, sizeof(bz2), 0, 1 << 20, &out, &olen,
                                    why, sizeof(why)), -ENOTSUP);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "bzip2"));
    CU_ASSERT_EQUAL(mica_decompress(lz4, sizeof(lz4), 0, 1 << 20, &out, &olen,
                                    why, sizeof(why)), -ENOTSUP);
    CU_ASSERT_EQUAL(mica_decompress(junk, 0, 0, 1 << 20, &out, &olen,
                                    why, sizeof(why)), -ENOEXEC);
}

/* ---- kernel file to ELF image ------------------------------------------ */

static uint8_t *bz_around(const uint8_t *payload, size_t plen, size_t *len)
{
    uint8_t *b;

    *len = BZ_PM_START + 64 + plen + 4;
    b = make_bz(*len, 64, (uint32_t)plen, 0x20f);
    memcpy(b + BZ_PM_START + 64, payload, plen);
    return b;
}

static void test_kernel_bzimage_xz(void)
{
    size_t clen, flen, elen;
    uint8_t *c = xz(plain, sizeof(plain), &clen);
    uint8_t *f = bz_around(c, clen, &flen), *elf;

    CU_ASSERT_EQUAL_FATAL(mica_kernel_image(f, flen, MICA_KERNEL_MAX, &elf, &elen,
                                            why, sizeof(why)), 0);
    CU_ASSERT(elen == sizeof(plain) && !memcmp(elf, plain, elen));
    free(elf);
    free(f);
    free(c);
}

static void test_kernel_plain_and_gz(void)
{
    size_t clen, elen;
    uint8_t *c = gz(plain, sizeof(plain), &clen), *elf;

    CU_ASSERT_EQUAL(mica_kernel_image(plain, sizeof(plain), MICA_KERNEL_MAX, &elf,
                                      &elen, why, sizeof(why)), 0);
    CU_ASSERT(elen == sizeof(plain) && !memcmp(elf, plain, elen));
    free(elf);
    CU_ASSERT_EQUAL(mica_kernel_image(c, clen, MICA_KERNEL_MAX, &elf, &elen,
                                      why, sizeof(why)), 0);
    CU_ASSERT(elen == sizeof(plain) && !memcmp(elf, plain, elen));
    free(elf);
    CU_ASSERT_EQUAL(mica_kernel_image(plain, sizeof(plain), 1000, &elf, &elen,
                                      why, sizeof(why)), -EFBIG);
    free(c);
}

static void test_kernel_rejects(void)
{
    static const uint8_t text[] = "#!/bin/sh\necho not a kernel\n";
    uint8_t notelf[4096], *elf;
    size_t clen, flen, elen;
    uint8_t *c, *f;

    CU_ASSERT_EQUAL(mica_kernel_image(text, sizeof(text), MICA_KERNEL_MAX, &elf,
                                      &elen, why, sizeof(why)), -ENOEXEC);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "not a kernel"));
    CU_ASSERT_PTR_NULL(elf);
    /* A well-formed bzImage whose payload is not an ELF. */
    memset(notelf, 'x', sizeof(notelf));
    c = zst(notelf, sizeof(notelf), &clen);
    f = bz_around(c, clen, &flen);
    CU_ASSERT_EQUAL(mica_kernel_image(f, flen, MICA_KERNEL_MAX, &elf, &elen,
                                      why, sizeof(why)), -ENOEXEC);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "not an ELF"));
    /* A bzImage whose header lies about the payload. */
    put32(f + 0x24c, (uint32_t)flen);
    CU_ASSERT_EQUAL(mica_kernel_image(f, flen, MICA_KERNEL_MAX, &elf, &elen,
                                      why, sizeof(why)), -ENOEXEC);
    free(f);
    free(c);
}

static const struct unit_test bzimage_tests[] = {
    UNIT_TEST(test_bz_valid),
    UNIT_TEST(test_bz_zero_sects_means_four),
    UNIT_TEST(test_bz_not_bzimage),
    UNIT_TEST(test_bz_truncated_header),
    UNIT_TEST(test_bz_old_protocol),
    UNIT_TEST(test_bz_payload_outside),
    UNIT_END,
};

static const struct unit_test decompress_tests[] = {
    UNIT_TEST(test_gzip),
    UNIT_TEST(test_xz),
    UNIT_TEST(test_zstd),
    UNIT_TEST(test_lzma),
    UNIT_TEST(test_trailing_bytes_ignored),
    UNIT_TEST(test_output_bound),
    UNIT_TEST(test_size_hints),
    UNIT_TEST(test_truncated_streams),
    UNIT_TEST(test_corrupt_streams),
    UNIT_TEST(test_unknown_and_unsupported),
    UNIT_END,
};

static const struct unit_test kernel_tests[] = {
    UNIT_TEST(test_kernel_bzimage_xz),
    UNIT_TEST(test_kernel_plain_and_gz),
    UNIT_TEST(test_kernel_rejects),
    UNIT_END,
};

UNIT_SUITE(libmica_bzimage, suite_init, NULL, bzimage_tests)
UNIT_SUITE(libmica_decompress, suite_init, NULL, decompress_tests)
UNIT_SUITE(libmica_kernel_image, suite_init, NULL, kernel_tests)
