/* SPDX-License-Identifier: MIT */
/*
 * mica/domain.h - the domain and vCPU objects.
 *
 * A domain owns memory (its p2m), a shared_info page and its vCPUs; a vCPU
 * owns its register state and the PV state in struct arch_vcpu.  Domains
 * are created by the boot-time builder (dom0 and boot-time guests) and by
 * XEN_DOMCTL_createdomain.
 *
 * Locking: each field group below names the lock or the rule that covers
 * it; docs/ARCHITECTURE.md has the order in which the locks nest.
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

/*
 * The fields are grouped by who may change them.  "Fixed" fields are set
 * while the object is made (boot, or a domctl under the domctl lock, before
 * anyone else can see it) and only read afterwards.  The order in which
 * the locks nest is docs/ARCHITECTURE.md's "Lock order".
 */
struct vcpu {
    /* Fixed. */
    struct domain *domain;
    unsigned int vcpu_id;

    /* Under the run-queue lock of sched.processor (common/sched/core.c):
     * pause_flags, on_runq; processor under both the old and the new
     * CPU's; the rest as sched.h says. */
    struct sched_vcpu sched;

    /* Under setup_lock (common/vcpu-op.c): where vcpu_info lives, which
     * moves once, and the first guest context (arch_set_vcpu_context).
     * Readers follow vcpu_info without the lock: it points into
     * shared_info or at a registered page, both live until the free. */
    spinlock_t setup_lock;
    vcpu_info_t *vcpu_info;         /* in shared_info, or registered page */
    bool vcpu_info_registered;      /* VCPUOP_register_vcpu_info done */

    /* The vCPU's own: changed by itself (its hypercalls) or, with its
     * domain paused, by the control domain (domctl). */
    uint64_t runstate_guest;        /* guest VA of vcpu_runstate_info, or 0 */
    struct arch_vcpu arch;          /* pv/ only, through asm/arch-hooks.h */
};

/* The states and what moves between them: common/domain.c. */
enum domain_state { DOMAIN_RUNNING, DOMAIN_SHUTDOWN, DOMAIN_DYING };

/* Entries a toolstack may give a domain's memory map: Xen's E820MAX. */
#define DOMAIN_MEMMAP_MAX 1024

struct domain {
    /* Fixed (max_vcpus and vcpus[]: each slot is filled once, by
     * vcpu_create under the domctl lock or at boot, and stays until the
     * free). */
    domid_t domain_id;
    char name[32];
    bool is_privileged;             /* dom0: domctl, sysctl, I/O */
    unsigned int max_vcpus;
    struct vcpu *vcpus[MAX_VIRT_CPUS];
    unsigned int max_grant_frames, max_maptrack_frames;   /* 0: default */

    /*
     * Pointers fixed from creation to the free; what they point to has a
     * lock of its own: the ports (evtchn->event_lock), the grant table
     * (grant_table->lock), the log-dirty state (paging_lock, below).
     */
    shared_info_t *shared_info;     /* hypervisor-owned page */
    struct evtchn_domain *evtchn;   /* ports (common/event-channel.c) */
    struct grant_table *grant_table; /* common/grant-table.c */
    pte_t *perdomain_l3;            /* PML4 slot PERDOMAIN: GDT/LDT mappings */

    /* Under shutdown_lock (common/domain.c, a leaf but for the run-queue
     * locks it takes to stop or restart the vCPUs).  Readers elsewhere
     * take state as one word, a snapshot. */
    spinlock_t shutdown_lock;
    enum domain_state state;
    unsigned int shutdown_reason;   /* SHUTDOWN_*, valid when shut down */
    unsigned int shutdown_code;     /* SCHEDOP_shutdown_code, or ~0 */

    /*
     * Lifetime, lock-free: refcnt by atomic add and subtract, the last
     * put checked under domlist_lock (common/domain.c); ended by atomic
     * exchange, so that one vCPU's exit ends the domain; killed written
     * once, by the kill under the domctl lock.
     */
    unsigned int refcnt;            /* get/put_domain (common/domain.c) */
    bool ended;                     /* domain_ended() has run */
    bool killed;                    /* domain_destroy() has run: a zombie */

    /* Under the domctl lock (the toolstack's settings); the scheduler's
     * tick reads sched_weight and sched_cap as they are. */
    unsigned int controller_pause_count;    /* domctl pausedomain, at most 255 */
    xen_domain_handle_t handle;     /* the toolstack's UUID (domctl) */
    unsigned int sched_weight;      /* credit scheduler: relative share */
    unsigned int sched_cap;         /* percent of one CPU, 0 = no cap */
    uint64_t max_pages;             /* limit on tot_pages (read under page_lock) */

    /* The builder's (boot, or the domctl that builds it, under the domctl
     * lock), read-only once the domain runs. */
    uint64_t nr_pages;              /* length of the builder's p2m */
    mfn_t *p2m;                     /* pfn -> mfn as built (the guest keeps its own) */

    /* Under page_lock, a leaf (mm/frame-table.c): the frames it owns
     * (struct page_info list).  Page types and counts need no lock
     * (mm/page-type.c); tot_pages is read without it as a snapshot. */
    spinlock_t page_lock;
    uint64_t tot_pages;             /* frames the domain owns now */
    uint32_t page_list;             /* first page: mfn + 1, 0 = none */

    /* Under paging_lock, taken with interrupts off (mm/shadow.c). */
    spinlock_t paging_lock;
    struct paging *paging;          /* log-dirty and shadows (mm/log-dirty.c); NULL: off */

    /*
     * Under memmap_lock, a leaf (common/memory.c): the pseudo-physical
     * map the toolstack gave it (XENMEM_set_memory_map), which
     * XENMEM_memory_map returns: for a PV domU one RAM entry up to maxmem,
     * so that Linux can balloon above its boot memory.  nr_memmap 0: none
     * was set (-ENOSYS, as in Xen).
     */
    spinlock_t memmap_lock;
    struct domain_memmap {
        uint64_t addr, size;
        uint32_t type;
    } *memmap;                      /* xmalloc'd, freed with the domain */
    unsigned int nr_memmap;
    unsigned int memmap_gen;        /* bumped by each set: readers retry */

    /*
     * The domain's own, changed by its vCPUs without a lock: vm_assist
     * with atomic bit operations (common/vm-assist.c; a restore sets it
     * with the domain paused); console_midline by the console_io of
     * whichever vCPU writes, where a race only mislabels a line.
     */
    unsigned long vm_assist;        /* VMASST_TYPE_* bits */
    bool console_midline;           /* console_io: last write ended mid-line */
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
/*
 * The domain's state (common/domain.c has the state machine): shut it
 * down (SHUTDOWN_* reason), resume it from a shutdown (-EINVAL unless shut
 * down and not killed), mark it dying ahead of its kill, and record the
 * guest's SCHEDOP_shutdown_code; each under d->shutdown_lock.
 */
void domain_shutdown(struct domain *d, unsigned int reason);
int domain_resume(struct domain *d);
void domain_set_dying(struct domain *d);
void domain_set_shutdown_code(struct domain *d, unsigned int code);
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
