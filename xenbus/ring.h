/* SPDX-License-Identifier: MIT */
/*
 * xenbus/ring.h - the shared xenstore ring page: byte transfer in either
 * direction (daemon and client library), and the daemon's ring transport.
 */
#ifndef XENBUS_RING_H
#define XENBUS_RING_H

#include <stddef.h>
#include <stdint.h>
#include "xs-wire.h"

int xs_ring_get(const char *ring, uint32_t *cons, const uint32_t *prod,
                void *buf, size_t len);
int xs_ring_put(char *ring, const uint32_t *cons, uint32_t *prod,
                const void *buf, size_t len);

/*
 * How the daemon reaches a domain's page and event channel. The test
 * backend (ring-shm.c) uses a file and FIFOs; the Xen backend (ring-xen.c)
 * maps the page by foreign mapping or grant and binds an interdomain event
 * channel.
 */
struct xs_ring_backend {
    const char *name;
    int (*map)(unsigned int domid, uint64_t gfn,
               struct xenstore_domain_interface **intf);
    void (*unmap)(unsigned int domid, struct xenstore_domain_interface *intf);
    int (*bind)(unsigned int domid, unsigned int evtchn, int *fd);
    void (*notify)(unsigned int domid, int fd);
    void (*ack)(int fd);
    void (*unbind)(int fd);
};

struct xs_conn;

void xs_ring_set_backend(const struct xs_ring_backend *be);
const struct xs_ring_backend *xs_ring_backend(void);
int xs_ring_conn_new(unsigned int domid, uint64_t gfn, unsigned int evtchn,
                     struct xs_conn **out);
int xs_ring_conn_rebind(struct xs_conn *c, unsigned int evtchn);
void xs_ring_conn_poll(struct xs_conn *c);

extern const struct xs_ring_backend xs_ring_shm_backend;
int xs_ring_shm_init(const char *dir);

/* ring-xen.c: the hypervisor's rings, through libmica (dom0 build only). */
struct mica;
extern const struct xs_ring_backend xs_ring_xen_backend;
int xs_ring_xen_init(void);
void xs_ring_xen_fini(void);
struct mica *xs_ring_xen_handle(void);

#endif
