/* SPDX-License-Identifier: MIT */
/*
 * sr-read.c - reading and checking the save/restore stream (layouts in
 * sr-stream.h).  The bytes come from a file or a peer we do not trust, so
 * every length is checked against the most its record type can need
 * before anything is allocated, every record's body against its type's
 * layout, and the records' order against the one restore depends on;
 * the first fault stops the walk with a one-line reason.  The messages
 * for the xl header are xl's own.
 */
#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <public/arch-x86/xen.h>
#include "sr-stream.h"

#define SR_SMALL_MAX        (64u << 10)     /* vCPU, policy, MSR records */
#define SR_P2M_PER_FRAME    (SR_PAGE_SIZE / 8)

int sr_mem_read(void *ctx, void *buf, size_t n)
{
    struct sr_membuf *m = ctx;

    if (n > m->len - m->pos)
        return -ENODATA;
    memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    return 0;
}

int sr_read_bytes(struct sr_in *in, void *buf, size_t n)
{
    int rc = n ? in->read(in->ctx, buf, n) : 0;

    if (rc == -ENODATA) {
        snprintf(in->why, sizeof(in->why), "Savefile truncated.");
        return rc;
    }
    if (rc < 0) {
        snprintf(in->why, sizeof(in->why), "read at byte %llu: %s",
                 (unsigned long long)in->offset, strerror(-rc));
        return rc;
    }
    in->offset += n;
    return 0;
}

/* Read and drop n bytes (unknown optional data). */
static int skip(struct sr_in *in, uint64_t n)
{
    uint8_t chunk[512];
    int rc;

    while (n) {
        size_t k = n < sizeof(chunk) ? (size_t)n : sizeof(chunk);

        if ((rc = sr_read_bytes(in, chunk, k)))
            return rc;
        n -= k;
    }
    return 0;
}

/* A refusal: the reason with where in the stream it was found. */
int sr_refuse(struct sr_in *in, int rc, const char *fmt, ...)
{
    char msg[SR_WHY_LEN - 24];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    snprintf(in->why, sizeof(in->why), "%s (byte %llu)", msg,
             (unsigned long long)in->offset);
    return rc;
}

/* ---- the xl header ------------------------------------------------------ */

int sr_read_xl_header(struct sr_in *in, struct sr_xl_info *xl)
{
    uint8_t h[SR_XL_HEADER_LEN];
    uint32_t w[4], clen;
    int rc;

    memset(xl, 0, sizeof(*xl));
    if ((rc = sr_read_bytes(in, h, sizeof(h))))
        return rc;
    if (memcmp(h, sr_xl_magic, SR_XL_MAGIC_LEN)) {
        snprintf(in->why, sizeof(in->why),
                 "File has wrong magic number - corrupt or for a different tool?");
        return -EINVAL;
    }
    memcpy(w, h + SR_XL_MAGIC_LEN, sizeof(w));
    if (w[0] != SR_XL_BYTEORDER) {
        snprintf(in->why, sizeof(in->why), "File has wrong byte order");
        return -EINVAL;
    }
    xl->mandatory_flags = w[1];
    xl->optional_flags = w[2];
    xl->optional_data_len = w[3];
    if (w[1] & ~SR_XL_MANDATORY) {
        snprintf(in->why, sizeof(in->why), "Savefile has mandatory flag(s) 0x%x "
                 "which are not supported; need newer xl", w[1] & ~SR_XL_MANDATORY);
        return -EOPNOTSUPP;
    }
    if (!(w[1] & SR_XL_FLAG_STREAMV2) || !(w[1] & SR_XL_FLAG_JSON))
        return sr_refuse(in, -EOPNOTSUPP, "Savefile is a legacy stream (flags 0x%x), "
                   "which Mica does not read", w[1]);
    if (w[3] < sizeof(clen) || w[3] > SR_XL_CONFIG_MAX + sizeof(clen))
        return sr_refuse(in, -EINVAL, "Savefile's optional data of %u bytes holds no "
                   "config", w[3]);
    if ((rc = sr_read_bytes(in, &clen, sizeof(clen))))
        return rc;
    if (!clen || clen > w[3] - sizeof(clen))
        return sr_refuse(in, -EINVAL, "Savefile's config length %u is not within its "
                   "%u bytes of optional data", clen, w[3]);
    if (!(xl->config = malloc(clen)))
        return sr_refuse(in, -ENOMEM, "no memory for a config of %u bytes", clen);
    if ((rc = sr_read_bytes(in, xl->config, clen)) ||
        (rc = skip(in, w[3] - sizeof(clen) - clen)))
        goto fail;
    rc = -EINVAL;
    if (xl->config[clen - 1]) {
        sr_refuse(in, rc, "Savefile's config is not NUL-terminated");
        goto fail;
    }
    xl->config_len = strlen(xl->config);
    return 0;
fail:
    free(xl->config);
    xl->config = NULL;
    return rc;
}

/* ---- records ------------------------------------------------------------ */

