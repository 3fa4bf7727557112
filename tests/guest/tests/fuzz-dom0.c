/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/fuzz-dom0.c - fuzz/run, the checker: dom0 builds the
 * fuzzing domU from its own image (as builder/cycles does), maps the
 * domU's status page, and after every batch the domU finishes checks
 *
 *   - the hypervisor answers (xen_version);
 *   - the domU's frames add up: getdomaininfo's tot_pages is what the domU
 *     itself counted while parked, and within max_pages;
 *   - dom0's tot_pages has not moved (the domU cannot give or take ours);
 *   - free_pages + the domU's tot_pages stays within FZ_SLACK of where it
 *     began (the hypervisor's own structures for the domU may grow);
 *
 * and after the domU powers off and is destroyed, that free_pages is back
 * where it was before it was built (see fuzz/run below for the heap's
 * part).  Every failure names the seed and the batch, for a replay with
 * fuzz.seed= fuzz.trace=1.
 *
 * Command line: fuzz.seed= (default 1), fuzz.calls= (vCPU 0's, default
 * 50000: with vCPU 1's about twice as many in all),
 * fuzz.batch= (1000), fuzz.race= (1), fuzz.trace=, fuzz.from=, fuzz.only=
 * (passed on to the domU).  Without a module the test is skipped.
 */
#include "ctl-lib.h"
#include "fuzz-lib.h"
#include "builder-lib.h"
#include <clock.h>
#include <public/version.h>

#define FZ_PAGES        2048            /* the domU's memory: 8 MiB */
#define FZ_SLACK        512             /* frames the HV may hold for it */
#define HEAP_SLACK      32              /* heap growth a first run may cause */
#define STALL_NS        (120 * NSEC_PER_SEC)

struct run {
    uint64_t seed, calls, race, batch_seen, base;
    uint64_t dom0_pages;
    int64_t worst_drift;
    domid_t dom;
    volatile struct fz_status *st;
};

static uint64_t opt_or(const char *key, uint64_t dflt)
{
    uint64_t v = dflt;

    cmdline_uint(key, &v);
    return v;
}

static void cmdline_for(char *buf, size_t len, domid_t dom, const struct run *run)
{
    int n = snprintf(buf, len, "test=fuzz/guest hypercall=syscall fuzz.domid=%u "
                     "fuzz.seed=%lu fuzz.calls=%lu fuzz.batch=%lu fuzz.race=%lu "
                     "fuzz.trace=%lu fuzz.from=%lu fuzz.watch=%lu", dom, run->seed,
                     run->calls, opt_or("fuzz.batch", 1000), run->race,
                     opt_or("fuzz.trace", 0), opt_or("fuzz.from", 0),
                     opt_or("fuzz.watch", 0));
    uint64_t only;

    if (cmdline_uint("fuzz.only", &only) && n > 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, " fuzz.only=%lu", only);
}

static uint64_t tot_pages(domid_t dom, uint64_t *max)
{
    struct xen_domctl_getdomaininfo info;

    if (domctl_info(dom, &info) || info.domain != dom)
        return ~0UL;
    if (max)
        *max = info.max_pages;
    return info.tot_pages;
}

/* The checks of one batch; 0, or -1 after test_fail(). */
static int check_batch(struct run *run)
{
    uint64_t b = run->st->batch, max = 0, tot, free;
    int64_t drift;

    if (HYPERVISOR_xen_version(XENVER_version, NULL) <= 0) {
        test_fail("seed %lu batch %lu: the hypervisor stopped answering", run->seed, b);
        return -1;
    }
    tot = tot_pages(run->dom, &max);
    free = sysctl_free_pages();
    if (tot != run->st->tot_pages || tot > max) {
        test_fail("seed %lu batch %lu: d%u tot_pages %lu, it counted %lu, max %lu",
                  run->seed, b, run->dom, tot, run->st->tot_pages, max);
        return -1;
    }
    if (tot_pages(0, NULL) != run->dom0_pages) {
        test_fail("seed %lu batch %lu: dom0 tot_pages %lu, was %lu", run->seed, b,
                  tot_pages(0, NULL), run->dom0_pages);
        return -1;
    }
    if (!run->base)
        run->base = free + tot;
    drift = (int64_t)(free + tot) - (int64_t)run->base;
    if (drift > run->worst_drift || -drift > run->worst_drift)
        run->worst_drift = drift < 0 ? -drift : drift;
    if (drift > FZ_SLACK || -drift > FZ_SLACK) {
        test_fail("seed %lu batch %lu: free %lu + d%u's %lu is %ld frames from the start",
                  run->seed, b, free, run->dom, tot, (long)drift);
        return -1;
    }
    return 0;
}

/*
 * free_pages once it stops moving (two equal readings 50 ms apart), or
 * once it reaches 'want': a destroyed domain's last frames may come back
 * a moment after destroydomain returns.
 */
static uint64_t settled_free(uint64_t want)
{
    uint64_t deadline = clock_ns() + 2 * NSEC_PER_SEC, prev = sysctl_free_pages(), now;

    for (;;) {
        clock_sleep_until(clock_ns() + 50 * NSEC_PER_MSEC);
        now = sysctl_free_pages();
        if (now == want || now == prev || clock_ns() > deadline)
            return now;
        prev = now;
    }
}

static int shut_down(domid_t dom, unsigned int *code)
{
    struct xen_domctl_getdomaininfo info;

    if (domctl_info(dom, &info) || info.domain != dom)
        return 1;                       /* gone altogether */
    *code = (info.flags >> XEN_DOMINF_shutdownshift) & 0xff;
    return !!(info.flags & XEN_DOMINF_shutdown);
}

/* Check every batch until the domU is down; 0 when it finished cleanly. */
static int watch(struct run *run)
{
    uint64_t last = clock_ns();
    unsigned int code = ~0U;

    for (;;) {
        uint64_t b = __atomic_load_n(&run->st->batch, __ATOMIC_ACQUIRE);

        if (b != run->batch_seen) {
            if (check_batch(run))
                return -1;
            run->batch_seen = b;
            __atomic_store_n(&run->st->ack, b, __ATOMIC_RELEASE);
            last = clock_ns();
        } else if (shut_down(run->dom, &code)) {
            break;
        } else if (clock_ns() - last > STALL_NS) {
            test_fail("seed %lu: no batch from d%u for 120 s after batch %lu; in flight: "
                      "vCPU 0 #%lu nr %#lx, vCPU 1 #%lu nr %#lx", run->seed, run->dom, b,
                      run->st->idx[0], run->st->nr[0], run->st->idx[1], run->st->nr[1]);
            return -1;
        }
        clock_sleep_until(clock_ns() + 2 * NSEC_PER_MSEC);
    }
    if (run->st->done != 1) {
        test_fail("seed %lu: d%u went down (code %d, %s) after batch %lu of its run; "
                  "replay with fuzz.seed=%lu fuzz.trace=1", run->seed, run->dom, (int)code,
                  run->st->done ? "its checks failed" : "unfinished", run->batch_seen,
                  run->seed);
        return -1;
    }
    printk("  fuzz: d%u made %lu calls in %lu batches, %lu faults; worst drift %ld frames\n",
           run->dom, run->st->calls, run->batch_seen, run->st->faults, (long)run->worst_drift);
    return 0;
}

static int start(struct run *run, struct dom_build *b)
{
    static char cmdline[256];
    uint64_t pfn = ((uint64_t)(uintptr_t)fz_status_page - VIRT_BASE) >> 12, mfn;
    long rc;

    if (dom_create(b)) {
        test_fail("%s", b->why);
        return -1;
    }
    run->dom = b->domid;
    cmdline_for(cmdline, sizeof(cmdline), b->domid, run);
    b->cmdline = cmdline;
    if (dom_load(b)) {
        test_fail("building d%u: %s", b->domid, b->why);
        b->domid = 0;                   /* dom_load destroyed it */
        return -1;
    }
    mfn = dom_p2m(pfn);
    run->st = fmap(b->domid, &mfn, 1, &rc);
    if (!run->st) {
        test_fail("mapping d%u's status page: %ld", b->domid, rc);
        return -1;
    }
    if ((rc = dom_unpause(b->domid))) {
        test_fail("unpausing d%u: %ld", b->domid, rc);
        return -1;
    }
    return 0;
}

/* One fuzzing domU from build to destroy; the frames it did not give back. */
static int64_t one_run(struct run *run, const void *img, size_t len)
{
    struct dom_build b = { .kernel = img, .kernel_len = len, .nr_pages = FZ_PAGES,
                           .max_vcpus = 2 };
    uint64_t free0 = settled_free(~0UL), free1;
    long rc;

    run->dom0_pages = tot_pages(0, NULL);
    if (!start(run, &b))
        watch(run);
    if (run->st)
        funmap();
    if (b.domid && (rc = dom_destroy(b.domid)))
        test_fail("destroying d%u: %ld", b.domid, rc);
    free1 = settled_free(free0);
    return (int64_t)free0 - (int64_t)free1;
}

/*
 * The main run, then the first tenth of it again without the race: the
 * main run may leave the hypervisor's heap larger (a size class used for
 * the first time keeps its page), so only HEAP_SLACK frames are allowed
 * there; the replay walks paths the heap already knows and must give back
 * every frame.
 */
TEST(run, "fuzz/run")
{
    struct run run = { .seed = opt_or("fuzz.seed", 1), .calls = opt_or("fuzz.calls", 50000),
                       .race = opt_or("fuzz.race", 1) };
    struct run again = { .seed = run.seed, .calls = run.calls / 10 };
    struct dom_times t;
    const void *img = (const void *)(uintptr_t)start_info->mod_start;
    size_t len = start_info->mod_len;
    int64_t lost;

    if (!start_info->mod_start || !start_info->mod_len) {
        test_skip("no domU kernel (dom0 was given no module)");
        return;
    }
    printk("  fuzz: seed %lu (replay: fuzz.seed=%lu)\n", run.seed, run.seed);
    /* The first domain ever may leave the heap larger (builder/run_domu). */
    if (dom_cycle(img, len, 0, &t))
        return;
    lost = one_run(&run, img, len);
    if (lost > HEAP_SLACK)
        test_fail("seed %lu: %ld frames not back after destroy", run.seed, (long)lost);
    else if (lost)
        test_note("seed %lu: %ld frames fewer after destroy (heap growth)", run.seed,
                  (long)lost);
    if (!again.calls)
        return;
    lost = one_run(&again, img, len);
    CHECK(lost == 0, "seed %lu: the replay of %lu calls left %ld frames unaccounted",
          again.seed, again.calls, (long)lost);
}
