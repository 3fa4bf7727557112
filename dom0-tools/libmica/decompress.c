/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/decompress.c - one compressed stream to memory with the
 * library made for its format (zlib for gzip, liblzma for xz and legacy
 * lzma, libzstd for zstd), its output bounded by the caller and the
 * decoders' own memory capped, since the input is whatever file a user
 * named.  The output buffer grows by doubling up to the bound.
 */
#include <errno.h>
#include <limits.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>
#include "image.h"

/* Kernel payloads use a 32 MiB dictionary at most; refuse greedier ones. */
#define DECODER_MEMLIMIT    (128ULL << 20)
#define FIRST_CHUNK         (1UL << 20)

struct outbuf {
    uint8_t *p;
    size_t len, cap, max;
};

static int reason(char *why, size_t whylen, int rc, const char *fmt, const char *what)
{
    if (whylen)
        snprintf(why, whylen, fmt, what);
    return rc;
}

/* Room for more output: 0, -EFBIG at the caller's bound, or -ENOMEM. */
static int grow(struct outbuf *o)
{
    size_t cap;
    uint8_t *p;

    if (o->cap >= o->max)
        return -EFBIG;
    cap = o->cap ? o->cap * 2 : FIRST_CHUNK;
    if (cap > o->max || cap < o->cap)
        cap = o->max;
    p = realloc(o->p, cap);
    if (!p)
        return -ENOMEM;
    o->p = p;
    o->cap = cap;
    return 0;
}

static int gunzip(const uint8_t *in, size_t len, struct outbuf *o)
{
    z_stream zs;
    int zrc = Z_OK, rc = 0;

    if (len > UINT_MAX)
        return -EFBIG;
    memset(&zs, 0, sizeof(zs));
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
        return -ENOMEM;
    zs.next_in = (Bytef *)in;
    zs.avail_in = (uInt)len;
    while (zrc != Z_STREAM_END) {
        if (o->len == o->cap && (rc = grow(o)))
            break;
        zs.next_out = o->p + o->len;
        zs.avail_out = (uInt)(o->cap - o->len > UINT_MAX ? UINT_MAX : o->cap - o->len);
        zrc = inflate(&zs, Z_NO_FLUSH);
        o->len = (size_t)(zs.next_out - o->p);
        if (zrc == Z_BUF_ERROR && zs.avail_out)
            zrc = Z_DATA_ERROR;             /* input ran out mid-stream */
        if (zrc != Z_OK && zrc != Z_STREAM_END && zrc != Z_BUF_ERROR) {
            rc = zrc == Z_MEM_ERROR ? -ENOMEM : -EINVAL;
            break;
        }
    }
    inflateEnd(&zs);
    return rc;
}

static int unxz(const uint8_t *in, size_t len, struct outbuf *o, bool alone)
{
    lzma_stream s = LZMA_STREAM_INIT;
    lzma_ret lrc = alone ? lzma_alone_decoder(&s, DECODER_MEMLIMIT)
                         : lzma_stream_decoder(&s, DECODER_MEMLIMIT, 0);
    int rc = 0;

    if (lrc != LZMA_OK)
        return -ENOMEM;
    s.next_in = in;
    s.avail_in = len;
    while (lrc != LZMA_STREAM_END) {
        if (o->len == o->cap && (rc = grow(o)))
            break;
        s.next_out = o->p + o->len;
        s.avail_out = o->cap - o->len;
        lrc = lzma_code(&s, LZMA_FINISH);
        o->len = (size_t)(s.next_out - o->p);
        if (lrc == LZMA_BUF_ERROR && s.avail_out)
            lrc = LZMA_DATA_ERROR;          /* truncated */
        if (lrc != LZMA_OK && lrc != LZMA_STREAM_END && lrc != LZMA_BUF_ERROR) {
            rc = lrc == LZMA_MEM_ERROR || lrc == LZMA_MEMLIMIT_ERROR ? -ENOMEM : -EINVAL;
            break;
        }
    }
    lzma_end(&s);
    return rc;
}

static int unzstd(const uint8_t *in, size_t len, struct outbuf *o)
{
    ZSTD_DCtx *dc = ZSTD_createDCtx();
    ZSTD_inBuffer ib = { in, len, 0 };
    size_t zrc = 1;
    int rc = 0;

    if (!dc)
        return -ENOMEM;
    /* 2^27 = 128 MiB window, as the memory cap of the other decoders. */
    ZSTD_DCtx_setParameter(dc, ZSTD_d_windowLogMax, 27);
    while (zrc) {
        ZSTD_outBuffer ob;

        if (o->len == o->cap && (rc = grow(o)))
            break;
        ob = (ZSTD_outBuffer){ o->p, o->cap, o->len };
        zrc = ZSTD_decompressStream(dc, &ob, &ib);
        o->len = ob.pos;
        if (ZSTD_isError(zrc)) {
            rc = -EINVAL;
            break;
        }
        /* Frame not complete, all input used, output not full: truncated. */
        if (zrc && ib.pos == ib.size && ob.pos < ob.size) {
            rc = -EINVAL;
            break;
        }
    }
    ZSTD_freeDCtx(dc);
    return rc;
}

int mica_decompress(const uint8_t *in, size_t len, size_t hint, size_t max_out,
                    uint8_t **out, size_t *out_len, char *why, size_t whylen)
{
    enum pvb_zformat f = pvb_zformat(in, len);
    /* A hint far beyond any real ratio is a lie: do not reserve for it. */
    struct outbuf o = {
        .max = max_out, .cap = hint <= max_out && hint / 64 <= len ? hint : 0,
    };
    const char *name = pvb_zformat_name(f);
    int rc;

    *out = NULL;
    *out_len = 0;
    if (f == PVB_Z_NONE)
        return reason(why, whylen, -ENOEXEC, "%s compression format", name);
    if (f != PVB_Z_GZIP && f != PVB_Z_XZ && f != PVB_Z_LZMA && f != PVB_Z_ZSTD)
        return reason(why, whylen, -ENOTSUP, "%s compression is not supported", name);
    if (o.cap && !(o.p = malloc(o.cap)))
        o.cap = 0;
    switch (f) {
    case PVB_Z_GZIP: rc = gunzip(in, len, &o); break;
    case PVB_Z_XZ:   rc = unxz(in, len, &o, false); break;
    case PVB_Z_LZMA: rc = unxz(in, len, &o, true); break;
    default:         rc = unzstd(in, len, &o); break;
    }
    if (!rc && !o.len)
        rc = -EINVAL;
    if (rc) {
        free(o.p);
        if (rc == -EFBIG)
            return reason(why, whylen, rc, "%s data decompresses beyond the size limit", name);
        if (rc == -ENOMEM)
            return reason(why, whylen, rc, "%s decoder out of memory (or over its limit)", name);
        return reason(why, whylen, rc, "%s data is corrupt or truncated", name);
    }
    *out = o.p;
    *out_len = o.len;
    return 0;
}
