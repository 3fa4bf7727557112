/* SPDX-License-Identifier: MIT */
/*
 * lib/lzma2.c - the LZMA2 decoder xz blocks use: LZMA2's chunks (stored
 * or LZMA, each saying what it resets) around the LZMA range decoder and
 * its adaptive bit models, written from the LZMA specification (lzma-
 * specification.txt of the LZMA SDK) and the xz file format's LZMA2
 * description.
 *
 * The dictionary is the output buffer itself: a whole kernel is decoded
 * in one call, so a match only needs its distance checked against what
 * this block has written.  Input is hostile: every byte read is bounded
 * by its chunk, every write by the output, every distance by the block.
 */
#include "unzip-priv.h"

#define RC_TOP          (1U << 24)
#define PROB_BITS       11
#define PROB_INIT       (1U << (PROB_BITS - 1))
#define MOVE_BITS       5
#define LIT_STATES      7       /* states below this follow a literal */
#define END_POS_MODEL   14      /* pos slots below use the reverse trees */
#define MATCH_MIN       2

/* The range decoder over one LZMA chunk's packed bytes. */
struct rc {
    const uint8_t *p;
    size_t len, pos;
    uint32_t range, code;
    bool overrun;
};

struct lz {
    struct unzip_ctx *c;
    struct lzma_work *m;
    struct rc rc;
    uint8_t *out;
    size_t start, o, limit;     /* block start, position, chunk end */
};

static uint8_t rc_byte(struct rc *rc)
{
    if (rc->pos < rc->len)
        return rc->p[rc->pos++];
    rc->overrun = true;
    return 0;
}

static void rc_normalize(struct rc *rc)
{
    if (rc->range < RC_TOP) {
        rc->range <<= 8;
        rc->code = (rc->code << 8) | rc_byte(rc);
    }
}

static unsigned int rc_bit(struct rc *rc, uint16_t *prob)
{
    uint32_t bound;

    rc_normalize(rc);
    bound = (rc->range >> PROB_BITS) * *prob;
    if (rc->code < bound) {
        rc->range = bound;
        *prob += ((1U << PROB_BITS) - *prob) >> MOVE_BITS;
        return 0;
    }
    rc->range -= bound;
    rc->code -= bound;
    *prob -= *prob >> MOVE_BITS;
    return 1;
}

/* 'n' bits, most significant first, through a tree of 2^n - 1 models. */
static unsigned int rc_tree(struct rc *rc, uint16_t *probs, unsigned int n)
{
    unsigned int m = 1;

    for (unsigned int i = 0; i < n; i++)
        m = (m << 1) | rc_bit(rc, &probs[m]);
    return m - (1U << n);
}

/* The same tree, least significant bit first. */
static unsigned int rc_reverse(struct rc *rc, uint16_t *probs, unsigned int n)
{
    unsigned int m = 1, v = 0;

    for (unsigned int i = 0; i < n; i++) {
        unsigned int bit = rc_bit(rc, &probs[m]);

        m = (m << 1) | bit;
        v |= bit << i;
    }
    return v;
}

static uint32_t rc_direct(struct rc *rc, unsigned int n)
{
    uint32_t v = 0;

    while (n--) {
        rc_normalize(rc);
        rc->range >>= 1;
        if (rc->code >= rc->range) {
            rc->code -= rc->range;
            v = (v << 1) | 1;
        } else {
            v <<= 1;
        }
    }
    return v;
}

static void probs_init(uint16_t *p, size_t n)
{
    while (n--)
        *p++ = PROB_INIT;
}

/* A state reset: every model back to 1/2, the reps and state to 0. */
static void lzma_reset(struct lzma_work *m)
{
    probs_init(&m->is_match[0][0], (size_t)((uint16_t *)&m->literal - &m->is_match[0][0]));
    probs_init(m->literal, (size_t)0x300 << (m->lc + m->lp));
    m->state = 0;
    memset(m->rep, 0, sizeof(m->rep));
}

static unsigned int decode_len(struct rc *rc, struct lzma_len_probs *lp,
                               unsigned int pos_state)
{
    if (!rc_bit(rc, &lp->choice))
        return rc_tree(rc, lp->low[pos_state], 3);
    if (!rc_bit(rc, &lp->choice2))
        return 8 + rc_tree(rc, lp->mid[pos_state], 3);
    return 16 + rc_tree(rc, lp->high, 8);
}

