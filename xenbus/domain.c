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
#include <string.h>
#include "conn.h"
#include "domain.h"
#include "log.h"
#include "perms.h"
#include "ring.h"
#include "tree.h"
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
        /* As 4.17 does: a second INTRODUCE only binds the channel again. */
        if (d->conn) {
            rc = xs_ring_conn_rebind(d->conn, evtchn);
            if (rc) {
                log_warn("domain %u: cannot bind port %u again (%d)", domid,
                         evtchn, rc);
                return -EINVAL;
            }
        }
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

/* Hands each node 'gone' owned to dom0, keeping the rest of its set. */
struct chown_ctx {
    unsigned int gone;
    struct xs_perms *from, *to;     /* the last set rewritten, reused */
    int rc;
};

static void chown_node(struct xs_node *n, void *arg)
{
    struct chown_ctx *x = arg;
    struct xs_perms *p = n->perms;

    if (xs_perms_owner(p) != x->gone || x->rc)
        return;
    if (p != x->from) {
        struct xs_perms *np = xs_perms_new(p->num);

        if (!np) {
            x->rc = -ENOMEM;
            return;
        }
        memcpy(np->p, p->p, p->num * sizeof(p->p[0]));
        np->p[0].id = 0;
        /* Held, so a freed set's address cannot come back as a match. */
        xs_perms_put(x->from);
        xs_perms_put(x->to);
        x->from = xs_perms_get(p);
        x->to = np;
    }
    xs_tree_set_perms(n, x->to);
}

/*
 * A domain that no longer exists owns nothing: its nodes pass to dom0, so
 * its node count (its quota) goes back to zero and a later domain given
 * the same id starts with nothing.
 */
int xs_domain_forget(unsigned int domid)
{
    struct chown_ctx x = { .gone = domid };

    if (domid == 0 || domid >= XS_DOMID_INVALID)
        return -EINVAL;
    xs_tree_walk(xs_tree_root(), chown_node, &x);
    xs_perms_put(x.from);
    xs_perms_put(x.to);
    return x.rc;
}

/*
 * After VIRQ_DOM_EXC: 'info' lists every domain the hypervisor knows.  An
 * introduced domain that is dying or missing is released and forgotten;
 * one that shut down or crashed fires @releaseDomain once (until RESUME
 * or a new INTRODUCE), as Xen 4.17 does.  Returns how many were released.
 */
int xs_domain_check(const struct xs_dominfo *info, size_t n)
{
    unsigned int i, released = 0;
    bool fire = false;
    uint8_t *state;
    size_t k;

    state = calloc(XS_DOMID_INVALID, 1);
    if (!state)
        return -ENOMEM;
    for (k = 0; k < n; k++)
        if (info[k].domid < XS_DOMID_INVALID)
            state[info[k].domid] = 1 | (info[k].dying ? 2 : 0) |
                                   (info[k].shutdown ? 4 : 0);
    for (i = 1; domains && i < XS_DOMID_INVALID; i++) {
        struct xs_domain *d = domains[i];

        if (!d || !d->introduced)
            continue;
        if (!(state[i] & 1) || state[i] & 2) {
            log_info("domain %u is gone", i);
            xs_domain_release(i);
            xs_domain_forget(i);
            /* Nothing refers to it now: a new domain i starts afresh. */
            if (!d->nr_nodes) {
                free(d);
                domains[i] = NULL;
            }
            released++;
        } else if (state[i] & 4 && !d->shutdown) {
            d->shutdown = true;
            fire = true;
        }
    }
    free(state);
    if (fire)
        xs_watch_fire("@releaseDomain", NULL, true);
    return released;
}
