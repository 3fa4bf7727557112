/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/sr-restore.c - a saved PV domain (sr-stream.h) into
 * a new, empty domain, as libxc's restore does for x86 PV: each page is
 * populated at its pfn and its bytes copied in, page tables localised
 * (pfn -> the new mfn; a pfn not seen yet is populated on the spot); at
 * the stream's END the guest's p2m frames get the new mfns, start_info
 * and shared_info are fixed up (sr-fixup.c), the pinned tables are pinned
 * (lowest level first, so each table validates what it references once),
 * and the vCPUs get their contexts back, localised.
 *
 * A live stream sends a page again each time the guest dirtied it, maybe
 * with another type; the last copy wins, so what is pinned is kept per
 * pfn (its type as last sent) and decided only at END.
 *
 * The caller checked the whole stream first (sr_stream_walk with no
 * callbacks), created the domain with its vCPUs and memory limit, and
 * destroys it if this fails; the domain is left paused.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <public/arch-x86/xen.h>
#include "libmica-priv.h"
#include "sr-stream.h"

#define P2M_PER_PAGE    (MICA_PAGE_SIZE / 8)
#define P2M_INVALID     (~0ull)
#define MAX_VCPUS       64

struct restore {
    struct mica *m;
    uint32_t domid;
    struct mica_restore *r;
    uint64_t nr_pfns;               /* p2m entries: max_pfn + 1 */
    uint64_t *p2m;                  /* pfn -> new mfn */
    uint64_t *frame_pfns;           /* the pfns holding the guest's p2m */
    uint32_t nr_frames;
    uint8_t *types;                 /* pfn -> its type as last sent */
    uint8_t shinfo[MICA_PAGE_SIZE];
    struct vcpu_guest_context *ctx[MAX_VCPUS];
    uint8_t *xsave[MAX_VCPUS];      /* X86_PV_VCPU_XSAVE bodies, header off */
    size_t xsave_len[MAX_VCPUS];
    char why[SR_WHY_LEN];
};

static int populate(struct restore *s, const uint64_t *pfns, size_t n)
{
    uint64_t *mfns = malloc(n * 8);
    int rc = mfns ? mica_populate_physmap(s->m, s->domid, pfns, mfns, n) : -ENOMEM;

    for (size_t i = 0; !rc && i < n; i++)
        s->p2m[pfns[i]] = mfns[i];
    free(mfns);
    return rc;
}

/* The localising lookup: a pfn the stream has not filled yet is populated. */
static int pfn_to_mfn(void *ctx, uint64_t pfn, uint64_t *mfn)
{
    struct restore *s = ctx;

    if (pfn >= s->nr_pfns)
        return -ERANGE;
    if (s->p2m[pfn] == P2M_INVALID && populate(s, &pfn, 1))
        return -ERANGE;
    *mfn = s->p2m[pfn];
    return 0;
}

/* ---- records -------------------------------------------------------------- */

static int on_p2m_frames(struct restore *s, const struct sr_rec *rec)
{
    struct sr_p2m_frames f;
    int rc;

    if ((rc = sr_p2m_frames_parse(rec, &f, s->why, sizeof(s->why))))
        return rc;
    if (s->p2m)
        return f.end_pfn + 1 == s->nr_pfns ? 0 : -EOPNOTSUPP;   /* no growth */
    s->nr_pfns = (uint64_t)f.end_pfn + 1;
    if (!(s->p2m = malloc(s->nr_pfns * 8)) || !(s->frame_pfns = malloc(f.count * 8)) ||
        !(s->types = calloc(1, s->nr_pfns)))
        return -ENOMEM;
    memset(s->p2m, 0xff, s->nr_pfns * 8);
    memcpy(s->frame_pfns, f.frames, f.count * 8);
    s->nr_frames = f.count;
    return 0;
}

/* Pages that are new to the domain, populated in one call. */
static int populate_batch(struct restore *s, const struct sr_page_batch *b)
{
    uint64_t pfns[SR_BATCH_MAX];
    size_t n = 0;

    for (uint32_t i = 0; i < b->count; i++) {
        uint64_t pfn = b->words[i] & SR_PFN_MASK;
        unsigned int type = (unsigned int)(b->words[i] >> SR_PFN_TYPE_SHIFT);

        if ((sr_type_has_data(type) || type == SR_PT_XALLOC) && s->p2m[pfn] == P2M_INVALID)
            pfns[n++] = pfn;
    }
    return n ? populate(s, pfns, n) : 0;
}