static void literal(struct lz *z)
{
    struct lzma_work *m = z->m;
    size_t pos = z->o - z->start;
    unsigned int prev = pos ? z->out[z->o - 1] : 0;
    uint16_t *probs = m->literal + 0x300 *
        (((pos & ((1U << m->lp) - 1)) << m->lc) + (prev >> (8 - m->lc)));
    unsigned int sym = 1;

    if (m->state >= LIT_STATES && m->rep[0] < pos) {
        /* After a match: follow the byte at rep0 while we agree with it. */
        unsigned int match = z->out[z->o - m->rep[0] - 1];

        while (sym < 0x100) {
            unsigned int mbit = (match >> 7) & 1, bit;

            match <<= 1;
            bit = rc_bit(&z->rc, &probs[((1 + mbit) << 8) + sym]);
            sym = (sym << 1) | bit;
            if (bit != mbit)
                break;
        }
    }
    while (sym < 0x100)
        sym = (sym << 1) | rc_bit(&z->rc, &probs[sym]);
    z->out[z->o++] = (uint8_t)sym;
    m->state = m->state < 4 ? 0 : m->state < 10 ? m->state - 3 : m->state - 6;
}

/* A new match's distance, from its length's slot; 0xFFFFFFFF is the end marker. */
static uint32_t decode_dist(struct lz *z, unsigned int len)
{
    struct lzma_work *m = z->m;
    unsigned int slot = rc_tree(&z->rc, m->pos_slot[PVB_MIN(len, 3U)], 6);
    unsigned int nbits;
    uint32_t dist;

    if (slot < 4)
        return slot;
    nbits = (slot >> 1) - 1;
    dist = (2 | (slot & 1)) << nbits;
    if (slot < END_POS_MODEL)
        return dist + rc_reverse(&z->rc, m->pos_special + dist - slot, nbits);
    dist += rc_direct(&z->rc, nbits - 4) << 4;
    return dist + rc_reverse(&z->rc, m->align, 4);
}

/* Which distance a rep match reuses: it moves to rep[0], those before it down. */
static void pick_rep(struct lz *z)
{
    struct lzma_work *m = z->m;
    unsigned int i = 1;
    uint32_t d;

    if (rc_bit(&z->rc, &m->is_rep1[m->state]))
        i = rc_bit(&z->rc, &m->is_rep2[m->state]) ? 3 : 2;
    d = m->rep[i];
    for (; i; i--)
        m->rep[i] = m->rep[i - 1];
    m->rep[0] = d;
}

/* A match or rep match after is_match said 1: its length, or < 0. */
static int match(struct lz *z, unsigned int ps)
{
    struct lzma_work *m = z->m;
    bool lit_before = m->state < LIT_STATES;
    unsigned int len;

    if (!rc_bit(&z->rc, &m->is_rep[m->state])) {
        len = decode_len(&z->rc, &m->len, ps);
        m->rep[3] = m->rep[2];
        m->rep[2] = m->rep[1];
        m->rep[1] = m->rep[0];
        m->rep[0] = decode_dist(z, len);
        m->state = lit_before ? 7 : 10;
        if (m->rep[0] == UINT32_MAX)
            return pvb_unzip_fail(z->c, -XEN_ENOEXEC, "xz: end marker inside LZMA2");
        return (int)len + MATCH_MIN;
    }
    if (z->o == z->start)
        return pvb_unzip_fail(z->c, -XEN_ENOEXEC, "xz: rep match before any output");
    if (!rc_bit(&z->rc, &m->is_rep0[m->state])) {
        if (!rc_bit(&z->rc, &m->is_rep0_long[m->state][ps])) {
            m->state = lit_before ? 9 : 11;
            return 1;           /* one byte at rep0 */
        }
    } else {
        pick_rep(z);
    }
    len = decode_len(&z->rc, &m->rep_len, ps);
    m->state = lit_before ? 8 : 11;
    return (int)len + MATCH_MIN;
}

static int copy(struct lz *z, unsigned int len)
{
    uint32_t d = z->m->rep[0];

    if (d >= z->o - z->start)
        return pvb_unzip_fail(z->c, -XEN_ENOEXEC, "xz: distance %u reaches before the "
                          "block", d + 1);
    if (len > z->limit - z->o)
        return pvb_unzip_fail(z->c, -XEN_ENOEXEC, "xz: match runs past its chunk");
    for (uint8_t *p = z->out + z->o, *end = p + len; p < end; p++)
        *p = p[-(ptrdiff_t)d - 1];
    z->o += len;
    return 0;
}

/* One LZMA chunk: decode until 'limit' bytes of output, exactly. */
static int lzma_chunk(struct lz *z)
{
    struct lzma_work *m = z->m;

    if (rc_byte(&z->rc) != 0)
        return pvb_unzip_fail(z->c, -XEN_ENOEXEC, "xz: LZMA chunk's first byte is not 0");
    z->rc.range = UINT32_MAX;
    for (int i = 0; i < 4; i++)
        z->rc.code = (z->rc.code << 8) | rc_byte(&z->rc);
    while (z->o < z->limit) {
        unsigned int ps = (z->o - z->start) & ((1U << m->pb) - 1);
        int len;

        if (!rc_bit(&z->rc, &m->is_match[m->state][ps])) {
            literal(z);
        } else {
            len = match(z, ps);
            if (len < 0)
                return len;
            len = copy(z, (unsigned int)len);
            if (len)
                return len;
        }
        if (z->rc.overrun)
            return pvb_unzip_fail(z->c, -XEN_ENOEXEC, "xz: LZMA chunk shorter than its data");
    }
    rc_normalize(&z->rc);
    if (z->rc.overrun || z->rc.pos != z->rc.len || z->rc.code)
        return pvb_unzip_fail(z->c, -XEN_ENOEXEC, "xz: LZMA chunk does not end where "
                          "its header says");
    return 0;
}

