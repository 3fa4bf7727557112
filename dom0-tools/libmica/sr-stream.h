/* SPDX-License-Identifier: MIT */
/*
 * sr-stream.h - the save/restore stream, pure (no devices, no hypercalls):
 * its framing written and read, every record checked before it is used,
 * and the page-table and vCPU-context rewriting between machine frames
 * and pseudo-physical frames.
 *
 * The format is Xen's, not ours, so that a file is recognisable to anyone
 * who knows xl's and so that the layouts are settled by a specification
 * (Xen's docs/specs/libxc-migration-stream.pandoc, format version 3, and
 * libxl-migration-stream.pandoc, version 2).  A file is three nested
 * layers, each with its own header:
 *
 *   xl header      48 bytes: magic, byte order, flags, then the optional
 *                  data (a u32 length and the domain's config, NUL ended)
 *   libxl stream   16-byte big-endian header, then records; a PV save is
 *                  one LIBXC_CONTEXT record (empty) whose libxc stream
 *                  follows in line, then libxl END
 *   libxc stream   24-byte big-endian image header, 16-byte domain header,
 *                  then records through END
 *
 * Records in both streams are {u32 type, u32 length, body, zero padding
 * to 8 bytes}, little-endian.  What Mica writes, in order: X86_PV_INFO,
 * STATIC_DATA_END, X86_PV_P2M_FRAMES, PAGE_DATA..., X86_TSC_INFO,
 * SHARED_INFO, for each online vCPU X86_PV_VCPU_BASIC and _EXTENDED, END.
 * The config Mica stores is xl.cfg text (Mica keeps no libxl JSON of a
 * running domain), where xl stores libxl's JSON; the xl header's flags
 * say "JSON, stream v2" either way, as xl refuses a file without them,
 * and a reader tells the two apart by the first non-blank byte ('{').
 *
 * The reader trusts nothing: every length is bounded before anything is
 * allocated, and a stream is walked to its end and checked whole before
 * a restore creates anything (sr_stream_walk with no callbacks).
 */
#ifndef LIBMICA_SR_STREAM_H
#define LIBMICA_SR_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <public/xen.h>

#define SR_WHY_LEN      160

/* ---- the xl header ------------------------------------------------------ */

#define SR_XL_MAGIC_LEN         32
extern const char sr_xl_magic[SR_XL_MAGIC_LEN];     /* "Xen saved domain, xl format\n \0 \r" */
#define SR_XL_HEADER_LEN        48
#define SR_XL_BYTEORDER         0x01020304u
#define SR_XL_FLAG_JSON         (1u << 0)
#define SR_XL_FLAG_STREAMV2     (1u << 1)
#define SR_XL_MANDATORY         (SR_XL_FLAG_JSON | SR_XL_FLAG_STREAMV2)
#define SR_XL_CONFIG_MAX        (1u << 20)          /* a config is a few KiB */

/* ---- the libxl stream --------------------------------------------------- */

#define SR_LIBXL_IDENT          0x4C6962786C466D74ull   /* "LibxlFmt" */
#define SR_LIBXL_VERSION        2
#define SR_LIBXL_HEADER_LEN     16
#define SR_LIBXL_END            0
#define SR_LIBXL_LIBXC_CONTEXT  1

/* ---- the libxc stream --------------------------------------------------- */

#define SR_IMAGE_MARKER         0xFFFFFFFFFFFFFFFFull
#define SR_IMAGE_ID             0x58454E46u         /* "XENF" */
#define SR_IMAGE_VERSION        3
#define SR_IMAGE_HEADER_LEN     24
#define SR_DOMAIN_HEADER_LEN    16
#define SR_DHDR_TYPE_X86_PV     1

#define SR_REC_END                  0x00
#define SR_REC_PAGE_DATA            0x01
#define SR_REC_X86_PV_INFO          0x02
#define SR_REC_X86_PV_P2M_FRAMES    0x03
#define SR_REC_X86_PV_VCPU_BASIC    0x04
#define SR_REC_X86_PV_VCPU_EXTENDED 0x05
#define SR_REC_X86_PV_VCPU_XSAVE    0x06
#define SR_REC_SHARED_INFO          0x07
#define SR_REC_X86_TSC_INFO         0x08
#define SR_REC_X86_PV_VCPU_MSRS     0x0C
#define SR_REC_VERIFY               0x0D
#define SR_REC_STATIC_DATA_END      0x10
#define SR_REC_X86_CPUID_POLICY     0x11
#define SR_REC_X86_MSR_POLICY       0x12
#define SR_REC_OPTIONAL             0x80000000u     /* unknown: skip */

#define SR_REC_HEADER_LEN       8
#define SR_REC_MAX_BODY         (128u << 20)        /* the spec's bound */

