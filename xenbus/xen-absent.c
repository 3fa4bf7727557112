/* SPDX-License-Identifier: MIT */
/*
 * xenbus/xen-absent.c - the host build of micastored is linked without
 * libmica: it serves sockets and the shared-memory test rings only, and
 * says so when asked for the hypervisor's rings.
 */
#include <errno.h>
#include "xen.h"

bool xs_xen_present(void)
{
    return false;
}

int xs_xen_start(struct xs_loop_cfg *cfg)
{
    (void)cfg;
    return -ENOSYS;
}

void xs_xen_stop(void)
{
}
