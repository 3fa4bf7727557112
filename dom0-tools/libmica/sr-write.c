/* SPDX-License-Identifier: MIT */
/*
 * sr-write.c - writing the save/restore stream's framing: the xl header
 * with the config, the libxl and libxc headers, and records padded to 8
 * bytes (the layouts are described in sr-stream.h).  Pure: bytes go to
 * the caller's sink, which is a file for save and a pipe for migrate.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "sr-stream.h"

const char sr_xl_magic[SR_XL_MAGIC_LEN] = "Xen saved domain, xl format\n \0 \r";

static const uint8_t zeros[8];

static int put(struct sr_out *out, const void *buf, size_t n)
{
    int rc;

    if (!n)
        return 0;
    rc = out->write(out->ctx, buf, n);
    if (rc < 0) {
        snprintf(out->why, sizeof(out->why), "write at byte %llu: %s",
                 (unsigned long long)out->offset, strerror(-rc));
        return rc;
    }
    out->offset += n;
    return 0;
}

/*
 * The xl header is in native byte order (xl checks the byteorder word to
 * refuse a foreign file); the optional data is the config's length with
 * its NUL, then the config.
 */
int sr_write_xl_header(struct sr_out *out, const char *config, size_t len)
{
    uint8_t h[SR_XL_HEADER_LEN];
    uint32_t w[4], clen = (uint32_t)len + 1;
    int rc;

    if (len >= SR_XL_CONFIG_MAX) {
        snprintf(out->why, sizeof(out->why), "config of %zu bytes is too large", len);
        return -EFBIG;
    }
    memcpy(h, sr_xl_magic, SR_XL_MAGIC_LEN);
    w[0] = SR_XL_BYTEORDER;
    w[1] = SR_XL_MANDATORY;
    w[2] = 0;
    w[3] = (uint32_t)sizeof(clen) + clen;
    memcpy(h + SR_XL_MAGIC_LEN, w, sizeof(w));
    if ((rc = put(out, h, sizeof(h))) || (rc = put(out, &clen, sizeof(clen))) ||
        (rc = put(out, config, len)) || (rc = put(out, zeros, 1)))
        return rc;
    return 0;
}

int sr_write_libxl_header(struct sr_out *out)
{
    uint64_t ident = htobe64(SR_LIBXL_IDENT);
    uint32_t w[2] = { htobe32(SR_LIBXL_VERSION), 0 };
    int rc;

    if ((rc = put(out, &ident, sizeof(ident))))
        return rc;
    return put(out, w, sizeof(w));
}

/* libxl's records (END, LIBXC_CONTEXT) have empty bodies. */
int sr_write_libxl_record(struct sr_out *out, uint32_t type)
{
    return sr_write_record(out, type, NULL, 0, NULL, 0);
}

int sr_write_image_header(struct sr_out *out)
{
    uint8_t h[SR_IMAGE_HEADER_LEN] = { 0 };
    uint64_t marker = htobe64(SR_IMAGE_MARKER);
    uint32_t id = htobe32(SR_IMAGE_ID), version = htobe32(SR_IMAGE_VERSION);

    /* options (u16 at 16) stay 0: a little-endian stream. */
    memcpy(h, &marker, 8);
    memcpy(h + 8, &id, 4);
    memcpy(h + 12, &version, 4);
    return put(out, h, sizeof(h));
}

int sr_write_domain_header(struct sr_out *out, uint32_t xen_major, uint32_t xen_minor)
{
    uint32_t type = SR_DHDR_TYPE_X86_PV;
    uint16_t page_shift = 12, reserved = 0;
    uint8_t h[SR_DOMAIN_HEADER_LEN];

    memcpy(h, &type, 4);
    memcpy(h + 4, &page_shift, 2);
    memcpy(h + 6, &reserved, 2);
    memcpy(h + 8, &xen_major, 4);
    memcpy(h + 12, &xen_minor, 4);
    return put(out, h, sizeof(h));
}

int sr_write_record(struct sr_out *out, uint32_t type, const void *head,
                    uint32_t head_len, const void *tail, uint32_t tail_len)
{
    uint64_t len = (uint64_t)head_len + tail_len;
    uint32_t h[2] = { type, (uint32_t)len };
    int rc;

    if (len > SR_REC_MAX_BODY) {
        snprintf(out->why, sizeof(out->why), "record 0x%x of %llu bytes is too large",
                 type, (unsigned long long)len);
        return -EFBIG;
    }
    if ((rc = put(out, h, sizeof(h))) || (rc = put(out, head, head_len)) ||
        (rc = put(out, tail, tail_len)))
        return rc;
    return put(out, zeros, (8 - (len & 7)) & 7);
}

int sr_write_page_data(struct sr_out *out, const uint64_t *pfn_words, uint32_t n,
                       const void *pages)
{
    uint32_t count[2] = { n, 0 }, nr_data = 0;
    uint64_t len;
    uint32_t h[2];
    int rc;

    if (!n || n > SR_BATCH_MAX) {
        snprintf(out->why, sizeof(out->why), "a page batch of %u pfns", n);
        return -EINVAL;
    }
    for (uint32_t i = 0; i < n; i++)
        nr_data += sr_type_has_data((unsigned int)(pfn_words[i] >> SR_PFN_TYPE_SHIFT));
    len = sizeof(count) + (uint64_t)n * 8 + (uint64_t)nr_data * SR_PAGE_SIZE;
    h[0] = SR_REC_PAGE_DATA;
    h[1] = (uint32_t)len;
    /* The body is a multiple of 8 already: no padding. */
    if ((rc = put(out, h, sizeof(h))) || (rc = put(out, count, sizeof(count))) ||
        (rc = put(out, pfn_words, (size_t)n * 8)))
        return rc;
    return put(out, pages, (size_t)nr_data * SR_PAGE_SIZE);
}
