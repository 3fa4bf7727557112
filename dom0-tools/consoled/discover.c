/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/consoled/discover.c - which domains have a console to serve.
 *
 * The hypervisor's list decides which domains exist (dom0 is never served:
 * its console is the hypervisor's).  xenstore's /local/domain is read too,
 * only so that a console node for a domain that does not exist is
 * reported once instead of silently ignored.  A dying or vanished domain
 * has everything freed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "console.h"
#include "consoled.h"
#include "discover.h"
#include "libmica.h"
#include "log.h"
#include "micaxs.h"

#define DOMLIST_TOKEN "domlist"
#define INFO_BATCH 64

static struct console *find(struct consoled *cd, unsigned int domid)
{
    struct console *con;

    for (con = cd->cd_cons; con; con = con->con_next)
        if (con->con_domid == domid)
            return con;
    return NULL;
}

/* The console node, and the name (mica rename) that names the log. */
static void watch_console(struct consoled *cd, unsigned int domid, bool on)
{
    static const char *const nodes[] = { "console", "name" };
    char path[64], token[16];

    snprintf(token, sizeof(token), "%u", domid);
    for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
        snprintf(path, sizeof(path), "/local/domain/%u/%s", domid, nodes[i]);
        if (on)
            mxs_watch(cd->cd_xs, path, token);
        else
            mxs_unwatch(cd->cd_xs, path, token);
    }
}

static struct console *add(struct consoled *cd, unsigned int domid,
                           enum con_state state)
{
    struct console *con = console_new(domid);

    if (!con)
        return NULL;
    con->con_state = state;
    con->con_next = cd->cd_cons;
    cd->cd_cons = con;
    if (state != CON_IGNORED)
        watch_console(cd, domid, true);
    return con;
}

/* Mark every domain the hypervisor has and is not destroying. */
static int scan_hypervisor(struct consoled *cd)
{
    struct xen_domctl_getdomaininfo info[INFO_BATCH];
    static bool list_failing;
    uint32_t next = 1;
    int n;

    do {
        n = mica_domain_getinfolist(cd->cd_mica, next, INFO_BATCH, info);
        if (n < 0) {
            /* Said once per failing spell, not at every rescan. */
            if (!list_failing)
                cons_log("domain list: %s", mica_errmsg(cd->cd_mica));
            list_failing = true;
            return n;
        }
        list_failing = false;
        for (int i = 0; i < n; i++) {
            unsigned int domid = info[i].domain;
            struct console *con;

            next = domid + 1;
            if (info[i].flags & XEN_DOMINF_dying)
                continue;
            con = find(cd, domid);
            if (con && con->con_state == CON_IGNORED) {
                con->con_state = CON_WAITING;
                watch_console(cd, domid, true);
            }
            if (!con)
                con = add(cd, domid, CON_WAITING);
            if (con)
                con->con_seen = true;
        }
    } while (n == INFO_BATCH);
    return 0;
}

/* Console nodes of domains the hypervisor does not have: said once. */
static void scan_store(struct consoled *cd)
{
    char **names = NULL, path[64], *val;
    unsigned int num = 0, len;

    if (mxs_directory(cd->cd_xs, 0, "/local/domain", &names, &num))
        return;
    for (unsigned int i = 0; i < num; i++) {
        char *end;
        unsigned long domid = strtoul(names[i], &end, 10);
        struct console *con;

        if (*end || !domid || domid > 0x7fef)
            continue;
        con = find(cd, (unsigned int)domid);
        if (con) {
            if (con->con_state == CON_IGNORED)
                con->con_seen = true;
            continue;
        }
        snprintf(path, sizeof(path), "/local/domain/%lu/console", domid);
        if (mxs_read(cd->cd_xs, 0, path, &val, &len))
            continue;
        free(val);
        cons_log("domain %lu: %s exists but the domain does not; ignored",
                 domid, path);
        con = add(cd, (unsigned int)domid, CON_IGNORED);
        if (con)
            con->con_seen = true;
    }
    free(names);
}

/*
 * A domain missing from the list is asked for by id before its console is
 * released: a list that came back short must not cost a live guest its
 * console.  getdomaininfo answers with the next domain up, as in Xen.
 */
static bool really_gone(struct consoled *cd, unsigned int domid)
{
    struct xen_domctl_getdomaininfo info;

    if (mica_domain_getinfo(cd->cd_mica, domid, &info))
        return true;
    return info.domain != domid || (info.flags & XEN_DOMINF_dying);
}

void discover_scan(struct consoled *cd)
{
    struct console **p, *con;

    for (con = cd->cd_cons; con; con = con->con_next)
        con->con_seen = false;
    if (scan_hypervisor(cd))
        return;     /* keep what we have rather than drop everything */
    scan_store(cd);
    for (p = &cd->cd_cons; (con = *p);) {
        if (!con->con_seen && con->con_state != CON_IGNORED &&
            !really_gone(cd, con->con_domid)) {
            cons_log("domain %u: missing from the domain list but alive; kept",
                     con->con_domid);
            con->con_seen = true;
        }
        if (con->con_seen) {
            if (con->con_state != CON_IGNORED)
                console_start(cd, con);
            p = &con->con_next;
            continue;
        }
        if (con->con_state != CON_IGNORED) {
            cons_log("domain %u: gone, console released", con->con_domid);
            watch_console(cd, con->con_domid, false);
        }
        *p = con->con_next;
        console_free(cd, con);
    }
}

static void watch_fired(struct consoled *cd, const char *token)
{
    char *end;
    unsigned long domid;
    struct console *con;

    if (!strcmp(token, DOMLIST_TOKEN)) {
        discover_scan(cd);
        return;
    }
    domid = strtoul(token, &end, 10);
    con = *end ? NULL : find(cd, (unsigned int)domid);
    if (con && con->con_state != CON_IGNORED) {
        console_start(cd, con);
        console_renamed(cd, con);
    }
}

int discover_watch_events(struct consoled *cd)
{
    char *path, *token;
    int rc;

    for (;;) {
        rc = mxs_read_watch(cd->cd_xs, 0, &path, &token);
        if (rc == -ETIMEDOUT || rc == -EAGAIN)
            return 0;
        if (rc)
            return rc;
        watch_fired(cd, token);
        free(path);
        free(token);
    }
}

int discover_init(struct consoled *cd)
{
    int rc = mxs_watch(cd->cd_xs, "@introduceDomain", DOMLIST_TOKEN);

    if (!rc)
        rc = mxs_watch(cd->cd_xs, "@releaseDomain", DOMLIST_TOKEN);
    if (rc)
        return rc;
    discover_scan(cd);
    return 0;
}

void discover_fini(struct consoled *cd)
{
    struct console *con;

    while ((con = cd->cd_cons)) {
        cd->cd_cons = con->con_next;
        console_free(cd, con);
    }
}
