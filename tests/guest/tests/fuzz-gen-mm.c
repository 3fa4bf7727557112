/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/fuzz-gen-mm.c - the fuzzer's generators for the
 * memory hypercalls: mmu_update, mmuext_op, update_va_mapping (and
 * _otherdomain), memory_op and grant_table_op.  These are where a guest
 * attacks frame ownership, types and the TLB, so their arguments are built
 * field by field from fuzz-env.c's value classes rather than as random
 * bytes.  fuzz-gen.c has the table that picks among all generators.
 */
#include "fuzz-gen.h"
#include "mm-lib.h"
#include <public/grant_table.h>

/* An entry the kernel's own L1 must refuse: a table writable, Xen's frame. */
static uint64_t refused_pte(struct fz_rng *r)
{
    uint64_t k = fz_below(r, 3);
    uint64_t mfn = k == 0 ? fz.l1_mfn : k == 1 ? fz.l4_mfn : fz.xen_mfn;

    return (mfn << 12) | PTE_RW_FLAGS;
}

void gen_mmu_update(struct fz_rng *r, unsigned int cpu, struct fz_call *c)
{
    unsigned int n = 1 + fz_below(r, 8);
    struct mmu_update *u = fz_buf(r, cpu, n * sizeof(*u));

    for (unsigned int i = 0; i < n; i++) {
        uint64_t k = fz_below(r, 100);

        if (k < 8) {            /* the kernel's own L1, beside the window */
            u[i].ptr = (fz.l1_mfn << 12) + 8 * fz_below(r, 512);
            u[i].val = refused_pte(r);
        } else if (k < 18) {    /* M2P entries of frames we may own */
            u[i].ptr = (fz_mfn(r) << 12) | MMU_MACHPHYS_UPDATE;
            u[i].val = fz_pct(r, 70) ? fz_below(r, 4096) : fz_next(r);
        } else {
            u[i].ptr = (fz_maddr(r) & ~7UL) | (fz_pct(r, 80) ? 0 : fz_below(r, 4));
            u[i].val = fz_pct(r, 85) ? fz_pte(r) : fz_word(r, cpu);
        }
    }
    c->a[0] = fz_pct(r, 92) ? HC_PTR(u) : fz_ptr(r, cpu);
    c->a[1] = fz_pct(r, 85) ? n : fz_count(r, 8) | (fz_pct(r, 30) ? 1UL << 31 : 0);
    c->a[2] = fz_pct(r, 50) ? 0 : fz_pct(r, 80) ? HC_PTR(fz_buf(r, cpu, 8)) : fz_ptr(r, cpu);
    c->a[3] = fz_pct(r, 70) ? DOMID_SELF : fz_dom(r);
}

static void mmuext_args(struct fz_rng *r, unsigned int cpu, struct mmuext_op *op)
{
    switch (op->cmd) {
    case MMUEXT_NEW_BASEPTR:            /* anything else takes our kernel away */
        op->arg1.mfn = fz.l4_mfn;
        break;
    case MMUEXT_INVLPG_LOCAL: case MMUEXT_INVLPG_MULTI: case MMUEXT_INVLPG_ALL:
        op->arg1.linear_addr = fz_pct(r, 70) ? fz_va(r) : fz_ptr(r, cpu);
        break;
    case MMUEXT_SET_LDT:
        op->arg1.linear_addr = fz_pct(r, 20) ? 0 : fz_ptr(r, cpu);
        break;
    default:
        op->arg1.mfn = fz_pct(r, 90) ? fz_mfn(r) : fz_word(r, cpu);
        break;
    }
    if (op->cmd == MMUEXT_SET_LDT)
        op->arg2.nr_ents = (uint32_t)fz_count(r, 8192);
    else if (op->cmd == MMUEXT_COPY_PAGE || fz_pct(r, 20))
        op->arg2.src_mfn = fz_mfn(r);
    else
        op->arg2.vcpumask = fz_pct(r, 80) ? HC_PTR(fz_buf(r, cpu, 8)) : fz_ptr(r, cpu);
}

