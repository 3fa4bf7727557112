/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/grant-map.c - GNTTABOP_map_grant_ref, unmap_grant_ref
 * and unmap_and_replace for one operation each, and the release of every
 * mapping when a domain dies.  Status codes are Xen's.
 *
 * References on a granted frame: each host mapping's PTE holds one
 * general reference, plus a writable-type one when the PTE is writable,
 * exactly like an ordinary L1 entry; so put_page_from_l1e() releases them
 * whoever removes the PTE (an unmap here, or the guest overwriting the
 * entry with mmu_update, or the page-table teardown).  A guest cannot
 * forge such a PTE: get_page_from_l1e() refuses another domain's frame.
 * After an implicit removal the maptrack entry stays, its unmap fails
 * (the PTE no longer matches) and its pin lasts until the domain dies -
 * Xen's behaviour too.  A device mapping's references live in maptrack.
 */
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/page.h>
#include "grant-table.h"

/* The pin a mapping with these flags takes (0: neither host nor device). */
static uint32_t map_pins(uint32_t flags)
{
    bool ro = flags & GNTMAP_readonly;
    uint32_t inc = 0;

    if (flags & GNTMAP_device_map)
        inc += ro ? GNTPIN_devr_inc : GNTPIN_devw_inc;
    if (flags & GNTMAP_host_map)
        inc += ro ? GNTPIN_hstr_inc : GNTPIN_hstw_inc;
    return inc;
}

/* One use's frame references: general, plus writable type unless ro. */
static bool get_frame(struct page_info *pg, struct domain *rd, bool ro)
{
    if (!get_page(pg, rd))
        return false;
    if (!ro && get_page_type(pg, PGT_writable)) {
        put_page(pg);
        return false;
    }
    return true;
}

static void put_frame(struct page_info *pg, bool ro)
{
    if (ro)
        put_page(pg);
    else
        put_page_and_type(pg);
}

int gnttab_map_one(struct domain *ld, struct gnttab_map_grant_ref *op)
{
    uint32_t inc = map_pins(op->flags);
    bool ro = op->flags & GNTMAP_readonly;
    struct grant_table *lgt = ld->grant_table;
    bool dev_ref = false;
    struct domain *rd;
    struct maptrack *m;
    uint64_t pte = 0;
    mfn_t mfn;
    int h, rc;

    if (!inc)
        return GNTST_bad_gntref;
    rd = gnttab_domain(ld, op->dom, false);     /* put below */
    if (!rd)
        return GNTST_bad_domain;
    gnttab_lock_two(ld, rd);
    h = maptrack_get(ld);
    if (h < 0) {
        rc = GNTST_no_space;
        goto out_unlock;
    }
    rc = gnttab_pin(rd, op->ref, ld->domain_id, inc, ro, &mfn);
    if (rc != GNTST_okay)
        goto out_put_handle;
    rc = GNTST_general_error;
    if ((op->flags & GNTMAP_device_map)) {
        if (!get_frame(mfn_to_page(mfn), rd, ro))
            goto out_unpin;
        dev_ref = true;
    }
    if (op->flags & GNTMAP_host_map) {
        if (!get_frame(mfn_to_page(mfn), rd, ro))
            goto out_unpin;
        rc = create_grant_pte_mapping(ld, op->host_addr, op->flags, mfn, &pte);
        if (rc != GNTST_okay) {
            put_frame(mfn_to_page(mfn), ro);
            goto out_unpin;
        }
    }
    m = maptrack_entry(lgt, h);
    m->ref = op->ref;
    m->domid = rd->domain_id;
    m->pte = pte;
    m->flags = op->flags & 0xffff;
    op->handle = h;
    op->dev_bus_addr = mfn << 12;
    rc = GNTST_okay;
    goto out_unlock;

out_unpin:
    if (dev_ref)
        put_frame(mfn_to_page(mfn), ro);
    gnttab_unpin(rd, op->ref, inc, ro);
out_put_handle:
    maptrack_put(lgt, h);
out_unlock:
    gnttab_unlock_two(ld, rd);
    put_domain(rd);
    return rc;
}

/*
 * Unmap (new_addr 0) or unmap_and_replace: host_addr and dev_bus_addr say
 * which halves of the mapping go, as in Xen; the handle is freed once
 * neither is left.
 */
