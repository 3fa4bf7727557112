/* SPDX-License-Identifier: MIT */
/*
 * libmica.h - the one library dom0's tools use to reach Mica: hypercalls
 * through /dev/xen/privcmd (buffers from /dev/xen/hypercall), foreign
 * mappings, /dev/xen/evtchn, /dev/xen/gntdev and /dev/xen/gntalloc, typed
 * wrappers for the domctls, sysctls and memory_ops the tools issue (Xen
 * 4.17 layouts, include/public), and the user-space PV domain builder.
 *
 * Conventions: every function returns 0 (or a count) on success and a
 * negative errno on failure, and then leaves a one-line reason in the
 * handle, read with mica_errmsg() ("getdomaininfo 7: No such process").
 * A handle is not thread-safe; a program that needs two threads opens two.
 */
#ifndef LIBMICA_H
#define LIBMICA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <public/xen.h>
#include <public/domctl.h>
#include <public/sysctl.h>

/* ---- the privcmd handle ------------------------------------------------ */

struct mica;

/*
 * Open /dev/xen/privcmd and /dev/xen/hypercall.  NULL with errno set when
 * they cannot be opened (not dom0, modules not loaded).
 */
struct mica *mica_open(void);
void mica_close(struct mica *m);
const char *mica_errmsg(const struct mica *m);

/*
 * Raw hypercall: the arguments that are pointers must point into a buffer
 * from mica_buf_alloc() (the kernel refuses to fault other user pages
 * during a hypercall on newer kernels, and privcmd-buf pages are locked).
 */
long mica_hypercall(struct mica *m, unsigned int op, uint64_t a1, uint64_t a2,
                    uint64_t a3, uint64_t a4, uint64_t a5);
void *mica_buf_alloc(struct mica *m, size_t len);
void mica_buf_free(struct mica *m, void *p, size_t len);

/* ---- domains (domctl) -------------------------------------------------- */

struct mica_create_args {
    uint32_t want_domid;            /* 0: the hypervisor picks */
    uint32_t max_vcpus;
    uint8_t handle[16];             /* the UUID */
};

int mica_domain_create(struct mica *m, const struct mica_create_args *a,
                       uint32_t *domid);
int mica_domain_destroy(struct mica *m, uint32_t domid);
int mica_domain_pause(struct mica *m, uint32_t domid);
int mica_domain_unpause(struct mica *m, uint32_t domid);
int mica_domain_getinfo(struct mica *m, uint32_t domid,
                        struct xen_domctl_getdomaininfo *info);
/* Up to 'max' domains with id >= 'first'; returns how many were written. */
int mica_domain_getinfolist(struct mica *m, uint32_t first, unsigned int max,
                            struct xen_domctl_getdomaininfo *out);
int mica_domain_setmaxmem(struct mica *m, uint32_t domid, uint64_t max_kb);
int mica_domain_max_vcpus(struct mica *m, uint32_t domid, unsigned int n);
/* SCHEDOP_remote_shutdown with a SHUTDOWN_* reason. */
int mica_domain_shutdown(struct mica *m, uint32_t domid, unsigned int reason);

/* ---- memory_op and event channels on behalf of a domain ---------------- */

/* XENMEM_populate_physmap for 'n' pfns of 'domid' (order 0); mfns out. */
int mica_populate_physmap(struct mica *m, uint32_t domid, const uint64_t *pfns,
                          uint64_t *mfns, size_t n);
/*
 * XENMEM_set_memory_map with one RAM entry from 0 to 'max_kb', as
 * xc_domain_set_memmap_limit: a PV guest treats what lies above its boot
 * memory as ballooned out, so it can grow up to max_kb.
 */
int mica_domain_set_memmap_limit(struct mica *m, uint32_t domid, uint64_t max_kb);
/* EVTCHNOP_alloc_unbound: a port of 'domid' that 'remote' may bind. */
int mica_evtchn_alloc_unbound(struct mica *m, uint32_t domid, uint32_t remote,
                              uint32_t *port);

/* ---- the host (sysctl) ------------------------------------------------- */

int mica_physinfo(struct mica *m, struct xen_sysctl_physinfo *info);

/* ---- foreign mappings (IOCTL_PRIVCMD_MMAPBATCH_V2) --------------------- */