void gen_mmuext_op(struct fz_rng *r, unsigned int cpu, struct fz_call *c)
{
    unsigned int n = 1 + fz_below(r, 6);
    struct mmuext_op *op = fz_buf(r, cpu, n * sizeof(*op));

    for (unsigned int i = 0; i < n; i++) {
        op[i].cmd = fz_pct(r, 95) ? (uint32_t)fz_below(r, 22) : (uint32_t)fz_next(r);
        mmuext_args(r, cpu, &op[i]);
    }
    c->a[0] = fz_pct(r, 92) ? HC_PTR(op) : fz_ptr(r, cpu);
    c->a[1] = fz_pct(r, 85) ? n : fz_count(r, 6) | (fz_pct(r, 30) ? 1UL << 31 : 0);
    c->a[2] = fz_pct(r, 50) ? 0 : HC_PTR(fz_buf(r, cpu, 8));
    c->a[3] = fz_pct(r, 75) ? DOMID_SELF : fz_dom(r);
}

static uint64_t uvm_flags(struct fz_rng *r, unsigned int cpu)
{
    uint64_t f = fz_below(r, 4);

    if (fz_pct(r, 20))
        return f | UVMF_ALL;
    if (fz_pct(r, 20))                  /* UVMF_MULTI: a vCPU bitmap */
        return f | (HC_PTR(fz_buf(r, cpu, 8)) & ~7UL);
    return fz_pct(r, 5) ? fz_next(r) & ~7UL : f;
}

void gen_update_va_mapping(struct fz_rng *r, unsigned int cpu, struct fz_call *c)
{
    c->a[0] = fz_va(r);
    c->a[1] = fz_pte(r);
    c->a[2] = uvm_flags(r, cpu);
}

void gen_update_va_mapping_other(struct fz_rng *r, unsigned int cpu, struct fz_call *c)
{
    gen_update_va_mapping(r, cpu, c);
    c->a[3] = fz_dom(r);
}

/* The frames of a reservation: ours to give back, or pfns to fill. */
static uint64_t *extents(struct fz_rng *r, unsigned int cpu, unsigned int n, int mfns)
{
    uint64_t *e = fz_buf(r, cpu, n * 8);

    for (unsigned int i = 0; i < n; i++)
        e[i] = mfns ? fz_mfn(r) : fz_pct(r, 80) ? fz_below(r, 4096) : fz_next(r);
    return e;
}

/*
 * A reservation: decrease only frees order 0 (a larger order from one of
 * our frames would free the kernel's neighbours, which the guest may do
 * but only kills itself) or from beyond RAM.
 */
static void reservation(struct fz_rng *r, unsigned int cpu, unsigned int cmd,
                        struct xen_memory_reservation *m, struct fz_call *c)
{
    unsigned int n = 1 + fz_below(r, 8);
    uint64_t *e = extents(r, cpu, n, cmd == XENMEM_decrease_reservation);

    m->extent_start = fz_pct(r, 92) ? HC_PTR(e) : fz_ptr(r, cpu);
    m->nr_extents = fz_pct(r, 85) ? n : fz_count(r, 8);
    m->extent_order = fz_pct(r, 85) ? 0 : fz_pct(r, 50) ? 9 : (uint32_t)fz_below(r, 64);
    m->mem_flags = fz_pct(r, 80) ? 0 : (uint32_t)fz_next(r);
    m->domid = fz_pct(r, 75) ? DOMID_SELF : (domid_t)fz_dom(r);
    if (cmd == XENMEM_decrease_reservation && m->extent_order) {
        m->extent_start = HC_PTR(e);
        for (unsigned int i = 0; i < n; i++)
            e[i] = fz.max_ram + fz_below(r, 1UL << 20);
    }
    if (cmd != XENMEM_decrease_reservation && !m->extent_order &&
        m->domid == DOMID_SELF && m->extent_start == HC_PTR(e)) {
        c->restore |= FZ_HARVEST;
        c->harvest = e;
        c->nharvest = n;
    }
}

