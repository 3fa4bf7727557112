/* SPDX-License-Identifier: MIT */
/*
 * xenbus/watch.c - WATCH, UNWATCH, RESET_WATCHES and event delivery.
 *
 * A change to P fires every watch on P or an ancestor of P (whole path
 * components); removal also fires exact watches on each removed
 * descendant. Events go out in the order the changes happened and, as in
 * 4.17, ahead of the reply to the request that caused them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "conn.h"
#include "path.h"
#include "proto.h"
#include "quota.h"
#include "transaction.h"
#include "watch.h"

static XS_LIST_HEAD(all_watches);

static const char *const special_names[] = { "@introduceDomain",
                                             "@releaseDomain" };
static struct xs_perms *special_perms[2];

struct xs_list *xs_watch_list(void)
{
    return &all_watches;
}

int xs_watch_init(void)
{
    unsigned int i;

    for (i = 0; i < 2; i++) {
        xs_perms_put(special_perms[i]);
        special_perms[i] = xs_perms_owned(0, XS_PERM_NONE);
        if (!special_perms[i])
            return -ENOMEM;
    }
    return 0;
}

void xs_watch_fini(void)
{
    unsigned int i;

    for (i = 0; i < 2; i++) {
        xs_perms_put(special_perms[i]);
        special_perms[i] = NULL;
    }
}

static int special_index(const char *path)
{
    unsigned int i;

    for (i = 0; i < 2; i++)
        if (!strcmp(path, special_names[i]))
            return i;
    return -1;
}

struct xs_perms *xs_special_perms(const char *path)
{
    int i = special_index(path);

    return i < 0 ? NULL : special_perms[i];
}

int xs_special_set_perms(const char *path, struct xs_perms *perms)
{
    int i = special_index(path);

    if (i < 0)
        return -EINVAL;
    xs_perms_get(perms);
    xs_perms_put(special_perms[i]);
    special_perms[i] = perms;
    return 0;
}

static struct xs_watch *find(struct xs_conn *c, const char *path,
                             const char *token)
{
    struct xs_list *pos, *tmp;

    xs_list_for_each_safe(pos, tmp, &c->watches) {
        struct xs_watch *w = xs_container_of(pos, struct xs_watch, clink);

        if (!strcmp(w->path, path) && !strcmp(w->token, token))
            return w;
    }
    return NULL;
}

int xs_watch_add(struct xs_conn *c, const char *path, unsigned int rel_off,
                 const char *token)
{
    size_t plen = strlen(path) + 1;
    struct xs_watch *w;

    if (find(c, path, token))
        return -EEXIST;
    w = malloc(sizeof(*w) + plen);
    if (!w)
        return -ENOMEM;
    w->token = strdup(token);
    if (!w->token) {
        free(w);
        return -ENOMEM;
    }
    memcpy(w->path, path, plen);
    w->conn = c;
    w->rel_off = rel_off;
    xs_list_add_tail(&c->watches, &w->clink);
    xs_list_add_tail(&all_watches, &w->glink);
    c->nr_watches++;
    return 0;
}

static void watch_free(struct xs_watch *w)
{
    xs_list_del(&w->clink);
    xs_list_del(&w->glink);
    w->conn->nr_watches--;
    free(w->token);
    free(w);
}

int xs_watch_del(struct xs_conn *c, const char *path, const char *token)
{
    struct xs_watch *w = find(c, path, token);

    if (!w)
        return -ENOENT;
    watch_free(w);
    return 0;
}

void xs_watch_conn_gone(struct xs_conn *c)
{
    while (!xs_list_empty(&c->watches))
        watch_free(xs_container_of(c->watches.next, struct xs_watch, clink));
}

static bool may_see(const struct xs_conn *c, const char *path,
                    const struct xs_perms *perms)
{
    if (c->who.priv)
        return true;
    if (path[0] == '@')
        perms = xs_special_perms(path);
    return perms && (xs_perms_for(&c->who, perms) & XS_PERM_READ);
}

void xs_watch_fire(const char *path, const struct xs_perms *perms, bool exact)
{
    struct xs_list *pos, *tmp;

    xs_list_for_each_safe(pos, tmp, &all_watches) {
        struct xs_watch *w = xs_container_of(pos, struct xs_watch, glink);
        const char *epath = path;

        /* Special events and removed descendants match exactly. */
        if ((exact || path[0] == '@') ? strcmp(w->path, path) != 0
                                      : !xs_path_is_under(w->path, path))
            continue;
        if (!may_see(w->conn, path, perms))
            continue;
        /* Relative watches see names relative to the same home. */
        if (w->rel_off && !strncmp(path, w->path, w->rel_off) &&
            path[w->rel_off])
            epath = path + w->rel_off;
        xs_conn_send_event(w->conn, epath, w->token);
    }
}

/* Shared by WATCH and UNWATCH: "path\0token\0", nothing else (no depth). */
static int watch_args(struct xs_req *r, char *abs, unsigned int *rel_off,
                      const char **token)
{
    const char *argv[2];
    int rc;

    if (xs_req_args(r, argv, 2) != 2)
        return -EINVAL;
    rc = xs_req_resolve(r, argv[0], abs, rel_off);
    if (rc)
        return rc;
    *token = argv[1];
    return 0;
}

int xs_do_watch(struct xs_req *r)
{
    char abs[XS_PATH_BUF];
    const char *token, *argv[2];
    unsigned int rel_off;
    int rc;

    rc = watch_args(r, abs, &rel_off, &token);
    if (rc)
        return rc;
    if (!r->conn->who.priv && r->conn->nr_watches >= xs_quota.watches)
        return -E2BIG;
    rc = xs_watch_add(r->conn, abs, rel_off, token);
    if (rc)
        return rc;
    rc = xs_reply_ok(r);
    /* The initial event names the path exactly as the caller gave it. */
    xs_req_args(r, argv, 2);
    xs_conn_send_event(r->conn, argv[0], token);
    return rc;
}

int xs_do_unwatch(struct xs_req *r)
{
    char abs[XS_PATH_BUF];
    const char *token;
    unsigned int rel_off;
    int rc;

    rc = watch_args(r, abs, &rel_off, &token);
    if (rc)
        return rc;
    rc = xs_watch_del(r->conn, abs, token);
    if (rc)
        return rc;
    return xs_reply_ok(r);
}

int xs_do_reset_watches(struct xs_req *r)
{
    xs_watch_conn_gone(r->conn);
    xs_tx_conn_gone(r->conn);
    return xs_reply_ok(r);
}
