/* SPDX-License-Identifier: MIT */
/*
 * lib/inflate.c - gzip (RFC 1952) around DEFLATE (RFC 1951): a Linux
 * kernel built with CONFIG_KERNEL_GZIP, or any gzip'd image.
 *
 * Written from the RFCs: canonical Huffman codes decoded a bit at a time
 * (codes per length, symbols in code order), the LZ77 window being the
 * output buffer itself.  Every bit read is bounded by the input (reading
 * past it is reported, never done), every write and back-reference by the
 * output, and every code checked before it is used.
 */
#include "unzip-priv.h"

#define GZ_FTEXT    0x01
#define GZ_FHCRC    0x02
#define GZ_FEXTRA   0x04
#define GZ_FNAME    0x08
#define GZ_FCOMMENT 0x10
#define GZ_RESERVED 0xe0
#define GZ_HEADER   10
#define GZ_TRAILER  8

/* LSB-first bits; past the end it yields zeros and remembers it did. */
struct bits {
    const uint8_t *p;
    size_t len, pos;
    uint64_t buf;
    unsigned int n;
    bool overrun;
};

struct inflater {
    struct unzip_ctx *c;
    struct bits b;
    uint8_t *out;
    size_t o, outmax;
};

static uint32_t getbits(struct bits *b, unsigned int need)
{
    uint32_t v;

    while (b->n < need) {
        if (b->pos < b->len)
            b->buf |= (uint64_t)b->p[b->pos++] << b->n;
        else
            b->overrun = true;
        b->n += 8;
    }
    v = (uint32_t)(b->buf & ((1ULL << need) - 1));
    b->buf >>= need;
    b->n -= need;
    return v;
}

/*
 * Count codes per length and sort the symbols by code.  An over-subscribed
 * set of lengths is no prefix code at all; an incomplete one is accepted
 * (RFC 1951 allows a lone distance code) and its unused codes fail later.
 */
static int huff_build(struct huff *h, const uint8_t *lens, unsigned int n)
{
    uint16_t next[INF_MAX_BITS + 1];
    int left = 1;

    memset(h->count, 0, sizeof(h->count));
    for (unsigned int s = 0; s < n; s++)
        h->count[lens[s]]++;
    for (unsigned int l = 1; l <= INF_MAX_BITS; l++) {
        left = 2 * left - h->count[l];
        if (left < 0)
            return -XEN_ENOEXEC;
    }
    next[1] = 0;
    for (unsigned int l = 1; l < INF_MAX_BITS; l++)
        next[l + 1] = next[l] + h->count[l];
    for (unsigned int s = 0; s < n; s++)
        if (lens[s])
            h->symbol[next[lens[s]]++] = (uint16_t)s;
    return 0;
}

/* Codes of one length are consecutive, after all shorter ones: walk them. */
static int huff_decode(struct bits *b, const struct huff *h)
{
    int code = 0, first = 0, index = 0;

    for (unsigned int l = 1; l <= INF_MAX_BITS; l++) {
        int count = h->count[l];

        code |= (int)getbits(b, 1);
        if (code < first + count)
            return h->symbol[index + code - first];
        index += count;
        first = (first + count) << 1;
        code <<= 1;
    }
    return -1;
}

static const uint16_t len_base[29] = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
    67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t len_extra[29] = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
    5, 5, 5, 5, 0 };
static const uint16_t dist_base[30] = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513,
    769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577 };
static const uint8_t dist_extra[30] = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10,
    11, 11, 12, 12, 13, 13 };

static int fail(struct inflater *f, const char *what)
{
    return pvb_unzip_fail(f->c, -XEN_ENOEXEC, "gzip: %s", what);
}

/* One match: length symbol 'sym', then its distance. */
static int copy_match(struct inflater *f, int sym, const struct huff *dist)
{
    size_t len, d;
    int ds;

    sym -= 257;
    if (sym >= 29)
        return fail(f, "invalid length code");
    len = len_base[sym] + getbits(&f->b, len_extra[sym]);
    ds = huff_decode(&f->b, dist);
    if (ds < 0 || ds >= 30)
        return fail(f, "invalid distance code");
    d = dist_base[ds] + getbits(&f->b, dist_extra[ds]);
    if (d > f->o)
        return fail(f, "distance reaches before the start of the output");
    if (len > f->outmax - f->o)
        return pvb_unzip_fail(f->c, -XEN_ENOSPC, "gzip: output larger than %zu bytes",
                          f->outmax);
    /* Byte by byte: a match may overlap what it is copying. */
    for (uint8_t *p = f->out + f->o, *end = p + len; p < end; p++)
        *p = p[-d];
    f->o += len;
    return 0;
}