/* PAGE_DATA: at most this many pfns a record (libxc's MAX_BATCH_SIZE). */
#define SR_BATCH_MAX            1024
/* A pfn word: bits 0-51 the pfn, 60-63 the type (XEN_DOMCTL_PFINFO_* >> 28). */
#define SR_PFN_MASK             0x000FFFFFFFFFFFFFull
#define SR_PFN_TYPE_SHIFT       60
#define SR_PFN_RSVD_MASK        0x0FF0000000000000ull

/* Page types, as XEN_DOMCTL_PFINFO_* >> 28. */
#define SR_PT_NOTAB     0x0
#define SR_PT_L1TAB     0x1
#define SR_PT_L2TAB     0x2
#define SR_PT_L3TAB     0x3
#define SR_PT_L4TAB     0x4
#define SR_PT_LPINTAB   0x8             /* with L1..L4: pinned */
#define SR_PT_BROKEN    0xD
#define SR_PT_XALLOC    0xE
#define SR_PT_XTAB      0xF

/* The largest pfn a stream may name: Linux's p2m ends at 512 GiB. */
#define SR_PAGE_SIZE    4096u
#define SR_MAX_PFN      ((512ull << 30) / SR_PAGE_SIZE)

/* Fixed record bodies (little-endian on the wire, as in memory here). */
struct sr_pv_info {
    uint8_t guest_width;            /* 8 */
    uint8_t pt_levels;              /* 4 */
    uint8_t reserved[6];
};

struct sr_tsc_info {
    uint32_t mode;
    uint32_t khz;
    uint64_t nsec;
    uint32_t incarnation;
    uint32_t reserved;
};

struct sr_vcpu_hdr {
    uint32_t vcpu_id;
    uint32_t reserved;
};

/* ---- the byte source and sink ------------------------------------------- */

/*
 * A reader: read() fills exactly n bytes and returns 0, -ENODATA at a
 * clean or short end, or another -errno.  'offset' counts what was read,
 * for messages; 'why' holds the one-line reason of the last refusal.
 */
struct sr_in {
    int (*read)(void *ctx, void *buf, size_t n);
    void *ctx;
    uint64_t offset;
    char why[SR_WHY_LEN];
};

struct sr_out {
    int (*write)(void *ctx, const void *buf, size_t n);
    void *ctx;
    uint64_t offset;
    char why[SR_WHY_LEN];
};

/* A source over a buffer (tests, the fuzzer); ctx is a struct sr_membuf. */
struct sr_membuf {
    const uint8_t *data;
    size_t len, pos;
};
int sr_mem_read(void *ctx, void *buf, size_t n);

/* ---- sr-write.c ----------------------------------------------------------- */

/* Each returns 0 or -errno (the sink's), with a reason in out->why. */
int sr_write_xl_header(struct sr_out *out, const char *config, size_t len);
int sr_write_libxl_header(struct sr_out *out);
int sr_write_libxl_record(struct sr_out *out, uint32_t type);
int sr_write_image_header(struct sr_out *out);
int sr_write_domain_header(struct sr_out *out, uint32_t xen_major, uint32_t xen_minor);
/* A record from two pieces (a head and a tail, either may be empty). */
int sr_write_record(struct sr_out *out, uint32_t type, const void *head,
                    uint32_t head_len, const void *tail, uint32_t tail_len);
/*
 * One PAGE_DATA record: 'n' pfn words (type in the top nibble) and the
 * pages of those whose type carries data, in order, at 'pages'.
 */
int sr_write_page_data(struct sr_out *out, const uint64_t *pfn_words, uint32_t n,
                       const void *pages);

/* ---- sr-read.c ------------------------------------------------------------ */

