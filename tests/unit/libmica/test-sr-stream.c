/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/libmica/test-sr-stream.c - the save/restore stream: a stream
 * written with sr-write.c walks back with the same records and bytes; a
 * stream cut short anywhere, or with any one header or record damaged, is
 * refused with a reason before a single record reaches the callback; the
 * page-table and vCPU-context rewriting goes mfn -> pfn -> mfn unchanged.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <public/arch-x86/xen.h>
#include "cunit-runner.h"
#include "sr-stream.h"

struct grow {
    uint8_t *p;
    size_t len, cap;
};

static int grow_write(void *ctx, const void *buf, size_t n)
{
    struct grow *g = ctx;

    if (g->len + n > g->cap) {
        size_t cap = (g->len + n) * 2;
        uint8_t *p = realloc(g->p, cap);

        if (!p)
            return -ENOMEM;
        g->p = p;
        g->cap = cap;
    }
    memcpy(g->p + g->len, buf, n);
    g->len += n;
    return 0;
}

#define NPAGES  6
#define MAX_PFN 700                     /* two p2m frames */
static const char config[] = "{\"c_info\":{\"name\":\"t\"}}";

/* Which parts build_stream leaves out or damages. */
enum { S_FULL, S_NO_VCPU0, S_NO_P2M, S_NO_SHINFO, S_OPTIONAL_REC, S_UNKNOWN_REC };

static void page_fill(uint8_t *pg, unsigned int pfn)
{
    for (unsigned int i = 0; i < SR_PAGE_SIZE; i++)
        pg[i] = (uint8_t)(pfn * 7 + i);
}

static void write_pages(struct sr_out *o)
{
    uint64_t words[NPAGES + 1];
    static uint8_t pages[NPAGES][SR_PAGE_SIZE];

    for (unsigned int i = 0; i < NPAGES; i++) {
        words[i] = (uint64_t)(i * 100) | (uint64_t)(i == 1 ? SR_PT_L1TAB : SR_PT_NOTAB) << 60;
        page_fill(pages[i], i * 100);
    }
    words[NPAGES] = 650 | (uint64_t)SR_PT_XTAB << 60;      /* ballooned: no data */
    CU_ASSERT_EQUAL(sr_write_page_data(o, words, NPAGES + 1, pages), 0);
}

static void build_stream(struct grow *g, int variant)
{
    struct sr_out o = { .write = grow_write, .ctx = g };
    struct sr_pv_info pi = { .guest_width = 8, .pt_levels = 4 };
    uint64_t frames[2] = { 3, 4 };
    uint32_t se[2] = { 0, MAX_PFN };
    struct sr_tsc_info tsc = { .khz = 2000000, .nsec = 123 };
    static uint8_t shinfo[SR_PAGE_SIZE];
    static struct vcpu_guest_context ctx;
    struct sr_vcpu_hdr vh = { 0 };

    memset(g, 0, sizeof(*g));
    CU_ASSERT_EQUAL(sr_write_xl_header(&o, config, strlen(config)), 0);
    CU_ASSERT_EQUAL(sr_write_libxl_header(&o), 0);
    CU_ASSERT_EQUAL(sr_write_libxl_record(&o, SR_LIBXL_LIBXC_CONTEXT), 0);
    CU_ASSERT_EQUAL(sr_write_image_header(&o), 0);
    CU_ASSERT_EQUAL(sr_write_domain_header(&o, 4, 17), 0);
    sr_write_record(&o, SR_REC_X86_PV_INFO, &pi, sizeof(pi), NULL, 0);
    sr_write_record(&o, SR_REC_STATIC_DATA_END, NULL, 0, NULL, 0);
    if (variant == S_OPTIONAL_REC)
        sr_write_record(&o, SR_REC_OPTIONAL | 0x99, "abc", 3, NULL, 0);
    if (variant == S_UNKNOWN_REC)
        sr_write_record(&o, 0x99, "abc", 3, NULL, 0);
    if (variant != S_NO_P2M)
        sr_write_record(&o, SR_REC_X86_PV_P2M_FRAMES, se, sizeof(se), frames, sizeof(frames));
    write_pages(&o);
    sr_write_record(&o, SR_REC_X86_TSC_INFO, &tsc, sizeof(tsc), NULL, 0);
    if (variant != S_NO_SHINFO)
        sr_write_record(&o, SR_REC_SHARED_INFO, shinfo, sizeof(shinfo), NULL, 0);
    ctx.user_regs.rip = 0x1234;
    vh.vcpu_id = variant == S_NO_VCPU0 ? 1 : 0;
    sr_write_record(&o, SR_REC_X86_PV_VCPU_BASIC, &vh, sizeof(vh), &ctx, sizeof(ctx));
    sr_write_record(&o, SR_REC_X86_PV_VCPU_EXTENDED, &vh, sizeof(vh), shinfo, 64);
    sr_write_record(&o, SR_REC_END, NULL, 0, NULL, 0);
    CU_ASSERT_EQUAL(sr_write_libxl_record(&o, SR_LIBXL_END), 0);
}

