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
 * backend (ring-shm.c) uses a file and FIFOs; a Xen backend maps the page
 * with the grant table and binds an interdomain event channel.
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
void xs_ring_conn_poll(struct xs_conn *c);

extern const struct xs_ring_backend xs_ring_shm_backend;
int xs_ring_shm_init(const char *dir);

#endif
