/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/mm/log-dirty.c - XEN_DOMCTL_shadow_op for PV domains: the
 * dirty bitmap a saver reads between pre-copy rounds, and turning shadow
 * mode (mm/shadow.c, which says how the guest's own writes are caught)
 * on and off around it.
 *
 * The bitmap is flat, one bit per pfn up to the larger of the domain's
 * p2m length and its memory limit, allocated at enable.  Bits are set
 * with atomic operations from any CPU: the fault path, and the hypervisor
 * writing guest frames through the direct map (grant copy, page-table
 * updates, MMUEXT_CLEAR/COPY_PAGE, descriptor updates).  Frames the
 * hypervisor keeps mapped and writes without a trace - the registered
 * vcpu_info pages (event flags, system time) - are reported dirty in every
 * CLEAN and PEEK instead.  shared_info is the hypervisor's page, not the
 * guest's RAM, and has no pfn, as in Xen.
 *
 * Errnos are Xen 4.17's: the caller's own domain or one without vCPU 0 is
 * -EINVAL, a dying domain 0 (nothing done), ENABLE_LOGDIRTY when on and
 * CLEAN/PEEK with a mode bit other than FINAL -EINVAL.  Mica offers no
 * plain shadow mode (ENABLE_TEST, ENABLE without LOG_DIRTY): -ENOSYS.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/domctl.h>
#include <mica/frame-alloc.h>
#include <mica/guest-access.h>
#include <mica/heap.h>
#include <mica/m2p.h>
#include <mica/page.h>
#include <mica/paging.h>
#include <public/domctl.h>
#include <asm/smp.h>
#include "shadow.h"

#define SH_ALL      (~0UL)
#define FRAMES_PER_MB   (1U << (20 - PAGE_SHIFT))
#define POOL_PER_VCPU   128U            /* what Xen keeps per vCPU */
#define CHUNK_WORDS     64U             /* bitmap words copied out at a time */

/* Pool size asked for with SET_ALLOCATION while off, in MiB (0: computed). */
static unsigned int wanted_mb[CONFIG_MAX_DOMAINS];

bool logdirty_tracks(const struct paging *p, const struct domain *d, mfn_t mfn,
                     uint64_t *pfn)
{
    if (!mfn_valid(mfn) || __atomic_load_n(&mfn_to_page(mfn)->owner, __ATOMIC_RELAXED) != d)
        return false;
    *pfn = get_gpfn_from_mfn(mfn);
    return *pfn < p->nr_bits;
}

bool logdirty_test(const struct paging *p, uint64_t pfn)
{
    return __atomic_load_n(&p->bitmap[pfn / 64], __ATOMIC_RELAXED) & (1UL << (pfn % 64));
}

void logdirty_set(struct paging *p, uint64_t pfn)
{
    uint64_t bit = 1UL << (pfn % 64);

    if (!(__atomic_fetch_or(&p->bitmap[pfn / 64], bit, __ATOMIC_SEQ_CST) & bit))
        __atomic_fetch_add(&p->dirty_count, 1, __ATOMIC_RELAXED);
}

struct paging *paging_lock_and_log(struct domain *d, mfn_t mfn, unsigned long *flags)
{
    struct paging *p;
    uint64_t pfn;

    *flags = spin_lock_irqsave(&d->paging_lock);
    p = d->paging;
    if (p && logdirty_tracks(p, d, mfn, &pfn))
        logdirty_set(p, pfn);
    return p;
}

void paging_mark_dirty_slow(struct domain *d, mfn_t mfn)
{
    unsigned long flags;

    paging_lock_and_log(d, mfn, &flags);
    spin_unlock_irqrestore(&d->paging_lock, flags);
}

/* Frames written through the hypervisor's own mappings, dirty every round. */
static void mark_always_dirty(struct domain *d)
{
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];

        if (v && v->vcpu_info_registered)
            paging_mark_dirty(d, __pa(v->vcpu_info) >> PAGE_SHIFT);
    }
}

static unsigned int pool_frames(const struct domain *d)
{
    unsigned int n = POOL_PER_VCPU * d->max_vcpus + d->tot_pages / 256 + 64;

    return MAX(n, wanted_mb[d->domain_id] * FRAMES_PER_MB);
}

static long enable_logdirty(struct domain *d)
{
    uint64_t bits = MAX(d->nr_pages, d->max_pages);
    unsigned long flags;
    struct paging *p;
    int rc;

    if (d->paging)
        return -EINVAL;
    p = xzalloc_obj(struct paging);
    if (!p)
        return -ENOMEM;
    p->nr_bits = (bits + 63) & ~63UL;
    p->bitmap = xzalloc(MAX(p->nr_bits / 8, 8));
    rc = p->bitmap ? shadow_enable(d, p, pool_frames(d)) : -ENOMEM;
    if (rc) {
        xfree(p->bitmap);
        xfree(p);
        return rc;
    }
    /* Paused: each vCPU picks its shadow root up when it next runs. */
    domain_pause_sync(d);
    flags = spin_lock_irqsave(&d->paging_lock);
    __atomic_store_n(&d->paging, p, __ATOMIC_RELEASE);
    spin_unlock_irqrestore(&d->paging_lock, flags);
    domain_unpause_sync(d);
    return 0;
}

/* Leave shadow mode: the vCPUs run on their own tables when they next run. */
static void disable_logdirty(struct domain *d, bool pause)
{
    unsigned long flags;
    struct paging *p;

    if (pause)
        domain_pause_sync(d);
    flags = spin_lock_irqsave(&d->paging_lock);
    p = d->paging;
    __atomic_store_n(&d->paging, NULL, __ATOMIC_RELEASE);
    spin_unlock_irqrestore(&d->paging_lock, flags);
    if (pause)
        domain_unpause_sync(d);
    if (!p)
        return;
    shadow_free(p);
    xfree(p->bitmap);
    xfree(p);
}

