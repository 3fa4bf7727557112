/* SPDX-License-Identifier: MIT */
/*
 * xenbus/libxs/transport.h - how libmicaxs moves bytes: blocking socket or
 * shared ring with FIFO notifications.
 */
#ifndef MICAXS_TRANSPORT_H
#define MICAXS_TRANSPORT_H

#include <stddef.h>
#include "xs-wire.h"

struct mxs_transport {
    int fd;                     /* socket, or the "down" FIFO of a ring */
    int up_fd;                  /* ring: FIFO to notify the daemon */
    struct xenstore_domain_interface *intf;     /* ring page, or NULL */
};

int mxs_tp_socket(struct mxs_transport *t, const char *path);
int mxs_tp_ring_shm(struct mxs_transport *t, const char *dir,
                    unsigned int domid);
void mxs_tp_close(struct mxs_transport *t);
int mxs_tp_write(struct mxs_transport *t, const void *buf, size_t len);
int mxs_tp_read(struct mxs_transport *t, void *buf, size_t len,
                int timeout_ms);

#endif