static int set_props(struct lz *z, unsigned int props)
{
    struct lzma_work *m = z->m;

    if (props >= 9 * 5 * 5)
        return pvb_unzip_fail(z->c, -XEN_ENOEXEC, "xz: invalid LZMA properties %#x", props);
    m->lc = props % 9;
    m->lp = (props / 9) % 5;
    m->pb = props / 45;
    if (m->lc + m->lp > 4)
        return pvb_unzip_fail(z->c, -XEN_ENOEXEC, "xz: LZMA2 needs lc + lp <= 4");
    return 0;
}

/* A chunk header's fields, read after its control byte 'ctl'. */
static int lzma_chunk_header(struct lz *z, const uint8_t *in, size_t avail,
                             unsigned int ctl, size_t *hdr, size_t *packed)
{
    size_t unpacked;
    unsigned int reset = (ctl >> 5) & 3;
    int rc;

    *hdr = reset >= 2 ? 6 : 5;
    if (avail < *hdr)
        return pvb_unzip_fail(z->c, -XEN_ENOEXEC, "xz: truncated LZMA2 chunk header");
    unpacked = (((size_t)ctl & 0x1f) << 16) + ((size_t)in[1] << 8) + in[2] + 1;
    *packed = ((size_t)in[3] << 8) + in[4] + 1;
    if (unpacked > z->limit - z->o)
        return pvb_unzip_fail(z->c, -XEN_ENOSPC, "xz: output larger than the buffer");
    z->limit = z->o + unpacked;
    if (reset >= 2) {
        rc = set_props(z, in[5]);
        if (rc)
            return rc;
    }
    if (reset >= 1)
        lzma_reset(z->m);
    return 0;
}

int pvb_lzma2_decode(struct unzip_ctx *c, const uint8_t *in, size_t inlen,
                 size_t *inused, uint8_t *out, size_t start, size_t outmax,
                 size_t *outend)
{
    struct lz z = { .c = c, .m = &c->w->u.lz, .out = out, .start = start, .o = start };
    bool need_dict = true, need_props = true;
    size_t pos = 0, hdr = 0, n = 0;
    int rc;

    for (;;) {
        unsigned int ctl;

        if (pos >= inlen)
            return pvb_unzip_fail(c, -XEN_ENOEXEC, "xz: LZMA2 data ends without an end chunk");
        ctl = in[pos];
        if (!ctl)
            break;
        if ((ctl >= 3 && ctl < 0x80) || (need_dict && ctl != 1 && ctl < 0xe0))
            return pvb_unzip_fail(c, -XEN_ENOEXEC, "xz: invalid LZMA2 chunk %#x", ctl);
        need_dict = false;
        /* A dictionary reset: later matches reach back to here only. */
        if (ctl == 1 || ctl >= 0xe0)
            z.start = z.o;
        z.limit = outmax;
        if (ctl < 0x80) {
            /* Stored: no state is reset, but the next LZMA chunk needs one. */
            need_props |= ctl == 1;
            if (inlen - pos < 3)
                return pvb_unzip_fail(c, -XEN_ENOEXEC, "xz: truncated LZMA2 chunk header");
            n = ((size_t)in[pos + 1] << 8) + in[pos + 2] + 1;
            if (n > inlen - pos - 3)
                return pvb_unzip_fail(c, -XEN_ENOEXEC, "xz: truncated stored LZMA2 chunk");
            if (n > outmax - z.o)
                return pvb_unzip_fail(c, -XEN_ENOSPC, "xz: output larger than the buffer");
            memcpy(out + z.o, in + pos + 3, n);
            z.o += n;
            pos += 3 + n;
            continue;
        }
        if (need_props && ctl < 0xc0)
            return pvb_unzip_fail(c, -XEN_ENOEXEC, "xz: LZMA2 chunk without properties");
        need_props = false;
        rc = lzma_chunk_header(&z, in + pos, inlen - pos, ctl, &hdr, &n);
        if (rc)
            return rc;
        if (n > inlen - pos - hdr)
            return pvb_unzip_fail(c, -XEN_ENOEXEC, "xz: truncated LZMA chunk");
        z.rc = (struct rc){ .p = in + pos + hdr, .len = n };
        rc = lzma_chunk(&z);
        if (rc)
            return rc;
        pos += hdr + n;
    }
    *inused = pos + 1;
    *outend = z.o;
    return 0;
}
