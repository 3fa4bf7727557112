/* SPDX-License-Identifier: MIT */
/*
 * xenbus/ops-node.c - the node requests: READ, WRITE, MKDIR, RM,
 * DIRECTORY, DIRECTORY_PART, GET_PERMS, SET_PERMS.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conn.h"
#include "path.h"
#include "proto.h"
#include "quota.h"
#include "store.h"
#include "watch.h"

/* The single path argument, resolved; '@' names are refused here. */
static int node_path(struct xs_req *r, char *abs)
{
    const char *arg = xs_req_path_arg(r);
    int rc;

    if (!arg)
        return -EINVAL;
    rc = xs_req_resolve(r, arg, abs, NULL);
    if (rc)
        return rc;
    return xs_path_special(abs) ? -EINVAL : 0;
}

static bool unpriv(const struct xs_req *r)
{
    return !r->conn->who.priv;
}

/* 4.17 counts value, permission entries and child names against node-size. */
static int check_node_size(const struct xs_req *r, size_t vlen,
                           unsigned int nperms, size_t dirlen)
{
    if (unpriv(r) && vlen + nperms * sizeof(struct xs_perm) + dirlen >
                     xs_quota.node_size)
        return -ENOSPC;
    return 0;
}

int xs_do_read(struct xs_req *r)
{
    char path[XS_PATH_BUF];
    struct xs_rec rec;
    int rc;

    rc = node_path(r, path);
    if (!rc)
        rc = xs_store_access(r->tx, &r->conn->who, path, XS_PERM_READ, &rec);
    if (rc)
        return rc;
    return xs_reply(r, rec.value, rec.vlen);
}

/*
 * Perms for a node created below 'parent': inherited, except that an
 * unprivileged creator becomes the owner (and is charged for the node).
 */
static struct xs_perms *child_perms(const struct xs_req *r,
                                    struct xs_perms *parent)
{
    struct xs_perms *p;

    if (!unpriv(r) || xs_perms_owner(parent) == r->conn->who.domid)
        return xs_perms_get(parent);
    p = xs_perms_new(parent->num);
    if (!p)
        return NULL;
    memcpy(p->p, parent->p, parent->num * sizeof(p->p[0]));
    p->p[0].id = r->conn->who.domid;
    return p;
}

/*
 * Creates 'path' and any missing ancestors. The caller needs write access
 * to the nearest existing ancestor, as checked by xs_store_access().
 */
static int create_path(struct xs_req *r, const char *path)
{
    char buf[XS_PATH_BUF];
    struct xs_rec rec;
    size_t len = strlen(path), top;
    struct xs_perms *perms;
    int rc;

    memcpy(buf, path, len + 1);
    do {
        top = xs_path_parent_len(buf);
        buf[top] = '\0';
        rc = xs_store_get(r->tx, buf, &rec);
    } while (rc == -ENOENT && top > 1);
    if (rc)
        return rc;
    /* buf[0..top) exists; create each component below it. */
    memcpy(buf, path, len + 1);
    while (top < len) {
        size_t end = top == 1 ? 1 : top + 1;

        while (end < len && buf[end] != '/')
            end++;
        if (unpriv(r) && xs_store_nodes_of(r->tx, r->conn->who.domid) >=
                         xs_quota.nodes)
            return -ENOSPC;
        buf[end] = '\0';
        perms = child_perms(r, rec.perms);
        if (!perms)
            return -ENOMEM;
        rc = xs_store_create(r->tx, buf, perms);
        xs_perms_put(perms);
        if (!rc)
            rc = xs_store_get(r->tx, buf, &rec);
        if (rc)
            return rc;
        if (end < len)
            buf[end] = '/';
        top = end;
    }
    return 0;
}

static int write_or_mkdir(struct xs_req *r, const char *path, bool mkdir,
                          const char *val, size_t vlen)
{
    struct xs_rec rec;
    int rc;

    rc = xs_store_access(r->tx, &r->conn->who, path, XS_PERM_WRITE, &rec);
    if (rc == 0) {
        if (mkdir)
            return 0;
        rc = check_node_size(r, vlen, rec.perms->num, rec.dirlen);
        if (rc)
            return rc;
    } else if (rc == -ENOENT) {
        rc = check_node_size(r, vlen, 1, 0);
        if (rc)
            return rc;
        rc = create_path(r, path);
        if (rc)
            return rc;
        if (mkdir || !vlen)
            goto event;
    } else {
        return rc;
    }
    rc = xs_store_set_value(r->tx, path, val, vlen);
    if (rc)
        return rc;
event:
    rc = xs_store_get(r->tx, path, &rec);
    if (rc)
        return rc;
    return xs_store_event(r->tx, path, rec.perms, false);
}

int xs_do_write(struct xs_req *r)
{
    char path[XS_PATH_BUF];
    size_t plen = strnlen(r->data, r->len);
    int rc;

    if (plen >= r->len)
        return -EINVAL;
    rc = xs_req_resolve(r, r->data, path, NULL);
    if (rc)
        return rc;
    if (xs_path_special(path))
        return -EINVAL;
    rc = write_or_mkdir(r, path, false, r->data + plen + 1,
                        r->len - plen - 1);
    if (rc)
        return rc;
    return xs_reply_ok(r);
}

int xs_do_mkdir(struct xs_req *r)
{
    char path[XS_PATH_BUF];
    int rc;

    rc = node_path(r, path);
    if (!rc)
        rc = write_or_mkdir(r, path, true, NULL, 0);
    if (rc)
        return rc;
    return xs_reply_ok(r);
}

