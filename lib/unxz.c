/* SPDX-License-Identifier: MIT */
/*
 * lib/unxz.c - the .xz container (The .xz File Format 1.1.0): stream
 * header and footer, blocks with their filter chains, the index, and the
 * integrity checks.  Linux's xz kernels use one filter chain, x86 BCJ then
 * LZMA2 (scripts/xz_wrap.sh), with CRC-32; we decode that, any LZMA2-only
 * chain, CRC-64 and "none", and refuse the rest by name.
 *
 * Each block is decoded by lib/lzma2.c straight into the output, then the
 * BCJ filter is undone in place (LZMA2's matches refer to the filtered
 * bytes, so only once the block is whole) and its check compared.  The
 * index must agree with the blocks actually found.
 */
#include "unzip-priv.h"

#define XZ_HEADER       12
#define XZ_FOOTER       12
#define XZ_CHECK_NONE   0
#define XZ_CHECK_CRC32  1
#define XZ_CHECK_CRC64  4
#define XZ_CHECK_SHA256 10
#define FILTER_X86      0x04
#define FILTER_LZMA2    0x21
#define MAX_BLOCKS      4096    /* bounds the index cross-check */

static const uint8_t xz_magic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0 };

struct xz {
    struct unzip_ctx *c;
    const uint8_t *in;
    size_t len, pos;
    uint8_t *out;
    size_t o, outmax;
    unsigned int check;
    /* What the blocks were, for the index to be compared with. */
    uint64_t nr_blocks, sum_unpadded, sum_uncompressed;
};

static uint32_t le32(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
    return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static int bad(struct xz *x, const char *what)
{
    return pvb_unzip_fail(x->c, -XEN_ENOEXEC, "xz: %s", what);
}

/* A multibyte integer of at most 9 bytes (63 bits) from p[*pos, end). */
static int vli(const uint8_t *p, size_t end, size_t *pos, uint64_t *v)
{
    *v = 0;
    for (unsigned int i = 0; i < 9; i++) {
        uint8_t b;

        if (*pos >= end)
            return -1;
        b = p[(*pos)++];
        *v |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80))
            return b || !i ? 0 : -1;    /* no needless trailing zero byte */
    }
    return -1;
}

static unsigned int check_size(unsigned int check)
{
    return check ? 4U << ((check - 1) / 3) : 0;
}

/* The x86 BCJ filter undone: CALL/JMP targets back from absolute to relative. */
static void bcj_x86(uint8_t *buf, size_t size, uint32_t ip)
{
    static const bool allowed[8] = { true, true, true, false, true, false, false, false };
    static const unsigned int byte_of[8] = { 0, 1, 2, 2, 3, 3, 3, 3 };
    size_t i = 0, prev = (size_t)-1;
    unsigned int mask = 0;

    if (size < 5)
        return;
    for (; i < size - 4; i++) {
        uint8_t *p = buf + i;
        uint32_t src, dest;

        if ((p[0] & 0xfe) != 0xe8)
            continue;
        /* Which of the last three bytes were E8/E9 too. */
        mask = i - prev > 3 ? 0 : (mask << (i - prev - 1)) & 7;
        prev = i;
        if (mask && (!allowed[mask] || p[4 - byte_of[mask]] == 0 ||
                     p[4 - byte_of[mask]] == 0xff)) {
            mask = ((mask << 1) & 7) | 1;
            continue;
        }
        if (p[4] != 0 && p[4] != 0xff) {
            mask = ((mask << 1) & 7) | 1;
            continue;
        }
        src = le32(p + 1);
        for (;;) {
            unsigned int shift;
            uint8_t b;

            dest = src - (ip + (uint32_t)i + 5);
            if (!mask)
                break;
            shift = byte_of[mask] * 8;
            b = (uint8_t)(dest >> (24 - shift));
            if (b != 0 && b != 0xff)
                break;
            src = dest ^ ((1U << (32 - shift)) - 1);
        }
        dest &= 0x01ffffff;
        dest |= 0U - (dest & 0x01000000);
        p[1] = (uint8_t)dest;
        p[2] = (uint8_t)(dest >> 8);
        p[3] = (uint8_t)(dest >> 16);
        p[4] = (uint8_t)(dest >> 24);
        i += 4;
    }
}