/* The walk's callback: counts records and checks the pages' bytes. */
struct seen {
    unsigned int records, pages, bad_bytes;
    bool end;
    bool check;                         /* in: compare the summary too */
};

static int on_record(void *ctx, const struct sr_rec *r)
{
    struct seen *s = ctx;
    struct sr_page_batch b;
    char why[SR_WHY_LEN];
    uint8_t want[SR_PAGE_SIZE];

    s->records++;
    if (r->type == SR_REC_END)
        s->end = true;
    if (r->type != SR_REC_PAGE_DATA)
        return 0;
    CU_ASSERT_EQUAL_FATAL(sr_page_data_parse(r, MAX_PFN, &b, why, sizeof(why)), 0);
    for (unsigned int i = 0, d = 0; i < b.count; i++) {
        if (!sr_type_has_data((unsigned int)(b.words[i] >> 60)))
            continue;
        page_fill(want, (unsigned int)(b.words[i] & SR_PFN_MASK));
        s->bad_bytes += memcmp(want, b.data + (size_t)d++ * SR_PAGE_SIZE, SR_PAGE_SIZE) != 0;
        s->pages++;
    }
    return 0;
}

static int walk(const uint8_t *p, size_t len, struct seen *seen, char *why)
{
    struct sr_membuf mb = { .data = p, .len = len };
    struct sr_in in = { .read = sr_mem_read, .ctx = &mb };
    struct sr_ops ops = { .record = on_record, .ctx = seen };
    struct sr_summary s;
    int rc;

    if (seen)
        *seen = (struct seen){ .check = seen->check };
    rc = sr_stream_walk(&in, seen ? &ops : NULL, &s);
    if (!rc && seen && seen->check) {
        CU_ASSERT_STRING_EQUAL(s.xl.config, config);
        CU_ASSERT_EQUAL(s.max_pfn, MAX_PFN);
        CU_ASSERT_EQUAL(s.pages, NPAGES);
        CU_ASSERT_EQUAL(s.vcpu_mask, 1);
        CU_ASSERT_EQUAL(s.xen_major, 4);
    }
    if (why)
        strcpy(why, in.why);
    sr_summary_free(&s);
    return rc;
}

static void test_round_trip(void)
{
    struct grow g;
    struct seen seen = { .check = true };

    build_stream(&g, S_FULL);
    CU_ASSERT_EQUAL(memcmp(g.p, sr_xl_magic, SR_XL_MAGIC_LEN), 0);
    CU_ASSERT_EQUAL(walk(g.p, g.len, &seen, NULL), 0);
    /* PV_INFO, STATIC_DATA_END, P2M, PAGE_DATA, TSC, SHINFO, BASIC, EXT, END */
    CU_ASSERT_EQUAL(seen.records, 9);
    CU_ASSERT_EQUAL(seen.pages, NPAGES);
    CU_ASSERT_EQUAL(seen.bad_bytes, 0);
    CU_ASSERT(seen.end);
    free(g.p);
}