/*
 * Map 'n' frames of 'domid' (gfn = mfn for a PV domain) into this process,
 * PROT_READ and/or PROT_WRITE.  Per-frame errors land in errs[] (may be
 * NULL: then any failed frame fails the whole call and nothing stays
 * mapped).  Unmap with mica_unmap(p, n).
 */
void *mica_map_foreign(struct mica *m, uint32_t domid, int prot,
                       const uint64_t *gfns, int *errs, size_t n);
void mica_unmap(void *p, size_t n);

/* ---- /dev/xen/evtchn --------------------------------------------------- */

/*
 * One open of /dev/xen/evtchn; the ports bound through it are closed with
 * it.  Its fd polls readable when a bound port fired; mica_evtchn_pending()
 * reads one fired port, which stays masked until mica_evtchn_unmask().
 */
struct mica_evtchn;

struct mica_evtchn *mica_evtchn_open(void);
void mica_evtchn_close(struct mica_evtchn *e);
int mica_evtchn_fd(const struct mica_evtchn *e);
/* Each returns the local port (>= 0) or -errno. */
int mica_evtchn_bind_interdomain(struct mica_evtchn *e, uint32_t domid,
                                 uint32_t remote_port);
int mica_evtchn_bind_virq(struct mica_evtchn *e, unsigned int virq);
int mica_evtchn_bind_unbound(struct mica_evtchn *e, uint32_t domid);
int mica_evtchn_unbind(struct mica_evtchn *e, uint32_t port);
int mica_evtchn_notify(struct mica_evtchn *e, uint32_t port);
/* A fired port (>= 0), -EAGAIN when none is waiting, or -errno. */
int mica_evtchn_pending(struct mica_evtchn *e);
int mica_evtchn_unmask(struct mica_evtchn *e, uint32_t port);

/* ---- /dev/xen/gntdev and /dev/xen/gntalloc ------------------------------ */

struct mica_gnttab;

struct mica_gnttab *mica_gnttab_open(void);
void mica_gnttab_close(struct mica_gnttab *g);
/* Map 'n' grant refs of 'domid' into one contiguous range. */
void *mica_gnttab_map(struct mica_gnttab *g, uint32_t domid,
                      const uint32_t *refs, size_t n, int prot);
int mica_gnttab_unmap(struct mica_gnttab *g, void *p, size_t n);

/*
 * Grant copy (IOCTL_GNTDEV_GRANT_COPY, GNTTABOP_copy): bytes between our
 * memory and pages 'domid' granted us, without mapping them.  Each piece
 * stays inside its granted page (offset + len <= 4096).  Returns 0 when
 * every piece was tried (then each status is GNTST_okay or the
 * hypervisor's refusal: a bad ref, a read-only grant written...) or
 * -errno when the request itself was refused.
 */
struct mica_grant_copy {
    void *local;
    uint32_t ref;
    uint16_t offset, len;
    bool to_grant;                  /* local -> grant (a read's data) */
    int16_t status;                 /* out: GNTST_* */
};

int mica_gnttab_copy(struct mica_gnttab *g, uint32_t domid,
                     struct mica_grant_copy *c, size_t n);

/*
 * The other direction, /dev/xen/gntalloc: share 'n' fresh zeroed pages of
 * ours with 'domid' (writable or read-only for it); their grant refs land
 * in refs[].  The sharing ends with mica_gntshr_unshare() (or exit).
 * NULL with errno set on failure.
 */
struct mica_gntshr;

struct mica_gntshr *mica_gntshr_open(void);
void mica_gntshr_close(struct mica_gntshr *s);
void *mica_gntshr_share(struct mica_gntshr *s, uint32_t domid, size_t n,
                        bool writable, uint32_t *refs);
int mica_gntshr_unshare(struct mica_gntshr *s, void *p, size_t n);

/* ---- vCPUs and the credit scheduler ------------------------------------ */

struct mica_vcpuinfo {
    bool online, blocked, running;
    uint32_t cpu;                   /* physical CPU it is on or last ran on */
    uint64_t cpu_time;              /* ns */
};

/* XEN_DOMCTL_getvcpuinfo. */
int mica_vcpu_getinfo(struct mica *m, uint32_t domid, unsigned int vcpu,
                      struct mica_vcpuinfo *info);
/* Hard affinity as a bitmap of 'nr_bits' CPUs (bit n = CPU n). */
int mica_vcpu_setaffinity(struct mica *m, uint32_t domid, unsigned int vcpu,
                          const uint8_t *map, unsigned int nr_bits);
