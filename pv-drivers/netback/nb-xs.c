/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/netback/nb-xs.c - what netback itself writes in xenstore:
 * the features it offers netfront (dom0-userspace §7.2) and the counters
 * micatop reads.  The rest of a back end's xenstore life is
 * common/be-xs.c.
 */
#include <errno.h>

#include "netback.h"

/* Everything netfront reads before it connects, written before InitWait. */
int nb_publish(struct netback *nb)
{
    const char *be = nb->x.be;
    int rc = 0;

    rc |= bex_write(&nb->x, be, "feature-rx-copy", "1");
    rc |= bex_write(&nb->x, be, "feature-rx-flip", "0");
    rc |= bex_write(&nb->x, be, "feature-sg", "1");
    rc |= bex_write(&nb->x, be, "feature-gso-tcpv4", "1");
    rc |= bex_write(&nb->x, be, "feature-gso-tcpv6", "1");
    rc |= bex_write(&nb->x, be, "feature-ipv6-csum-offload", "1");
    rc |= bex_write(&nb->x, be, "feature-split-event-channels", "1");
    rc |= bex_write(&nb->x, be, "multi-queue-max-queues", "%u", NB_MAX_QUEUES);
    return rc ? -EIO : 0;
}

/* xentop's NETTX/NETRX columns under statistics/; only those that changed. */
void nb_publish_stats(struct netback *nb)
{
    static const char *const keys[] = {
        "tx_bytes", "tx_packets", "tx_errors", "tx_drops",
        "rx_bytes", "rx_packets", "rx_errors", "rx_drops",
    };
    const uint64_t now[] = {
        nb->st.tx_bytes, nb->st.tx_packets, nb->st.tx_errors, nb->st.tx_drops,
        nb->st.rx_bytes, nb->st.rx_packets, nb->st.rx_errors, nb->st.rx_drops,
    };

    bex_publish_stats(&nb->x, keys, now, sizeof(keys) / sizeof(keys[0]));
}
