/* SPDX-License-Identifier: MIT */
/*
 * xenbus/ops-domain.c - the domain-management requests: INTRODUCE, RELEASE,
 * GET_DOMAIN_PATH, IS_DOMAIN_INTRODUCED, RESUME, SET_TARGET.
 */
#include <errno.h>
#include <stdlib.h>
#include "conn.h"
#include "domain.h"
#include "path.h"
#include "proto.h"

int xs_do_introduce(struct xs_req *r)
{
    const char *argv[3];
    unsigned int domid;
    char *end;
    unsigned long long gfn;
    unsigned long port;
    int rc;

    if (xs_req_args(r, argv, 3) != 3 || xs_parse_domid(argv[0], &domid))
        return -EINVAL;
    gfn = strtoull(argv[1], &end, 10);
    if (*end)
        return -EINVAL;
    port = strtoul(argv[2], &end, 10);
    if (*end || port > 0xffffffffu)
        return -EINVAL;
    rc = xs_domain_introduce(domid, gfn, port);
    if (rc)
        return rc;
    return xs_reply_ok(r);
}

static int one_domid(struct xs_req *r, unsigned int *domid)
{
    const char *arg = xs_req_path_arg(r);

    if (!arg)
        return -EINVAL;
    return xs_parse_domid(arg, domid);
}

int xs_do_release(struct xs_req *r)
{
    unsigned int domid;
    int rc = one_domid(r, &domid);

    if (rc)
        return rc;
    if (domid == 0)
        return -EINVAL;
    rc = xs_domain_release(domid);
    if (rc)
        return rc;
    return xs_reply_ok(r);
}

int xs_do_get_domain_path(struct xs_req *r)
{
    char path[32];
    unsigned int domid;
    int rc = one_domid(r, &domid);

    if (rc)
        return rc;
    xs_path_domain_prefix(domid, path, sizeof(path));
    return xs_reply_str(r, path);
}

int xs_do_is_introduced(struct xs_req *r)
{
    struct xs_domain *d;
    unsigned int domid;
    int rc = one_domid(r, &domid);

    if (rc)
        return rc;
    d = xs_domain_find(domid);
    return xs_reply_str(r, domid == 0 || (d && d->introduced) ? "T" : "F");
}

int xs_do_resume(struct xs_req *r)
{
    struct xs_domain *d;
    unsigned int domid;
    int rc = one_domid(r, &domid);

    if (rc)
        return rc;
    d = xs_domain_find(domid);
    if (!d || !d->introduced)
        return -ENOENT;
    d->shutdown = false;
    return xs_reply_ok(r);
}

int xs_do_set_target(struct xs_req *r)
{
    const char *argv[2];
    unsigned int domid, target;
    struct xs_domain *d;

    if (xs_req_args(r, argv, 2) != 2 || xs_parse_domid(argv[0], &domid) ||
        xs_parse_domid(argv[1], &target))
        return -EINVAL;
    d = xs_domain_get(domid);
    if (!d)
        return -ENOMEM;
    d->target = target;
    if (d->conn)
        d->conn->who.target = target;
    return xs_reply_ok(r);
}