static int on_page_data(struct restore *s, const struct sr_rec *rec)
{
    struct sr_page_batch b;
    uint64_t mfns[SR_BATCH_MAX];
    uint8_t *map;
    uint32_t k = 0;
    int rc;

    if ((rc = sr_page_data_parse(rec, s->nr_pfns - 1, &b, s->why, sizeof(s->why))) ||
        (rc = populate_batch(s, &b)))
        return rc;
    for (uint32_t i = 0; i < b.count; i++)
        if (sr_type_has_data((unsigned int)(b.words[i] >> SR_PFN_TYPE_SHIFT)))
            mfns[k++] = s->p2m[b.words[i] & SR_PFN_MASK];
    if (!k)
        return 0;
    if (!(map = mica_map_foreign(s->m, s->domid, PROT_READ | PROT_WRITE, mfns, NULL, k)))
        return -EFAULT;
    k = 0;
    for (uint32_t i = 0; i < b.count && !rc; i++) {
        unsigned int type = (unsigned int)(b.words[i] >> SR_PFN_TYPE_SHIFT), level;
        uint8_t *pg = map + (size_t)k * MICA_PAGE_SIZE;

        if (!sr_type_has_data(type))
            continue;
        memcpy(pg, b.data + (size_t)k * MICA_PAGE_SIZE, MICA_PAGE_SIZE);
        level = type & ~SR_PT_LPINTAB;
        if (level)
            rc = sr_pt_rewrite((uint64_t *)pg, level, false, pfn_to_mfn, s, s->why,
                               sizeof(s->why));
        s->types[b.words[i] & SR_PFN_MASK] = (uint8_t)type;
        k++;
    }
    mica_unmap(map, k ? k : 1);
    s->r->pages += b.nr_data;
    return rc;
}

static int on_vcpu(struct restore *s, const struct sr_rec *rec)
{
    struct sr_vcpu_hdr vh;

    memcpy(&vh, rec->body, sizeof(vh));
    if (rec->type == SR_REC_X86_PV_VCPU_XSAVE) {
        size_t len = rec->length - sizeof(vh);

        if (!len)
            return 0;               /* tolerated, as libxc does (4.6-4.8) */
        free(s->xsave[vh.vcpu_id]);
        if (!(s->xsave[vh.vcpu_id] = malloc(len)))
            return -ENOMEM;
        memcpy(s->xsave[vh.vcpu_id], rec->body + sizeof(vh), len);
        s->xsave_len[vh.vcpu_id] = len;
        return 0;
    }
    if (!(s->ctx[vh.vcpu_id] = malloc(sizeof(struct vcpu_guest_context))))
        return -ENOMEM;
    memcpy(s->ctx[vh.vcpu_id], rec->body + sizeof(vh), sizeof(struct vcpu_guest_context));
    return 0;
}

/* ---- END: the state that names frames ------------------------------------- */

/* The guest's own p2m pages now hold the new mfns. */
static int write_p2m(struct restore *s)
{
    uint64_t mfns[1];

    for (uint32_t i = 0; i < s->nr_frames; i++) {
        uint64_t *pg, base = (uint64_t)i * P2M_PER_PAGE;

        if (pfn_to_mfn(s, s->frame_pfns[i], &mfns[0]))
            return -ERANGE;
        if (!(pg = mica_map_foreign(s->m, s->domid, PROT_READ | PROT_WRITE, mfns, NULL, 1)))
            return -EFAULT;
        for (uint64_t j = 0; j < P2M_PER_PAGE; j++)
            pg[j] = base + j < s->nr_pfns ? s->p2m[base + j] : P2M_INVALID;
        mica_unmap(pg, 1);
    }
    return 0;
}

/* Map one frame of the domain read-write, fix it with 'fn', unmap. */
static int fix_frame(struct restore *s, uint64_t mfn, int (*fn)(struct restore *, void *))
{
    void *pg = mica_map_foreign(s->m, s->domid, PROT_READ | PROT_WRITE, &mfn, NULL, 1);
    int rc;

    if (!pg)
        return -EFAULT;
    rc = fn(s, pg);
    mica_unmap(pg, 1);
    return rc;
}

static int fix_shared_info(struct restore *s, void *pg)
{
    sr_shared_info_fixup(pg, s->shinfo);
    return 0;
}

static int fix_start_info(struct restore *s, void *pg)
{
    struct xen_domctl_getdomaininfo info;
    struct sr_start_fix f = { .nr_pages = s->nr_pfns };
    struct start_info *si = pg;
    int rc;

    if ((rc = mica_domain_getinfo(s->m, s->domid, &info)) ||
        (rc = mica_evtchn_alloc_unbound(s->m, s->domid, s->r->store_domid,
                                        &s->r->store_port)) ||
        (rc = mica_evtchn_alloc_unbound(s->m, s->domid, s->r->console_domid,
                                        &s->r->console_port)))
        return rc;
    f.shared_info_mfn = info.shared_info_frame;
    f.store_evtchn = s->r->store_port;
    f.console_evtchn = s->r->console_port;
    if ((rc = sr_start_info_fixup(si, &f, pfn_to_mfn, s, s->why, sizeof(s->why))))
        return rc;
    s->r->store_mfn = si->store_mfn;
    s->r->console_mfn = si->console.domU.mfn;
    return 0;
}

