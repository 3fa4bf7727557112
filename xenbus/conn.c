/* SPDX-License-Identifier: MIT */
/*
 * xenbus/conn.c - connection life cycle, framing and output queues.
 *
 * Nothing a peer sends is trusted: a header announcing more than
 * XENSTORE_PAYLOAD_MAX bytes kills only that connection, and a peer that
 * does not read its replies stops being read (bounded replies) while its
 * watch events are dropped past a byte limit (bounded events), so one slow
 * client can neither stall the daemon nor grow it without bound.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "conn.h"
#include "domain.h"
#include "log.h"
#include "proto.h"
#include "quota.h"
#include "transaction.h"
#include "watch.h"

static XS_LIST_HEAD(all_conns);
static unsigned int next_conn_id = 1;

struct xs_list *xs_conn_list(void)
{
    return &all_conns;
}

struct xs_conn *xs_conn_new(const struct xs_conn_ops *ops, void *transport,
                            int fd, unsigned int domid, bool priv)
{
    struct xs_conn *c = calloc(1, sizeof(*c));

    if (!c)
        return NULL;
    c->ops = ops;
    c->transport = transport;
    c->fd = fd;
    c->id = next_conn_id++;
    c->who.domid = domid;
    c->who.target = XS_DOMID_INVALID;
    c->who.priv = priv;
    c->next_tx_id = 1;
    xs_list_init(&c->out);
    xs_list_init(&c->watches);
    xs_list_init(&c->txs);
    xs_list_add_tail(&all_conns, &c->link);
    return c;
}

/* Drops every trace of the connection: watches, transactions, output. */
void xs_conn_free(struct xs_conn *c)
{
    struct xs_out *o;

    xs_watch_conn_gone(c);
    xs_tx_conn_gone(c);
    xs_domain_conn_gone(c);
    while ((o = xs_conn_pop(c)))
        free(o);
    xs_list_del(&c->link);
    if (c->ops && c->ops->release)
        c->ops->release(c);
    free(c);
}

void xs_conn_free_all(void)
{
    while (!xs_list_empty(&all_conns))
        xs_conn_free(xs_container_of(all_conns.next, struct xs_conn, link));
}

bool xs_conn_can_read(const struct xs_conn *c)
{
    unsigned int limit = c->who.priv ? XS_PRIV_OUTSTANDING
                                     : xs_quota.outstanding;

    return !c->dead && c->out_replies < limit;
}

bool xs_conn_want_write(const struct xs_conn *c)
{
    return !xs_list_empty(&c->out);
}

/* Bytes already read ahead: served without waiting for the transport. */
bool xs_conn_has_input(const struct xs_conn *c)
{
    return c->rpos < c->rlen;
}

/*
 * Up to 'want' bytes through the read-ahead buffer.  A short fill that
 * ended on a message boundary means the peer had nothing more queued, so
 * the next call answers -EAGAIN without asking the transport: a socket
 * polls readable again and a ring notifies for whatever comes after.
 */
static ssize_t conn_read(struct xs_conn *c, char *dst, size_t want)
{
    size_t n;
    ssize_t got;

    if (c->rpos == c->rlen) {
        if (c->rdry && c->in_used == 0) {
            c->rdry = false;
            return -EAGAIN;
        }
        got = c->ops->read(c, c->rbuf, sizeof(c->rbuf));
        if (got <= 0)
            return got;
        c->rpos = 0;
        c->rlen = got;
        c->rdry = (size_t)got < sizeof(c->rbuf);
    }
    n = c->rlen - c->rpos < want ? c->rlen - c->rpos : want;
    memcpy(dst, c->rbuf + c->rpos, n);
    c->rpos += n;
    return n;
}

static struct xs_out *out_new(uint32_t type, uint32_t req_id, uint32_t tx_id,
                              const void *data, size_t len)
{
    struct xs_out *o = malloc(sizeof(*o) + sizeof(struct xsd_sockmsg) + len);
    struct xsd_sockmsg hdr = { type, req_id, tx_id, (uint32_t)len };

    if (!o)
        return NULL;
    o->len = sizeof(hdr) + len;
    o->off = 0;
    memcpy(o->data, &hdr, sizeof(hdr));
    if (len)
        memcpy(o->data + sizeof(hdr), data, len);
    return o;
}

