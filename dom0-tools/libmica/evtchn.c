/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/evtchn.c - event channels: /dev/xen/evtchn for the
 * ports this process binds, waits on and notifies (opened non-blocking:
 * callers poll the fd), and EVTCHNOP_alloc_unbound through privcmd for
 * the ports a toolstack allocates inside a new domain.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <public/event_channel.h>
#include "libmica-priv.h"
#include "privcmd-abi.h"

struct mica_evtchn {
    int fd;
};

int mica_evtchn_alloc_unbound(struct mica *m, uint32_t domid, uint32_t remote,
                              uint32_t *port)
{
    struct evtchn_alloc_unbound a = {
        .dom = (domid_t)domid, .remote_dom = (domid_t)remote,
    };
    long rc;

    mica_ok(m);
    rc = mica_cmd_hypercall(m, __HYPERVISOR_event_channel_op,
                            EVTCHNOP_alloc_unbound, &a, sizeof(a));
    if (rc)
        return mica_fail(m, (int)rc, "alloc_unbound %u", domid);
    *port = a.port;
    return 0;
}

struct mica_evtchn *mica_evtchn_open(void)
{
    struct mica_evtchn *e = malloc(sizeof(*e));

    if (!e)
        return NULL;
    e->fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC | O_NONBLOCK);
    if (e->fd < 0) {
        int err = errno;

        free(e);
        errno = err;
        return NULL;
    }
    return e;
}

void mica_evtchn_close(struct mica_evtchn *e)
{
    if (!e)
        return;
    close(e->fd);
    free(e);
}

int mica_evtchn_fd(const struct mica_evtchn *e)
{
    return e->fd;
}

static int port_ioctl(struct mica_evtchn *e, unsigned long req, void *arg)
{
    int rc = ioctl(e->fd, req, arg);

    return rc < 0 ? -errno : rc;
}

int mica_evtchn_bind_interdomain(struct mica_evtchn *e, uint32_t domid,
                                 uint32_t remote_port)
{
    struct evtchn_ioctl_interdomain b = {
        .remote_domain = domid, .remote_port = remote_port,
    };

    return port_ioctl(e, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b);
}

int mica_evtchn_bind_virq(struct mica_evtchn *e, unsigned int virq)
{
    uint32_t v = virq;

    return port_ioctl(e, IOCTL_EVTCHN_BIND_VIRQ, &v);
}

int mica_evtchn_bind_unbound(struct mica_evtchn *e, uint32_t domid)
{
    uint32_t d = domid;

    return port_ioctl(e, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &d);
}

int mica_evtchn_unbind(struct mica_evtchn *e, uint32_t port)
{
    uint32_t p = port;

    return port_ioctl(e, IOCTL_EVTCHN_UNBIND, &p);
}

int mica_evtchn_notify(struct mica_evtchn *e, uint32_t port)
{
    uint32_t p = port;

    return port_ioctl(e, IOCTL_EVTCHN_NOTIFY, &p);
}

int mica_evtchn_pending(struct mica_evtchn *e)
{
    uint32_t port;
    ssize_t n = read(e->fd, &port, sizeof(port));

    if (n < 0)
        return -errno;
    if (n != sizeof(port))
        return -EIO;
    return (int)port;
}

int mica_evtchn_unmask(struct mica_evtchn *e, uint32_t port)
{
    ssize_t n = write(e->fd, &port, sizeof(port));

    if (n < 0)
        return -errno;
    return n == sizeof(port) ? 0 : -EIO;
}
