/* SPDX-License-Identifier: MIT */
/*
 * xenbus/quota.c - the quota table: names, defaults and parsing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "quota.h"
#include "xs-wire.h"

struct xs_quota xs_quota;

static const struct quota_def {
    const char *name;
    size_t off;
    unsigned int def, max;
    const char *help;
} quota_defs[] = {
    { "nodes", offsetof(struct xs_quota, nodes), 1000, ~0u,
      "nodes owned by a domain" },
    { "watches", offsetof(struct xs_quota, watches), 128, ~0u,
      "watches per domain" },
    { "transactions", offsetof(struct xs_quota, transactions), 10, ~0u,
      "open transactions per domain" },
    { "outstanding", offsetof(struct xs_quota, outstanding), 20, 65536,
      "requests in flight per domain" },
    { "transaction-nodes", offsetof(struct xs_quota, tx_nodes), 1024, ~0u,
      "nodes accessed per transaction" },
    { "node-size", offsetof(struct xs_quota, node_size), 2048, ~0u,
      "bytes of value, permissions and child list per node" },
    { "path-max", offsetof(struct xs_quota, path_max), 2048,
      XENSTORE_REL_PATH_MAX, "length of a domain-relative path" },
    { "permissions", offsetof(struct xs_quota, perms), 5, ~0u,
      "permission entries per node" },
};

#define NR_QUOTAS (sizeof(quota_defs) / sizeof(quota_defs[0]))

static unsigned int *field(const struct quota_def *d)
{
    return (unsigned int *)((char *)&xs_quota + d->off);
}

void xs_quota_defaults(void)
{
    size_t i;

    for (i = 0; i < NR_QUOTAS; i++)
        *field(&quota_defs[i]) = quota_defs[i].def;
}

int xs_quota_set(const char *name, const char *value)
{
    unsigned long v;
    char *end;
    size_t i;

    for (i = 0; i < NR_QUOTAS; i++) {
        if (strcmp(name, quota_defs[i].name))
            continue;
        errno = 0;
        v = strtoul(value, &end, 10);
        if (errno || end == value || *end || v < 1 || v > quota_defs[i].max)
            return -EINVAL;
        *field(&quota_defs[i]) = v;
        return 0;
    }
    return -ENOENT;
}

/* "name=value", as given to --quota. */
int xs_quota_parse(const char *arg)
{
    char name[32];
    const char *eq = strchr(arg, '=');

    if (!eq || (size_t)(eq - arg) >= sizeof(name))
        return -EINVAL;
    memcpy(name, arg, eq - arg);
    name[eq - arg] = '\0';
    return xs_quota_set(name, eq + 1);
}

int xs_quota_format(char *buf, size_t size)
{
    size_t off = 0, i;

    for (i = 0; i < NR_QUOTAS; i++) {
        int n = snprintf(buf + off, size - off, "%-18s %8u  %s\n",
                         quota_defs[i].name, *field(&quota_defs[i]),
                         quota_defs[i].help);

        if (n < 0 || (size_t)n >= size - off)
            return -E2BIG;
        off += n;
    }
    return off;
}
