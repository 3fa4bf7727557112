/* SPDX-License-Identifier: MIT */
/*
 * xenbus/domain.h - what the daemon knows per domain: node count for the
 * quota, introduction state, its ring connection and SET_TARGET.
 */
#ifndef XENBUS_DOMAIN_H
#define XENBUS_DOMAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xs_conn;

struct xs_domain {
    unsigned int domid;
    unsigned int target;        /* XS_DOMID_INVALID if none */
    bool introduced;
    bool shutdown;              /* @releaseDomain already fired */
    long nr_nodes;
    uint64_t gfn;
    unsigned int evtchn;
    struct xs_conn *conn;       /* ring connection, if a backend mapped it */
};

int xs_domain_init(void);
void xs_domain_fini(void);
struct xs_domain *xs_domain_find(unsigned int domid);
struct xs_domain *xs_domain_get(unsigned int domid);
void xs_domain_account(unsigned int domid, int delta);
long xs_domain_nodes(unsigned int domid);
int xs_domain_introduce(unsigned int domid, uint64_t gfn, unsigned int evtchn);
int xs_domain_release(unsigned int domid);
void xs_domain_conn_gone(struct xs_conn *c);

/* What the hypervisor reports of one domain (getdomaininfo's flags). */
struct xs_dominfo {
    unsigned int domid;
    bool dying, shutdown;           /* shutdown: shut down or crashed */
};

int xs_domain_forget(unsigned int domid);
int xs_domain_check(const struct xs_dominfo *info, size_t n);

typedef void xs_domain_fn(struct xs_domain *d, void *arg);
void xs_domain_foreach(xs_domain_fn *fn, void *arg);

#endif