/* Cut anywhere: the checking walk refuses it as truncated. */
static void test_truncated_everywhere(void)
{
    struct grow g;
    char why[SR_WHY_LEN];
    unsigned int refused = 0, tried = 0;

    build_stream(&g, S_FULL);
    for (size_t cut = 0; cut < g.len; cut += (cut < 400 ? 1 : 61), tried++) {
        int rc = walk(g.p, cut, NULL, why);

        refused += rc == -ENODATA && strstr(why, "truncated") != NULL;
    }
    CU_ASSERT_EQUAL(refused, tried);
    free(g.p);
}

/* Flip one header byte: refused with xl's own words. */
static void test_bad_xl_header(void)
{
    struct grow g;
    char why[SR_WHY_LEN];

    build_stream(&g, S_FULL);
    g.p[3] ^= 1;
    CU_ASSERT_EQUAL(walk(g.p, g.len, NULL, why), -EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "wrong magic number"));
    g.p[3] ^= 1;
    g.p[32] ^= 0xff;                    /* the byte-order word */
    CU_ASSERT_EQUAL(walk(g.p, g.len, NULL, why), -EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "wrong byte order"));
    g.p[32] ^= 0xff;
    g.p[36] |= 0x8;                     /* an unknown mandatory flag */
    CU_ASSERT_EQUAL(walk(g.p, g.len, NULL, why), -EOPNOTSUPP);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "mandatory flag(s) 0x8"));
    free(g.p);
}

/* Each variant with a part missing or unknown. */
static void test_missing_parts(void)
{
    static const int variants[] = { S_NO_VCPU0, S_NO_P2M, S_NO_SHINFO, S_UNKNOWN_REC };
    struct grow g;
    struct seen seen = { 0 };
    char why[SR_WHY_LEN];

    for (unsigned int i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
        build_stream(&g, variants[i]);
        CU_ASSERT(walk(g.p, g.len, NULL, why) < 0);
        CU_ASSERT(why[0] != 0);
        free(g.p);
    }
    build_stream(&g, S_OPTIONAL_REC);
    CU_ASSERT_EQUAL(walk(g.p, g.len, &seen, why), 0);
    CU_ASSERT_EQUAL(seen.records, 9);
    free(g.p);
}

/*
 * Damage every byte in turn (under ASan: never a crash).  A damaged byte
 * in the headers' checked fields (xl magic and byte order, the libxl
 * header, the libxc image header's marker, id, version and options, the
 * domain header's type and page shift) is always refused.
 */
static bool in_checked_header(size_t i)
{
    size_t libxl = SR_XL_HEADER_LEN + 4 + sizeof(config);
    size_t image = libxl + SR_LIBXL_HEADER_LEN + SR_REC_HEADER_LEN;
    size_t dom = image + SR_IMAGE_HEADER_LEN;

    return i < SR_XL_MAGIC_LEN + 4 || (i >= libxl && i < libxl + SR_LIBXL_HEADER_LEN) ||
           (i >= image && i < image + 18) || (i >= dom && i < dom + 6);
}

static void test_flip_every_byte(void)
{
    struct grow g;
    struct seen seen = { 0 };
    unsigned int missed = 0, refused = 0, checked = 0;

    build_stream(&g, S_FULL);
    for (size_t i = 0; i < g.len; i++) {
        int rc;

        g.p[i] ^= 0x5a;
        rc = walk(g.p, g.len, &seen, NULL);
        refused += rc != 0;
        if (in_checked_header(i)) {
            checked++;
            missed += rc == 0;
        }
        g.p[i] ^= 0x5a;
    }
    CU_ASSERT_EQUAL(checked, SR_XL_MAGIC_LEN + 4 + SR_LIBXL_HEADER_LEN + 18 + 6);
    CU_ASSERT_EQUAL(missed, 0);
    CU_ASSERT(refused > checked);
    free(g.p);
}

