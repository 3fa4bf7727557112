/* SPDX-License-Identifier: MIT */
/*
 * xenbus/domain.c - per-domain state, INTRODUCE/RELEASE mechanics and the
 * @introduceDomain/@releaseDomain events.
 *
 * Domains are found through a flat table indexed by domid: 64 Ki pointers
 * is cheap for a dom0 daemon and makes quota accounting O(1).
 */
#include <errno.h>
#include <stdlib.h>
#include "conn.h"
#include "domain.h"
#include "log.h"
#include "perms.h"
#include "ring.h"
#include "watch.h"

static struct xs_domain **domains;

int xs_domain_init(void)
{
    domains = calloc(XS_DOMID_INVALID, sizeof(*domains));
    return domains ? 0 : -ENOMEM;
}

void xs_domain_fini(void)
{
    unsigned int i;

    if (!domains)
        return;
    for (i = 0; i < XS_DOMID_INVALID; i++)
        free(domains[i]);
    free(domains);
    domains = NULL;
}

struct xs_domain *xs_domain_find(unsigned int domid)
{
    return domid < XS_DOMID_INVALID && domains ? domains[domid] : NULL;
}

struct xs_domain *xs_domain_get(unsigned int domid)
{
    struct xs_domain *d;

    if (domid >= XS_DOMID_INVALID || !domains)
        return NULL;
    d = domains[domid];
    if (!d) {
        d = calloc(1, sizeof(*d));
        if (!d)
            return NULL;
        d->domid = domid;
        d->target = XS_DOMID_INVALID;
        domains[domid] = d;
    }
    return d;
}

/* The tree's ownership hook. */
void xs_domain_account(unsigned int domid, int delta)
{
    struct xs_domain *d = xs_domain_get(domid);

    if (d)
        d->nr_nodes += delta;
}

long xs_domain_nodes(unsigned int domid)
{
    struct xs_domain *d = xs_domain_find(domid);

    return d ? d->nr_nodes : 0;
}

/*
 * Without a ring backend (plain socket operation, tests) the domain is
 * still recorded as introduced so toolstack logic and events work.
 */
int xs_domain_introduce(unsigned int domid, uint64_t gfn, unsigned int evtchn)
{
    struct xs_domain *d = xs_domain_get(domid);
    int rc;

    if (!d)
        return -ENOMEM;
    if (d->introduced) {
        d->evtchn = evtchn;
        return 0;
    }
    if (xs_ring_backend()) {
        rc = xs_ring_conn_new(domid, gfn, evtchn, &d->conn);
        if (rc) {
            log_warn("domain %u: cannot map its ring (%d)", domid, rc);
            return -EINVAL;
        }
        d->conn->who.target = d->target;
    }
    d->introduced = true;
    d->shutdown = false;
    d->gfn = gfn;
    d->evtchn = evtchn;
    log_info("domain %u introduced", domid);
    xs_watch_fire("@introduceDomain", NULL, true);
    return 0;
}

/* The connection is only marked; the main loop frees dead connections. */
int xs_domain_release(unsigned int domid)
{
    struct xs_domain *d = xs_domain_find(domid);

    if (!d || !d->introduced)
        return -ENOENT;
    if (d->conn) {
        d->conn->dead = true;
        d->conn = NULL;
    }
    d->introduced = false;
    log_info("domain %u released", domid);
    xs_watch_fire("@releaseDomain", NULL, true);
    return 0;
}

void xs_domain_conn_gone(struct xs_conn *c)
{
    struct xs_domain *d = xs_domain_find(c->who.domid);

    if (d && d->conn == c)
        d->conn = NULL;
}

void xs_domain_foreach(xs_domain_fn *fn, void *arg)
{
    unsigned int i;

    for (i = 0; domains && i < XS_DOMID_INVALID; i++)
        if (domains[i])
            fn(domains[i], arg);
}
