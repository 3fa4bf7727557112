/* SPDX-License-Identifier: MIT */
/*
 * xenbus/ring-conn.c - the daemon's connection transport over a domain's
 * ring page; a broken ring stops that connection instead of the daemon.
 */
#include <errno.h>
#include <stdlib.h>
#include "conn.h"
#include "log.h"
#include "ring.h"

static const struct xs_ring_backend *backend;

void xs_ring_set_backend(const struct xs_ring_backend *be)
{
    backend = be;
}

const struct xs_ring_backend *xs_ring_backend(void)
{
    return backend;
}

struct ring_port {
    struct xenstore_domain_interface *intf;
    unsigned int domid;
    int fd;
    bool broken;
};

static void ring_broken(struct xs_conn *c, struct ring_port *rp)
{
    if (!rp->broken)
        log_warn("domain %u: ring indices corrupted, connection stopped",
                 rp->domid);
    rp->broken = true;
    rp->intf->error = XENSTORE_ERROR_RINGIDX;
    c->dead = true;
}

static ssize_t ring_read(struct xs_conn *c, void *buf, size_t len)
{
    struct ring_port *rp = c->transport;
    int n;

    if (rp->broken)
        return -EIO;
    n = xs_ring_get(rp->intf->req, &rp->intf->req_cons, &rp->intf->req_prod,
                    buf, len);
    if (n < 0) {
        ring_broken(c, rp);
        return n;
    }
    return n ? n : -EAGAIN;
}

static ssize_t ring_write(struct xs_conn *c, const void *buf, size_t len)
{
    struct ring_port *rp = c->transport;
    int n;

    if (rp->broken)
        return -EIO;
    n = xs_ring_put(rp->intf->rsp, &rp->intf->rsp_cons, &rp->intf->rsp_prod,
                    buf, len);
    if (n < 0) {
        ring_broken(c, rp);
        return n;
    }
    return n ? n : -EAGAIN;
}

static void ring_kick(struct xs_conn *c)
{
    struct ring_port *rp = c->transport;

    backend->notify(rp->domid, rp->fd);
}

static void ring_release(struct xs_conn *c)
{
    struct ring_port *rp = c->transport;

    backend->unbind(rp->fd);
    backend->unmap(rp->domid, rp->intf);
    free(rp);
}

static const struct xs_conn_ops ring_ops = {
    .name = "ring",
    .is_ring = true,
    .read = ring_read,
    .write = ring_write,
    .kick = ring_kick,
    .release = ring_release,
};

/* Map the domain's page, bind its event channel, make it a connection. */
int xs_ring_conn_new(unsigned int domid, uint64_t gfn, unsigned int evtchn,
                     struct xs_conn **out)
{
    struct ring_port *rp;
    int rc;

    if (!backend)
        return -ENOSYS;
    rp = calloc(1, sizeof(*rp));
    if (!rp)
        return -ENOMEM;
    rp->domid = domid;
    rc = backend->map(domid, gfn, &rp->intf);
    if (rc)
        goto out_free;
    rc = backend->bind(domid, evtchn, &rp->fd);
    if (rc)
        goto out_unmap;
    *out = xs_conn_new(&ring_ops, rp, rp->fd, domid, domid == 0);
    if (!*out) {
        rc = -ENOMEM;
        goto out_unbind;
    }
    /*
     * Connected, and one event: dom0's kernel waits for it to start its
     * xenbus (XS_LOCAL), and a guest that asked for a reconnection, or
     * wrote requests before the port was bound, is woken up.
     */
    rp->intf->connection = XENSTORE_CONNECTED;
    backend->notify(domid, rp->fd);
    return 0;
out_unbind:
    backend->unbind(rp->fd);
out_unmap:
    backend->unmap(domid, rp->intf);
out_free:
    free(rp);
    return rc;
}

/* A second INTRODUCE: the same page, a (possibly) new event channel. */
int xs_ring_conn_rebind(struct xs_conn *c, unsigned int evtchn)
{
    struct ring_port *rp = c->transport;
    int fd, rc;

    /*
     * Unbind first, as Xen 4.17 does: the guest's port may be the one we
     * hold, and only an unbound port can be bound again.  Without a
     * channel the ring cannot be served, so a failure ends the connection.
     */
    backend->unbind(rp->fd);
    rp->fd = -1;
    c->fd = -1;
    rc = backend->bind(rp->domid, evtchn, &fd);
    if (rc) {
        c->dead = true;
        return rc;
    }
    rp->fd = fd;
    c->fd = fd;
    if (rp->intf->connection == XENSTORE_RECONNECT)
        rp->intf->connection = XENSTORE_CONNECTED;
    backend->notify(rp->domid, fd);
    return 0;
}

/* After an event (or any loop pass): consume pending notifications. */
void xs_ring_conn_poll(struct xs_conn *c)
{
    struct ring_port *rp = c->transport;

    backend->ack(rp->fd);
}