/* The most a record of this type can need: anything longer is corrupt. */
static uint32_t max_body(uint32_t type)
{
    switch (type) {
    case SR_REC_PAGE_DATA:
        return 8 + SR_BATCH_MAX * (8 + SR_PAGE_SIZE);
    case SR_REC_X86_PV_P2M_FRAMES:
        return 8 + (uint32_t)(SR_MAX_PFN / SR_P2M_PER_FRAME) * 8;
    case SR_REC_SHARED_INFO:
        return SR_PAGE_SIZE;
    default:
        return SR_SMALL_MAX;
    }
}

int sr_read_record(struct sr_in *in, struct sr_rec *rec, uint8_t **buf, size_t *cap)
{
    uint32_t h[2];
    uint64_t padded;
    int rc;

    if ((rc = sr_read_bytes(in, h, sizeof(h))))
        return rc;
    rec->type = h[0];
    rec->length = h[1];
    padded = ((uint64_t)h[1] + 7) & ~7ull;
    if (h[0] & SR_REC_OPTIONAL) {
        /* Unknown optional records are skipped, whatever their size. */
        if (h[1] > SR_REC_MAX_BODY)
            return sr_refuse(in, -EINVAL, "record 0x%x of %u bytes", h[0], h[1]);
        rec->body = NULL;
        return skip(in, padded);
    }
    if (h[1] > max_body(h[0]))
        return sr_refuse(in, -EINVAL, "record 0x%x of %u bytes is too long", h[0], h[1]);
    if (padded > *cap) {
        uint8_t *p = realloc(*buf, padded);

        if (!p)
            return sr_refuse(in, -ENOMEM, "no memory for a record of %u bytes", h[1]);
        *buf = p;
        *cap = padded;
    }
    rec->body = *buf;
    return sr_read_bytes(in, *buf, padded);
}

bool sr_type_has_data(unsigned int type)
{
    return type <= SR_PT_L4TAB ||
           (type >= (SR_PT_LPINTAB | SR_PT_L1TAB) && type <= (SR_PT_LPINTAB | SR_PT_L4TAB));
}

bool sr_type_valid(unsigned int type)
{
    return sr_type_has_data(type) || type == SR_PT_BROKEN || type == SR_PT_XALLOC ||
           type == SR_PT_XTAB;
}

int sr_page_data_parse(const struct sr_rec *rec, uint64_t max_pfn,
                       struct sr_page_batch *b, char *why, size_t whylen)
{
    uint32_t count;
    uint64_t want;

    if (rec->length < 8) {
        snprintf(why, whylen, "PAGE_DATA record of %u bytes", rec->length);
        return -EINVAL;
    }
    memcpy(&count, rec->body, 4);
    if (!count || count > SR_BATCH_MAX || rec->length < 8 + (uint64_t)count * 8) {
        snprintf(why, whylen, "PAGE_DATA of %u pfns in %u bytes", count, rec->length);
        return -EINVAL;
    }
    b->count = count;
    b->words = (const uint64_t *)(rec->body + 8);
    b->nr_data = 0;
    for (uint32_t i = 0; i < count; i++) {
        uint64_t w = b->words[i], pfn = w & SR_PFN_MASK;
        unsigned int type = (unsigned int)(w >> SR_PFN_TYPE_SHIFT);

        if ((w & SR_PFN_RSVD_MASK) || !sr_type_valid(type) || pfn > max_pfn) {
            snprintf(why, whylen, "PAGE_DATA pfn word 0x%llx: bad type or pfn beyond "
                     "0x%llx", (unsigned long long)w, (unsigned long long)max_pfn);
            return -EINVAL;
        }
        b->nr_data += sr_type_has_data(type);
    }
    want = 8 + (uint64_t)count * 8 + (uint64_t)b->nr_data * SR_PAGE_SIZE;
    if (rec->length != want) {
        snprintf(why, whylen, "PAGE_DATA of %u bytes where its pfns need %llu",
                 rec->length, (unsigned long long)want);
        return -EINVAL;
    }
    b->data = rec->body + 8 + (size_t)count * 8;
    return 0;
}

int sr_p2m_frames_parse(const struct sr_rec *rec, struct sr_p2m_frames *f,
                        char *why, size_t whylen)
{
    uint32_t se[2];
    uint64_t need;

    if (rec->length < 8 || (rec->length & 7)) {
        snprintf(why, whylen, "P2M_FRAMES record of %u bytes", rec->length);
        return -EINVAL;
    }
    memcpy(se, rec->body, sizeof(se));
    f->start_pfn = se[0];
    f->end_pfn = se[1];
    f->count = (rec->length - 8) / 8;
    f->frames = (const uint64_t *)(rec->body + 8);
    need = (uint64_t)se[1] / SR_P2M_PER_FRAME + 1;
    if (se[0] || se[1] >= SR_MAX_PFN || f->count != need) {
        snprintf(why, whylen, "P2M_FRAMES for pfns %u-%u in %u frames", se[0], se[1],
                 f->count);
        return -EINVAL;
    }
    for (uint32_t i = 0; i < f->count; i++)
        if (f->frames[i] > se[1]) {
            snprintf(why, whylen, "P2M_FRAMES: frame pfn 0x%llx beyond the p2m",
                     (unsigned long long)f->frames[i]);
            return -EINVAL;
        }
    return 0;
}