static int pin_tables(struct restore *s)
{
    static const unsigned int op[] = { 0, MMUEXT_PIN_L1_TABLE, MMUEXT_PIN_L2_TABLE,
                                       MMUEXT_PIN_L3_TABLE, MMUEXT_PIN_L4_TABLE };
    int rc;

    for (unsigned int level = 1; level <= 4; level++)
        for (uint64_t pfn = 0; pfn < s->nr_pfns; pfn++)
            if (s->types[pfn] == (SR_PT_LPINTAB | level) &&
                (rc = mica_mmuext(s->m, s->domid, op[level], s->p2m[pfn])))
                return rc;
    return 0;
}

static int set_vcpus(struct restore *s)
{
    int rc;

    for (unsigned int v = 0; v < MAX_VCPUS; v++) {
        struct vcpu_guest_context *c = s->ctx[v];

        if (!c)
            continue;
        if ((rc = sr_vcpu_rewrite(c, v, false, pfn_to_mfn, s, s->why, sizeof(s->why))))
            return rc;
        c->flags |= VGCF_online;
        if ((rc = mica_vcpu_setcontext(s->m, s->domid, v, c)))
            return rc;
        /* After the context: its FXSAVE image is the legacy part only. */
        if (s->xsave[v] && (rc = mica_vcpu_extstate(s->m, s->domid, v, true, s->xsave[v],
                                                     &s->xsave_len[v])))
            return rc;
    }
    return 0;
}

static int on_end(struct restore *s)
{
    struct vcpu_guest_context *c0 = s->ctx[0];
    uint64_t si_mfn;
    int rc;

    if ((rc = pfn_to_mfn(s, c0->user_regs.rdx, &si_mfn)))
        return rc;
    if ((rc = write_p2m(s)) || (rc = fix_frame(s, si_mfn, fix_start_info)))
        return rc;
    {
        struct xen_domctl_getdomaininfo info;

        if ((rc = mica_domain_getinfo(s->m, s->domid, &info)) ||
            (rc = fix_frame(s, info.shared_info_frame, fix_shared_info)))
            return rc;
    }
    if ((rc = pin_tables(s)))
        return rc;
    return set_vcpus(s);
}

static int on_record(void *ctx, const struct sr_rec *rec)
{
    struct restore *s = ctx;
    struct sr_tsc_info tsc;
    struct xen_domctl_tsc_info t = { 0 };

    switch (rec->type) {
    case SR_REC_X86_PV_P2M_FRAMES:
        return on_p2m_frames(s, rec);
    case SR_REC_PAGE_DATA:
        return on_page_data(s, rec);
    case SR_REC_SHARED_INFO:
        memcpy(s->shinfo, rec->body, sizeof(s->shinfo));
        return 0;
    case SR_REC_X86_TSC_INFO:
        memcpy(&tsc, rec->body, sizeof(tsc));
        t.tsc_mode = tsc.mode;
        t.gtsc_khz = tsc.khz;
        t.incarnation = tsc.incarnation + 1;
        t.elapsed_nsec = tsc.nsec;
        return mica_tscinfo_set(s->m, s->domid, &t);
    case SR_REC_X86_PV_VCPU_BASIC:
    case SR_REC_X86_PV_VCPU_XSAVE:
        return on_vcpu(s, rec);
    case SR_REC_END:
        return on_end(s);
    default:
        return 0;                   /* checked by the walk; nothing to apply */
    }
}

int mica_domain_restore(struct mica *m, uint32_t domid, struct sr_in *in,
                        struct mica_restore *r)
{
    struct restore *s = calloc(1, sizeof(*s));
    struct sr_ops ops = { .record = on_record, .ctx = s };
    struct sr_summary sum;
    int rc;

    if (!s)
        return mica_fail(m, -ENOMEM, "restore %u", domid);
    s->m = m;
    s->domid = domid;
    s->r = r;
    r->pages = 0;
    rc = sr_stream_walk(in, &ops, &sum);
    sr_summary_free(&sum);
    if (rc)
        mica_fail(m, rc, "restore %u: %s", domid, s->why[0] ? s->why :
                  in->why[0] ? in->why : "failed");
    for (unsigned int v = 0; v < MAX_VCPUS; v++) {
        free(s->ctx[v]);
        free(s->xsave[v]);
    }
    free(s->p2m);
    free(s->frame_pfns);
    free(s->types);
    free(s);
    return rc;
}