int xs_do_rm(struct xs_req *r)
{
    char path[XS_PATH_BUF];
    struct xs_perms *perms;
    struct xs_rec rec;
    int rc;

    rc = node_path(r, path);
    if (rc)
        return rc;
    if (!strcmp(path, "/"))
        return -EINVAL;
    rc = xs_store_access(r->tx, &r->conn->who, path, XS_PERM_WRITE, &rec);
    if (rc == -ENOENT) {
        /* Removing a missing node is fine if its parent exists. */
        path[xs_path_parent_len(path)] = '\0';
        rc = xs_store_get(r->tx, path, &rec);
        return rc ? rc : xs_reply_ok(r);
    }
    if (rc)
        return rc;
    perms = xs_perms_get(rec.perms);
    rc = xs_store_remove(r->tx, path);
    if (!rc)
        rc = xs_store_event(r->tx, path, perms, false);
    xs_perms_put(perms);
    if (rc)
        return rc;
    return xs_reply_ok(r);
}

int xs_do_directory(struct xs_req *r)
{
    char path[XS_PATH_BUF], *list;
    struct xs_rec rec;
    size_t len;
    int rc;

    rc = node_path(r, path);
    if (!rc)
        rc = xs_store_access(r->tx, &r->conn->who, path, XS_PERM_READ, &rec);
    if (rc)
        return rc;
    if (rec.dirlen > XENSTORE_PAYLOAD_MAX)
        return -E2BIG;
    rc = xs_store_children(r->tx, path, &list, &len);
    if (rc)
        return rc;
    rc = xs_reply(r, list, len);
    free(list);
    return rc;
}

/*
 * "gen\0" then whole child names from byte 'offset' of the child list; an
 * extra '\0' marks the last chunk. Clients restart if gen changes.
 */
int xs_do_directory_part(struct xs_req *r)
{
    char path[XS_PATH_BUF], out[XENSTORE_PAYLOAD_MAX], *list;
    const char *argv[2];
    struct xs_rec rec;
    size_t len, off, used;
    unsigned long offset;
    char *end;
    int rc;

    if (xs_req_args(r, argv, 2) != 2)
        return -EINVAL;
    offset = strtoul(argv[1], &end, 10);
    if (*end || end == argv[1])
        return -EINVAL;
    rc = xs_req_resolve(r, argv[0], path, NULL);
    if (rc)
        return rc;
    if (xs_path_special(path))
        return -EINVAL;
    rc = xs_store_access(r->tx, &r->conn->who, path, XS_PERM_READ, &rec);
    if (rc)
        return rc;
    rc = xs_store_children(r->tx, path, &list, &len);
    if (rc)
        return rc;
    used = snprintf(out, sizeof(out), "%" PRIu64, rec.gen) + 1;
    for (off = offset; off < len;) {
        size_t l = strlen(list + off) + 1;
        bool last = off + l >= len;

        if (used + l + last > sizeof(out))
            break;
        memcpy(out + used, list + off, l);
        used += l;
        off += l;
    }
    if (off >= len)
        out[used++] = '\0';
    free(list);
    return xs_reply(r, out, used);
}

int xs_do_get_perms(struct xs_req *r)
{
    char path[XS_PATH_BUF], out[XENSTORE_PAYLOAD_MAX];
    struct xs_rec rec;
    int rc;

    rc = node_path(r, path);
    if (!rc)
        rc = xs_store_access(r->tx, &r->conn->who, path, XS_PERM_READ, &rec);
    if (rc)
        return rc;
    rc = xs_perms_format(rec.perms, out, sizeof(out));
    if (rc < 0)
        return rc;
    return xs_reply(r, out, rc);
}

static int set_special_perms(struct xs_req *r, const char *path,
                             struct xs_perms *perms)
{
    struct xs_perms *cur = xs_special_perms(path);

    if (!cur)
        return -EINVAL;
    if (!(xs_perms_for(&r->conn->who, cur) & XS_PERM_OWNER))
        return -EACCES;
    return xs_special_set_perms(path, perms);
}

int xs_do_set_perms(struct xs_req *r)
{
    char path[XS_PATH_BUF];
    size_t plen = strnlen(r->data, r->len), off;
    struct xs_perms *perms = NULL;
    unsigned int count = 0;
    struct xs_rec rec;
    int rc;

    if (plen >= r->len)
        return -EINVAL;
    for (off = plen + 1; off < r->len; off += strlen(r->data + off) + 1)
        count++;
    /* The payload is nul-terminated by us; the last string must be by them. */
    if (r->data[r->len - 1] != '\0')
        return -EINVAL;
    rc = xs_req_resolve(r, r->data, path, NULL);
    if (rc)
        return rc;
    rc = xs_perms_parse(r->data + plen + 1, r->len - plen - 1, count, &perms);
    if (rc)
        return rc;
    if (unpriv(r) && count > xs_quota.perms) {
        rc = -ENOSPC;
        goto out;
    }
    if (xs_path_special(path)) {
        rc = set_special_perms(r, path, perms);
        goto out;
    }
    rc = xs_store_access(r->tx, &r->conn->who, path,
                         XS_PERM_WRITE | XS_PERM_OWNER, &rec);
    if (rc)
        goto out;
    if (unpriv(r) && xs_perms_owner(perms) != xs_perms_owner(rec.perms)) {
        rc = -EPERM;
        goto out;
    }
    rc = check_node_size(r, rec.vlen, count, rec.dirlen);
    if (!rc)
        rc = xs_store_set_perms(r->tx, path, perms);
    if (!rc)
        rc = xs_store_event(r->tx, path, perms, false);
out:
    xs_perms_put(perms);
    if (rc)
        return rc;
    return xs_reply_ok(r);
}
