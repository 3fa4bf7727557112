/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/memory.c - the memory_op hypercall: growing and
 * shrinking a reservation (the caller's own, or for the control domain
 * any domain's), and telling a domain about memory (its own map as its
 * toolstack set it, the machine's map for dom0, the M2P table).
 *
 * Reservation changes are preempted at timer ticks; the extent to resume
 * at travels in the upper bits of the command, as in Xen.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/domctl.h>
#include <mica/guest-access.h>
#include <mica/heap.h>
#include <mica/hypercall.h>
#include <mica/page.h>
#include <mica/paging.h>
#include <mica/frame-alloc.h>
#include <mica/m2p.h>
#include <mica/bootinfo.h>
#include <public/memory.h>
#include <asm/config.h>

#define MEMOP_EXTENT_SHIFT  6
#define MEMOP_CMD_MASK      ((1UL << MEMOP_EXTENT_SHIFT) - 1)
#define MAX_EXTENT_ORDER    9           /* 2 MiB, enough for DMA buffers */

static void free_extent(struct domain *d, mfn_t mfn, unsigned int order)
{
    for (unsigned long i = 0; i < (1UL << order); i++)
        guest_remove_page(d, mfn + i);
}

/* Allocate one extent of 2^order frames and give it to d. */
static mfn_t alloc_extent(struct domain *d, unsigned int order)
{
    mfn_t m;

    if (d->tot_pages + (1UL << order) > d->max_pages)
        return INVALID_MFN;
    m = alloc_frames(order);
    if (m == INVALID_MFN)
        return INVALID_MFN;
    for (unsigned long i = 0; i < (1UL << order); i++)
        memset(__va((m + i) << PAGE_SHIFT), 0, PAGE_SIZE);
    /* Another vCPU may have taken the room since the check above. */
    if (assign_pages(d, m, order)) {
        free_frames(m, order);
        return INVALID_MFN;
    }
    return m;
}

/*
 * increase_reservation, populate_physmap and decrease_reservation.  For a
 * PV guest frame numbers in the list are machine frames: increase writes
 * the new ones out, populate reads the pfns they back and writes the new
 * mfns over them, decrease reads the frames to give up.  Returns the
 * number of extents done.
 */
static long reservation_on(struct domain *d, unsigned int op, uint64_t start,
                           uint64_t arg, const struct xen_memory_reservation *rp)
{
    struct xen_memory_reservation r = *rp;
    uint64_t i;

    for (i = start; i < r.nr_extents; i++) {
        xen_pfn_t f = 0;
        mfn_t m;

        if (i > start && hypercall_preempt_check())
            return hypercall_create_continuation(__HYPERVISOR_memory_op,
                                                 op | (i << MEMOP_EXTENT_SHIFT), arg);
        if (op != XENMEM_increase_reservation && r.extent_start &&
            copy_from_guest(&f, r.extent_start + i * sizeof(f), sizeof(f)))
            break;
        if (op == XENMEM_decrease_reservation) {
            if (!r.extent_start || (f & ((1UL << r.extent_order) - 1)) ||
                !domain_owns_mfn(d, f))
                break;
            free_extent(d, f, r.extent_order);
            continue;
        }
        m = alloc_extent(d, r.extent_order);
        if (m == INVALID_MFN)
            break;
        /* A saver in log-dirty mode must send the new frames too. */
        if (op == XENMEM_populate_physmap)
            for (unsigned long j = 0; j < (1UL << r.extent_order); j++) {
                set_gpfn_from_mfn(m + j, f + j);
                paging_mark_dirty(d, m + j);
            }
        if (r.extent_start &&
            copy_to_guest(r.extent_start + i * sizeof(xen_pfn_t), &m, sizeof(m))) {
            free_extent(d, m, r.extent_order);
            break;
        }
    }
    return i;
}

/* Check the request and find its domain; the work is reservation_on(). */
static long reservation(unsigned int op, uint64_t start, uint64_t arg)
{
    struct xen_memory_reservation r;
    struct domain *d;
    long rc;

    if (copy_from_guest(&r, arg, sizeof(r)))
        return -EFAULT;
    if (r.extent_order > MAX_EXTENT_ORDER || start > r.nr_extents)
        return -EINVAL;
    if (r.extent_start && !guest_range_ok(r.extent_start, r.nr_extents * sizeof(xen_pfn_t)))
        return -EFAULT;
    /* As in Xen, a domain that is not there or not ours is "none done". */
    if (!(d = target_domain_get(r.domid, &rc)))
        return start;
    rc = reservation_on(d, op, start, arg, &r);
    target_domain_put(d);
    return rc;
}

/* The host's map, for dom0 only. */
static long machine_memory_map(uint64_t arg)
{
    const struct boot_info *bi = boot_info_ptr;
    struct xen_memory_map map;
    struct xen_e820_entry e;
    uint32_t n = 0;

    if (copy_from_guest(&map, arg, sizeof(map)))
        return -EFAULT;
    if (!current->domain->is_privileged)
        return -EPERM;
    for (; n < bi->nr_memmap && n < map.nr_entries; n++) {
        e = (struct xen_e820_entry){ bi->memmap[n].addr, bi->memmap[n].len, bi->memmap[n].type };
        if (copy_to_guest(map.buffer + n * sizeof(e), &e, sizeof(e)))
            return -EFAULT;
    }
    map.nr_entries = n;
    return copy_to_guest(arg, &map, sizeof(map)) ? -EFAULT : 0;
}

/*
 * The caller's own map, as its toolstack set it.  A domain given none
 * gets -ENOSYS, as in Xen, and assumes RAM from pfn 0 to nr_pages.
 *
 * Xen copies the map out under its lock; here a copy_to_guest may fault
 * and must not run under one, so the map goes out a chunk at a time
 * through the stack, and a set_memory_map in between (memmap_gen moved)
 * starts the copy over: the caller sees one map whole.
 */
#define MEMMAP_CHUNK 32

static long memory_map(uint64_t arg)
{
    struct domain *d = current->domain;
    struct domain_memmap m[MEMMAP_CHUNK];
    struct xen_memory_map map;
    unsigned int n, gen, want;

    if (copy_from_guest(&map, arg, sizeof(map)))
        return -EFAULT;
again:
    spin_lock(&d->memmap_lock);
    n = d->nr_memmap;
    gen = d->memmap_gen;
    spin_unlock(&d->memmap_lock);
    if (!n)
        return -ENOSYS;
    want = MIN(map.nr_entries, n);
    for (unsigned int i = 0; i < want; i += MEMMAP_CHUNK) {
        unsigned int k = MIN(want - i, MEMMAP_CHUNK);

        spin_lock(&d->memmap_lock);
        if (d->memmap_gen != gen) {
            spin_unlock(&d->memmap_lock);
            goto again;
        }
        memcpy(m, d->memmap + i, k * sizeof(m[0]));
        spin_unlock(&d->memmap_lock);
        for (unsigned int j = 0; j < k; j++) {
            struct xen_e820_entry e = { m[j].addr, m[j].size, m[j].type };

            if (copy_to_guest(map.buffer + (i + j) * sizeof(e), &e, sizeof(e)))
                return -EFAULT;
        }
    }
    map.nr_entries = want;
    return copy_to_guest(arg, &map, sizeof(map)) ? -EFAULT : 0;
}

/*
 * XENMEM_set_memory_map: the toolstack (or the domain itself) replaces a
 * domain's map, of up to Xen's E820MAX entries, with Xen's checks in
 * Xen's order: the count (-EINVAL), the domain (-ESRCH, -EPERM), memory
 * (-ENOMEM), then the entries (-EFAULT).  Only the count is checked: the
 * map is the guest's business.
 */
static long set_memory_map(uint64_t arg)
{
    struct domain_memmap *m, *old;
    struct xen_foreign_memory_map fmap;
    struct xen_e820_entry e;
    struct domain *d;
    long rc = 0;

    if (copy_from_guest(&fmap, arg, sizeof(fmap)))
        return -EFAULT;
    if (fmap.map.nr_entries > DOMAIN_MEMMAP_MAX)
        return -EINVAL;
    if (!(d = target_domain_get(fmap.domid, &rc)))
        return rc;
    m = xmalloc(MAX(fmap.map.nr_entries, 1U) * sizeof(*m));
    if (!m) {
        target_domain_put(d);
        return -ENOMEM;
    }
    for (uint32_t i = 0; i < fmap.map.nr_entries; i++) {
        if (copy_from_guest(&e, fmap.map.buffer + i * sizeof(e), sizeof(e))) {
            xfree(m);
            target_domain_put(d);
            return -EFAULT;
        }
        m[i] = (struct domain_memmap){ e.addr, e.size, e.type };
    }
    spin_lock(&d->memmap_lock);
    old = d->memmap;
    d->memmap = m;
    d->nr_memmap = fmap.map.nr_entries;
    d->memmap_gen++;
    spin_unlock(&d->memmap_lock);
    xfree(old);
    target_domain_put(d);
    return 0;
}

static long reservation_query(unsigned int op, uint64_t arg)
{
    domid_t id;
    struct domain *d;

    long rc;

    if (copy_from_guest(&id, arg, sizeof(id)))
        return -EFAULT;
    if (!(d = target_domain_get(id, &rc)))
        return rc;
    switch (op) {
    case XENMEM_current_reservation:
        rc = d->tot_pages;
        break;
    case XENMEM_maximum_reservation:
        rc = d->max_pages;
        break;
    default:                            /* maximum_gpfn */
        rc = d->nr_pages ? d->nr_pages - 1 : 0;
        break;
    }
    target_domain_put(d);
    return rc;
}

long do_memory_op(uint64_t cmd, uint64_t arg)
{
    unsigned int op = cmd & MEMOP_CMD_MASK;
    uint64_t start = cmd >> MEMOP_EXTENT_SHIFT;

    switch (op) {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        return reservation(op, start, arg);
    case XENMEM_maximum_ram_page:
        return frames_max_mfn();            /* one past the last RAM frame */
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    case XENMEM_maximum_gpfn:
        return reservation_query(op, arg);
    case XENMEM_machphys_mfn_list: {
        struct xen_machphys_mfn_list l;
        uint32_t n = 0;
        mfn_t m;

        if (copy_from_guest(&l, arg, sizeof(l)))
            return -EFAULT;
        for (; n < l.max_extents && (m = m2p_table_mfn(n)) != INVALID_MFN; n++)
            if (copy_to_guest(l.extent_start + n * sizeof(xen_pfn_t), &m, sizeof(m)))
                return -EFAULT;
        l.nr_extents = n;
        return copy_to_guest(arg, &l, sizeof(l)) ? -EFAULT : 0;
    }
    case XENMEM_machphys_mapping: {
        struct xen_machphys_mapping mm = {
            .v_start = MACH2PHYS_VIRT_START,
            .v_end = MACH2PHYS_VIRT_START + frames_max_mfn() * sizeof(uint64_t),
            .max_mfn = frames_max_mfn() - 1,
        };
        return copy_to_guest(arg, &mm, sizeof(mm)) ? -EFAULT : 0;
    }
    case XENMEM_memory_map:
        return memory_map(arg);
    case XENMEM_machine_memory_map:
        return machine_memory_map(arg);
    case XENMEM_set_memory_map:
        return set_memory_map(arg);
    case XENMEM_exchange:
        return memory_exchange(arg);        /* common/memory-exchange.c */
    default:
        /* add_to_physmap, ...: not yet. */
        return -ENOSYS;
    }
}
