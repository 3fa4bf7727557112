/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/memory.c - memory_op and mmuext_op on behalf of
 * another domain: populate_physmap (its frames), its memory map, and
 * pinning or unpinning its page tables.
 */
#include <errno.h>
#include <string.h>
#include <public/memory.h>
#include "libmica-priv.h"

/* Extents per call: one page of pfns in, mfns out. */
#define POPULATE_BATCH  (MICA_PAGE_SIZE / sizeof(uint64_t))

int mica_populate_physmap(struct mica *m, uint32_t domid, const uint64_t *pfns,
                          uint64_t *mfns, size_t n)
{
    struct xen_memory_reservation r;
    uint64_t *buf;
    int rc = 0;

    mica_ok(m);
    buf = mica_buf_alloc(m, MICA_PAGE_SIZE);
    if (!buf)
        return -ENOMEM;
    for (size_t done = 0; done < n && !rc; ) {
        size_t k = n - done < POPULATE_BATCH ? n - done : POPULATE_BATCH;
        long got;

        memcpy(buf, pfns + done, k * sizeof(*buf));
        memset(&r, 0, sizeof(r));
        set_xen_guest_handle(r.extent_start, buf);
        r.nr_extents = k;
        r.extent_order = 0;
        r.domid = (domid_t)domid;
        got = mica_cmd_hypercall(m, __HYPERVISOR_memory_op,
                                 XENMEM_populate_physmap, &r, sizeof(r));
        if (got < 0) {
            rc = mica_fail(m, (int)got, "populate_physmap %u", domid);
        } else if ((size_t)got != k) {
            /* Partly done: the limit (max_mem) or the free pool ran out. */
            rc = mica_fail(m, -ENOMEM, "populate_physmap %u (%zu of %zu pages)",
                           domid, done + (size_t)got, n);
        } else {
            memcpy(mfns + done, buf, k * sizeof(*buf));
            done += k;
        }
    }
    mica_buf_free(m, buf, MICA_PAGE_SIZE);
    return rc;
}

int mica_domain_set_memmap_limit(struct mica *m, uint32_t domid, uint64_t max_kb)
{
    struct xen_foreign_memory_map fmap;
    struct xen_e820_entry *e;
    long rc;

    mica_ok(m);
    e = mica_buf_alloc(m, MICA_PAGE_SIZE);
    if (!e)
        return -ENOMEM;
    *e = (struct xen_e820_entry){ .addr = 0, .size = max_kb << 10, .type = 1 /* RAM */ };
    memset(&fmap, 0, sizeof(fmap));
    fmap.domid = (domid_t)domid;
    fmap.map.nr_entries = 1;
    set_xen_guest_handle(fmap.map.buffer, e);
    rc = mica_cmd_hypercall(m, __HYPERVISOR_memory_op, XENMEM_set_memory_map, &fmap,
                            sizeof(fmap));
    mica_buf_free(m, e, MICA_PAGE_SIZE);
    return rc ? mica_fail(m, (int)rc, "set_memory_map %u (%llu KiB)", domid,
                          (unsigned long long)max_kb) : 0;
}

int mica_mmuext(struct mica *m, uint32_t domid, unsigned int cmd, uint64_t mfn)
{
    struct {
        struct mmuext_op op;
        unsigned int done;
    } *buf = m->scratch;
    long rc;

    mica_ok(m);
    memset(buf, 0, sizeof(*buf));
    buf->op.cmd = cmd;
    buf->op.arg1.mfn = mfn;
    rc = mica_hypercall(m, __HYPERVISOR_mmuext_op, (uintptr_t)&buf->op, 1,
                        (uintptr_t)&buf->done, domid, 0);
    if (!rc && buf->done != 1)
        rc = -EIO;
    return rc ? mica_fail(m, (int)rc, "mmuext_op %u on %#llx of %u", cmd,
                          (unsigned long long)mfn, domid) : 0;
}
