/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/memory.c - the memory_op hypercall for the calling
 * domain: growing and shrinking its reservation, and telling it about
 * memory (its own map, the machine's map for dom0, the M2P table).
 *
 * Reservation changes are preempted at timer ticks; the extent to resume
 * at travels in the upper bits of the command, as in Xen.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/guest-access.h>
#include <mica/hypercall.h>
#include <mica/page.h>
#include <mica/frame-alloc.h>
#include <mica/m2p.h>
#include <mica/bootinfo.h>
#include <public/memory.h>
#include <asm/config.h>

#define MEMOP_EXTENT_SHIFT  6
#define MEMOP_CMD_MASK      ((1UL << MEMOP_EXTENT_SHIFT) - 1)
#define MAX_EXTENT_ORDER    9           /* 2 MiB, enough for DMA buffers */

extern const struct boot_info *boot_info_ptr;

static struct domain *self_domain(domid_t id)
{
    struct domain *d = current->domain;

    return id == DOMID_SELF || id == d->domain_id ? d : NULL;
}

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
    for (unsigned long i = 0; i < (1UL << order); i++) {
        memset(__va((m + i) << PAGE_SHIFT), 0, PAGE_SIZE);
        assign_page(d, m + i);
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
static long reservation(unsigned int op, uint64_t start, uint64_t arg)
{
    struct xen_memory_reservation r;
    struct domain *d;
    uint64_t i;

    if (copy_from_guest(&r, arg, sizeof(r)))
        return -EFAULT;
    if (!(d = self_domain(r.domid)))
        return -EPERM;
    if (r.extent_order > MAX_EXTENT_ORDER || start > r.nr_extents)
        return -EINVAL;
    if (r.extent_start && !guest_range_ok(r.extent_start, r.nr_extents * sizeof(xen_pfn_t)))
        return -EFAULT;

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
        if (op == XENMEM_populate_physmap)
            for (unsigned long j = 0; j < (1UL << r.extent_order); j++)
                set_gpfn_from_mfn(m + j, f + j);
        if (r.extent_start &&
            copy_to_guest(r.extent_start + i * sizeof(xen_pfn_t), &m, sizeof(m))) {
            free_extent(d, m, r.extent_order);
            break;
        }
    }
    return i;
}

static long memory_map(uint64_t arg, bool machine)
{
    struct xen_memory_map map;
    struct xen_e820_entry e;
    struct domain *d = current->domain;
    const struct boot_info *bi = boot_info_ptr;
    uint32_t n = 0;

    if (copy_from_guest(&map, arg, sizeof(map)))
        return -EFAULT;
    if (machine) {
        if (!d->is_privileged)
            return -EPERM;
        for (; n < bi->nr_memmap && n < map.nr_entries; n++) {
            e = (struct xen_e820_entry){ bi->memmap[n].addr, bi->memmap[n].len,
                                         bi->memmap[n].type };
            if (copy_to_guest(map.buffer + n * sizeof(e), &e, sizeof(e)))
                return -EFAULT;
        }
    } else {
        /*
         * A domain's own map exists only once a toolstack sets one
         * (XENMEM_set_memory_map, to come); until then Xen answers -ENOSYS
         * and guests assume RAM from pfn 0 to nr_pages.
         */
        return -ENOSYS;
    }
    map.nr_entries = n;
    return copy_to_guest(arg, &map, sizeof(map)) ? -EFAULT : 0;
}

static long reservation_query(unsigned int op, uint64_t arg)
{
    domid_t id;
    struct domain *d;

    if (copy_from_guest(&id, arg, sizeof(id)))
        return -EFAULT;
    if (!(d = self_domain(id)))
        return -ESRCH;
    switch (op) {
    case XENMEM_current_reservation:
        return d->tot_pages;
    case XENMEM_maximum_reservation:
        return d->max_pages;
    default:                            /* maximum_gpfn */
        return d->nr_pages ? d->nr_pages - 1 : 0;
    }
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
        return memory_map(arg, false);
    case XENMEM_machine_memory_map:
        return memory_map(arg, true);
    default:
        /* exchange, add_to_physmap, ...: not yet. */
        return -ENOSYS;
    }
}