static void test_page_data_checks(void)
{
    uint8_t body[8 + 8 * 2 + SR_PAGE_SIZE] = { 0 };
    struct sr_rec r = { .type = SR_REC_PAGE_DATA, .length = sizeof(body), .body = body };
    struct sr_page_batch b;
    char why[SR_WHY_LEN];
    uint64_t w[2] = { 5, 6 | (uint64_t)SR_PT_XTAB << 60 };
    uint32_t count = 2;

    memcpy(body, &count, 4);
    memcpy(body + 8, w, sizeof(w));
    CU_ASSERT_EQUAL(sr_page_data_parse(&r, 10, &b, why, sizeof(why)), 0);
    CU_ASSERT_EQUAL(b.nr_data, 1);
    CU_ASSERT_EQUAL(sr_page_data_parse(&r, 5, &b, why, sizeof(why)), -EINVAL);   /* pfn 6 > 5 */
    w[1] = 6 | 0x5ull << 60;                                    /* no such type */
    memcpy(body + 8, w, sizeof(w));
    CU_ASSERT_EQUAL(sr_page_data_parse(&r, 10, &b, why, sizeof(why)), -EINVAL);
    w[1] = 6 | 1ull << 55;                                      /* reserved bits */
    memcpy(body + 8, w, sizeof(w));
    CU_ASSERT_EQUAL(sr_page_data_parse(&r, 10, &b, why, sizeof(why)), -EINVAL);
    w[1] = 6;                                                   /* two pages, one sent */
    memcpy(body + 8, w, sizeof(w));
    CU_ASSERT_EQUAL(sr_page_data_parse(&r, 10, &b, why, sizeof(why)), -EINVAL);
    count = 2000;
    memcpy(body, &count, 4);
    CU_ASSERT_EQUAL(sr_page_data_parse(&r, 10, &b, why, sizeof(why)), -EINVAL);
}

/* ---- canonicalisation ------------------------------------------------------ */

/* A toy host: mfn = pfn + 0x1000 for pfns below 64. */
static int to_pfn(void *ctx, uint64_t mfn, uint64_t *pfn)
{
    (void)ctx;
    if (mfn < 0x1000 || mfn >= 0x1040)
        return -ERANGE;
    *pfn = mfn - 0x1000;
    return 0;
}

static int to_mfn(void *ctx, uint64_t pfn, uint64_t *mfn)
{
    (void)ctx;
    if (pfn >= 64)
        return -ERANGE;
    *mfn = pfn + 0x1000;
    return 0;
}

static void test_pt_round_trip(void)
{
    uint64_t pt[512] = { 0 }, orig[512];
    char why[SR_WHY_LEN];

    pt[0] = (0x1003ull << 12) | 0x63;
    pt[1] = 0xdead0000;                 /* not present: a swap entry, kept */
    pt[255] = (0x103full << 12) | 0x8000000000000067ull;   /* NX kept */
    pt[256] = (0x5555ull << 12) | 0x63; /* the hypervisor's slot */
    pt[272] = (0x5556ull << 12) | 0x63;
    pt[273] = (0x1001ull << 12) | 0x7;
    memcpy(orig, pt, sizeof(pt));
    CU_ASSERT_EQUAL(sr_pt_rewrite(pt, 4, true, to_pfn, NULL, why, sizeof(why)), 0);
    CU_ASSERT_EQUAL(pt[0], (3ull << 12) | 0x63);
    CU_ASSERT_EQUAL(pt[1], 0xdead0000);
    CU_ASSERT_EQUAL(pt[255], (0x3full << 12) | 0x8000000000000067ull);
    CU_ASSERT_EQUAL(pt[256], 0);
    CU_ASSERT_EQUAL(pt[272], 0);
    CU_ASSERT_EQUAL(sr_pt_rewrite(pt, 4, false, to_mfn, NULL, why, sizeof(why)), 0);
    orig[256] = orig[272] = 0;
    CU_ASSERT_EQUAL(memcmp(pt, orig, sizeof(pt)), 0);
    /* A restored L4 with something in the hypervisor's slots is refused. */
    memset(pt, 0, sizeof(pt));
    pt[260] = 0x1000;
    CU_ASSERT_EQUAL(sr_pt_rewrite(pt, 4, false, to_mfn, NULL, why, sizeof(why)), -EINVAL);
}