int gnttab_unmap_one(struct domain *ld, uint64_t host_addr, uint64_t dev_bus_addr,
                     grant_handle_t handle, uint64_t new_addr)
{
    struct grant_table *lgt = ld->grant_table;
    struct maptrack *m = maptrack_entry(lgt, handle);
    uint32_t flags, done = 0;
    struct domain *rd;
    mfn_t mfn;
    bool ro;
    int rc = GNTST_okay;

    /*
     * Maptrack frames stay until the domain dies: peeking is safe.  The
     * reference keeps a granter that is reaped meanwhile (this handle is
     * stale: its PTE was overwritten) until the locked check below.
     */
    if (!m || !__atomic_load_n(&m->flags, __ATOMIC_ACQUIRE))
        return GNTST_bad_handle;
    rd = get_domain_by_id(m->domid);
    if (!rd)
        return GNTST_bad_handle;    /* granters' reaping clears these */
    if (!rd->grant_table) {
        put_domain(rd);
        return GNTST_bad_handle;
    }
    gnttab_lock_two(ld, rd);
    flags = m->flags;
    if (!flags || m->domid != rd->domain_id) {
        rc = GNTST_bad_handle;      /* a racing unmap won */
        goto out_unlock;
    }
    ro = flags & GNTMAP_readonly;
    mfn = gnttab_active(rd->grant_table, m->ref)->mfn;
    if (dev_bus_addr && (flags & GNTMAP_device_map) && dev_bus_addr != mfn << 12) {
        rc = GNTST_bad_dev_addr;
        goto out_unlock;
    }
    if (host_addr && (flags & GNTMAP_host_map)) {
        rc = destroy_grant_pte_mapping(ld, host_addr, flags, mfn, new_addr);
        if (rc != GNTST_okay)
            goto out_unlock;
        m->flags &= ~GNTMAP_host_map;
        done |= ro ? GNTPIN_hstr_inc : GNTPIN_hstw_inc;
    }
    if (dev_bus_addr && (flags & GNTMAP_device_map)) {
        put_frame(mfn_to_page(mfn), ro);
        m->flags &= ~GNTMAP_device_map;
        done |= ro ? GNTPIN_devr_inc : GNTPIN_devw_inc;
    }
    if (done)
        gnttab_unpin(rd, m->ref, done, ro);
    if (!(m->flags & (GNTMAP_host_map | GNTMAP_device_map)))
        maptrack_put(lgt, handle);
out_unlock:
    gnttab_unlock_two(ld, rd);
    put_domain(rd);
    return rc;
}

/* Take down one maptrack entry of ld whatever its state (both locks held). */
static void force_unmap(struct domain *ld, struct domain *rd, uint32_t h)
{
    struct maptrack *m = maptrack_entry(ld->grant_table, h);
    mfn_t mfn = gnttab_active(rd->grant_table, m->ref)->mfn;
    bool ro = m->flags & GNTMAP_readonly;

    if (m->flags & GNTMAP_host_map)
        revoke_grant_pte(ld, m->pte, mfn);
    if (m->flags & GNTMAP_device_map)
        put_frame(mfn_to_page(mfn), ro);
    gnttab_unpin(rd, m->ref, map_pins(m->flags), ro);
    maptrack_put(ld->grant_table, h);
}

/* Every mapping ld holds of rd's grants. */
static void release_pair(struct domain *ld, struct domain *rd)
{
    struct grant_table *lgt = ld->grant_table;

    gnttab_lock_two(ld, rd);
    for (uint32_t h = 0; h < lgt->maptrack_frames * MAPTRACK_PER_FRAME; h++) {
        struct maptrack *m = maptrack_entry(lgt, h);

        if (m->flags && m->domid == rd->domain_id)
            force_unmap(ld, rd, h);
    }
    gnttab_unlock_two(ld, rd);
}

/*
 * Only d as grantee: what others map of d's grants holds references on
 * d's frames, which keep it (as a zombie) until they unmap, as in Xen.
 */
void gnttab_release(struct domain *d)
{
    if (!d->grant_table)
        return;
    for (unsigned int id = 0; id < CONFIG_MAX_DOMAINS; id++) {
        struct domain *o = get_domain_by_id(id);

        if (!o)
            continue;
        if (o->grant_table)
            release_pair(d, o);
        put_domain(o);
    }
}

/*
 * d is unreferenced, so every handle naming it lost its mapping long ago
 * (the guest overwrote the PTE); its pin dies with d's table.
 */
void gnttab_forget_granter(struct domain *d)
{
    for (unsigned int id = 0; id < CONFIG_MAX_DOMAINS; id++) {
        struct domain *o = get_domain_by_id(id);
        struct grant_table *gt;

        if (!o)
            continue;
        if (o != d && (gt = o->grant_table)) {
            gnttab_lock_two(o, d);
            for (uint32_t h = 0; h < gt->maptrack_frames * MAPTRACK_PER_FRAME; h++) {
                struct maptrack *m = maptrack_entry(gt, h);

                if (m->flags && m->domid == d->domain_id)
                    maptrack_put(gt, h);
            }
            gnttab_unlock_two(o, d);
        }
        put_domain(o);
    }
}