void gen_memory_op(struct fz_rng *r, unsigned int cpu, struct fz_call *c)
{
    static const unsigned int cmds[] = {
        XENMEM_increase_reservation, XENMEM_decrease_reservation, XENMEM_populate_physmap,
        XENMEM_exchange, XENMEM_current_reservation, XENMEM_maximum_reservation,
        XENMEM_maximum_ram_page, XENMEM_maximum_gpfn, XENMEM_machphys_mfn_list,
        XENMEM_machphys_mapping, XENMEM_memory_map,
    };
    unsigned int cmd = fz_pct(r, 70) ? cmds[fz_below(r, ARRAY_SIZE(cmds))]
                                     : (unsigned int)fz_below(r, 32);
    uint8_t *buf = fz_buf(r, cpu, 128);

    /* A start extent in the continuation bits, but not where it could walk
     * a decrease past the extents checked above into arena garbage. */
    c->a[0] = cmd;
    if (cmd != XENMEM_decrease_reservation && cmd != XENMEM_exchange && fz_pct(r, 5))
        c->a[0] |= fz_below(r, 1UL << 20) << 6;
    c->a[1] = fz_pct(r, 90) ? HC_PTR(buf) : fz_ptr(r, cpu);
    switch (cmd) {
    case XENMEM_increase_reservation: case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        reservation(r, cpu, cmd, (struct xen_memory_reservation *)buf, c);
        break;
    case XENMEM_exchange: {
        struct xen_memory_exchange *x = (struct xen_memory_exchange *)buf;

        reservation(r, cpu, XENMEM_decrease_reservation, &x->in, c);
        reservation(r, cpu, XENMEM_populate_physmap, &x->out, c);
        c->restore &= ~FZ_HARVEST;  /* the outputs come back in place of inputs */
        x->nr_exchanged = fz_pct(r, 80) ? 0 : fz_count(r, 8);
        break;
    }
    default:
        break;
    }
    if (c->a[0] != cmd)
        c->restore &= ~FZ_HARVEST;
}

/* Fill one grant operation of type 'cmd' in place. */
static void grant_one(struct fz_rng *r, unsigned int cpu, unsigned int cmd, void *p)
{
    union {
        struct gnttab_map_grant_ref map;
        struct gnttab_unmap_grant_ref unmap;
        struct gnttab_setup_table setup;
        struct gnttab_transfer xfer;
        struct gnttab_copy copy;
        struct gnttab_unmap_and_replace repl;
        struct gnttab_set_version ver;
    } *u = p;
    domid_t peer = fz_pct(r, 50) ? fz.self : (domid_t)fz_dom(r);

    switch (cmd) {
    case GNTTABOP_map_grant_ref:
        u->map.flags = fz_pct(r, 80) ? GNTMAP_host_map | (uint32_t)fz_below(r, 32)
                                     : (uint32_t)fz_next(r);
        u->map.host_addr = (u->map.flags & GNTMAP_contains_pte) ? fz_maddr(r) : fz_va(r);
        u->map.ref = fz_pct(r, 85) ? (grant_ref_t)fz_below(r, 32) : (grant_ref_t)fz_next(r);
        u->map.dom = peer;
        break;
    case GNTTABOP_unmap_grant_ref:
        u->unmap.host_addr = fz_pct(r, 10) ? fz_maddr(r) : fz_va(r);
        u->unmap.handle = fz_pct(r, 85) ? (grant_handle_t)fz_below(r, 16)
                                        : (grant_handle_t)fz_next(r);
        break;
    case GNTTABOP_setup_table:
        u->setup.dom = peer;
        u->setup.nr_frames = (uint32_t)fz_count(r, 8);
        u->setup.frame_list = fz_pct(r, 80) ? HC_PTR(fz_buf(r, cpu, 64)) : fz_ptr(r, cpu);
        break;
    case GNTTABOP_transfer:
        u->xfer.mfn = fz_mfn(r);
        u->xfer.domid = peer;
        u->xfer.ref = (grant_ref_t)fz_below(r, 32);
        break;
    case GNTTABOP_copy:
        u->copy.source.domid = peer;
        u->copy.dest.domid = fz_pct(r, 50) ? fz.self : (domid_t)fz_dom(r);
        u->copy.source.u.gmfn = fz_pct(r, 50) ? fz_below(r, 32) : fz_mfn(r);
        u->copy.dest.u.gmfn = fz_pct(r, 50) ? fz_below(r, 32) : fz_mfn(r);
        u->copy.source.offset = (uint16_t)(fz_pct(r, 80) ? fz_below(r, 4096) : fz_next(r));
        u->copy.dest.offset = (uint16_t)(fz_pct(r, 80) ? fz_below(r, 4096) : fz_next(r));
        u->copy.len = (uint16_t)(fz_pct(r, 80) ? fz_below(r, 4097) : fz_next(r));
        u->copy.flags = (uint16_t)fz_below(r, fz_pct(r, 90) ? 4 : 65536);
        break;
    case GNTTABOP_unmap_and_replace:
        u->repl.host_addr = fz_va(r);
        u->repl.new_addr = fz_pct(r, 30) ? 0 : fz_va(r);
        u->repl.handle = (grant_handle_t)fz_below(r, 16);
        break;
    case GNTTABOP_set_version:
        u->ver.version = fz_pct(r, 90) ? 1 + (uint32_t)fz_below(r, 2) : (uint32_t)fz_next(r);
        break;
    default:                            /* dom first: query, dump, get_version */
        *(uint16_t *)p = peer;
        break;
    }
}

