/* SPDX-License-Identifier: MIT */
/*
 * sr-walk.c - walking a whole save stream in order: the xl header, the
 * libxl stream and the libxc stream inside it, each record checked for
 * its layout and its place.  Restore walks a file twice: once with no
 * callbacks, so that a truncated or corrupt file is refused before any
 * domain exists, then again to apply it.  The order enforced is the one
 * restore relies on: PV_INFO first, the p2m's size (P2M_FRAMES) before
 * any page, and at END a shared_info page and vCPU 0's context.
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <public/arch-x86/xen.h>
#include "sr-stream.h"

#define SR_MAX_VCPUS    64              /* what vcpu_mask can say */

struct walk {
    struct sr_in *in;
    const struct sr_ops *ops;
    struct sr_summary *s;
    bool pv_info, static_end, p2m;
    uint8_t *buf;
    size_t cap;
};

static int read_libxl_header(struct sr_in *in)
{
    uint8_t h[SR_LIBXL_HEADER_LEN];
    uint64_t ident;
    uint32_t version, options;
    int rc;

    if ((rc = sr_read_bytes(in, h, sizeof(h))))
        return rc;
    memcpy(&ident, h, 8);
    memcpy(&version, h + 8, 4);
    memcpy(&options, h + 12, 4);
    if (be64toh(ident) != SR_LIBXL_IDENT)
        return sr_refuse(in, -EINVAL, "not a libxl stream");
    if (be32toh(version) != SR_LIBXL_VERSION)
        return sr_refuse(in, -EOPNOTSUPP, "libxl stream version %u", be32toh(version));
    if (be32toh(options))
        return sr_refuse(in, -EOPNOTSUPP, "libxl stream options 0x%x (big-endian or "
                         "legacy)", be32toh(options));
    return 0;
}

static int read_libxc_headers(struct walk *w)
{
    uint8_t h[SR_IMAGE_HEADER_LEN + SR_DOMAIN_HEADER_LEN];
    uint64_t marker;
    uint32_t id, version, type;
    uint16_t options, page_shift;
    int rc;

    if ((rc = sr_read_bytes(w->in, h, sizeof(h))))
        return rc;
    memcpy(&marker, h, 8);
    memcpy(&id, h + 8, 4);
    memcpy(&version, h + 12, 4);
    memcpy(&options, h + 16, 2);
    if (be64toh(marker) != SR_IMAGE_MARKER || be32toh(id) != SR_IMAGE_ID)
        return sr_refuse(w->in, -EINVAL, "not a libxc image header");
    if (be32toh(version) < 2 || be32toh(version) > SR_IMAGE_VERSION || be16toh(options))
        return sr_refuse(w->in, -EOPNOTSUPP, "libxc stream version %u, options 0x%x",
                         be32toh(version), be16toh(options));
    /* A v2 stream has no STATIC_DATA_END: it is implied. */
    w->static_end = be32toh(version) == 2;
    memcpy(&type, h + 24, 4);
    memcpy(&page_shift, h + 28, 2);
    memcpy(&w->s->xen_major, h + 32, 4);
    memcpy(&w->s->xen_minor, h + 36, 4);
    if (type != SR_DHDR_TYPE_X86_PV || page_shift != 12)
        return sr_refuse(w->in, -EOPNOTSUPP, "domain type %u, page shift %u: "
                         "only x86 PV with 4 KiB pages", type, page_shift);
    return 0;
}

/* A vCPU record's header: an id the domain can have, not seen twice. */
static int check_vcpu(struct walk *w, const struct sr_rec *r, uint32_t min_body)
{
    struct sr_vcpu_hdr vh;

    if (r->length < sizeof(vh) + min_body)
        return sr_refuse(w->in, -EINVAL, "vCPU record 0x%x of %u bytes", r->type,
                         r->length);
    memcpy(&vh, r->body, sizeof(vh));
    if (vh.vcpu_id >= SR_MAX_VCPUS)
        return sr_refuse(w->in, -EINVAL, "vCPU %u in record 0x%x", vh.vcpu_id, r->type);
    if (r->type != SR_REC_X86_PV_VCPU_BASIC)
        return (w->s->vcpu_mask >> vh.vcpu_id) & 1 ? 0 :
               sr_refuse(w->in, -EINVAL, "record 0x%x for vCPU %u before its context",
                         r->type, vh.vcpu_id);
    if (r->length != sizeof(vh) + sizeof(struct vcpu_guest_context))
        return sr_refuse(w->in, -EINVAL, "vCPU context of %u bytes", r->length);
    if ((w->s->vcpu_mask >> vh.vcpu_id) & 1)
        return sr_refuse(w->in, -EINVAL, "vCPU %u's context twice", vh.vcpu_id);
    w->s->vcpu_mask |= 1ull << vh.vcpu_id;
    w->s->vcpus++;
    return 0;
}

static int check_pages(struct walk *w, const struct sr_rec *r)
{
    struct sr_page_batch b;
    struct sr_p2m_frames f;
    int rc;

    if (r->type == SR_REC_X86_PV_P2M_FRAMES) {
        if ((rc = sr_p2m_frames_parse(r, &f, w->in->why, sizeof(w->in->why))))
            return rc;
        /* Live rounds may grow the p2m, never shrink it. */
        if (w->p2m && f.end_pfn < w->s->max_pfn)
            return sr_refuse(w->in, -EINVAL, "the p2m shrank to 0x%x", f.end_pfn);
        w->s->max_pfn = f.end_pfn;
        w->p2m = true;
        return 0;
    }
    if (!w->p2m)
        return sr_refuse(w->in, -EINVAL, "PAGE_DATA before P2M_FRAMES");
    if ((rc = sr_page_data_parse(r, w->s->max_pfn, &b, w->in->why, sizeof(w->in->why))))
        return rc;
    w->s->pages += b.nr_data;
    w->s->page_records++;
    return 0;
}