static int codes(struct inflater *f, const struct huff *lit, const struct huff *dist)
{
    for (;;) {
        int sym = huff_decode(&f->b, lit);
        int rc;

        if (f->b.overrun)
            return fail(f, "truncated deflate data");
        if (sym < 0)
            return fail(f, "invalid literal/length code");
        if (sym == 256)
            return 0;
        if (sym < 256) {
            if (f->o == f->outmax)
                return pvb_unzip_fail(f->c, -XEN_ENOSPC, "gzip: output larger than %zu "
                                  "bytes", f->outmax);
            f->out[f->o++] = (uint8_t)sym;
            continue;
        }
        rc = copy_match(f, sym, dist);
        if (rc)
            return rc;
    }
}

static int stored(struct inflater *f)
{
    struct bits *b = &f->b;
    uint32_t len, nlen;

    getbits(b, b->n & 7);       /* to the byte boundary */
    len = getbits(b, 16);
    nlen = getbits(b, 16);
    if (b->overrun || len != (~nlen & 0xffff))
        return fail(f, "stored block length does not match its complement");
    if (len > f->outmax - f->o)
        return pvb_unzip_fail(f->c, -XEN_ENOSPC, "gzip: output larger than %zu bytes",
                          f->outmax);
    for (; len && b->n >= 8; len--)
        f->out[f->o++] = (uint8_t)getbits(b, 8);
    if (len > b->len - b->pos)
        return fail(f, "truncated stored block");
    memcpy(f->out + f->o, b->p + b->pos, len);
    b->pos += len;
    f->o += len;
    return 0;
}

static int fixed(struct inflater *f)
{
    struct inflate_work *iw = &f->c->w->u.inf;
    unsigned int s = 0;

    for (; s < 144; s++)
        iw->lens[s] = 8;
    for (; s < 256; s++)
        iw->lens[s] = 9;
    for (; s < 280; s++)
        iw->lens[s] = 7;
    for (; s < INF_NLITLEN; s++)
        iw->lens[s] = 8;
    huff_build(&iw->lit, iw->lens, INF_NLITLEN);
    memset(iw->lens, 5, 30);
    huff_build(&iw->dist, iw->lens, 30);
    return codes(f, &iw->lit, &iw->dist);
}

/* The code lengths of a dynamic block, themselves Huffman coded. */
static int read_lengths(struct inflater *f, unsigned int nlen)
{
    static const uint8_t order[19] = {
        16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };
    struct inflate_work *iw = &f->c->w->u.inf;
    unsigned int ncode = getbits(&f->b, 4) + 4, i = 0;

    memset(iw->lens, 0, sizeof(iw->lens));
    for (unsigned int k = 0; k < ncode; k++)
        iw->lens[order[k]] = (uint8_t)getbits(&f->b, 3);
    if (huff_build(&iw->lit, iw->lens, 19))
        return fail(f, "over-subscribed code length code");
    while (i < nlen) {
        int sym = huff_decode(&f->b, &iw->lit);
        unsigned int rep;
        uint8_t val = 0;

        if (sym < 0 || f->b.overrun)
            return fail(f, "invalid code length code");
        if (sym < 16) {
            iw->lens[i++] = (uint8_t)sym;
            continue;
        }
        if (sym == 16) {
            if (!i)
                return fail(f, "length repeat with no previous length");
            val = iw->lens[i - 1];
            rep = 3 + getbits(&f->b, 2);
        } else {
            rep = sym == 17 ? 3 + getbits(&f->b, 3) : 11 + getbits(&f->b, 7);
        }
        if (rep > nlen - i)
            return fail(f, "code lengths run past their count");
        memset(iw->lens + i, val, rep);
        i += rep;
    }
    return 0;
}

static int dynamic(struct inflater *f)
{
    struct inflate_work *iw = &f->c->w->u.inf;
    unsigned int nlit = getbits(&f->b, 5) + 257;
    unsigned int ndist = getbits(&f->b, 5) + 1;
    int rc;

    if (nlit > 286 || ndist > 30)
        return fail(f, "too many literal/length or distance codes");
    rc = read_lengths(f, nlit + ndist);
    if (rc)
        return rc;
    if (!iw->lens[256])
        return fail(f, "no end-of-block code");
    if (huff_build(&iw->lit, iw->lens, nlit) ||
        huff_build(&iw->dist, iw->lens + nlit, ndist))
        return fail(f, "over-subscribed literal/length or distance code");
    return codes(f, &iw->lit, &iw->dist);
}

