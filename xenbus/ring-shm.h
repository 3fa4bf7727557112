/* SPDX-License-Identifier: MIT */
/*
 * xenbus/ring-shm.h - file names of the hypervisor-less ring backend,
 * shared by the daemon and the client library:
 *   <dir>/dom<id>.ring  the 4 KiB page (struct xenstore_domain_interface)
 *   <dir>/dom<id>.up    FIFO, a byte = guest notifies the daemon
 *   <dir>/dom<id>.down  FIFO, a byte = daemon notifies the guest
 */
#ifndef XENBUS_RING_SHM_H
#define XENBUS_RING_SHM_H

#include <errno.h>
#include <stddef.h>
#include <stdio.h>

#define XS_SHM_PAGE 4096

static inline int xs_shm_name(char *buf, size_t size, const char *dir,
                              unsigned int domid, const char *what)
{
    int n = snprintf(buf, size, "%s/dom%u.%s", dir, domid, what);

    return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

#endif