/* Sizes of the grant ops in the array the hypervisor walks, by command. */
static const uint8_t op_size[] = {
    [GNTTABOP_map_grant_ref] = sizeof(struct gnttab_map_grant_ref),
    [GNTTABOP_unmap_grant_ref] = sizeof(struct gnttab_unmap_grant_ref),
    [GNTTABOP_setup_table] = sizeof(struct gnttab_setup_table),
    [GNTTABOP_dump_table] = sizeof(struct gnttab_dump_table),
    [GNTTABOP_transfer] = sizeof(struct gnttab_transfer),
    [GNTTABOP_copy] = sizeof(struct gnttab_copy),
    [GNTTABOP_query_size] = sizeof(struct gnttab_query_size),
    [GNTTABOP_unmap_and_replace] = sizeof(struct gnttab_unmap_and_replace),
    [GNTTABOP_set_version] = sizeof(struct gnttab_set_version),
    [GNTTABOP_get_status_frames] = sizeof(struct gnttab_get_status_frames),
    [GNTTABOP_get_version] = sizeof(struct gnttab_get_version),
    [GNTTABOP_swap_grant_ref] = sizeof(struct gnttab_swap_grant_ref),
    [GNTTABOP_cache_flush] = sizeof(struct gnttab_cache_flush),
};

void gen_grant_table_op(struct fz_rng *r, unsigned int cpu, struct fz_call *c)
{
    unsigned int cmd = fz_pct(r, 95) ? (unsigned int)fz_below(r, 13) : (unsigned int)fz_next(r);
    unsigned int n = 1 + fz_below(r, 4);
    size_t size = cmd < ARRAY_SIZE(op_size) ? op_size[cmd] : 8;
    uint8_t *ops = fz_buf(r, cpu, n * size + 40);

    if (fz_pct(r, 20))
        fz_env_mutate_grants(r);
    /* Each op is built in the space of the largest (40 bytes) and the next
     * one starts at its real size: a later op may clobber an earlier one's
     * tail (its OUT fields), never the fields the hypervisor reads. */
    for (unsigned int i = 0; i < n; i++)
        grant_one(r, cpu, cmd, ops + i * size);
    c->a[0] = cmd;
    c->a[1] = fz_pct(r, 92) ? HC_PTR(ops) : fz_ptr(r, cpu);
    c->a[2] = fz_pct(r, 85) ? n : fz_count(r, 4);
    /*
     * Ops that name virtual addresses read only the ones built here: past
     * them the arena's words include our own kernel addresses, and
     * unmap_and_replace may legally take the mapping at new_addr away.
     */
    if (cmd == GNTTABOP_map_grant_ref || cmd == GNTTABOP_unmap_grant_ref ||
        cmd == GNTTABOP_unmap_and_replace) {
        c->a[1] = HC_PTR(ops);
        c->a[2] = fz_below(r, n + 1);
    }
}