/* The filters' names, for refusing them. */
static const char *filter_name(uint64_t id)
{
    switch (id) {
    case 0x03: return "delta";
    case 0x05: return "PowerPC BCJ";
    case 0x06: return "IA-64 BCJ";
    case 0x07: return "ARM BCJ";
    case 0x08: return "ARM-Thumb BCJ";
    case 0x09: return "SPARC BCJ";
    case 0x0a: return "ARM64 BCJ";
    case 0x0b: return "RISC-V BCJ";
    default:   return "unknown";
    }
}

struct block {
    size_t hsize, data;
    uint64_t csize, usize;      /* UINT64_MAX when the header omits them */
    bool bcj;
    uint32_t bcj_start;
};

static int one_filter(struct xz *x, struct block *b, size_t *p, size_t end,
                      bool last)
{
    uint64_t id, psize;

    if (vli(x->in, end, p, &id) || vli(x->in, end, p, &psize) || psize > end - *p)
        return bad(x, "malformed filter flags");
    if (id == FILTER_LZMA2) {
        if (!last || psize != 1 || x->in[*p] > 40)
            return bad(x, "malformed LZMA2 filter");
    } else if (id == FILTER_X86) {
        if (last || b->bcj || (psize != 0 && psize != 4))
            return bad(x, "malformed x86 BCJ filter");
        b->bcj = true;
        b->bcj_start = psize ? le32(x->in + *p) : 0;
    } else {
        return pvb_unzip_fail(x->c, -XEN_EOPNOTSUPP, "xz: filter %#llx (%s) is not "
                          "supported", (unsigned long long)id, filter_name(id));
    }
    *p += psize;
    return 0;
}

static int block_header(struct xz *x, struct block *b)
{
    const uint8_t *h = x->in + x->pos;
    size_t p = x->pos + 2, end;
    unsigned int flags, nr;
    int rc;

    b->hsize = ((size_t)h[0] + 1) * 4;
    if (b->hsize > x->len - x->pos)
        return bad(x, "truncated block header");
    end = x->pos + b->hsize - 4;
    if (pvb_crc32(x->c->w, 0, h, b->hsize - 4) != le32(x->in + end))
        return bad(x, "block header CRC mismatch");
    flags = h[1];
    nr = (flags & 3) + 1;
    if (flags & 0x3c)
        return bad(x, "reserved block flags set");
    b->csize = b->usize = UINT64_MAX;
    if ((flags & 0x40) && (vli(x->in, end, &p, &b->csize) || !b->csize))
        return bad(x, "malformed compressed size");
    if ((flags & 0x80) && vli(x->in, end, &p, &b->usize))
        return bad(x, "malformed uncompressed size");
    b->bcj = false;
    for (unsigned int i = 0; i < nr; i++) {
        rc = one_filter(x, b, &p, end, i == nr - 1);
        if (rc)
            return rc;
    }
    for (; p < end; p++)
        if (x->in[p])
            return bad(x, "non-zero block header padding");
    b->data = x->pos + b->hsize;
    return 0;
}

/* Block padding, then the check over the block's output. */
static int block_check(struct xz *x, size_t end, size_t ostart)
{
    unsigned int n = check_size(x->check);

    for (; end & 3; end++)
        if (end >= x->len || x->in[end])
            return bad(x, "bad block padding");
    if (n > x->len - end)
        return bad(x, "truncated block check");
    if (x->check == XZ_CHECK_CRC32 &&
        pvb_crc32(x->c->w, 0, x->out + ostart, x->o - ostart) != le32(x->in + end))
        return bad(x, "CRC-32 mismatch");
    if (x->check == XZ_CHECK_CRC64 &&
        pvb_crc64(x->c->w, 0, x->out + ostart, x->o - ostart) != le64(x->in + end))
        return bad(x, "CRC-64 mismatch");
    x->pos = end + n;
    return 0;
}

