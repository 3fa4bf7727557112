/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/xenstore/harness.c - see harness.h. Events that arrive ahead
 * of a reply are kept per connection for ut_event().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "daemon.h"
#include "harness.h"
#include "proto.h"
#include "quota.h"

char ut_reply[XENSTORE_PAYLOAD_MAX + 1];
unsigned int ut_rlen;

#define MAX_EVENTS 256

struct ut_ev {
    struct xs_conn *c;
    char body[XENSTORE_PAYLOAD_MAX];
};

static struct ut_ev events[MAX_EVENTS];
static unsigned int nr_events;

static ssize_t mem_read(struct xs_conn *c, void *buf, size_t len)
{
    (void)c; (void)buf; (void)len;
    return -EAGAIN;
}

static ssize_t mem_write(struct xs_conn *c, const void *buf, size_t len)
{
    (void)c; (void)buf;
    return len;
}

static const struct xs_conn_ops mem_ops = {
    .name = "mem",
    .read = mem_read,
    .write = mem_write,
};

int ut_setup(void)
{
    nr_events = 0;
    xs_quota_defaults();
    return xs_daemon_init() ? -1 : 0;
}

int ut_teardown(void)
{
    xs_daemon_fini();
    return 0;
}

struct xs_conn *ut_conn(unsigned int domid, bool priv)
{
    return xs_conn_new(&mem_ops, NULL, -1, domid, priv);
}

static void stash_event(struct xs_conn *c, struct xs_out *o)
{
    size_t len = o->len - sizeof(struct xsd_sockmsg);

    if (nr_events < MAX_EVENTS) {
        events[nr_events].c = c;
        memcpy(events[nr_events].body, o->data + sizeof(struct xsd_sockmsg),
               len);
        nr_events++;
    }
}

static int error_value(const char *name)
{
    static const int errs[] = { EINVAL, EACCES, EEXIST, EISDIR, ENOENT,
                                ENOMEM, ENOSPC, EIO, ENOTEMPTY, ENOSYS,
                                EROFS, EBUSY, EAGAIN, EISCONN, E2BIG, EPERM };
    size_t i;

    for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
        if (!strcmp(name, xs_errno_name(errs[i])))
            return -errs[i];
    return -9999;
}

/* Returns 0 for a normal reply (copied to ut_reply), -errno for XS_ERROR. */
int ut_req(struct xs_conn *c, uint32_t type, uint32_t tx, const void *data,
           size_t len)
{
    struct xsd_sockmsg hdr = { type, 77, tx, (uint32_t)len };
    char buf[XENSTORE_PAYLOAD_MAX + 1];
    struct xs_out *o;
    int rc = -9998;

    memcpy(buf, data, len);
    buf[len] = '\0';
    xs_proto_handle(c, &hdr, buf);
    while ((o = xs_conn_pop(c))) {
        struct xsd_sockmsg *r = (struct xsd_sockmsg *)o->data;

        if (r->type == XS_WATCH_EVENT) {
            stash_event(c, o);
        } else {
            ut_rlen = r->len;
            memcpy(ut_reply, o->data + sizeof(*r), r->len);
            ut_reply[r->len] = '\0';
            rc = r->type == XS_ERROR ? error_value(ut_reply) : 0;
            if (r->req_id != 77)
                rc = -9997;
        }
        free(o);
    }
    return rc;
}

int ut_write(struct xs_conn *c, uint32_t tx, const char *path, const char *val)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    size_t pl = strlen(path) + 1, vl = strlen(val);

    memcpy(buf, path, pl);
    memcpy(buf + pl, val, vl);
    return ut_req(c, XS_WRITE, tx, buf, pl + vl);
}

int ut_read(struct xs_conn *c, uint32_t tx, const char *path)
{
    return ut_req(c, XS_READ, tx, path, strlen(path) + 1);
}

/* Also collects events queued on 'c' since its last request. */
static void collect(struct xs_conn *c)
{
    struct xs_out *o;

    while ((o = xs_conn_pop(c))) {
        stash_event(c, o);
        free(o);
    }
}

/* Pops the oldest event of 'c'; returns -ENOENT if there is none. */
int ut_event(struct xs_conn *c, char *path, char *token)
{
    unsigned int i;

    collect(c);
    for (i = 0; i < nr_events; i++) {
        if (events[i].c != c)
            continue;
        strcpy(path, events[i].body);
        strcpy(token, events[i].body + strlen(events[i].body) + 1);
        memmove(&events[i], &events[i + 1],
                (nr_events - i - 1) * sizeof(events[0]));
        nr_events--;
        return 0;
    }
    return -ENOENT;
}

unsigned int ut_nr_events(struct xs_conn *c)
{
    unsigned int i, n = 0;

    collect(c);
    for (i = 0; i < nr_events; i++)
        n += events[i].c == c;
    return n;
}

void ut_drop_events(struct xs_conn *c)
{
    char p[XENSTORE_PAYLOAD_MAX], t[XENSTORE_PAYLOAD_MAX];

    while (ut_event(c, p, t) == 0)
        ;
}
