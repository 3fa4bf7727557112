/* SPDX-License-Identifier: MIT */
/*
 * xenbus/proto.c - message dispatch: the type table, transaction lookup,
 * argument splitting and error replies.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"
#include "path.h"
#include "proto.h"
#include "quota.h"
#include "transaction.h"

#define F_PRIV      1   /* privileged callers only */
#define F_NOTX      2   /* tx_id in the header is ignored */

static const struct {
    const char *name;
    xs_handler *fn;
    unsigned int flags;
} handlers[XS_TYPE_COUNT] = {
    [XS_CONTROL]             = { "CONTROL", xs_do_control, F_PRIV | F_NOTX },
    [XS_DIRECTORY]           = { "DIRECTORY", xs_do_directory, 0 },
    [XS_READ]                = { "READ", xs_do_read, 0 },
    [XS_GET_PERMS]           = { "GET_PERMS", xs_do_get_perms, 0 },
    [XS_WATCH]               = { "WATCH", xs_do_watch, F_NOTX },
    [XS_UNWATCH]             = { "UNWATCH", xs_do_unwatch, F_NOTX },
    [XS_TRANSACTION_START]   = { "TRANSACTION_START", xs_do_tx_start, F_NOTX },
    [XS_TRANSACTION_END]     = { "TRANSACTION_END", xs_do_tx_end, F_NOTX },
    [XS_INTRODUCE]           = { "INTRODUCE", xs_do_introduce, F_PRIV | F_NOTX },
    [XS_RELEASE]             = { "RELEASE", xs_do_release, F_PRIV | F_NOTX },
    [XS_GET_DOMAIN_PATH]     = { "GET_DOMAIN_PATH", xs_do_get_domain_path,
                                 F_NOTX },
    [XS_WRITE]               = { "WRITE", xs_do_write, 0 },
    [XS_MKDIR]               = { "MKDIR", xs_do_mkdir, 0 },
    [XS_RM]                  = { "RM", xs_do_rm, 0 },
    [XS_SET_PERMS]           = { "SET_PERMS", xs_do_set_perms, 0 },
    [XS_WATCH_EVENT]         = { "WATCH_EVENT", NULL, 0 },
    [XS_ERROR]               = { "ERROR", NULL, 0 },
    [XS_IS_DOMAIN_INTRODUCED] = { "IS_DOMAIN_INTRODUCED", xs_do_is_introduced,
                                  F_NOTX },
    [XS_RESUME]              = { "RESUME", xs_do_resume, F_PRIV | F_NOTX },
    [XS_SET_TARGET]          = { "SET_TARGET", xs_do_set_target,
                                 F_PRIV | F_NOTX },
    [20]                     = { "RESTRICT", NULL, 0 },
    [XS_RESET_WATCHES]       = { "RESET_WATCHES", xs_do_reset_watches, F_NOTX },
    [XS_DIRECTORY_PART]      = { "DIRECTORY_PART", xs_do_directory_part, 0 },
};

/* The names libxenstore knows; anything else would read back as EINVAL. */
static const struct {
    int err;
    const char *name;
} errnames[] = {
    { EINVAL, "EINVAL" }, { EACCES, "EACCES" }, { EEXIST, "EEXIST" },
    { EISDIR, "EISDIR" }, { ENOENT, "ENOENT" }, { ENOMEM, "ENOMEM" },
    { ENOSPC, "ENOSPC" }, { EIO, "EIO" }, { ENOTEMPTY, "ENOTEMPTY" },
    { ENOSYS, "ENOSYS" }, { EROFS, "EROFS" }, { EBUSY, "EBUSY" },
    { EAGAIN, "EAGAIN" }, { EISCONN, "EISCONN" }, { E2BIG, "E2BIG" },
    { EPERM, "EPERM" },
};

const char *xs_errno_name(int err)
{
    size_t i;

    for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
        if (errnames[i].err == err)
            return errnames[i].name;
    return "EIO";
}

const char *xs_proto_type_name(uint32_t type)
{
    if (type < XS_TYPE_COUNT && handlers[type].name)
        return handlers[type].name;
    return "UNKNOWN";
}

int xs_reply(struct xs_req *r, const void *data, size_t len)
{
    return xs_conn_send(r->conn, r->hdr->type, r->hdr->req_id,
                        r->hdr->tx_id, data, len);
}

int xs_reply_str(struct xs_req *r, const char *s)
{
    return xs_reply(r, s, strlen(s) + 1);
}

int xs_reply_ok(struct xs_req *r)
{
    return xs_reply(r, "OK", 3);
}

static void reply_error(struct xs_conn *c, const struct xsd_sockmsg *hdr,
                        int err)
{
    const char *name = xs_errno_name(err);

    xs_conn_send(c, XS_ERROR, hdr->req_id, hdr->tx_id, name,
                 strlen(name) + 1);
}

/*
 * Splits the payload into nul-terminated strings. Returns how many, or
 * -EINVAL if there are more than 'max' or the last one is unterminated.
 */
int xs_req_args(const struct xs_req *r, const char **argv, unsigned int max)
{
    unsigned int n = 0, off = 0;

    while (off < r->len) {
        const char *s = r->data + off;
        size_t l = strnlen(s, r->len - off);

        if (off + l >= r->len || n >= max)
            return -EINVAL;
        argv[n++] = s;
        off += l + 1;
    }
    return n;
}

/* The single "path\0" argument of READ, RM, DIRECTORY...; NULL if malformed. */
const char *xs_req_path_arg(const struct xs_req *r)
{
    const char *argv[1];

    return xs_req_args(r, argv, 1) == 1 ? argv[0] : NULL;
}

int xs_req_resolve(const struct xs_req *r, const char *in, char *out,
                   unsigned int *rel_off)
{
    return xs_path_resolve(r->conn->who.domid, in, xs_quota.path_max, out,
                           rel_off);
}

/* Domain ids as 4.17 parses them: leading digits, garbage ignored. */
int xs_parse_domid(const char *s, unsigned int *domid)
{
    unsigned long v = strtoul(s, NULL, 10);

    if (v >= XS_DOMID_INVALID)
        return -EINVAL;
    *domid = v;
    return 0;
}

void xs_proto_handle(struct xs_conn *c, const struct xsd_sockmsg *hdr,
                     const char *data)
{
    struct xs_req r = { c, hdr, data, hdr->len, NULL };
    unsigned int flags;
    int rc;

    if (xs_log_tracing())
        log_debug("conn %u dom %u: %s req %u tx %u len %u", c->id,
                  c->who.domid, xs_proto_type_name(hdr->type), hdr->req_id,
                  hdr->tx_id, hdr->len);
    if (hdr->type >= XS_TYPE_COUNT || !handlers[hdr->type].fn) {
        rc = -ENOSYS;
        goto out;
    }
    flags = handlers[hdr->type].flags;
    if ((flags & F_PRIV) && !c->who.priv) {
        rc = -EACCES;
        goto out;
    }
    if (!(flags & F_NOTX) && hdr->tx_id) {
        r.tx = xs_tx_lookup(c, hdr->tx_id);
        if (!r.tx) {
            rc = -ENOENT;
            goto out;
        }
    }
    rc = handlers[hdr->type].fn(&r);
out:
    if (rc < 0)
        reply_error(c, hdr, -rc);
}
