/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/sr-save.c - saving a suspended PV domain as a stream
 * (the format in sr-stream.h): non-live, as libxc saves for `xl save`.
 * The domain must have suspended itself (SCHEDOP_shutdown, reason
 * suspend) and stays so; the caller destroys or resumes it afterwards.
 *
 * The guest's p2m is found where Linux publishes it for toolstacks: the
 * three-level frame list under shared_info.arch.pfn_to_mfn_frame_list_list.
 * Machine frames are turned back into pfns through the inverse of that
 * p2m (sorted, searched), not through the hypervisor's M2P: a frame the
 * guest's own p2m does not name cannot be saved, which is the check libxc
 * makes too (p2m[m2p[mfn]] == mfn).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <public/arch-x86/xen.h>
#include <public/sched.h>
#include "libmica-priv.h"
#include "sr-stream.h"

#define P2M_PER_PAGE    (MICA_PAGE_SIZE / 8)
#define P2M_INVALID     (~0ull)
#define P2M_FLAG_BITS   (3ull << 62)    /* Linux's identity / foreign marks */

struct save {
    struct mica *m;
    uint32_t domid;
    struct sr_out *out;
    uint64_t nr_pfns;               /* p2m entries: arch.max_pfn */
    uint64_t *p2m;                  /* pfn -> mfn (P2M_INVALID: none) */
    uint64_t *p2m_frames;           /* the mfns holding the guest's p2m */
    uint64_t nr_p2m_frames;
    struct { uint64_t mfn, pfn; } *inv;     /* sorted by mfn */
    uint64_t nr_inv;
    uint8_t shinfo[MICA_PAGE_SIZE];
    struct mica_save_stats *st;
};

/* ---- the p2m ----------------------------------------------------------- */

/* Copy 'n' frames of the guest, read-only, into 'dst'. */
static int copy_frames(struct save *s, const uint64_t *mfns, size_t n, void *dst)
{
    void *p = mica_map_foreign(s->m, s->domid, PROT_READ, mfns, NULL, n);

    if (!p)
        return -EFAULT;
    memcpy(dst, p, n * MICA_PAGE_SIZE);
    mica_unmap(p, n);
    return 0;
}

