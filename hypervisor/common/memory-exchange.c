/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/memory-exchange.c - XENMEM_exchange: a domain gives
 * back some of its frames and gets the same amount in extents of another
 * size, optionally below an address limit.  Linux's swiotlb-xen uses it
 * to make its bounce buffers machine-contiguous and DMA-reachable
 * (xen_create_contiguous_region).
 *
 * Work goes in chunks: as many input extents as make one output extent,
 * or one input extent giving several output ones.  A chunk is done
 * wholly or not at all; nr_exchanged counts the input extents of the
 * chunks done, so on any failure the caller learns how far it got, and a
 * preempted call resumes there.  For a PV domain the input list holds
 * machine frames, the output list pseudo-physical frames on entry and
 * the new machine frames on return.
 *
 * An input frame must be the domain's, unmapped and untyped (only its
 * allocation reference left), as Xen's steal_page insists.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/domctl.h>
#include <mica/frame-alloc.h>
#include <mica/guest-access.h>
#include <mica/heap.h>
#include <mica/hypercall.h>
#include <mica/m2p.h>
#include <mica/page.h>
#include <mica/paging.h>
#include <public/memory.h>
#include <asm/config.h>

#define DOMU_MAX_ORDER      9           /* Xen's CONFIG_DOMU_MAX_ORDER */
#define CTLDOM_MAX_ORDER    18          /* Xen: its page allocator's maximum */
#define MAX_NUMNODES        64
#define NUMA_NO_NODE        0xff

struct chunk {
    struct domain *d;
    const struct xen_memory_exchange *x;
    unsigned long in_order, out_order;  /* chunk orders, one of them 0 */
    mfn_t limit;                        /* output frames below this */
};

static void put_refs(const uint64_t *mfns, unsigned long n)
{
    for (unsigned long i = 0; i < n; i++)
        put_page(mfn_to_page(mfns[i]));
}

/*
 * Take a reference on every input frame of chunk i, checking that the
 * domain's allocation was the only one (a frame named twice fails too).
 * Returns the number of frames, or a negative errno with none held.
 */
static long grab_inputs(const struct chunk *c, unsigned long i, uint64_t *mfns)
{
    const struct xen_memory_exchange *x = c->x;
    unsigned long n = 0;
    long rc = 0;

    for (unsigned long j = 0; j < (1UL << c->in_order) && !rc; j++) {
        xen_pfn_t first;

        if (copy_from_guest(&first, x->in.extent_start +
                            ((i << c->in_order) + j) * sizeof(first), sizeof(first))) {
            rc = -EFAULT;
            break;
        }
        for (unsigned long k = 0; k < (1UL << x->in.extent_order); k++) {
            mfn_t m = first + k;
            struct page_info *pg = mfn_valid(m) ? mfn_to_page(m) : NULL;

            if (!pg || !get_page(pg, c->d)) {
                rc = -EINVAL;
                break;
            }
            mfns[n++] = m;
            if (__atomic_load_n(&pg->count, __ATOMIC_SEQ_CST) != 2 || pg->type_count ||
                !(pg->flags & PGC_allocated) || (pg->flags & PGC_xen_heap)) {
                rc = -EINVAL;
                break;
            }
        }
    }
    if (rc) {
        put_refs(mfns, n);
        return rc;
    }
    return n;
}

static void free_outputs(const uint64_t *ext, unsigned long n, unsigned int order)
{
    for (unsigned long j = 0; j < n; j++)
        free_frames(ext[j], order);
}

/*
 * Give the chunk's output extents to the domain and tell it where they
 * are.  A bad output list entry does not stop the others (as in Xen);
 * it makes the chunk count as failed.
 */
static long assign_outputs(const struct chunk *c, unsigned long i, const uint64_t *ext)
{
    const struct xen_memory_exchange *x = c->x;
    unsigned long per = 1UL << x->out.extent_order;
    long rc = 0;

    for (unsigned long j = 0; j < (1UL << c->out_order); j++) {
        uint64_t at = x->out.extent_start + ((i << c->out_order) + j) * sizeof(xen_pfn_t);
        xen_pfn_t gpfn;

        for (unsigned long k = 0; k < per; k++) {
            memset(__va((ext[j] + k) << PAGE_SHIFT), 0, PAGE_SIZE);
            if (assign_page(c->d, ext[j] + k)) {
                /* Room was taken meanwhile by another vCPU: give up the rest. */
                for (unsigned long f = k; f < per; f++)
                    free_frames(ext[j] + f, 0);
                free_outputs(ext + j + 1, (1UL << c->out_order) - j - 1,
                             x->out.extent_order);
                return -ENOMEM;
            }
        }
        if (copy_from_guest(&gpfn, at, sizeof(gpfn))) {
            rc = -EFAULT;
            continue;
        }
        for (unsigned long k = 0; k < per; k++) {
            set_gpfn_from_mfn(ext[j] + k, gpfn + k);
            paging_mark_dirty(c->d, ext[j] + k);    /* a saver must send it */
        }
        if (copy_to_guest(at, &ext[j], sizeof(ext[j])))
            rc = -EFAULT;
    }
    return rc;
}

