/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/gnttab-seed.c - a new domain's reserved grant
 * entries, GNTTAB_RESERVED_CONSOLE (0) and GNTTAB_RESERVED_XENSTORE (1).
 *
 * libxc grants the console and xenstore back ends their rings before the
 * guest runs, so that a back end which maps rings by grant (Debian's C
 * xenstored tries that first) finds them; the guest's own grant code
 * leaves the reserved entries alone.  With no XENMEM_acquire_resource for
 * grant frames, the first frame is named as libxc does on such a
 * hypervisor: GNTTABOP_setup_table on the domain's behalf, then a foreign
 * mapping of that frame, which the domain owns.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <public/grant_table.h>
#include "libmica-priv.h"

static int first_grant_frame(struct mica *m, uint32_t domid, uint64_t *mfn)
{
    struct {
        struct gnttab_setup_table op;
        xen_pfn_t frame;
    } *buf = m->scratch;
    long rc;

    memset(buf, 0, sizeof(*buf));
    buf->op.dom = (domid_t)domid;
    buf->op.nr_frames = 1;
    set_xen_guest_handle(buf->op.frame_list, &buf->frame);
    rc = mica_hypercall(m, __HYPERVISOR_grant_table_op, GNTTABOP_setup_table,
                        (uintptr_t)&buf->op, 1, 0, 0);
    if (!rc && buf->op.status != GNTST_okay)
        rc = -EIO;
    *mfn = buf->frame;
    return rc ? mica_fail(m, (int)rc, "grant table of %u: setup_table (status %d)",
                          domid, buf->op.status) : 0;
}

static void grant(grant_entry_v1_t *e, uint32_t to, uint64_t frame)
{
    e->domid = (domid_t)to;
    e->frame = (uint32_t)frame;
    /* The entry is whole before a back end can see it permitted. */
    __atomic_store_n(&e->flags, (uint16_t)GTF_permit_access, __ATOMIC_RELEASE);
}

int mica_gnttab_seed(struct mica *m, uint32_t domid, uint64_t console_mfn,
                     uint32_t console_domid, uint64_t store_mfn, uint32_t store_domid)
{
    grant_entry_v1_t *tab;
    uint64_t frame;
    int rc;

    mica_ok(m);
    if ((uint32_t)console_mfn != console_mfn || (uint32_t)store_mfn != store_mfn)
        return mica_fail(m, -ERANGE, "grant table of %u: ring frame above 2^32", domid);
    rc = first_grant_frame(m, domid, &frame);
    if (rc)
        return rc;
    tab = mica_map_foreign(m, domid, PROT_READ | PROT_WRITE, &frame, NULL, 1);
    if (!tab)
        return -EFAULT;     /* the message says which frame */
    grant(&tab[GNTTAB_RESERVED_CONSOLE], console_domid, console_mfn);
    grant(&tab[GNTTAB_RESERVED_XENSTORE], store_domid, store_mfn);
    mica_unmap(tab, 1);
    return 0;
}
