/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/sr-save.c - saving a PV domain as a stream (the
 * format in sr-stream.h): non-live, as libxc saves for `xl save`, from a
 * domain that has suspended itself (SCHEDOP_shutdown, reason suspend);
 * or live, as libxc saves for `xl migrate`, in pre-copy rounds driven by
 * log-dirty (XEN_DOMCTL_shadow_op) while the guest runs, then a last
 * round once it has suspended.  Either way the caller destroys or
 * resumes the domain afterwards.
 *
 * The guest's p2m is found where Linux publishes it for toolstacks: the
 * three-level frame list under shared_info.arch.pfn_to_mfn_frame_list_list.
 * Machine frames are turned back into pfns through the inverse of that
 * p2m (sorted, searched), not through the hypervisor's M2P: a frame the
 * guest's own p2m does not name cannot be saved, which is the check libxc
 * makes too (p2m[m2p[mfn]] == mfn).
 *
 * Live rounds read pages the guest is still writing, so what a round
 * sends may be stale; log-dirty names every page written since, and the
 * last round sends those with the guest stopped.  Three things can
 * change without a write that log-dirty would see, so the last round
 * checks them itself rather than trust the hypervisor to mark them: a
 * page's type (validated, pinned or unpinned as a page table: the type of
 * every page is read again and compared with the one sent), the p2m
 * (read again and compared), and a page table that named a frame outside
 * the p2m while the guest ran (libxc's "deferred" pages: sent as XTAB
 * then, again at the end, when such a frame is fatal).
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
#define SENT_NONE       0xFF            /* s->sent: not sent with data yet */
#define LIVE_ROUNDS     5               /* libxc's simple_precopy_policy */
#define LIVE_THRESHOLD  50

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
    uint64_t shinfo_mfn;
    uint8_t shinfo[MICA_PAGE_SIZE];
    struct mica_save_stats *st;
    /* a batch's buffers */
    uint64_t *words, *mfns, *types, *pfns;
    uint8_t *pages;
    /* live only */
    bool live, paused;              /* pre-copy; its last round */
    uint8_t *sent;                  /* per pfn: the type sent, SENT_NONE */
    uint8_t *dirty;                 /* bitmap of pfns to send next */
    uint64_t round_pages;
};

static bool bit_test(const uint8_t *b, uint64_t p)
{
    return (b[p / 8] >> (p % 8)) & 1;
}

static void bit_set(uint8_t *b, uint64_t p)
{
    b[p / 8] |= (uint8_t)(1u << (p % 8));
}

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
    s->nr_inv = 0;
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

static void free_p2m(struct save *s)
{
    free(s->p2m);
    free(s->p2m_frames);
    free(s->inv);
    s->p2m = s->p2m_frames = NULL;
    s->inv = NULL;
}

/* ---- memory -------------------------------------------------------------- */

/*
 * A page's bytes at 'pg', canonicalised if it is a page table.  A frame
 * outside the p2m is fatal with the guest stopped (libxc's ERANGE); while
 * it runs, the page is deferred to the last round: 1.
 */
static int save_page(struct save *s, uint64_t pfn, unsigned int type, uint8_t *pg)
{
    unsigned int level = type & ~SR_PT_LPINTAB;
    char why[SR_WHY_LEN];
    int rc;

    if (!level || !(rc = sr_pt_rewrite((uint64_t *)pg, level, true, mfn_to_pfn, s, why,
                                       sizeof(why))))
        return 0;
    if (s->live && !s->paused) {
        bit_set(s->dirty, pfn);
        return 1;
    }
    return mica_fail(s->m, rc, "pfn %#llx: %s", (unsigned long long)pfn, why);
}

/*
 * One PAGE_DATA record for the n pfns at s->pfns: their types, then the
 * frames mapped and copied out, page tables canonicalised.
 */
