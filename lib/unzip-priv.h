/* SPDX-License-Identifier: MIT */
/*
 * lib/unzip-priv.h - what the decoders of pvboot/unzip.h share: their
 * workspace (so nothing is allocated or static), the CRC tables, and the
 * LZMA2 decoder that lib/unxz.c calls for each xz block.  Private to lib/.
 */
#ifndef PVBOOT_UNZIP_PRIV_H
#define PVBOOT_UNZIP_PRIV_H

#include "freestanding.h"
#include <pvboot/unzip.h>

/* ---- inflate ------------------------------------------------------------ */

#define INF_MAX_BITS    15
#define INF_NLITLEN     288     /* 286 used; fixed codes define 288 */
#define INF_NDIST       32      /* 30 used; fixed codes define 32 */

/* A canonical Huffman code: codes per length, symbols by code order. */
struct huff {
    uint16_t count[INF_MAX_BITS + 1];
    uint16_t symbol[INF_NLITLEN];
};

struct inflate_work {
    struct huff lit, dist;
    uint8_t lens[INF_NLITLEN + INF_NDIST];
};

/* ---- LZMA --------------------------------------------------------------- */

#define LZMA_STATES         12
#define LZMA_POS_STATES_MAX 16
#define LZMA_LIT_PROBS_MAX  (0x300 << 4)    /* LZMA2: lc + lp <= 4 */

struct lzma_len_probs {
    uint16_t choice, choice2;
    uint16_t low[LZMA_POS_STATES_MAX][8];
    uint16_t mid[LZMA_POS_STATES_MAX][8];
    uint16_t high[256];
};

/* The adaptive probabilities of the LZMA spec, and its coder state. */
struct lzma_work {
    uint16_t is_match[LZMA_STATES][LZMA_POS_STATES_MAX];
    uint16_t is_rep[LZMA_STATES], is_rep0[LZMA_STATES];
    uint16_t is_rep1[LZMA_STATES], is_rep2[LZMA_STATES];
    uint16_t is_rep0_long[LZMA_STATES][LZMA_POS_STATES_MAX];
    uint16_t pos_slot[4][64];
    uint16_t pos_special[115];      /* distances 4..127, reverse trees */
    uint16_t align[16];
    struct lzma_len_probs len, rep_len;
    uint16_t literal[LZMA_LIT_PROBS_MAX];
    unsigned int lc, lp, pb, state;
    uint32_t rep[4];
};

struct pvb_unzip_work {
    uint32_t crc32[256];
    uint64_t crc64[256];
    union {
        struct inflate_work inf;
        struct lzma_work lz;
    } u;
};

/* Why a stream was refused: 'why' gets "<fmt>: <reason>". */
struct unzip_ctx {
    char *why;
    size_t whylen;
    struct pvb_unzip_work *w;
};

int PVB_PRINTF(3, 4) pvb_unzip_fail(struct unzip_ctx *c, int rc, const char *fmt, ...);

void pvb_crc_init(struct pvb_unzip_work *w);
uint32_t pvb_crc32(const struct pvb_unzip_work *w, uint32_t crc,
                      const uint8_t *p, size_t n);
uint64_t pvb_crc64(const struct pvb_unzip_work *w, uint64_t crc,
                      const uint8_t *p, size_t n);

/*
 * Decode one LZMA2 stream from in[0, inlen) into out[start, outmax)
 * (out[0, start) is earlier output no match may reach: each xz block
 * starts a new dictionary).  *inused and *outend say where it stopped.
 */
int pvb_lzma2_decode(struct unzip_ctx *c, const uint8_t *in, size_t inlen,
                 size_t *inused, uint8_t *out, size_t start, size_t outmax,
                 size_t *outend);

#endif /* PVBOOT_UNZIP_PRIV_H */
