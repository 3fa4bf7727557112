/* SPDX-License-Identifier: MIT */
/*
 * xenbus/ring-xen.c - the ring backend on a real hypervisor, through
 * libmica: a domain's store page is mapped by foreign mapping of the mfn
 * XS_INTRODUCE names (privcmd), or, when that fails, through its reserved
 * grant (gntdev, GNTTAB_RESERVED_XENSTORE); dom0's own page is the one its
 * kernel exports as /proc/xen/xsd_kva (XS_LOCAL).  Event channels are bound
 * interdomain through /dev/xen/evtchn.
 *
 * The foreign map comes first because it needs only mmu_update on a PV
 * dom0, while a gntdev map hot-adds "unpopulated" memory in dom0's kernel
 * on its first use; Xen 4.17's xenstored uses only the grant.
 *
 * Each connection opens its own /dev/xen/evtchn.  The backend interface
 * names a binding by the fd the loop polls, and with one port per open file
 * the fd says exactly which ring fired, draining it unmasks only that port,
 * the per-file port ring can never overflow (a fired port stays masked until
 * written back, so it is queued at most once), and close() releases the
 * port on every path, including a ring that was dropped as hostile.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <libmica.h>
#include <public/grant_table.h>
#include "log.h"
#include "ring.h"

#define XEN_PAGE 4096
#define XSD_KVA "/proc/xen/xsd_kva"

static struct mica *xen;
static struct mica_gnttab *gnt;     /* opened on the first grant map */

enum map_how { MAP_FOREIGN, MAP_GRANT, MAP_LOCAL };

struct xen_map {
    struct xen_map *next;
    void *page;
    enum map_how how;
};

struct xen_port {
    struct xen_port *next;
    struct mica_evtchn *e;
    int fd;
    uint32_t port;                  /* our end */
};

static struct xen_map *maps;
static struct xen_port *ports;

int xs_ring_xen_init(void)
{
    xen = mica_open();
    if (!xen)
        return -errno;
    xs_ring_set_backend(&xs_ring_xen_backend);
    return 0;
}

void xs_ring_xen_fini(void)
{
    if (gnt)
        mica_gnttab_close(gnt);
    gnt = NULL;
    if (xen)
        mica_close(xen);
    xen = NULL;
}

struct mica *xs_ring_xen_handle(void)
{
    return xen;
}

static void *map_local(void)
{
    int fd = open(XSD_KVA, O_RDWR | O_CLOEXEC);
    void *p;

    if (fd < 0)
        return NULL;
    p = mmap(NULL, XEN_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    return p == MAP_FAILED ? NULL : p;
}

static void *map_grant(unsigned int domid)
{
    const uint32_t ref = GNTTAB_RESERVED_XENSTORE;

    if (!gnt)
        gnt = mica_gnttab_open();
    if (!gnt)
        return NULL;
    return mica_gnttab_map(gnt, domid, &ref, 1, PROT_READ | PROT_WRITE);
}

static void *map_domain(unsigned int domid, uint64_t gfn, enum map_how *how)
{
    void *p = NULL;

    if (domid == 0) {
        *how = MAP_LOCAL;
        return map_local();
    }
    if (gfn) {
        *how = MAP_FOREIGN;
        p = mica_map_foreign(xen, domid, PROT_READ | PROT_WRITE, &gfn, NULL, 1);
        if (p)
            return p;
        log_info("domain %u: foreign map of mfn %#llx failed (%s), trying "
                 "its xenstore grant", domid, (unsigned long long)gfn,
                 mica_errmsg(xen));
    }
    *how = MAP_GRANT;
    return map_grant(domid);
}

static int xen_map(unsigned int domid, uint64_t gfn,
                   struct xenstore_domain_interface **intf)
{
    struct xen_map *m = calloc(1, sizeof(*m));
    int rc;

    if (!m)
        return -ENOMEM;
    errno = 0;
    m->page = map_domain(domid, gfn, &m->how);
    if (!m->page) {
        rc = errno ? -errno : -EIO;
        free(m);
        return rc;
    }
    m->next = maps;
    maps = m;
    *intf = m->page;
    return 0;
}

static void xen_unmap(unsigned int domid, struct xenstore_domain_interface *intf)
{
    struct xen_map **pm = &maps, *m;

    (void)domid;
    while (*pm && (*pm)->page != intf)
        pm = &(*pm)->next;
    m = *pm;
    if (!m)
        return;
    *pm = m->next;
    if (m->how == MAP_FOREIGN)
        mica_unmap(m->page, 1);
    else if (m->how == MAP_GRANT)
        mica_gnttab_unmap(gnt, m->page, 1);
    else
        munmap(m->page, XEN_PAGE);
    free(m);
}

static struct xen_port **find_port(int fd)
{
    struct xen_port **pp = &ports;

    while (*pp && (*pp)->fd != fd)
        pp = &(*pp)->next;
    return pp;
}

static int xen_bind(unsigned int domid, unsigned int evtchn, int *fd)
{
    struct xen_port *p = calloc(1, sizeof(*p));
    int rc;

    if (!p)
        return -ENOMEM;
    p->e = mica_evtchn_open();
    if (!p->e) {
        rc = -errno;
        goto out_free;
    }
    rc = mica_evtchn_bind_interdomain(p->e, domid, evtchn);
    if (rc < 0)
        goto out_close;
    p->port = rc;
    p->fd = mica_evtchn_fd(p->e);
    p->next = ports;
    ports = p;
    *fd = p->fd;
    return 0;
out_close:
    mica_evtchn_close(p->e);
out_free:
    free(p);
    return rc ? rc : -EIO;
}

static void xen_notify(unsigned int domid, int fd)
{
    struct xen_port *p = *find_port(fd);
    int rc;

    if (!p)
        return;
    rc = mica_evtchn_notify(p->e, p->port);
    if (rc)
        log_debug("domain %u: notify port %u: %s", domid, p->port,
                  strerror(-rc));
}

/* Each fired port is written back at once: the ring is scanned after. */
static void xen_ack(int fd)
{
    struct xen_port *p = *find_port(fd);
    int port;

    if (!p)
        return;
    while ((port = mica_evtchn_pending(p->e)) >= 0)
        mica_evtchn_unmask(p->e, port);
}

static void xen_unbind(int fd)
{
    struct xen_port **pp = find_port(fd), *p = *pp;

    if (!p)
        return;
    *pp = p->next;
    mica_evtchn_close(p->e);
    free(p);
}

const struct xs_ring_backend xs_ring_xen_backend = {
    .name = "xen",
    .map = xen_map,
    .unmap = xen_unmap,
    .bind = xen_bind,
    .notify = xen_notify,
    .ack = xen_ack,
    .unbind = xen_unbind,
};
