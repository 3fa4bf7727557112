/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/blkback/bb-xs.c - blkback's xenstore side: the disk's
 * properties and the features it offers (dom0-userspace §6.3), its own
 * state, the front end's state, and removing its directory at the end.
 * The toolstack made the directory with the guest's read permission;
 * nodes written here inherit it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blkback.h"


int bb_xs_read(struct blkback *bb, const char *dir, const char *key, char **val)
{
    char path[160];
    unsigned int len;

    snprintf(path, sizeof(path), "%s/%s", dir, key);
    *val = NULL;
    return mxs_read(bb->xs, 0, path, val, &len);
}

int bb_xs_write(struct blkback *bb, const char *dir, const char *key, const char *fmt, ...)
{
    char path[160], val[64];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(val, sizeof(val), fmt, ap);
    va_end(ap);
    snprintf(path, sizeof(path), "%s/%s", dir, key);
    return mxs_write(bb->xs, 0, path, val, (unsigned int)strlen(val));
}

/* Everything blkfront reads at connect, written before InitWait. */
int bb_publish(struct blkback *bb)
{
    const char *be = bb->be;
    int rc = 0;

    rc |= bb_xs_write(bb, be, "sectors", "%llu", (unsigned long long)bb->disk.sectors);
    rc |= bb_xs_write(bb, be, "sector-size", "%u", BLK_SECTOR);
    rc |= bb_xs_write(bb, be, "physical-sector-size", "%u", BLK_SECTOR);
    rc |= bb_xs_write(bb, be, "info", "%u", bb->disk.readonly ? VDISK_READONLY : 0);
    rc |= bb_xs_write(bb, be, "feature-flush-cache", "1");
    rc |= bb_xs_write(bb, be, "feature-persistent", "%d", bb->want_persistent);
    rc |= bb_xs_write(bb, be, "feature-discard", "%d", bb->disk.discard);
    if (bb->disk.discard) {
        rc |= bb_xs_write(bb, be, "discard-granularity", "%u", BLK_PAGE);
        rc |= bb_xs_write(bb, be, "discard-alignment", "0");
        rc |= bb_xs_write(bb, be, "discard-secure", "0");
    }
    rc |= bb_xs_write(bb, be, "feature-max-indirect-segments", "%u", bb->disk.max_indirect);
    rc |= bb_xs_write(bb, be, "max-ring-page-order", "%u", BB_MAX_RING_ORDER);
    rc |= bb_xs_write(bb, be, "multi-queue-max-queues", "%u", BB_MAX_QUEUES);
    rc |= bb_xs_write(bb, be, "hotplug-status", "connected");
    return rc ? -EIO : 0;
}

int bb_set_state(struct blkback *bb, enum xb_state s)
{
    int rc = bb_xs_write(bb, bb->be, "state", "%d", (int)s);

    if (!rc && s != bb->state)
        bb_log(bb, "state %s -> %s", xb_state_name(bb->state), xb_state_name(s));
    if (!rc)
        bb->state = s;
    return rc;
}

/* A missing or garbled state counts as Unknown: the front end is gone. */
int bb_frontend_state(struct blkback *bb)
{
    char *v;
    int s;

    if (bb_xs_read(bb, bb->fe, "state", &v))
        return XB_UNKNOWN;
    s = xb_state_parse(v);
    free(v);
    return s < 0 ? XB_UNKNOWN : s;
}

/* Our directory, and the domain's vbd directory once it is empty. */
void bb_xs_remove(struct blkback *bb)
{
    char parent[96], **names = NULL;
    unsigned int n = 0;

    mxs_rm(bb->xs, 0, bb->be);
    snprintf(parent, sizeof(parent), "/local/domain/0/backend/vbd/%u", bb->domid);
    if (!mxs_directory(bb->xs, 0, parent, &names, &n) && !n)
        mxs_rm(bb->xs, 0, parent);
    free(names);
}

/*
 * The counters xentop shows (OO, RD, WR, RSECT, WSECT) under
 * statistics/, where micatop reads them; only those that changed.
 */
void bb_publish_stats(struct blkback *bb)
{
    static const char *const keys[] = { "oo_req", "rd_req", "wr_req", "rd_sect", "wr_sect" };
    const uint64_t now[] = { bb->st.oo_req, bb->st.rd_req, bb->st.wr_req, bb->st.rd_sect,
                             bb->st.wr_sect };
    char key[32];

    for (unsigned int i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        if (now[i] == bb->published[i] && bb->stats_written)
            continue;
        snprintf(key, sizeof(key), "statistics/%s", keys[i]);
        if (!bb_xs_write(bb, bb->be, key, "%llu", (unsigned long long)now[i]))
            bb->published[i] = now[i];
    }
    bb->stats_written = true;
}
