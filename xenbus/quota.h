/* SPDX-License-Identifier: MIT */
/*
 * xenbus/quota.h - per-domain limits (Xen 4.17 defaults), settable from the
 * command line and XS_CONTROL "quota". Privileged connections are exempt.
 */
#ifndef XENBUS_QUOTA_H
#define XENBUS_QUOTA_H

#include <stddef.h>

struct xs_quota {
    unsigned int nodes;         /* nodes owned per domain */
    unsigned int watches;       /* watches per connection */
    unsigned int transactions;  /* open transactions per connection */
    unsigned int outstanding;   /* replies not yet consumed per connection */
    unsigned int tx_nodes;      /* nodes touched per transaction */
    unsigned int node_size;     /* value + permissions + child list bytes */
    unsigned int path_max;      /* relative part of a path */
    unsigned int perms;         /* permission entries per node */
};

extern struct xs_quota xs_quota;

void xs_quota_defaults(void);
int xs_quota_set(const char *name, const char *value);
int xs_quota_parse(const char *arg);
int xs_quota_format(char *buf, size_t size);

#endif