/* Is the record right for its type and its place?  0 or -errno. */
static int check_record(struct walk *w, const struct sr_rec *r)
{
    if (!w->pv_info && r->type != SR_REC_X86_PV_INFO)
        return sr_refuse(w->in, -EINVAL, "record 0x%x before X86_PV_INFO", r->type);
    switch (r->type) {
    case SR_REC_X86_PV_INFO: {
        struct sr_pv_info pi;

        if (w->pv_info || r->length != sizeof(pi))
            return sr_refuse(w->in, -EINVAL, "X86_PV_INFO of %u bytes or twice", r->length);
        memcpy(&pi, r->body, sizeof(pi));
        if (pi.guest_width != 8 || pi.pt_levels != 4)
            return sr_refuse(w->in, -EOPNOTSUPP, "guest width %u, %u levels: only 64-bit",
                             pi.guest_width, pi.pt_levels);
        w->pv_info = true;
        return 0;
    }
    case SR_REC_X86_CPUID_POLICY:
    case SR_REC_X86_MSR_POLICY:
        /* Accepted and not applied: Mica has one CPU policy for PV guests. */
        return w->static_end ? sr_refuse(w->in, -EINVAL, "CPU policy after static data") : 0;
    case SR_REC_STATIC_DATA_END:
        if (r->length || w->static_end)
            return sr_refuse(w->in, -EINVAL, "STATIC_DATA_END of %u bytes or twice",
                             r->length);
        w->static_end = true;
        return 0;
    case SR_REC_X86_PV_P2M_FRAMES:
    case SR_REC_PAGE_DATA:
        if (!w->static_end)
            return sr_refuse(w->in, -EINVAL, "memory before STATIC_DATA_END");
        return check_pages(w, r);
    case SR_REC_X86_TSC_INFO:
        w->s->has_tsc = true;
        return r->length == sizeof(struct sr_tsc_info) ? 0 :
               sr_refuse(w->in, -EINVAL, "X86_TSC_INFO of %u bytes", r->length);
    case SR_REC_SHARED_INFO:
        w->s->has_shared_info = true;
        return r->length == SR_PAGE_SIZE ? 0 :
               sr_refuse(w->in, -EINVAL, "SHARED_INFO of %u bytes", r->length);
    case SR_REC_X86_PV_VCPU_BASIC:
        return check_vcpu(w, r, 0);
    case SR_REC_X86_PV_VCPU_EXTENDED:
    case SR_REC_X86_PV_VCPU_XSAVE:
    case SR_REC_X86_PV_VCPU_MSRS:
        return check_vcpu(w, r, 0);
    default:
        return sr_refuse(w->in, -EOPNOTSUPP, "unknown mandatory record type 0x%x", r->type);
    }
}

/* The libxc stream, header to END. */
static int walk_libxc(struct walk *w)
{
    struct sr_rec r;
    int rc;

    if ((rc = read_libxc_headers(w)))
        return rc;
    for (;;) {
        if ((rc = sr_read_record(w->in, &r, &w->buf, &w->cap)))
            return rc;
        if (r.type & SR_REC_OPTIONAL)
            continue;
        if (r.type == SR_REC_END)
            break;
        if ((rc = check_record(w, &r)))
            return rc;
        if (w->ops && (rc = w->ops->record(w->ops->ctx, &r)))
            return rc;
    }
    if (r.length)
        return sr_refuse(w->in, -EINVAL, "END record of %u bytes", r.length);
    if (!w->p2m || !w->s->has_shared_info || !(w->s->vcpu_mask & 1))
        return sr_refuse(w->in, -EINVAL, "the stream ends without %s",
                         !w->p2m ? "its p2m" : !w->s->has_shared_info ? "shared_info" :
                         "vCPU 0's context");
    return w->ops ? w->ops->record(w->ops->ctx, &r) : 0;
}

int sr_stream_walk(struct sr_in *in, const struct sr_ops *ops, struct sr_summary *s)
{
    struct walk w = { .in = in, .ops = ops, .s = s };
    bool libxc = false;
    struct sr_rec r;
    int rc;

    memset(s, 0, sizeof(*s));
    if ((rc = sr_read_xl_header(in, &s->xl)) || (rc = read_libxl_header(in)))
        goto out;
    for (;;) {
        if ((rc = sr_read_record(in, &r, &w.buf, &w.cap)))
            goto out;
        if (r.type & SR_REC_OPTIONAL)
            continue;
        if (r.length) {
            rc = sr_refuse(in, -EINVAL, "libxl record 0x%x of %u bytes", r.type, r.length);
            goto out;
        }
        if (r.type == SR_LIBXL_END)
            break;
        if (r.type != SR_LIBXL_LIBXC_CONTEXT || libxc) {
            rc = sr_refuse(in, -EOPNOTSUPP, "libxl record type 0x%x", r.type);
            goto out;
        }
        libxc = true;
        if ((rc = walk_libxc(&w)))
            goto out;
    }
    if (!libxc)
        rc = sr_refuse(in, -EINVAL, "the stream holds no domain");
out:
    free(w.buf);
    return rc;
}

void sr_summary_free(struct sr_summary *s)
{
    free(s->xl.config);
    s->xl.config = NULL;
}