int mica_vcpu_getaffinity(struct mica *m, uint32_t domid, unsigned int vcpu,
                          uint8_t *map, unsigned int nr_bits);
int mica_sched_credit_get(struct mica *m, uint32_t domid, uint16_t *weight,
                          uint16_t *cap);
int mica_sched_credit_set(struct mica *m, uint32_t domid, uint16_t weight,
                          uint16_t cap);

/* ---- the hypervisor's console ring (sysctl readconsole) ---------------- */

/*
 * Read up to *len bytes of the hypervisor's log from *index on (0: the
 * oldest kept); *len and *index are updated.  'clear' empties the ring
 * after reading, as `xl dmesg -c` does.
 */
int mica_readconsole(struct mica *m, char *buf, size_t *len, uint32_t *index,
                     bool clear);

/* ---- save and restore (sr-save.c, domctl-save.c; stream: sr-stream.h) ---- */

/* XEN_DOMCTL_getvcpucontext: a vCPU's registers and frames, as the hypervisor holds them. */
int mica_vcpu_getcontext(struct mica *m, uint32_t domid, unsigned int vcpu,
                         struct vcpu_guest_context *ctxt);
/* getpageframeinfo3: frames[] mfns in, XEN_DOMCTL_PFINFO_* out (any count). */
int mica_pageframe_types(struct mica *m, uint32_t domid, uint64_t *frames, size_t n);
int mica_tscinfo_get(struct mica *m, uint32_t domid, struct xen_domctl_tsc_info *t);
int mica_tscinfo_set(struct mica *m, uint32_t domid, const struct xen_domctl_tsc_info *t);
/*
 * get/setvcpuextstate: the XSAVE state {xcr0, xcr0_accum, area} in
 * 'state' of *len bytes; a get with *len 0 asks the size (0: no XSAVE).
 */
int mica_vcpu_extstate(struct mica *m, uint32_t domid, unsigned int vcpu, bool set,
                       void *state, size_t *len);
/*
 * XEN_DOMCTL_resumedomain on a domain that suspended itself; 'cancelled'
 * first makes its SCHEDOP_shutdown return 1 (vCPU 0's rax), so that the
 * guest carries on as it was, as `xl save -c` leaves it.
 */
int mica_domain_resume(struct mica *m, uint32_t domid, bool cancelled);

/*
 * Write a suspended domain (SCHEDOP_shutdown(suspend) done, see
 * sr-stream.h for the format) to 'out': the xl header with 'config',
 * every page of its p2m with page tables canonicalised, its p2m frames,
 * TSC info, shared_info and each online vCPU's context.  The domain is
 * left as it was, for the caller to destroy or resume.
 */
struct sr_out;
#define MICA_SAVE_MAX_ROUNDS    30
struct mica_save_stats {
    uint64_t pages;                 /* pages written */
    uint64_t bytes;                 /* stream length */
    /* live: pages sent in each round, the last one the paused round */
    unsigned int rounds;
    uint64_t round_pages[MICA_SAVE_MAX_ROUNDS + 1];
};
int mica_domain_save(struct mica *m, uint32_t domid, struct sr_out *out,
                     const char *config, struct mica_save_stats *st);

/*
 * The same for a running domain, as libxc's live save (`xl migrate`):
 * log-dirty on, every page sent while the guest runs, then rounds of the
 * pages it dirtied meanwhile (CLEAN) until a round finds fewer than
 * 'dirty_threshold' dirty or 'max_rounds' live rounds (the first full one
 * included) are done; then 'suspend' stops the guest (it must leave the
 * domain suspended, SCHEDOP_shutdown(suspend)), and the last dirty set,
 * pages whose type or p2m entry changed, TSC, shared_info and vCPUs
 * follow.  Log-dirty is off again however it ends.  A failure before
 * 'suspend' returned leaves the guest running (*suspended false); after,
 * the caller resumes or destroys it.  'round' (may be NULL) is told of
 * each round as it ends.
 */
struct mica_save_live {
    unsigned int max_rounds;        /* 0: 5, libxc's */
    unsigned int dirty_threshold;   /* 0: 50, libxc's */
    int (*suspend)(void *ctx);      /* 0, or -errno with the guest running */
    void (*round)(void *ctx, unsigned int round, uint64_t pages, uint64_t dirty);
    void *ctx;
    bool suspended;                 /* out */
};
int mica_domain_save_live(struct mica *m, uint32_t domid, struct sr_out *out,
                          const char *config, struct mica_save_live *live,
                          struct mica_save_stats *st);