static void test_pt_refusals(void)
{
    uint64_t pt[512] = { 0 };
    char why[SR_WHY_LEN];

    pt[7] = (0x1003ull << 12) | 0x83;  /* a 2 MiB superpage */
    CU_ASSERT_EQUAL(sr_pt_rewrite(pt, 2, true, to_pfn, NULL, why, sizeof(why)), -E2BIG);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "superpage"));
    /* The same bit in an L1 is PAT, not PSE. */
    CU_ASSERT_EQUAL(sr_pt_rewrite(pt, 1, true, to_pfn, NULL, why, sizeof(why)), 0);
    pt[7] = (0x9999ull << 12) | 1;      /* a frame not the guest's */
    CU_ASSERT_EQUAL(sr_pt_rewrite(pt, 1, true, to_pfn, NULL, why, sizeof(why)), -ERANGE);
    CU_ASSERT_EQUAL(sr_pt_rewrite(pt, 5, true, to_pfn, NULL, why, sizeof(why)), -EINVAL);
}

static void test_vcpu_round_trip(void)
{
    static struct vcpu_guest_context c, orig;
    char why[SR_WHY_LEN];

    c.user_regs.rdx = 0x1002;
    c.gdt_ents = 513;                   /* two frames */
    c.gdt_frames[0] = 0x1010;
    c.gdt_frames[1] = 0x1011;
    c.gdt_frames[2] = 0x7777;           /* beyond gdt_ents: left alone */
    c.ctrlreg[3] = 0x1020ull << 12;
    c.ctrlreg[1] = 0x1021ull << 12;
    orig = c;
    CU_ASSERT_EQUAL(sr_vcpu_rewrite(&c, 0, true, to_pfn, NULL, why, sizeof(why)), 0);
    CU_ASSERT_EQUAL(c.user_regs.rdx, 2);
    CU_ASSERT_EQUAL(c.gdt_frames[1], 0x11);
    CU_ASSERT_EQUAL(c.gdt_frames[2], 0x7777);
    CU_ASSERT_EQUAL(c.ctrlreg[3], 0x20ull << 12);
    CU_ASSERT_EQUAL(c.ctrlreg[1], (0x21ull << 12) | 1);
    CU_ASSERT_EQUAL(sr_vcpu_rewrite(&c, 0, false, to_mfn, NULL, why, sizeof(why)), 0);
    CU_ASSERT_EQUAL(memcmp(&c, &orig, sizeof(c)), 0);
    /* vCPU 1's rdx is a register like any other. */
    c.user_regs.rdx = 0x42;
    CU_ASSERT_EQUAL(sr_vcpu_rewrite(&c, 1, true, to_pfn, NULL, why, sizeof(why)), 0);
    CU_ASSERT_EQUAL(c.user_regs.rdx, 0x42);
    c.ctrlreg[3] = 0x9999ull << 12;
    CU_ASSERT_EQUAL(sr_vcpu_rewrite(&c, 1, true, to_pfn, NULL, why, sizeof(why)), -ERANGE);
    c.gdt_ents = 100000;
    CU_ASSERT_EQUAL(sr_vcpu_rewrite(&c, 1, true, to_pfn, NULL, why, sizeof(why)), -EINVAL);
}

/* ---- restore's fix-ups -------------------------------------------------------- */