/* Raw DEFLATE blocks up to the last; returns bytes of input used. */
static int inflate_blocks(struct inflater *f, size_t *used)
{
    unsigned int last;
    int rc;

    do {
        last = getbits(&f->b, 1);
        switch (getbits(&f->b, 2)) {
        case 0:
            rc = stored(f);
            break;
        case 1:
            rc = fixed(f);
            break;
        case 2:
            rc = dynamic(f);
            break;
        default:
            rc = fail(f, "invalid block type 3");
        }
        if (!rc && f->b.overrun)
            rc = fail(f, "truncated deflate data");
        if (rc)
            return rc;
    } while (!last);
    *used = f->b.pos - f->b.n / 8;      /* whole bytes still buffered */
    return 0;
}

/* The header's optional fields; returns where the deflate data starts. */
static int gzip_header(struct unzip_ctx *c, const uint8_t *in, size_t inlen,
                       size_t *start)
{
    uint8_t flg = in[3];
    size_t pos = GZ_HEADER;

    if (in[2] != 8)
        return pvb_unzip_fail(c, -XEN_ENOEXEC, "gzip: compression method %u is not "
                          "deflate", in[2]);
    if (flg & GZ_RESERVED)
        return pvb_unzip_fail(c, -XEN_ENOEXEC, "gzip: reserved flags %#x set", flg);
    if (flg & GZ_FEXTRA) {
        if (inlen - pos < 2 || (size_t)(in[pos] | in[pos + 1] << 8) > inlen - pos - 2)
            return pvb_unzip_fail(c, -XEN_ENOEXEC, "gzip: truncated extra field");
        pos += 2 + in[pos] + (in[pos + 1] << 8);
    }
    for (unsigned int f = GZ_FNAME; f <= GZ_FCOMMENT; f <<= 1) {
        if (!(flg & f))
            continue;
        while (pos < inlen && in[pos])
            pos++;
        if (pos++ >= inlen)
            return pvb_unzip_fail(c, -XEN_ENOEXEC, "gzip: unterminated file name or "
                              "comment");
    }
    if (flg & GZ_FHCRC) {
        if (inlen - pos < 2)
            return pvb_unzip_fail(c, -XEN_ENOEXEC, "gzip: truncated header CRC");
        if ((pvb_crc32(c->w, 0, in, pos) & 0xffff) != (uint32_t)(in[pos] | in[pos + 1] << 8))
            return pvb_unzip_fail(c, -XEN_ENOEXEC, "gzip: header CRC mismatch");
        pos += 2;
    }
    *start = pos;
    return 0;
}

static uint32_t le32(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int pvb_gunzip(const uint8_t *in, size_t inlen, uint8_t *out, size_t outmax,
               size_t *outlen, struct pvb_unzip_work *w, char *why, size_t whylen)
{
    struct unzip_ctx c = { .why = why, .whylen = why ? whylen : 0, .w = w };
    struct inflater f = { .c = &c, .out = out, .outmax = outmax };
    size_t start = 0, used;
    int rc;

    *outlen = 0;
    if (inlen < GZ_HEADER + GZ_TRAILER || in[0] != 0x1f || in[1] != 0x8b)
        return pvb_unzip_fail(&c, -XEN_ENOEXEC, "gzip: no gzip header");
    pvb_crc_init(w);
    rc = gzip_header(&c, in, inlen, &start);
    if (rc)
        return rc;
    f.b = (struct bits){ .p = in + start, .len = inlen - start };
    rc = inflate_blocks(&f, &used);
    if (rc)
        return rc;
    if (inlen - start - used < GZ_TRAILER)
        return pvb_unzip_fail(&c, -XEN_ENOEXEC, "gzip: truncated trailer");
    in += start + used;
    if (pvb_crc32(w, 0, out, f.o) != le32(in))
        return pvb_unzip_fail(&c, -XEN_ENOEXEC, "gzip: CRC-32 mismatch");
    if ((uint32_t)f.o != le32(in + 4))
        return pvb_unzip_fail(&c, -XEN_ENOEXEC, "gzip: size %zu differs from ISIZE %u",
                          f.o, le32(in + 4));
    *outlen = f.o;
    return 0;
}
