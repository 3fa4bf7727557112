/* SPDX-License-Identifier: MIT */
/*
 * mica/domain.h - the domain and vCPU objects.
 *
 * A domain owns memory (its p2m), a shared_info page and its vCPUs; a vCPU
 * owns its register state and the PV state in struct arch_vcpu.  Domains
 * are created by the boot-time builder (dom0 and boot-time guests) and by
 * XEN_DOMCTL_createdomain.
 *
 * Locking: d->page_lock guards page_list and tot_pages; it is a leaf (no
 * other lock is taken under it), see mm/frame-table.c.  Page counts and
 * types need no lock (mm/page-type.c).
 *
 * Lifetime: a struct domain is reference counted (common/domain.c says
 * who holds what).  A pointer found by id is only good between
 * get_domain_by_id() and the matching put_domain().
 */
#ifndef MICA_DOMAIN_H
#define MICA_DOMAIN_H

#include <mica/types.h>
#include <public/xen.h>
#include <asm/pv.h>
#include <asm/page.h>
#include <asm/cpu.h>
#include <asm/spinlock.h>
#include <mica/sched.h>

#define MAX_VIRT_CPUS   XEN_LEGACY_MAX_VCPUS

struct domain;
struct evtchn_domain;
struct grant_table;

struct vcpu {
    struct domain *domain;
    unsigned int vcpu_id;
    struct sched_vcpu sched;        /* common/sched/ */
    vcpu_info_t *vcpu_info;         /* in shared_info, or registered page */
    bool vcpu_info_registered;      /* VCPUOP_register_vcpu_info done */
    spinlock_t setup_lock;          /* vcpu_info and first context (vcpu-op.c) */
    uint64_t runstate_guest;        /* guest VA of vcpu_runstate_info, or 0 */
    struct arch_vcpu arch;
};

enum domain_state { DOMAIN_RUNNING, DOMAIN_SHUTDOWN, DOMAIN_DYING };

/* Entries a toolstack may give a domain's memory map (libxl gives a PV one 1). */
#define DOMAIN_MEMMAP_MAX 8

struct domain {
    domid_t domain_id;
    char name[32];
    bool is_privileged;             /* dom0: domctl, sysctl, I/O */
    enum domain_state state;
    unsigned int shutdown_reason;   /* SHUTDOWN_*, valid when shut down */
    unsigned int shutdown_code;     /* SCHEDOP_shutdown_code, or ~0 */
    unsigned long vm_assist;        /* VMASST_TYPE_* bits */
    unsigned int sched_weight;      /* credit scheduler: relative share */
    unsigned int sched_cap;         /* percent of one CPU, 0 = no cap */
    bool ended;                     /* domain_ended() has run */
    bool killed;                    /* domain_destroy() has run: a zombie */
    unsigned int refcnt;            /* get/put_domain (common/domain.c) */
    unsigned int controller_pause_count;    /* domctl pausedomain, at most 255 */
    xen_domain_handle_t handle;     /* the toolstack's UUID (domctl) */
    unsigned int max_grant_frames, max_maptrack_frames;   /* 0: default */
    bool console_midline;           /* console_io: last write ended mid-line */

    shared_info_t *shared_info;     /* hypervisor-owned page */
    struct evtchn_domain *evtchn;   /* ports (common/event-channel.c) */
    struct grant_table *grant_table; /* common/grant-table.c */
    uint64_t nr_pages;              /* length of the builder's p2m */
    mfn_t *p2m;                     /* pfn -> mfn as built (the guest keeps its own) */

    /* Memory: frames owned (struct page_info list through mm/frame-table.c). */
    uint64_t tot_pages;             /* frames the domain owns now */
    uint64_t max_pages;             /* limit on tot_pages */
    uint32_t page_list;             /* first page: mfn + 1, 0 = none */
    spinlock_t page_lock;           /* page_list, tot_pages (mm/frame-table.c) */
    pte_t *perdomain_l3;            /* PML4 slot PERDOMAIN: GDT/LDT mappings */
    struct paging *paging;          /* log-dirty and shadows (mm/log-dirty.c); NULL: off */
    spinlock_t paging_lock;         /* d->paging and what it points to (mm/shadow.c) */