static void test_start_info_fixup(void)
{
    static struct start_info si;
    struct sr_start_fix f = { .nr_pages = 32768, .shared_info_mfn = 0x777,
                              .store_evtchn = 5, .console_evtchn = 6 };
    char why[SR_WHY_LEN];

    memcpy(si.magic, "xen-3.0-x86_64", 14);
    si.store_mfn = 3;                   /* pfns, as the guest left them */
    si.console.domU.mfn = 4;
    si.flags = 3;
    si.mfn_list = 0xffffffff80000000ull;
    CU_ASSERT_EQUAL(sr_start_info_fixup(&si, &f, to_mfn, NULL, why, sizeof(why)), 0);
    CU_ASSERT_EQUAL(si.store_mfn, 0x1003);
    CU_ASSERT_EQUAL(si.console.domU.mfn, 0x1004);
    CU_ASSERT_EQUAL(si.store_evtchn, 5);
    CU_ASSERT_EQUAL(si.console.domU.evtchn, 6);
    CU_ASSERT_EQUAL(si.shared_info, 0x777000);
    CU_ASSERT_EQUAL(si.nr_pages, 32768);
    CU_ASSERT_EQUAL(si.flags, 0);
    CU_ASSERT_EQUAL(si.mfn_list, 0xffffffff80000000ull);   /* untouched */
    si.store_mfn = 999;                 /* beyond the p2m */
    CU_ASSERT_EQUAL(sr_start_info_fixup(&si, &f, to_mfn, NULL, why, sizeof(why)), -ERANGE);
    si.magic[0] = 'y';
    CU_ASSERT_EQUAL(sr_start_info_fixup(&si, &f, to_mfn, NULL, why, sizeof(why)), -EINVAL);
}

static void test_shared_info_fixup(void)
{
    static struct shared_info saved, page;

    memset(&saved, 0x5a, sizeof(saved));
    memset(&page, 0, sizeof(page));
    page.wc_sec = 1234;                 /* the new host's clock stays */
    sr_shared_info_fixup(&page, &saved);
    CU_ASSERT_EQUAL(page.vcpu_info[3].arch.cr2, saved.vcpu_info[3].arch.cr2);
    CU_ASSERT_EQUAL(page.vcpu_info[3].evtchn_upcall_pending, 0);
    CU_ASSERT_EQUAL(page.vcpu_info[3].evtchn_pending_sel, 0);
    CU_ASSERT_EQUAL(page.vcpu_info[3].evtchn_upcall_mask, 0x5a);
    CU_ASSERT_EQUAL(page.arch.max_pfn, saved.arch.max_pfn);
    CU_ASSERT_EQUAL(page.arch.pfn_to_mfn_frame_list_list, 0);
    CU_ASSERT_EQUAL(page.evtchn_pending[7], 0);
    CU_ASSERT_EQUAL(page.evtchn_mask[7], ~0ull);
    CU_ASSERT_EQUAL(page.wc_sec, 1234);
}

static const struct unit_test fixup_tests[] = {
    UNIT_TEST(test_start_info_fixup),
    UNIT_TEST(test_shared_info_fixup),
    UNIT_END
};

static const struct unit_test stream_tests[] = {
    UNIT_TEST(test_round_trip),
    UNIT_TEST(test_truncated_everywhere),
    UNIT_TEST(test_bad_xl_header),
    UNIT_TEST(test_missing_parts),
    UNIT_TEST(test_flip_every_byte),
    UNIT_TEST(test_page_data_checks),
    UNIT_END
};

static const struct unit_test canon_tests[] = {
    UNIT_TEST(test_pt_round_trip),
    UNIT_TEST(test_pt_refusals),
    UNIT_TEST(test_vcpu_round_trip),
    UNIT_END
};

UNIT_SUITE(sr_stream, NULL, NULL, stream_tests)
UNIT_SUITE(sr_canon, NULL, NULL, canon_tests)
UNIT_SUITE(sr_fixup, NULL, NULL, fixup_tests)