/* One chunk, all or nothing (up to a racing allocation, see above). */
static long exchange_chunk(const struct chunk *c, unsigned long i, uint64_t *mfns,
                           uint64_t *ext)
{
    const struct xen_memory_exchange *x = c->x;
    unsigned long nout = 1UL << c->out_order, j;
    long n = grab_inputs(c, i, mfns);

    if (n < 0)
        return n;
    for (j = 0; j < nout; j++) {
        ext[j] = alloc_frames_below(x->out.extent_order, c->limit);
        if (ext[j] == INVALID_MFN) {
            free_outputs(ext, j, x->out.extent_order);
            put_refs(mfns, n);
            return -ENOMEM;
        }
    }
    /* From here on the chunk happens: the old frames go, the new come. */
    for (long k = 0; k < n; k++) {
        set_gpfn_from_mfn(mfns[k], ~0UL);
        put_page(mfn_to_page(mfns[k]));
        guest_remove_page(c->d, mfns[k]);
    }
    return assign_outputs(c, i, ext);
}

/* Tell the caller how far the exchange got: 0 or -EFAULT. */
static long put_done(uint64_t arg, const struct xen_memory_exchange *x)
{
    return copy_to_guest(arg + offsetof(struct xen_memory_exchange, nr_exchanged),
                         &x->nr_exchanged, sizeof(x->nr_exchanged)) ? -EFAULT : 0;
}

static bool lists_ok(const struct xen_memory_exchange *x, const struct chunk *c)
{
    unsigned long in_done = x->nr_exchanged;
    unsigned long out_done = c->in_order ? in_done >> c->in_order : in_done << c->out_order;

    return guest_range_ok(x->in.extent_start + in_done * sizeof(xen_pfn_t),
                          (x->in.nr_extents - in_done) * sizeof(xen_pfn_t)) &&
           guest_range_ok(x->out.extent_start + out_done * sizeof(xen_pfn_t),
                          (x->out.nr_extents - out_done) * sizeof(xen_pfn_t));
}

static long exchange_on(struct domain *d, struct xen_memory_exchange *x, struct chunk *c,
                        uint64_t arg)
{
    unsigned int bits = XENMEMF_get_address_bits(x->out.mem_flags);
    unsigned long i, first = x->nr_exchanged >> c->in_order;
    unsigned long nin = (1UL << c->in_order) << x->in.extent_order;
    uint64_t *mfns = xmalloc(nin * sizeof(*mfns));
    uint64_t *ext = xmalloc((1UL << c->out_order) * sizeof(*ext));
    long rc = 0;

    c->d = d;
    c->limit = !bits || bits >= 64 ? INVALID_MFN :
               bits <= PAGE_SHIFT ? 0 : 1UL << (bits - PAGE_SHIFT);
    if (!mfns || !ext) {
        rc = -ENOMEM;
        i = first;
        goto out;
    }
    for (i = first; i < (x->in.nr_extents >> c->in_order); i++) {
        if (i != first && hypercall_preempt_check()) {
            x->nr_exchanged = i << c->in_order;
            rc = put_done(arg, x) ?: hypercall_create_continuation(
                    __HYPERVISOR_memory_op, (uint64_t)XENMEM_exchange, arg);
            goto free;
        }
        rc = exchange_chunk(c, i, mfns, ext);
        if (rc)
            break;
    }
out:
    x->nr_exchanged = i << c->in_order;
    rc = put_done(arg, x) ?: rc;
free:
    xfree(mfns);
    xfree(ext);
    return rc;
}

long memory_exchange(uint64_t arg)
{
    struct xen_memory_exchange x;
    struct chunk c = { .x = &x };
    unsigned int max = current->domain->is_privileged ? CTLDOM_MAX_ORDER : DOMU_MAX_ORDER;
    unsigned int node;
    struct domain *d;
    long rc;

    if (copy_from_guest(&x, arg, sizeof(x)))
        return -EFAULT;
    node = XENMEMF_get_node(x.out.mem_flags);
    if (MAX(x.in.extent_order, x.out.extent_order) > max)
        rc = -EPERM;
    else if (x.nr_exchanged > x.in.nr_extents || x.in.domid != x.out.domid ||
             (~0UL >> x.in.extent_order) < x.in.nr_extents ||
             (~0UL >> x.out.extent_order) < x.out.nr_extents ||
             (x.in.nr_extents << x.in.extent_order) !=
             (x.out.nr_extents << x.out.extent_order))
        rc = -EINVAL;
    else if (x.nr_exchanged == x.in.nr_extents)
        return 0;
    else
        rc = 0;
    if (x.in.extent_order <= x.out.extent_order)
        c.in_order = x.out.extent_order - x.in.extent_order;
    else
        c.out_order = x.in.extent_order - x.out.extent_order;
    if (!rc && !lists_ok(&x, &c))
        rc = -EFAULT;
    if (!rc && node != NUMA_NO_NODE && node >= MAX_NUMNODES)
        rc = -EINVAL;
    if (!rc && (d = target_domain_get(x.in.domid, &rc))) {
        rc = exchange_on(d, &x, &c, arg);
        target_domain_put(d);
        return rc;
    }
    /* Refused before any work: nr_exchanged goes back as it came. */
    return put_done(arg, &x) ?: rc;
}