static int cmp_mfn(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

static int mfn_to_pfn(void *ctx, uint64_t mfn, uint64_t *pfn)
{
    struct save *s = ctx;
    uint64_t lo = 0, hi = s->nr_inv;

    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;

        if (s->inv[mid].mfn == mfn) {
            *pfn = s->inv[mid].pfn;
            return 0;
        }
        if (s->inv[mid].mfn < mfn)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -ERANGE;
}

/* Read the frame-list tree down to the p2m itself, and invert it. */
static int read_p2m(struct save *s)
{
    const struct arch_shared_info *a = &((const struct shared_info *)s->shinfo)->arch;
    uint64_t fll[P2M_PER_PAGE], *fl = NULL, nr_fl;
    int rc = -ENOMEM;

    s->nr_pfns = a->max_pfn;
    if (!a->pfn_to_mfn_frame_list_list || !s->nr_pfns || s->nr_pfns > SR_MAX_PFN)
        return mica_fail(s->m, -EOPNOTSUPP, "domain %u publishes no p2m (frame list "
                         "%#llx, max_pfn %#llx)", s->domid,
                         (unsigned long long)a->pfn_to_mfn_frame_list_list,
                         (unsigned long long)s->nr_pfns);
    s->nr_p2m_frames = (s->nr_pfns + P2M_PER_PAGE - 1) / P2M_PER_PAGE;
    nr_fl = (s->nr_p2m_frames + P2M_PER_PAGE - 1) / P2M_PER_PAGE;
    if ((rc = copy_frames(s, &a->pfn_to_mfn_frame_list_list, 1, fll)))
        return rc;
    rc = -ENOMEM;
    if (!(fl = malloc(nr_fl * MICA_PAGE_SIZE)) ||
        !(s->p2m_frames = malloc(s->nr_p2m_frames * 8)) ||
        !(s->p2m = malloc(s->nr_p2m_frames * MICA_PAGE_SIZE)) ||
        !(s->inv = malloc(s->nr_pfns * sizeof(*s->inv))))
        goto out;
    if ((rc = copy_frames(s, fll, nr_fl, fl)))
        goto out;
    memcpy(s->p2m_frames, fl, s->nr_p2m_frames * 8);
    if ((rc = copy_frames(s, s->p2m_frames, s->nr_p2m_frames, s->p2m)))
        goto out;
    for (uint64_t pfn = 0; pfn < s->nr_pfns; pfn++) {
        if (s->p2m[pfn] & P2M_FLAG_BITS)
            s->p2m[pfn] = P2M_INVALID;      /* not RAM of its own */
        if (s->p2m[pfn] != P2M_INVALID) {
            s->inv[s->nr_inv].mfn = s->p2m[pfn];
            s->inv[s->nr_inv++].pfn = pfn;
        }
    }
    qsort(s->inv, s->nr_inv, sizeof(*s->inv), cmp_mfn);
    rc = 0;
out:
    free(fl);
    return rc ? mica_fail(s->m, rc, "domain %u: reading its p2m", s->domid) : 0;
}

/* ---- memory -------------------------------------------------------------- */

/*
 * One batch of pfns: their types, then the frames mapped and copied out,
 * page tables canonicalised.  The guest is stopped, so any frame it maps
 * that is not its own is fatal here (libxc's ERANGE).
 */
static int save_batch(struct save *s, uint64_t first, uint32_t n, uint64_t *words,
                      uint64_t *mfns, uint64_t *types, uint8_t *pages)
{
    uint32_t nr_map = 0, nr_data = 0;
    uint8_t *map = NULL;
    char why[SR_WHY_LEN];
    int rc = 0;

    for (uint32_t i = 0; i < n; i++)
        if (s->p2m[first + i] != P2M_INVALID)
            mfns[nr_map++] = s->p2m[first + i];
    memcpy(types, mfns, nr_map * sizeof(*types));
    if (nr_map && (rc = mica_pageframe_types(s->m, s->domid, types, nr_map)))
        return rc;
    if (nr_map && !(map = mica_map_foreign(s->m, s->domid, PROT_READ, mfns, NULL, nr_map)))
        return -EFAULT;
    for (uint32_t i = 0, k = 0; i < n && !rc; i++) {
        unsigned int type = SR_PT_XTAB, level;
        uint8_t *pg = pages + (size_t)nr_data * MICA_PAGE_SIZE;

        if (s->p2m[first + i] != P2M_INVALID)
            type = (unsigned int)(types[k] >> XEN_DOMCTL_PFINFO_LTAB_SHIFT);
        words[i] = (first + i) | (uint64_t)type << SR_PFN_TYPE_SHIFT;
        if (s->p2m[first + i] == P2M_INVALID)
            continue;
        if (sr_type_has_data(type)) {
            memcpy(pg, map + (size_t)k * MICA_PAGE_SIZE, MICA_PAGE_SIZE);
            level = type & ~SR_PT_LPINTAB;
            if (level && (rc = sr_pt_rewrite((uint64_t *)pg, level, true, mfn_to_pfn, s,
                                            why, sizeof(why))))
                mica_fail(s->m, rc, "pfn %#llx: %s", (unsigned long long)(first + i), why);
            nr_data++;
        }
        k++;
    }
    mica_unmap(map, nr_map);
    if (rc)
        return rc;
    s->st->pages += nr_data;
    return sr_write_page_data(s->out, words, n, pages);
}

static int save_memory(struct save *s)
{
    uint64_t *words = malloc(SR_BATCH_MAX * 8), *mfns = malloc(SR_BATCH_MAX * 8);
    uint64_t *types = malloc(SR_BATCH_MAX * 8);
    uint8_t *pages = malloc((size_t)SR_BATCH_MAX * MICA_PAGE_SIZE);
    uint32_t se[2] = { 0, (uint32_t)(s->nr_pfns - 1) };
    uint64_t *frame_pfns = NULL;
    int rc = -ENOMEM;

    if (!words || !mfns || !types || !pages ||
        !(frame_pfns = malloc(s->nr_p2m_frames * 8)))
        goto out;
    /* The p2m's own frames, as pfns: the restorer rewrites them. */
    for (uint64_t i = 0; i < s->nr_p2m_frames; i++)
        if ((rc = mfn_to_pfn(s, s->p2m_frames[i], &frame_pfns[i]))) {
            mica_fail(s->m, rc, "domain %u: p2m frame %#llx is not in its p2m", s->domid,
                      (unsigned long long)s->p2m_frames[i]);
            goto out;
        }
    if ((rc = sr_write_record(s->out, SR_REC_X86_PV_P2M_FRAMES, se, sizeof(se),
                              frame_pfns, (uint32_t)(s->nr_p2m_frames * 8))))
        goto out;
    for (uint64_t first = 0; first < s->nr_pfns && !rc; first += SR_BATCH_MAX) {
        uint32_t n = (uint32_t)(s->nr_pfns - first < SR_BATCH_MAX ? s->nr_pfns - first
                                                                   : SR_BATCH_MAX);

        rc = save_batch(s, first, n, words, mfns, types, pages);
    }
out:
    free(words);
    free(mfns);
    free(types);
    free(pages);
    free(frame_pfns);
    return rc;
}

/* ---- vCPUs, shared_info, TSC ---------------------------------------------- */

/* The vCPU's XSAVE state, when the host has XSAVE (libxc: xfeature_mask != 0). */
static int save_xsave(struct save *s, const struct sr_vcpu_hdr *vh)
{
    size_t len = 0;
    void *buf;
    int rc;

    if ((rc = mica_vcpu_extstate(s->m, s->domid, vh->vcpu_id, false, NULL, &len)) || !len)
        return rc;
    if (!(buf = malloc(len)))
        return -ENOMEM;
    rc = mica_vcpu_extstate(s->m, s->domid, vh->vcpu_id, false, buf, &len);
    if (!rc)
        rc = sr_write_record(s->out, SR_REC_X86_PV_VCPU_XSAVE, vh, sizeof(*vh), buf,
                             (uint32_t)len);
    free(buf);
    return rc;
}

static int save_vcpus(struct save *s, unsigned int max_vcpu_id)
{
    struct vcpu_guest_context *c = malloc(sizeof(*c));
    struct sr_vcpu_hdr vh = { 0 };
    struct mica_vcpuinfo vi;
    char why[SR_WHY_LEN];
    int rc = c ? 0 : -ENOMEM;

    for (unsigned int v = 0; v <= max_vcpu_id && !rc; v++) {
        /* Offline vCPUs are not saved: the guest starts them afresh. */
        if ((rc = mica_vcpu_getinfo(s->m, s->domid, v, &vi)) || !vi.online)
            continue;
        if ((rc = mica_vcpu_getcontext(s->m, s->domid, v, c)))
            break;
        if ((rc = sr_vcpu_rewrite(c, v, true, mfn_to_pfn, s, why, sizeof(why)))) {
            mica_fail(s->m, rc, "domain %u vCPU %u: %s", s->domid, v, why);
            break;
        }
        vh.vcpu_id = v;
        rc = sr_write_record(s->out, SR_REC_X86_PV_VCPU_BASIC, &vh, sizeof(vh), c,
                             sizeof(*c));
        if (!rc)
            rc = save_xsave(s, &vh);
    }
    free(c);
    return rc;
}

static int save_state(struct save *s, const struct xen_domctl_getdomaininfo *info)
{
    struct xen_domctl_tsc_info t;
    struct sr_tsc_info tsc = { 0 };
    int rc;

    if ((rc = mica_tscinfo_get(s->m, s->domid, &t)))
        return rc;
    tsc.mode = t.tsc_mode;
    tsc.khz = t.gtsc_khz;
    tsc.nsec = t.elapsed_nsec;
    tsc.incarnation = t.incarnation;
    if ((rc = sr_write_record(s->out, SR_REC_X86_TSC_INFO, &tsc, sizeof(tsc), NULL, 0)) ||
        (rc = sr_write_record(s->out, SR_REC_SHARED_INFO, s->shinfo, sizeof(s->shinfo),
                              NULL, 0)))
        return rc;
    return save_vcpus(s, info->max_vcpu_id);
}

static int save_stream(struct save *s, const struct xen_domctl_getdomaininfo *info,
                       const char *config)
{
    struct sr_pv_info pi = { .guest_width = 8, .pt_levels = 4 };
    struct sr_out *o = s->out;
    int rc;

    if ((rc = sr_write_xl_header(o, config, strlen(config))) ||
        (rc = sr_write_libxl_header(o)) ||
        (rc = sr_write_libxl_record(o, SR_LIBXL_LIBXC_CONTEXT)) ||
        (rc = sr_write_image_header(o)) ||
        (rc = sr_write_domain_header(o, 4, 17)) ||
        (rc = sr_write_record(o, SR_REC_X86_PV_INFO, &pi, sizeof(pi), NULL, 0)) ||
        (rc = sr_write_record(o, SR_REC_STATIC_DATA_END, NULL, 0, NULL, 0)))
        return rc;
    if ((rc = save_memory(s)) || (rc = save_state(s, info)))
        return rc;
    if ((rc = sr_write_record(o, SR_REC_END, NULL, 0, NULL, 0)))
        return rc;
    return sr_write_libxl_record(o, SR_LIBXL_END);
}

int mica_domain_save(struct mica *m, uint32_t domid, struct sr_out *out,
                     const char *config, struct mica_save_stats *st)
{
    struct xen_domctl_getdomaininfo info;
    struct save *s = calloc(1, sizeof(*s));
    uint64_t shinfo_mfn;
    int rc;

    if (!s)
        return mica_fail(m, -ENOMEM, "save %u", domid);
    *s = (struct save){ .m = m, .domid = domid, .out = out, .st = st };
    memset(st, 0, sizeof(*st));
    if ((rc = mica_domain_getinfo(m, domid, &info)))
        goto out;
    if (!(info.flags & XEN_DOMINF_shutdown) ||
        ((info.flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask) !=
        SHUTDOWN_suspend) {
        rc = mica_fail(m, -EINVAL, "domain %u has not suspended (flags %#x)", domid,
                       info.flags);
        goto out;
    }
    shinfo_mfn = info.shared_info_frame;
    if ((rc = copy_frames(s, &shinfo_mfn, 1, s->shinfo)) || (rc = read_p2m(s)))
        goto out;
    rc = save_stream(s, &info, config);
    /* A failed write has its reason in the sink's record only. */
    if (rc && !m->err[0])
        mica_fail(m, rc, "save %u: %s", domid, out->why[0] ? out->why : "failed");
    st->bytes = out->offset;
out:
    free(s->p2m);
    free(s->p2m_frames);
    free(s->inv);
    free(s);
    return rc;
}