    /*
     * The pseudo-physical map the toolstack gave it (XENMEM_set_memory_map,
     * common/memory.c), which XENMEM_memory_map returns: for a PV domU one
     * RAM entry up to maxmem, so that Linux can balloon above its boot
     * memory.  nr_memmap 0: none was set (-ENOSYS, as in Xen).
     */
    struct domain_memmap {
        uint64_t addr, size;
        uint32_t type;
    } memmap[DOMAIN_MEMMAP_MAX];
    unsigned int nr_memmap;
    spinlock_t memmap_lock;         /* memmap, nr_memmap */

    unsigned int max_vcpus;
    struct vcpu *vcpus[MAX_VIRT_CPUS];
};

/* current: the vCPU this CPU runs (asm/cpu.h). */
extern struct domain *hardware_domain;  /* dom0 */

/* d with a reference taken, or NULL; put_domain() lets go. */
struct domain *get_domain_by_id(domid_t id);
/* The same, or cd itself (referenced too) for DOMID_SELF. */
struct domain *get_domain_by_any_id(struct domain *cd, domid_t id);
/* Another reference on a domain the caller knows to be referenced. */
void get_knownalive_domain(struct domain *d);
void put_domain(struct domain *d);
bool domain_id_in_use(domid_t id);
int domain_create(domid_t id, bool privileged, unsigned int max_vcpus, struct domain **out);
struct vcpu *vcpu_create(struct domain *d, unsigned int id);


/* Stop a misbehaving domain: print why and never run it again. */
void domain_crash(struct domain *d, const char *fmt, ...) __printf(2, 3);
void domain_shutdown(struct domain *d, unsigned int reason);
/* Kill d; domain_reap() frees it once nothing maps its frames or holds it. */
void domain_destroy(struct domain *d);
void domain_reap(void);
void domain_ended(struct domain *d);    /* puts the caller's reference */
extern uint64_t frames_before_dom0, heap_before_dom0;   /* teardown leak check */

/*
 * The domain a memory or device op names: the caller itself, or for the
 * control domain any other, held under the domctl lock until
 * target_domain_put().  NULL with *rc -EPERM or -ESRCH
 * (common/target-domain.c).
 */
struct domain *target_domain_get(domid_t id, long *rc);
void target_domain_put(struct domain *d);

/*
 * Stop every vCPU of d (not the caller's domain) and wait until none is
 * on a CPU; undo with domain_unpause_sync(), which leaves a domain the
 * toolstack paused still paused (common/domctl.c).
 */
void domain_pause_sync(struct domain *d);
void domain_unpause_sync(struct domain *d);

struct vcpu_guest_context;
/* A guest context becomes a fresh vCPU's state (common/vcpu-op.c). */
int vcpu_set_context(struct vcpu *v, const struct vcpu_guest_context *c);

/* Does the domain own machine frame 'mfn'? */
bool domain_owns_mfn(const struct domain *d, mfn_t mfn);

/* Memory ownership (mm/frame-table.c). */
int assign_page(struct domain *d, mfn_t mfn);
int assign_pages(struct domain *d, mfn_t mfn, unsigned int order);
mfn_t domain_alloc_page(struct domain *d, bool scrub);
void share_xen_page(struct domain *d, mfn_t mfn);
void unshare_xen_page(mfn_t mfn);
int guest_remove_page(struct domain *d, mfn_t mfn);
void domain_relinquish_memory(struct domain *d);

/* The per-domain mapping area (mm/perdomain.c). */
int perdomain_init(struct domain *d);
pte_t perdomain_l4e(const struct domain *d);
int perdomain_map(struct domain *d, uint64_t va, mfn_t mfn, uint64_t flags);
void perdomain_free(struct domain *d);

#endif