int xs_conn_send(struct xs_conn *c, uint32_t type, uint32_t req_id,
                 uint32_t tx_id, const void *data, size_t len)
{
    struct xs_out *o;

    if (len > XENSTORE_PAYLOAD_MAX)
        return -E2BIG;
    o = out_new(type, req_id, tx_id, data, len);
    if (!o)
        return -ENOMEM;
    o->reply = true;
    c->out_replies++;
    xs_list_add_tail(&c->out, &o->link);
    return 0;
}

int xs_conn_send_event(struct xs_conn *c, const char *path, const char *token)
{
    size_t plen = strlen(path) + 1, tlen = strlen(token) + 1;
    size_t limit = c->who.priv ? XS_EVENT_BYTES_PRIV : XS_EVENT_BYTES_UNPRIV;
    char buf[XENSTORE_PAYLOAD_MAX];
    struct xs_out *o;

    if (plen + tlen > sizeof(buf))
        return -E2BIG;
    if (c->event_bytes + plen + tlen > limit) {
        if (c->dropped_events++ == 0)
            log_warn("conn %u (domain %u): not reading, dropping watch events",
                     c->id, c->who.domid);
        return -ENOSPC;
    }
    memcpy(buf, path, plen);
    memcpy(buf + plen, token, tlen);
    o = out_new(XS_WATCH_EVENT, 0, 0, buf, plen + tlen);
    if (!o)
        return -ENOMEM;
    o->reply = false;
    c->event_bytes += o->len;
    xs_list_add_tail(&c->out, &o->link);
    return 0;
}

/* Detach the oldest queued message (unit tests and teardown). */
struct xs_out *xs_conn_pop(struct xs_conn *c)
{
    struct xs_out *o;

    if (xs_list_empty(&c->out))
        return NULL;
    o = xs_container_of(c->out.next, struct xs_out, link);
    xs_list_del(&o->link);
    if (o->reply)
        c->out_replies--;
    else
        c->event_bytes -= o->len;
    return o;
}

/* Writes as much as the transport takes; <0 means the peer is gone. */
int xs_conn_output(struct xs_conn *c)
{
    bool moved = false;
    int rc = 0;

    while (!xs_list_empty(&c->out)) {
        struct xs_out *o = xs_container_of(c->out.next, struct xs_out, link);
        ssize_t n = c->ops->write(c, o->data + o->off, o->len - o->off);

        if (n == -EAGAIN || n == 0)
            break;
        if (n < 0) {
            rc = n;
            break;
        }
        moved = true;
        o->off += n;
        if (o->off == o->len)
            free(xs_conn_pop(c));
    }
    if (moved && c->ops->kick)
        c->ops->kick(c);
    return rc;
}

/*
 * Reads and handles complete messages until the transport runs dry or the
 * connection is throttled. A bad header is fatal for this peer only.
 */
int xs_conn_input(struct xs_conn *c)
{
    const size_t hlen = sizeof(struct xsd_sockmsg);
    bool moved = false;
    int rc = 0;

    /* A short fill speaks for this pass only: a ring's next data may come
     * with no further event, so each call asks the transport once. */
    c->rdry = false;
    while (xs_conn_can_read(c)) {
        size_t want;
        ssize_t n;

        if (c->in_used < hlen)
            want = hlen - c->in_used;
        else
            want = hlen + c->hdr.len - c->in_used;
        if (want) {
            char *dst = c->in_used < hlen ? (char *)&c->hdr + c->in_used
                                          : c->in + (c->in_used - hlen);

            n = conn_read(c, dst, want);
            if (n == -EAGAIN)
                break;
            if (n <= 0) {
                rc = n ? (int)n : -ECONNRESET;
                break;
            }
            moved = true;
            c->in_used += n;
            if (c->in_used == hlen && c->hdr.len > XENSTORE_PAYLOAD_MAX) {
                log_warn("conn %u (domain %u): payload of %u bytes, closing",
                         c->id, c->who.domid, c->hdr.len);
                rc = -E2BIG;
                break;
            }
            if (c->in_used < hlen + c->hdr.len || c->in_used < hlen)
                continue;
        }
        c->in[c->hdr.len] = '\0';
        c->in_used = 0;
        xs_proto_handle(c, &c->hdr, c->in);
    }
    if (moved && c->ops->kick)
        c->ops->kick(c);
    return rc;
}
