/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/builder-lib.h - a domain builder in the test kernel,
 * as a toolstack in dom0 does it (libxc's xc_dom_* order), using only
 * domctl, memory_op, mmu_update/mmuext_op with a foreign domain id and
 * event channels:
 *
 *   createdomain, max_vcpus, max_mem; populate_physmap; the ELF image
 *   copied in through foreign mappings; page tables, p2m list, shared_info
 *   (events masked), start_info (console and xenstore rings + unbound
 *   ports), boot stack; hypercall page (domctl hypercall_init); L4 pinned
 *   for the guest; setvcpucontext.  The domain is left paused:
 *   dom_unpause() starts it.  builder-run.c adds one whole create, run and
 *   destroy cycle on top.
 */
#ifndef TESTKERNEL_BUILDER_LIB_H
#define TESTKERNEL_BUILDER_LIB_H

#include <stddef.h>
#include <stdint.h>
#include <public/xen.h>
#include <public/grant_table.h>

#define DOMB_MAX_PAGES  8192            /* 32 MiB: the p2m we keep here */
#define FMAP_MAX        64              /* pages mapped at once */

struct dom_build {
    /* IN */
    const void *kernel;
    size_t kernel_len;
    const char *cmdline;
    uint64_t nr_pages;                  /* memory, <= DOMB_MAX_PAGES */
    unsigned int max_vcpus;             /* 0: one (vCPU 0, set up here) */
    /* OUT */
    domid_t domid;                      /* valid once created (else 0) */
    uint64_t entry, si_va, pt_base;
    uint32_t store_port, console_port;  /* in the new domain, remote dom0 */
    uint64_t store_mfn, console_mfn;
    char why[120];                      /* the step that failed, and how */
};

/*
 * Build a domain; 0 and b->domid paused and ready, or -errno with b->why
 * set.  On failure a domain already created is destroyed again.  In two
 * steps, dom_create() then dom_load(), the caller learns the new id in
 * between (to grant it pages and allocate ports named in its cmdline).
 */
int dom_build(struct dom_build *b);
int dom_create(struct dom_build *b);
int dom_load(struct dom_build *b);
long dom_unpause(domid_t dom);
/* The frame behind pfn of the domain dom_load() built last (~0 if none). */
uint64_t dom_p2m(uint64_t pfn);
long dom_destroy(domid_t dom);

/*
 * Foreign mappings in a window of FMAP_MAX pages of our own .bss, made
 * with mmu_update on our own L1 entries naming 'dom' as the frames'
 * owner.  fmap() returns the window (page i maps mfns[i]) or NULL with
 * *rc set; funmap() puts our own frames back, which drops every
 * reference taken on the other domain's frames.
 */
void *fmap(domid_t dom, const uint64_t *mfns, unsigned int n, long *rc);
long funmap(void);

/* ---- one create/run/destroy cycle (builder-run.c) ----------------------- */

#define DOMB_GREF       20              /* the grant dom0 offers the domU */

/* The page dom0 grants the domU: each side writes its own half. */
struct dom_exchange {
    char hello[64];                     /* dom0: "hello dN cycle C" */
    uint64_t cycle;
    char reply[64];                     /* domU: "dN got cycle C" */
    uint64_t boot_ns;                   /* domU: system time at its first console line */
    uint64_t domid;                     /* domU: its own id, as it learnt it */
};

/*
 * System time (ns) at each step of a cycle, and free frames around it.
 * System time, not the TSC: Xen may give a domU a TSC of its own.
 */
struct dom_times {
    uint64_t create, built, first_line, first_event, shutdown, destroyed;
    uint64_t free_before, free_after;
};

/* Our own grant table's frame 0, mapped once; NULL after test_fail(). */
volatile grant_entry_v1_t *grant_table_self(void);

/* Wait until 'port' is raised (and clear it) or system time 'deadline'. */
int dom_wait_event(uint32_t port, uint64_t deadline);

/*
 * Build a domU from 'kernel' running "test=builder/guest gref= peer_port=",
 * exchange data and events with it, see it shut down (VIRQ_DOM_EXC and
 * getdomaininfo), destroy it.  0, or -1 after test_fail() saying why.
 */
int dom_cycle(const void *kernel, size_t len, unsigned int cycle,
              struct dom_times *t);

#endif /* TESTKERNEL_BUILDER_LIB_H */