static int save_batch(struct save *s, uint32_t n)
{
    uint32_t nr_map = 0, nr_data = 0;
    uint8_t *map = NULL;
    int rc = 0;

    for (uint32_t i = 0; i < n; i++)
        if (s->p2m[s->pfns[i]] != P2M_INVALID)
            s->mfns[nr_map++] = s->p2m[s->pfns[i]];
    memcpy(s->types, s->mfns, nr_map * sizeof(*s->types));
    if (nr_map && (rc = mica_pageframe_types(s->m, s->domid, s->types, nr_map)))
        return rc;
    if (nr_map && !(map = mica_map_foreign(s->m, s->domid, PROT_READ, s->mfns, NULL, nr_map)))
        return -EFAULT;
    for (uint32_t i = 0, k = 0; i < n && !rc; i++) {
        uint64_t pfn = s->pfns[i];
        unsigned int type = SR_PT_XTAB;
        uint8_t *pg = s->pages + (size_t)nr_data * MICA_PAGE_SIZE;
        int r = 0;

        if (s->p2m[pfn] != P2M_INVALID)
            type = (unsigned int)(s->types[k] >> XEN_DOMCTL_PFINFO_LTAB_SHIFT);
        if (s->p2m[pfn] != P2M_INVALID && sr_type_has_data(type)) {
            memcpy(pg, map + (size_t)k * MICA_PAGE_SIZE, MICA_PAGE_SIZE);
            if (!(r = save_page(s, pfn, type, pg)))
                nr_data++;
            else if (r > 0)
                type = SR_PT_XTAB;  /* deferred: nothing sent this round */
            else
                rc = r;
        }
        if (s->p2m[pfn] != P2M_INVALID)
            k++;
        if (s->sent)
            s->sent[pfn] = r > 0 ? SENT_NONE : (uint8_t)type;
        s->words[i] = pfn | (uint64_t)type << SR_PFN_TYPE_SHIFT;
    }
    mica_unmap(map, nr_map);
    if (rc)
        return rc;
    s->st->pages += nr_data;
    s->round_pages += nr_data;
    return sr_write_page_data(s->out, s->words, n, s->pages);
}

/* Every pfn of the p2m, in batches. */
static int send_all(struct save *s)
{
    int rc = 0;

    for (uint64_t first = 0; first < s->nr_pfns && !rc; first += SR_BATCH_MAX) {
        uint32_t n = (uint32_t)(s->nr_pfns - first < SR_BATCH_MAX ? s->nr_pfns - first
                                                                   : SR_BATCH_MAX);

        for (uint32_t i = 0; i < n; i++)
            s->pfns[i] = first + i;
        rc = save_batch(s, n);
    }
    return rc;
}

/*
 * The pfns set in 'bits', in batches, each bit cleared as its pfn is
 * taken: a page deferred while it is sent is set again for the next round.
 */
static int send_bitmap(struct save *s, uint8_t *bits)
{
    uint32_t n = 0;
    int rc = 0;

    for (uint64_t pfn = 0; pfn < s->nr_pfns && !rc; pfn++) {
        if (!bit_test(bits, pfn))
            continue;
        bits[pfn / 8] &= (uint8_t)~(1u << (pfn % 8));
        s->pfns[n++] = pfn;
        if (n == SR_BATCH_MAX) {
            rc = save_batch(s, n);
            n = 0;
        }
    }
    if (!rc && n)
        rc = save_batch(s, n);
    return rc;
}

/* X86_PV_P2M_FRAMES: the p2m's own frames, as pfns (the restorer rewrites them). */
static int send_p2m_frames(struct save *s)
{
    uint32_t se[2] = { 0, (uint32_t)(s->nr_pfns - 1) };
    uint64_t *frame_pfns = malloc(s->nr_p2m_frames * 8);
    int rc = frame_pfns ? 0 : -ENOMEM;

    for (uint64_t i = 0; i < s->nr_p2m_frames && !rc; i++)
        if ((rc = mfn_to_pfn(s, s->p2m_frames[i], &frame_pfns[i])))
            mica_fail(s->m, rc, "domain %u: p2m frame %#llx is not in its p2m", s->domid,
                      (unsigned long long)s->p2m_frames[i]);
    if (!rc)
        rc = sr_write_record(s->out, SR_REC_X86_PV_P2M_FRAMES, se, sizeof(se), frame_pfns,
                             (uint32_t)(s->nr_p2m_frames * 8));
    free(frame_pfns);
    return rc;
}