static int block(struct xz *x)
{
    struct block b = { 0 };
    size_t used, ostart = x->o, avail;
    int rc;

    rc = block_header(x, &b);
    if (rc)
        return rc;
    avail = x->len - b.data;
    if (b.csize != UINT64_MAX)
        avail = PVB_MIN((uint64_t)avail, b.csize);
    rc = pvb_lzma2_decode(x->c, x->in + b.data, avail, &used, x->out, x->o, x->outmax, &x->o);
    if (rc)
        return rc;
    if ((b.csize != UINT64_MAX && used != b.csize) ||
        (b.usize != UINT64_MAX && x->o - ostart != b.usize))
        return bad(x, "block sizes differ from its header");
    if (b.bcj)
        bcj_x86(x->out + ostart, x->o - ostart, b.bcj_start);
    rc = block_check(x, b.data + used, ostart);
    if (rc)
        return rc;
    if (++x->nr_blocks > MAX_BLOCKS)
        return bad(x, "too many blocks");
    x->sum_unpadded += b.hsize + used + check_size(x->check);
    x->sum_uncompressed += x->o - ostart;
    return 0;
}

/* The index: its records must describe the blocks just decoded. */
static int index_and_footer(struct xz *x, const uint8_t *flags)
{
    size_t start = x->pos, p = x->pos + 1;
    uint64_t n, unpadded, usize, sum_u = 0, sum_c = 0;
    const uint8_t *f;

    if (vli(x->in, x->len, &p, &n) || n != x->nr_blocks)
        return bad(x, "index does not list the blocks");
    for (uint64_t i = 0; i < n; i++) {
        if (vli(x->in, x->len, &p, &unpadded) || vli(x->in, x->len, &p, &usize))
            return bad(x, "truncated index");
        sum_c += unpadded;
        sum_u += usize;
    }
    if (sum_c != x->sum_unpadded || sum_u != x->sum_uncompressed)
        return bad(x, "index does not match the blocks");
    for (; (p - start) & 3; p++)
        if (p >= x->len || x->in[p])
            return bad(x, "bad index padding");
    if (x->len - p < 4 + XZ_FOOTER ||
        pvb_crc32(x->c->w, 0, x->in + start, p - start) != le32(x->in + p))
        return bad(x, "index CRC mismatch or truncated stream");
    f = x->in + p + 4;
    if (pvb_crc32(x->c->w, 0, f + 4, 6) != le32(f) ||
        (uint64_t)(le32(f + 4) + 1) * 4 != p + 4 - start ||
        memcmp(f + 8, flags, 2) || f[10] != 'Y' || f[11] != 'Z')
        return bad(x, "bad stream footer");
    return 0;
}

int pvb_unxz(const uint8_t *in, size_t inlen, uint8_t *out, size_t outmax,
             size_t *outlen, struct pvb_unzip_work *w, char *why, size_t whylen)
{
    struct unzip_ctx c = { .why = why, .whylen = why ? whylen : 0, .w = w };
    struct xz x = { .c = &c, .in = in, .len = inlen, .out = out, .outmax = outmax };
    int rc;

    *outlen = 0;
    if (inlen < XZ_HEADER + XZ_FOOTER || memcmp(in, xz_magic, sizeof(xz_magic)))
        return bad(&x, "no xz stream header");
    pvb_crc_init(w);
    if (pvb_crc32(w, 0, in + 6, 2) != le32(in + 8))
        return bad(&x, "stream header CRC mismatch");
    x.check = in[7];
    if (in[6] || x.check > 15)
        return bad(&x, "reserved stream flags set");
    if (x.check != XZ_CHECK_NONE && x.check != XZ_CHECK_CRC32 &&
        x.check != XZ_CHECK_CRC64)
        return pvb_unzip_fail(&c, -XEN_EOPNOTSUPP, "xz: check type %u%s is not supported",
                          x.check, x.check == XZ_CHECK_SHA256 ? " (SHA-256)" : "");
    x.pos = XZ_HEADER;
    while (x.pos < x.len && in[x.pos]) {
        rc = block(&x);
        if (rc)
            return rc;
    }
    if (x.pos >= x.len)
        return bad(&x, "stream ends before its index");
    rc = index_and_footer(&x, in + 6);
    if (rc)
        return rc;
    *outlen = x.o;
    return 0;
}