/* Exactly n bytes, or -ENODATA ("Savefile truncated.") / -errno. */
int sr_read_bytes(struct sr_in *in, void *buf, size_t n);
/* Refuse: 'rc', with the reason and the stream offset in in->why. */
int sr_refuse(struct sr_in *in, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The xl header and its config (malloc'd, NUL-terminated; free it). */
struct sr_xl_info {
    uint32_t mandatory_flags, optional_flags, optional_data_len;
    char *config;
    size_t config_len;
};
int sr_read_xl_header(struct sr_in *in, struct sr_xl_info *xl);

/* One record: body in a buffer the reader grows (*buf, *cap; free it). */
struct sr_rec {
    uint32_t type;
    uint32_t length;
    uint8_t *body;
};
int sr_read_record(struct sr_in *in, struct sr_rec *rec, uint8_t **buf, size_t *cap);

/* Does a page type carry 4096 bytes of data in a PAGE_DATA record? */
bool sr_type_has_data(unsigned int type);
/* Is it a type Mica's restore accepts at all? */
bool sr_type_valid(unsigned int type);

/* A PAGE_DATA body checked and taken apart (pointers into the body). */
struct sr_page_batch {
    uint32_t count;
    const uint64_t *words;          /* pfn | type << 60 */
    const uint8_t *data;            /* 4096 bytes per word with data */
    uint32_t nr_data;
};
int sr_page_data_parse(const struct sr_rec *rec, uint64_t max_pfn,
                       struct sr_page_batch *b, char *why, size_t whylen);

/* X86_PV_P2M_FRAMES: the pfns of the frames holding the guest's p2m. */
struct sr_p2m_frames {
    uint32_t start_pfn, end_pfn;    /* the pfns the p2m covers, inclusive */
    uint32_t count;
    const uint64_t *frames;
};
int sr_p2m_frames_parse(const struct sr_rec *rec, struct sr_p2m_frames *f,
                        char *why, size_t whylen);

/*
 * Walk a whole save file: xl header, libxl stream, the libxc stream in it,
 * every record checked (lengths, order, pfns within the p2m, vCPU ids
 * below max_vcpus) through both ENDs.  With ops NULL, the walk only
 * checks; otherwise each libxc record goes to ops->record once checked,
 * whose -errno stops the walk.  The summary says what the stream holds.
 */
struct sr_summary {
    struct sr_xl_info xl;           /* config: free with sr_summary_free */
    uint32_t xen_major, xen_minor;
    uint64_t max_pfn;               /* from P2M_FRAMES */
    uint64_t pages;                 /* pfn words with data */
    uint32_t page_records;
    uint32_t vcpus;                 /* BASIC records */
    uint64_t vcpu_mask;             /* which ids (< 64) */
    bool has_shared_info, has_tsc;
};

struct sr_ops {
    int (*record)(void *ctx, const struct sr_rec *rec);
    void *ctx;
};

int sr_stream_walk(struct sr_in *in, const struct sr_ops *ops, struct sr_summary *s);
void sr_summary_free(struct sr_summary *s);

/* ---- sr-canon.c: machine frames <-> pseudo-physical frames ------------- */

/*
 * The lookups: 0 and the translated frame, or -ERANGE for a frame the
 * guest does not own (not in its p2m / not populated).
 */
typedef int (*sr_xlate_fn)(void *ctx, uint64_t in, uint64_t *out);

#define SR_PTE_PRESENT      0x001ull
#define SR_PTE_PSE          0x080ull
#define SR_PTE_FRAME        0x000FFFFFFFFFF000ull
/* The L4 slots the hypervisor owns (HYPERVISOR_VIRT_START..END). */
#define SR_L4_XEN_FIRST     256
#define SR_L4_XEN_LAST      272

/*
 * Rewrite one page table of level 1..4 in place: every present entry's
 * frame through 'xlate' (mfn->pfn on save, pfn->mfn on restore), flags
 * kept.  On save ('save' true) the hypervisor's L4 slots are zeroed; on
 * restore they must be zero.  A superpage is -E2BIG, a frame 'xlate'
 * refuses -ERANGE; 'why' names the entry.
 */
int sr_pt_rewrite(uint64_t *pt, unsigned int level, bool save, sr_xlate_fn xlate,
                  void *ctx, char *why, size_t whylen);

/*
 * The frames in a vCPU context: start_info in vCPU 0's rdx, the GDT
 * frames, cr3 and the user L4 in cr1 (in the stream (pfn << 12) | 1 when
 * there is one, as libxc writes it).  'save': mfn->pfn, else pfn->mfn.
 */
struct vcpu_guest_context;
int sr_vcpu_rewrite(struct vcpu_guest_context *c, unsigned int vcpu_id, bool save,
                    sr_xlate_fn xlate, void *ctx, char *why, size_t whylen);

/* ---- sr-fixup.c: the guest's pages a restorer rewrites ------------------ */

/* The new domain's side of start_info. */
struct sr_start_fix {
    uint64_t nr_pages;              /* the p2m's size */
    uint64_t shared_info_mfn;
    uint32_t store_evtchn, console_evtchn;
};

/*
 * start_info as the guest left it (store and console as pfns) made right
 * for the new domain; 'pfn_to_mfn' is the new p2m.  0, -EINVAL (not a
 * start_info) or -ERANGE (a pfn not the guest's), reason in 'why'.
 */
struct start_info;
int sr_start_info_fixup(struct start_info *si, const struct sr_start_fix *f,
                        sr_xlate_fn pfn_to_mfn, void *ctx, char *why, size_t whylen);
/* The saved shared_info's vCPU slots and arch part into the new page. */
void sr_shared_info_fixup(void *new_page, const void *saved);

#endif /* LIBMICA_SR_STREAM_H */
