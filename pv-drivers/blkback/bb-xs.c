/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/blkback/bb-xs.c - what blkback itself writes in xenstore:
 * the disk's properties and the features it offers (dom0-userspace
 * §6.3), and the counters micatop reads.  The rest of a back end's
 * xenstore life is common/be-xs.c.
 */
#include <errno.h>

#include "blkback.h"

/* Everything blkfront reads at connect, written before InitWait. */
int bb_publish(struct blkback *bb)
{
    const char *be = bb->x.be;
    int rc = 0;

    rc |= bex_write(&bb->x, be, "sectors", "%llu", (unsigned long long)bb->disk.sectors);
    rc |= bex_write(&bb->x, be, "sector-size", "%u", BLK_SECTOR);
    rc |= bex_write(&bb->x, be, "physical-sector-size", "%u", BLK_SECTOR);
    rc |= bex_write(&bb->x, be, "info", "%u", bb->disk.readonly ? VDISK_READONLY : 0);
    rc |= bex_write(&bb->x, be, "feature-flush-cache", "1");
    rc |= bex_write(&bb->x, be, "feature-persistent", "%d", bb->want_persistent);
    rc |= bex_write(&bb->x, be, "feature-discard", "%d", bb->disk.discard);
    if (bb->disk.discard) {
        rc |= bex_write(&bb->x, be, "discard-granularity", "%u", BLK_PAGE);
        rc |= bex_write(&bb->x, be, "discard-alignment", "0");
        rc |= bex_write(&bb->x, be, "discard-secure", "0");
    }
    rc |= bex_write(&bb->x, be, "feature-max-indirect-segments", "%u", bb->disk.max_indirect);
    rc |= bex_write(&bb->x, be, "max-ring-page-order", "%u", BB_MAX_RING_ORDER);
    rc |= bex_write(&bb->x, be, "multi-queue-max-queues", "%u", BB_MAX_QUEUES);
    rc |= bex_write(&bb->x, be, "hotplug-status", "connected");
    return rc ? -EIO : 0;
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

    bex_publish_stats(&bb->x, keys, now, sizeof(keys) / sizeof(keys[0]));
}
