/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/netback/nb-xs.c - netback's xenstore side: the features it
 * offers netfront (dom0-userspace §7.2), its own state, the front end's,
 * the counters micatop reads, and removing its directory at the end.
 * The toolstack made the directory with the guest's read permission;
 * nodes written here inherit it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netback.h"

int nb_xs_read(struct netback *nb, const char *dir, const char *key, char **val)
{
    char path[160];
    unsigned int len;

    snprintf(path, sizeof(path), "%s/%s", dir, key);
    *val = NULL;
    return mxs_read(nb->xs, 0, path, val, &len);
}

int nb_xs_read_uint(struct netback *nb, const char *dir, const char *key, unsigned long *out)
{
    char *v, *end;
    int rc = nb_xs_read(nb, dir, key, &v);

    if (rc)
        return rc;
    *out = strtoul(v, &end, 10);
    rc = (*v < '0' || *v > '9' || *end) ? -EINVAL : 0;
    free(v);
    return rc;
}

int nb_xs_write(struct netback *nb, const char *dir, const char *key, const char *fmt, ...)
{
    char path[160], val[64];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(val, sizeof(val), fmt, ap);
    va_end(ap);
    snprintf(path, sizeof(path), "%s/%s", dir, key);
    return mxs_write(nb->xs, 0, path, val, (unsigned int)strlen(val));
}

/* Everything netfront reads before it connects, written before InitWait. */
int nb_publish(struct netback *nb)
{
    const char *be = nb->be;
    int rc = 0;

    rc |= nb_xs_write(nb, be, "feature-rx-copy", "1");
    rc |= nb_xs_write(nb, be, "feature-rx-flip", "0");
    rc |= nb_xs_write(nb, be, "feature-sg", "1");
    rc |= nb_xs_write(nb, be, "feature-gso-tcpv4", "1");
    rc |= nb_xs_write(nb, be, "feature-gso-tcpv6", "1");
    rc |= nb_xs_write(nb, be, "feature-ipv6-csum-offload", "1");
    rc |= nb_xs_write(nb, be, "feature-split-event-channels", "1");
    rc |= nb_xs_write(nb, be, "multi-queue-max-queues", "%u", NB_MAX_QUEUES);
    return rc ? -EIO : 0;
}

int nb_set_state(struct netback *nb, enum xb_state s)
{
    int rc = nb_xs_write(nb, nb->be, "state", "%d", (int)s);

    if (!rc && s != nb->state)
        nb_log(nb, "state %s -> %s", xb_state_name(nb->state), xb_state_name(s));
    if (!rc)
        nb->state = s;
    return rc;
}

/* A missing or garbled state counts as Unknown: the front end is gone. */
int nb_frontend_state(struct netback *nb)
{
    char *v;
    int s;

    if (nb_xs_read(nb, nb->fe, "state", &v))
        return XB_UNKNOWN;
    s = xb_state_parse(v);
    free(v);
    return s < 0 ? XB_UNKNOWN : s;
}

/* Our directory, and the domain's vif directory once it is empty. */
void nb_xs_remove(struct netback *nb)
{
    char parent[96], **names = NULL;
    unsigned int n = 0;

    mxs_rm(nb->xs, 0, nb->be);
    snprintf(parent, sizeof(parent), "/local/domain/0/backend/vif/%u", nb->domid);
    if (!mxs_directory(nb->xs, 0, parent, &names, &n) && !n)
        mxs_rm(nb->xs, 0, parent);
    free(names);
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
    char key[32];

    for (unsigned int i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        if (now[i] == nb->published[i] && nb->stats_written)
            continue;
        snprintf(key, sizeof(key), "statistics/%s", keys[i]);
        if (!nb_xs_write(nb, nb->be, key, "%llu", (unsigned long long)now[i]))
            nb->published[i] = now[i];
    }
    nb->stats_written = true;
}
