/* SPDX-License-Identifier: MIT */
/*
 * collect.h - one snapshot of every domain: getdomaininfolist for state,
 * memory and vCPU count, getvcpuinfo per vCPU for run times, names from
 * xenstore, device counters where the back ends publish them, and the
 * host's memory and CPUs; CPU(%) and its history carried on from the
 * snapshot before.
 *
 * Back ends publish their counters in xenstore beside each device's back
 * end node: /local/domain/0/backend/vbd/DOMID/DEVID/statistics/{oo_req,
 * rd_req,wr_req,rd_sect,wr_sect} and .../vif/DOMID/DEVID/statistics/
 * {rx,tx}_{bytes,packets,errors,drops}, decimal.  A device without them
 * counts zero, as xentop shows a domain without devices.
 */
#ifndef MICATOP_COLLECT_H
#define MICATOP_COLLECT_H

#include <stddef.h>
#include <stdint.h>

#include "stale.h"
#include "table.h"

struct mica;
struct mxs_handle;

struct mt_snap {
    uint64_t wall_ns;
    struct mt_host host;
    size_t n;
    struct mt_dom **doms;           /* domid order */
};

struct mt_coll {
    struct mica *hv;
    struct mxs_handle *xs;          /* NULL: names are "Domain-N" */
    struct mt_snap *prev;
    unsigned long rounds;           /* snapshots taken */
    bool watching;                  /* the watch on /local/domain is set */
    struct mt_stale stale;          /* what changed since the last snapshot */
    /* When reading everything: the domids that have vbd and vif back ends. */
    char **vbd_doms, **vif_doms;
    unsigned int nr_vbd_doms, nr_vif_doms;
};

/* Open the hypervisor and xenstore; a one-line reason in err on failure. */
int mt_coll_open(struct mt_coll *c, char *err, size_t len);
void mt_coll_close(struct mt_coll *c);
/*
 * Take a snapshot; CPU(%) is measured from the previous one (0.0 for the
 * first, as xentop's first sample).  The collector keeps it as the next
 * call's previous; the caller must not free it.
 */
int mt_collect(struct mt_coll *c, struct mt_snap **out);
void mt_snap_free(struct mt_snap *s);
struct mt_dom *mt_snap_find(const struct mt_snap *s, uint32_t domid);

/* Per-vCPU detail for the detail view (the table keeps only times). */
struct mt_vcpu_detail {
    bool online, blocked, running;
    uint32_t cpu;
    uint64_t cpu_ns;
};
int mt_vcpu_detail(struct mt_coll *c, uint32_t domid, unsigned int vcpu,
                   struct mt_vcpu_detail *out);

#endif
