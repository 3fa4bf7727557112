/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/sr-stream/sr-stream-fuzz.c - libFuzzer target for the save
 * stream's reader: any bytes as a save file, walked whole (xl header,
 * libxl and libxc streams, each record's layout and order) with a
 * callback that takes every PAGE_DATA and P2M_FRAMES record apart again,
 * as restore does.  A walk that passes must have delivered an END and
 * vCPU 0; one that fails must say why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "sr-stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
    uint64_t max_pfn;
    volatile uint8_t sum;
    int end;
};

static int on_record(void *ctx, const struct sr_rec *r)
{
    struct seen *s = ctx;
    struct sr_page_batch b;
    struct sr_p2m_frames f;
    char why[SR_WHY_LEN];

    if (r->type == SR_REC_X86_PV_P2M_FRAMES) {
        if (sr_p2m_frames_parse(r, &f, why, sizeof(why)))
            abort();                /* the walk checked it already */
        s->max_pfn = f.end_pfn;
    } else if (r->type == SR_REC_PAGE_DATA) {
        if (sr_page_data_parse(r, s->max_pfn, &b, why, sizeof(why)))
            abort();
        /* Touch every byte restore would copy. */
        for (size_t i = 0; i < (size_t)b.nr_data * SR_PAGE_SIZE; i++)
            s->sum += b.data[i];
    } else if (r->type == SR_REC_END) {
        s->end = 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sr_membuf mb = { .data = data, .len = size };
    struct sr_in in = { .read = sr_mem_read, .ctx = &mb };
    struct seen seen = { 0 };
    struct sr_ops ops = { .record = on_record, .ctx = &seen };
    struct sr_summary s;
    int rc = sr_stream_walk(&in, &ops, &s);

    if (rc == 0 && (!seen.end || !(s.vcpu_mask & 1) || !s.xl.config))
        abort();
    if (rc != 0 && !in.why[0])
        abort();
    sr_summary_free(&s);
    return 0;
}