void paging_teardown(struct domain *d)
{
    disable_logdirty(d, false);         /* its vCPUs are off the scheduler */
    wanted_mb[d->domain_id] = 0;
}

/* Copy (and with 'clean', clear) the bitmap out; stats as they were. */
static long bitmap_op(struct domain *d, struct xen_domctl_shadow_op *sc, bool clean)
{
    struct paging *p = d->paging;
    uint64_t buf[CHUNK_WORDS], pages, bytes;
    long rc = 0;

    if (sc->mode & ~XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL)
        return -EINVAL;
    if (!p)
        return -EINVAL;
    if (clean)
        domain_pause_sync(d);
    mark_always_dirty(d);
    sc->stats.fault_count = __atomic_load_n(&p->fault_count, __ATOMIC_RELAXED);
    sc->stats.dirty_count = __atomic_load_n(&p->dirty_count, __ATOMIC_RELAXED);
    pages = MIN(sc->pages, p->nr_bits);
    bytes = (pages + 7) / 8;
    for (uint64_t w = 0; w * 8 < bytes && sc->dirty_bitmap; w += CHUNK_WORDS) {
        uint64_t n = MIN((uint64_t)CHUNK_WORDS, (bytes - w * 8 + 7) / 8);

        for (uint64_t i = 0; i < n; i++)
            buf[i] = clean ? __atomic_exchange_n(&p->bitmap[w + i], 0, __ATOMIC_SEQ_CST)
                           : __atomic_load_n(&p->bitmap[w + i], __ATOMIC_SEQ_CST);
        if (copy_to_guest(sc->dirty_bitmap + w * 8, buf, MIN(n * 8, bytes - w * 8))) {
            rc = -EFAULT;
            break;
        }
    }
    sc->pages = pages;
    if (clean) {
        /* A NULL handle only clears (Xen's "stats only"). */
        for (uint64_t w = 0; !sc->dirty_bitmap && w < p->nr_bits / 64; w++)
            __atomic_store_n(&p->bitmap[w], 0, __ATOMIC_SEQ_CST);
        __atomic_store_n(&p->fault_count, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&p->dirty_count, 0, __ATOMIC_RELAXED);
        shadow_blow_and_flush(d);
        domain_unpause_sync(d);
    }
    return rc;
}

/*
 * GET and SET_ALLOCATION.  As in Xen, a SET takes effect at once: while
 * log-dirty is on the pool is rebuilt at the new size (never below what
 * the domain needs, Xen's lower bound too), and the answer is the pool
 * as it now is.  While off, Mica has no pool to resize: the size is kept
 * for the next enable.
 */
static long allocation_op(struct domain *d, struct xen_domctl_shadow_op *sc, bool set)
{
    unsigned int old = wanted_mb[d->domain_id];
    long rc = 0;

    if (set) {
        if (!sc->mb && d->paging)
            return -EINVAL;         /* shadows in use need a pool */
        if (sc->mb > frames_free_count() / FRAMES_PER_MB)
            return -ENOMEM;
        wanted_mb[d->domain_id] = sc->mb;
        if (d->paging) {
            domain_pause_sync(d);
            rc = shadow_resize(d, pool_frames(d));
            domain_unpause_sync(d);
            if (rc) {
                wanted_mb[d->domain_id] = old;
                return rc;
            }
        }
    }
    sc->mb = d->paging ? (d->paging->nr_frames + FRAMES_PER_MB - 1) / FRAMES_PER_MB
                       : wanted_mb[d->domain_id];
    return 0;
}

long paging_domctl(struct domain *d, struct xen_domctl_shadow_op *sc)
{
    if (d == current->domain || !d->vcpus[0])
        return -EINVAL;
    if (d->state == DOMAIN_DYING)
        return 0;
    switch (sc->op) {
    case XEN_DOMCTL_SHADOW_OP_OFF:
        disable_logdirty(d, true);
        return 0;
    case XEN_DOMCTL_SHADOW_OP_ENABLE:
        if (sc->mode & ~(XEN_DOMCTL_SHADOW_ENABLE_LOG_DIRTY | XEN_DOMCTL_SHADOW_ENABLE_REFCOUNT |
                         XEN_DOMCTL_SHADOW_ENABLE_TRANSLATE | XEN_DOMCTL_SHADOW_ENABLE_EXTERNAL))
            return -EINVAL;
        if (sc->mode & (XEN_DOMCTL_SHADOW_ENABLE_TRANSLATE | XEN_DOMCTL_SHADOW_ENABLE_EXTERNAL |
                        XEN_DOMCTL_SHADOW_ENABLE_REFCOUNT))
            return -EINVAL;         /* not for a PV domain */
        if (!(sc->mode & XEN_DOMCTL_SHADOW_ENABLE_LOG_DIRTY))
            return -ENOSYS;
        return enable_logdirty(d);
    case XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY:
        return enable_logdirty(d);
    case XEN_DOMCTL_SHADOW_OP_ENABLE_TEST:
        return -ENOSYS;
    case XEN_DOMCTL_SHADOW_OP_CLEAN:
    case XEN_DOMCTL_SHADOW_OP_PEEK:
        return bitmap_op(d, sc, sc->op == XEN_DOMCTL_SHADOW_OP_CLEAN);
    case XEN_DOMCTL_SHADOW_OP_GET_ALLOCATION:
    case XEN_DOMCTL_SHADOW_OP_SET_ALLOCATION:
        return allocation_op(d, sc, sc->op == XEN_DOMCTL_SHADOW_OP_SET_ALLOCATION);
    default:
        return -EINVAL;
    }
}