static int alloc_buffers(struct save *s)
{
    s->words = malloc(SR_BATCH_MAX * 8);
    s->mfns = malloc(SR_BATCH_MAX * 8);
    s->types = malloc(SR_BATCH_MAX * 8);
    s->pfns = malloc(SR_BATCH_MAX * 8);
    s->pages = malloc((size_t)SR_BATCH_MAX * MICA_PAGE_SIZE);
    if (s->live) {
        s->sent = malloc(s->nr_pfns);
        s->dirty = calloc(1, (s->nr_pfns + 7) / 8);
        if (s->sent)
            memset(s->sent, SENT_NONE, s->nr_pfns);
    }
    return s->words && s->mfns && s->types && s->pfns && s->pages &&
           (!s->live || (s->sent && s->dirty)) ? 0 : -ENOMEM;
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

/* ---- pre-copy ------------------------------------------------------------ */

static void round_done(struct save *s, const struct mica_save_live *l, uint64_t dirty)
{
    if (s->st->rounds < MICA_SAVE_MAX_ROUNDS + 1)
        s->st->round_pages[s->st->rounds] = s->round_pages;
    s->st->rounds++;
    if (l->round)
        l->round(l->ctx, s->st->rounds, s->round_pages, dirty);
    s->round_pages = 0;
}

/*
 * CLEAN into s->dirty (ORed with what is there); the number of pfns it
 * set.  The hypervisor's bitmap ends at the larger of the domain's p2m
 * length and its memory limit; a guest's own p2m may reach past that
 * (Linux sizes it for the balloon), so a page there, which log-dirty
 * cannot name, is sent in every round.
 */
static int clean(struct save *s, uint8_t *bits, uint64_t *nr_dirty)
{
    uint64_t pages = s->nr_pfns;
    int rc = mica_shadow_op_clean(s->m, s->domid, bits, &pages, s->paused, NULL);

    if (rc)
        return rc;
    for (uint64_t pfn = pages; pfn < s->nr_pfns; pfn++)
        if (s->p2m[pfn] != P2M_INVALID)
            bit_set(bits, pfn);
        else
            bits[pfn / 8] &= (uint8_t)~(1u << (pfn % 8));
    *nr_dirty = 0;
    for (uint64_t i = 0; i < (s->nr_pfns + 7) / 8; i++) {
        s->dirty[i] |= bits[i];
        *nr_dirty += (uint64_t)__builtin_popcount(bits[i]);
    }
    return 0;
}

/*
 * With the guest stopped: the p2m and every page's type read again; a
 * pfn whose entry or type is not what was sent goes into s->dirty.
 */
static int recheck(struct save *s)
{
    uint64_t *old = s->p2m, old_n = s->nr_pfns, *old_frames = s->p2m_frames;
    void *old_inv = s->inv;
    int rc;

    s->p2m = s->p2m_frames = NULL;
    s->inv = NULL;
    if ((rc = copy_frames(s, &s->shinfo_mfn, 1, s->shinfo)) || (rc = read_p2m(s)))
        goto out;
    if (s->nr_pfns != old_n || memcmp(s->p2m_frames, old_frames, s->nr_p2m_frames * 8)) {
        rc = mica_fail(s->m, -EAGAIN, "domain %u: its p2m moved during the migration",
                       s->domid);
        goto out;
    }
    for (uint64_t first = 0; first < s->nr_pfns && !rc; first += SR_BATCH_MAX) {
        uint64_t n = s->nr_pfns - first < SR_BATCH_MAX ? s->nr_pfns - first : SR_BATCH_MAX;
        uint32_t nr_map = 0;

        for (uint64_t p = first; p < first + n; p++) {
            if (s->p2m[p] != old[p])
                bit_set(s->dirty, p);
            if (s->p2m[p] != P2M_INVALID)
                s->types[nr_map++] = s->p2m[p];
        }
        if (nr_map && (rc = mica_pageframe_types(s->m, s->domid, s->types, nr_map)))
            break;
        for (uint64_t p = first, k = 0; p < first + n; p++) {
            unsigned int type = SR_PT_XTAB;

            if (s->p2m[p] != P2M_INVALID)
                type = (unsigned int)(s->types[k++] >> XEN_DOMCTL_PFINFO_LTAB_SHIFT);
            if (s->sent[p] != type && sr_type_has_data(type))
                bit_set(s->dirty, p);
        }
    }
out:
    free(old);
    free(old_frames);
    free(old_inv);
    return rc;
}

static bool has_suspended(const struct xen_domctl_getdomaininfo *info)
{
    return (info->flags & XEN_DOMINF_shutdown) &&
           ((info->flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask) ==
           SHUTDOWN_suspend;
}

/* A live save's suspend, checked: the guest must have stopped itself. */
static int live_suspend(struct save *s, struct mica_save_live *l)
{
    struct xen_domctl_getdomaininfo info;
    int rc = l->suspend(l->ctx);

    l->suspended = !rc;
    if (!rc && !(rc = mica_domain_getinfo(s->m, s->domid, &info)) && !has_suspended(&info))
        rc = mica_fail(s->m, -EINVAL, "domain %u has not suspended (flags %#x)", s->domid,
                       info.flags);
    return rc;
}

/* The rounds with the guest running, then the last one with it stopped. */
static int precopy(struct save *s, struct mica_save_live *l)
{
    unsigned int max = l->max_rounds ? l->max_rounds : LIVE_ROUNDS;
    unsigned int threshold = l->dirty_threshold ? l->dirty_threshold : LIVE_THRESHOLD;
    uint8_t *bits = malloc((s->nr_pfns + 7) / 8 + 8);
    uint64_t dirty = s->nr_pfns;
    int rc;

    if (!bits)
        return -ENOMEM;
    if (max > MICA_SAVE_MAX_ROUNDS)
        max = MICA_SAVE_MAX_ROUNDS;
    if ((rc = send_all(s)))
        goto out;
    round_done(s, l, dirty);
    for (unsigned int r = 2; r <= max; r++) {
        if ((rc = clean(s, bits, &dirty)) || (rc = send_bitmap(s, s->dirty)))
            goto out;
        round_done(s, l, dirty);
        if (dirty < threshold)
            break;
    }
    if ((rc = live_suspend(s, l)))
        goto out;
    s->paused = true;
    if ((rc = clean(s, bits, &dirty)) || (rc = recheck(s)) || (rc = send_bitmap(s, s->dirty)))
        goto out;
    round_done(s, l, dirty);
out:
    free(bits);
    return rc;
}

static int save_stream(struct save *s, struct mica_save_live *l, const char *config)
{
    struct sr_pv_info pi = { .guest_width = 8, .pt_levels = 4 };
    struct xen_domctl_getdomaininfo info;
    struct sr_out *o = s->out;
    int rc;

    if ((rc = sr_write_xl_header(o, config, strlen(config))) ||
        (rc = sr_write_libxl_header(o)) ||
        (rc = sr_write_libxl_record(o, SR_LIBXL_LIBXC_CONTEXT)) ||
        (rc = sr_write_image_header(o)) ||
        (rc = sr_write_domain_header(o, 4, 17)) ||
        (rc = sr_write_record(o, SR_REC_X86_PV_INFO, &pi, sizeof(pi), NULL, 0)) ||
        (rc = sr_write_record(o, SR_REC_STATIC_DATA_END, NULL, 0, NULL, 0)) ||
        (rc = send_p2m_frames(s)))
        return rc;
    if ((rc = l ? precopy(s, l) : send_all(s)))
        return rc;
    /* Now the guest is stopped: its domain info as it suspended. */
    if ((rc = mica_domain_getinfo(s->m, s->domid, &info)) || (rc = save_state(s, &info)))
        return rc;
    if ((rc = sr_write_record(o, SR_REC_END, NULL, 0, NULL, 0)))
        return rc;
    return sr_write_libxl_record(o, SR_LIBXL_END);
}

static int save_domain(struct mica *m, uint32_t domid, struct sr_out *out,
                       const char *config, struct mica_save_live *l,
                       struct mica_save_stats *st)
{
    struct xen_domctl_getdomaininfo info;
    struct save *s = calloc(1, sizeof(*s));
    bool logdirty = false;
    int rc;

    if (!s)
        return mica_fail(m, -ENOMEM, "save %u", domid);
    *s = (struct save){ .m = m, .domid = domid, .out = out, .st = st, .live = l != NULL };
    memset(st, 0, sizeof(*st));
    if ((rc = mica_domain_getinfo(m, domid, &info)))
        goto out;
    if (!l && !has_suspended(&info)) {
        rc = mica_fail(m, -EINVAL, "domain %u has not suspended (flags %#x)", domid,
                       info.flags);
        goto out;
    }
    s->shinfo_mfn = info.shared_info_frame;
    if ((rc = copy_frames(s, &s->shinfo_mfn, 1, s->shinfo)) || (rc = read_p2m(s)) ||
        (rc = alloc_buffers(s)))
        goto out;
    /* libxc's enable_logdirty: one more try after an OFF, for a stale mode. */
    if (l && mica_shadow_op_enable_logdirty(m, domid) &&
        (mica_shadow_op_off(m, domid) || (rc = mica_shadow_op_enable_logdirty(m, domid)))) {
        rc = mica_fail(m, rc ? rc : -EBUSY, "Failed to enable logdirty on domain %u: %s",
                       domid, mica_errmsg(m));
        goto out;
    }
    logdirty = l != NULL;
    rc = save_stream(s, l, config);
    /* A failed write has its reason in the sink's record only. */
    if (rc && !m->err[0])
        mica_fail(m, rc, "save %u: %s", domid, out->why[0] ? out->why : "failed");
    st->bytes = out->offset;
out:
    if (logdirty) {
        char err[sizeof(m->err)];
        int off;

        memcpy(err, m->err, sizeof(err));
        off = mica_shadow_op_off(m, domid);
        if (rc)
            memcpy(m->err, err, sizeof(err));       /* the first failure's words */
        else
            rc = off;
    }
    free_p2m(s);
    free(s->words);
    free(s->mfns);
    free(s->types);
    free(s->pfns);
    free(s->pages);
    free(s->sent);
    free(s->dirty);
    free(s);
    return rc;
}

int mica_domain_save(struct mica *m, uint32_t domid, struct sr_out *out,
                     const char *config, struct mica_save_stats *st)
{
    return save_domain(m, domid, out, config, NULL, st);
}

int mica_domain_save_live(struct mica *m, uint32_t domid, struct sr_out *out,
                          const char *config, struct mica_save_live *live,
                          struct mica_save_stats *st)
{
    live->suspended = false;
    return save_domain(m, domid, out, config, live, st);
}
