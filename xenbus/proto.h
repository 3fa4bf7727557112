/* SPDX-License-Identifier: MIT */
/*
 * xenbus/proto.h - one request being handled, and the reply helpers every
 * handler uses.
 */
#ifndef XENBUS_PROTO_H
#define XENBUS_PROTO_H

#include <stddef.h>
#include "conn.h"

struct xs_tx;

struct xs_req {
    struct xs_conn *conn;
    const struct xsd_sockmsg *hdr;
    const char *data;           /* payload, with a '\0' appended */
    unsigned int len;
    struct xs_tx *tx;           /* NULL outside a transaction */
};

/* A handler returns 0 once it has replied, or -errno to reply with an error. */
typedef int xs_handler(struct xs_req *r);

void xs_proto_handle(struct xs_conn *c, const struct xsd_sockmsg *hdr,
                     const char *data);
const char *xs_proto_type_name(uint32_t type);
const char *xs_errno_name(int err);

int xs_reply(struct xs_req *r, const void *data, size_t len);
int xs_reply_ok(struct xs_req *r);
int xs_reply_str(struct xs_req *r, const char *s);

int xs_req_args(const struct xs_req *r, const char **argv, unsigned int max);
const char *xs_req_path_arg(const struct xs_req *r);
int xs_req_resolve(const struct xs_req *r, const char *in, char *out,
                   unsigned int *rel_off);
int xs_parse_domid(const char *s, unsigned int *domid);

/* Handlers, grouped by the file that implements them. */
xs_handler xs_do_read, xs_do_write, xs_do_mkdir, xs_do_rm, xs_do_directory,
    xs_do_directory_part, xs_do_get_perms, xs_do_set_perms;
xs_handler xs_do_watch, xs_do_unwatch, xs_do_reset_watches;
xs_handler xs_do_tx_start, xs_do_tx_end;
xs_handler xs_do_introduce, xs_do_release, xs_do_get_domain_path,
    xs_do_is_introduced, xs_do_resume, xs_do_set_target;
xs_handler xs_do_control;

#endif