/*
 * Rebuild a saved domain from 'in' (a stream checked whole beforehand)
 * into 'domid', made empty with its vCPUs and memory limit: pages, p2m,
 * start_info with new xenstore and console ports for store_domid /
 * console_domid, shared_info, pinned page tables, vCPU contexts.  The
 * domain stays paused; on failure the caller destroys it.
 */
struct sr_in;
struct mica_restore {
    uint32_t store_domid, console_domid;    /* in */
    uint32_t store_port, console_port;      /* out */
    uint64_t store_mfn, console_mfn;        /* out */
    uint64_t pages;                         /* out: pages written */
};
int mica_domain_restore(struct mica *m, uint32_t domid, struct sr_in *in,
                        struct mica_restore *r);

/* ---- the user-space PV domain builder ---------------------------------- */

/*
 * What the toolstack asks for; the builder fills in the *_port and *_mfn
 * fields.  The domain must exist already (mica_domain_create, then
 * mica_domain_max_vcpus and mica_domain_setmaxmem); the builder populates
 * its memory, loads the kernel (a bzImage as Debian installs it, its
 * payload decompressed with liblzma, zlib or libzstd, or a plain ELF) and
 * the ramdisk, and lays out start_info, the p2m, the page tables, the
 * xenstore and console pages with their event channels, the hypercall
 * page and vCPU 0's context, as libxc does.  It leaves the domain paused.
 * On failure the domain is left as it is, for the caller to destroy; the
 * message names the step ("kernel /boot/x: not a kernel (...)",
 * "populate_physmap 3 (1024 of 32768 pages): Cannot allocate memory").
 * Grant entries 0 and 1 are not seeded (Mica has no acquire_resource for
 * grant frames): back ends map the store and console pages by mfn.
 */
struct mica_build {
    const char *kernel;             /* path */
    const char *ramdisk;            /* path or NULL */
    const char *cmdline;            /* or NULL */
    uint64_t mem_kb;                /* memory populated now */
    unsigned int vcpus;             /* vCPUs online at start (1..max) */
    uint32_t store_domid;           /* the xenstore back end: 0 */
    uint32_t console_domid;         /* the console back end: 0 */
    /* out */
    uint32_t store_port, console_port;
    uint64_t store_mfn, console_mfn;
};

int mica_build_pv(struct mica *m, uint32_t domid, struct mica_build *b);
/*
 * Grant entries 0 (console) and 1 (xenstore) of a new domain, as libxc
 * seeds them: each back end domain is permitted its ring's frame.  The
 * builder does it; a restore does it again for the restored rings.
 */
int mica_gnttab_seed(struct mica *m, uint32_t domid, uint64_t console_mfn,
                     uint32_t console_domid, uint64_t store_mfn, uint32_t store_domid);

/* ---- log-dirty for pre-copy rounds (shadow.c; XEN_DOMCTL_shadow_op) ----- */

/* ENABLE_LOGDIRTY: from now on the domain's writes are logged; OFF ends it. */
int mica_shadow_op_enable_logdirty(struct mica *m, uint32_t domid);
int mica_shadow_op_off(struct mica *m, uint32_t domid);
/*
 * CLEAN: the bitmap of pfns written since the last CLEAN (bit p = pfn p,
 * *pages pfns asked for, those covered out), then cleared; 'final' is
 * LOGDIRTY_FINAL, for the round with the domain paused.  PEEK reads
 * without clearing.  A NULL bitmap only reads (PEEK) or resets (CLEAN)
 * the stats.
 */
int mica_shadow_op_clean(struct mica *m, uint32_t domid, uint8_t *bitmap, uint64_t *pages,
                         bool final, struct xen_domctl_shadow_op_stats *stats);
int mica_shadow_op_peek(struct mica *m, uint32_t domid, uint8_t *bitmap, uint64_t *pages,
                        struct xen_domctl_shadow_op_stats *stats);
/* GET_ALLOCATION (*mb out) or SET_ALLOCATION (*mb in): the shadow pool in MiB. */
int mica_shadow_op_allocation(struct mica *m, uint32_t domid, uint32_t *mb, bool set);

#endif
