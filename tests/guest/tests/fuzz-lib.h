/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/fuzz-lib.h - the hostile-guest hypercall fuzzer: a
 * seeded generator of hypercalls with random and mutated arguments, the
 * environment it draws its values from, and the status page the fuzzing
 * domU shares with the dom0 that checks the hypervisor between batches.
 *
 * Replay: every call's arguments come from a PRNG seeded with (seed, vCPU,
 * call index) alone, so "fuzz.seed=S fuzz.only=K" redoes call K by itself
 * and "fuzz.trace=1" prints each call before it is made.  Earlier calls
 * change the state later ones see, so a crash is first replayed whole with
 * trace on, then cut down.
 *
 * What the generator never does (it would only kill the fuzzing guest, not
 * test the hypervisor), each enforced in fuzz-gen.c:
 *   - SCHEDOP_shutdown and the compat sched_op's shutdown, remote_shutdown
 *     of itself; SCHEDOP_block (nothing may ever wake it) and SCHEDOP_poll
 *     without a short timeout; a watchdog left armed; in a multicall no
 *     sched_op but yield (earlier entries' results may rewrite its
 *     structure: a poll without timeout, a shutdown of ourselves);
 *   - the iret hypercall (it pops a frame off our own stack);
 *   - VCPUOP_down of vCPU 0 or 1, VCPUOP_register_vcpu_info for vCPU 1,
 *     VCPUOP_send_nmi to the other vCPU (it may be between a random trap
 *     table and its restore);
 *   - a multicall list that runs on into words it did not generate: the
 *     list ends at a guard page, and a wild list is an unreadable address
 *     (any readable words would be run as entries, as a stale
 *     SCHEDOP_block once was);
 *   - MMUEXT_NEW_BASEPTR to anything but the L4 in use; grant map, unmap
 *     and unmap_and_replace beyond the ops built (the arena's other words
 *     hold kernel addresses, and replace takes new_addr's mapping away);
 *   - mappings, frees or writes aimed at the kernel's own code, data and
 *     stacks: virtual addresses come from a window of pages kept for the
 *     fuzzer, frames from a pool, the page tables (only with values the
 *     hypervisor must refuse, or read-only) and wild values; pointers from
 *     per-vCPU arenas followed by unmapped guard pages, read-only pages,
 *     shared_info, the hypercall page (the fuzzer calls with syscall) and
 *     hypervisor, user and non-canonical addresses;
 *   - a random trap table, callback or debug register left in place: each
 *     is put back right after the call.
 */
#ifndef TESTKERNEL_FUZZ_LIB_H
#define TESTKERNEL_FUZZ_LIB_H

#include <stdint.h>
#include <stddef.h>
#include <public/xen.h>

/* ---- the PRNG (splitmix64) -------------------------------------------- */

struct fz_rng {
    uint64_t s;
};

static inline uint64_t fz_next(struct fz_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15UL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
    return z ^ (z >> 31);
}

/* Uniform enough in [0, n) for n far below 2^64. */
static inline uint64_t fz_below(struct fz_rng *r, uint64_t n)
{
    return n ? fz_next(r) % n : 0;
}

static inline int fz_pct(struct fz_rng *r, unsigned int pct)
{
    return fz_below(r, 100) < pct;
}

/* The stream of one call: a function of seed, vCPU and index only. */
static inline void fz_seed_call(struct fz_rng *r, uint64_t seed, unsigned int cpu,
                                uint64_t idx)
{
    r->s = seed ^ ((uint64_t)cpu << 56) ^ (idx * 0xd1342543de82ef95UL);
    fz_next(r);
}

/* ---- the environment (fuzz-env.c) -------------------------------------- */

#define FZ_CPUS         2
#define FZ_ARENA_PAGES  6               /* per vCPU, then a guard page */
#define FZ_WIN_PAGES    16              /* remappable window, then a guard */
#define FZ_POOL_MAX     64              /* frames we may own, to play with */

struct fz_env {
    uint8_t *arena[FZ_CPUS];            /* valid buffers for arguments */
    uint64_t guard_va[FZ_CPUS + 1];     /* unmapped pages after each area */
    uint64_t win_va;                    /* FZ_WIN_PAGES remappable pages */
    uint64_t win_l1e;                   /* machine address of its 1st L1 entry */
    uint64_t l1_mfn;                    /* the L1 that maps the window */
    uint64_t l4_mfn;                    /* our L4, in CR3 */
    uint64_t pt_va;                     /* start_info->pt_base */
    uint64_t nr_pt;
    uint64_t pool[FZ_POOL_MAX];         /* window frames, then harvested */
    unsigned int npool;
    uint64_t shinfo_mfn, gnt_mfn, xen_mfn;
    uint64_t max_ram;                   /* XENMEM_maximum_ram_page */
    domid_t self;
    const char *text;                   /* printable bytes for console_io */
};

extern struct fz_env fz;

/* Set the environment up (window, guards, grant table); 0 or -errno. */
long fz_env_init(domid_t self);
/* Scribble over our own grant entries, as a hostile grantor would. */
void fz_env_mutate_grants(struct fz_rng *r);
/*
 * Compare this vCPU's arena mappings with those set up at init and put
 * back any that changed (a call that remapped the fuzzer's own buffers);
 * how many had changed.
 */
unsigned int fz_env_arena_repair(unsigned int cpu);
/* fuzz.watch=1: is the read-only mapping of our own L1 still there? */
int fz_env_tables_mapped(unsigned int cpu);
/* Remember frames a populate/exchange gave us (for later calls). */
void fz_env_harvest(const uint64_t *mfns, unsigned long n);

/* Value classes the generators draw from. */
uint64_t fz_mfn(struct fz_rng *r);          /* pool, tables, shared, wild */
uint64_t fz_pte(struct fz_rng *r);          /* an mfn with random flags */
uint64_t fz_ptr(struct fz_rng *r, unsigned int cpu);   /* valid or wild */
uint64_t fz_va(struct fz_rng *r);           /* window, guard or wild */
uint64_t fz_maddr(struct fz_rng *r);        /* window L1 entries, pool, wild */
uint64_t fz_dom(struct fz_rng *r);          /* self, dom0, reserved, random */
uint64_t fz_count(struct fz_rng *r, uint64_t small);   /* mostly < small */
uint64_t fz_word(struct fz_rng *r, unsigned int cpu);  /* any of the above */
/* A buffer in the caller's arena: 'len' bytes of fz_word()s, or NULL. */
void *fz_buf(struct fz_rng *r, unsigned int cpu, size_t len);
/*
 * Room for a multicall list of n (at most FZ_MC_MAX) entries that ends
 * where the arena's guard page starts: a count past n makes the hypervisor
 * fault on the guard page, never run the stale words of earlier calls as
 * entries (a SCHEDOP_block among them put vCPU 1 to sleep for good).
 */
#define FZ_MC_MAX       8
struct multicall_entry *fz_mc_list(unsigned int cpu, unsigned int n);
/* An address the guest cannot read: a guard page, Xen's range, a user or
 * non-canonical address (a wild multicall list). */
uint64_t fz_unreadable(struct fz_rng *r);

/* ---- one call (fuzz-gen.c) --------------------------------------------- */

#define FZ_RESTORE_TRAPS    0x1         /* trap table or callbacks changed */
#define FZ_RESTORE_DR       0x2         /* a debug register was written */
#define FZ_RESTORE_FPU      0x4         /* fpu_taskswitch */
#define FZ_RESTORE_WATCHDOG 0x8         /* a watchdog may be armed */
#define FZ_HARVEST          0x10        /* harvest[] holds new frames */

struct fz_call {
    uint64_t nr;                        /* rax: may carry high garbage */
    uint64_t a[6];
    unsigned int restore;               /* FZ_RESTORE_* after the call */
    const uint64_t *harvest;            /* FZ_HARVEST: where, how many */
    unsigned long nharvest;
};

/* Generate call 'idx' of vCPU 'cpu' (the stream fz_seed_call gives). */
void fz_gen(struct fz_rng *r, unsigned int cpu, struct fz_call *c);
/* Make it (a bare syscall, or the hypercall page now and then). */
long fz_issue(const struct fz_call *c);
/* Put back what the call may have changed; 'rc' its result. */
void fz_restore(const struct fz_call *c, long rc, unsigned int cpu);

/* ---- the status page dom0 reads (fuzz-guest.c) ------------------------- */

#define FZ_MAGIC        0x7a7a75664d494341UL

struct fz_status {
    uint64_t magic;
    uint64_t seed;
    uint64_t batch;                     /* domU: batches finished */
    uint64_t ack;                       /* dom0: batches checked */
    uint64_t calls;                     /* domU: calls made, both vCPUs */
    uint64_t tot_pages;                 /* domU: current_reservation, parked */
    uint64_t faults;                    /* domU: exceptions the calls caused */
    uint64_t done;                      /* domU: 1 when the run is over, 2
                                         * when it ended with a failure */
    uint64_t idx[2], nr[2];             /* domU: each vCPU's call in flight */
    uint64_t remaps;                    /* domU: arena mappings put back */
    uint64_t env_repairs;               /* domU: its own state put back */
};

/* The page's virtual address: the same in dom0's copy of the image. */
extern uint8_t fz_status_page[4096];

#endif /* TESTKERNEL_FUZZ_LIB_H */
