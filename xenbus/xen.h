/* SPDX-License-Identifier: MIT */
/*
 * xenbus/xen.h - micastored on a hypervisor: the Xen ring backend, dom0's
 * own connection (XS_LOCAL) and domain-death events (VIRQ_DOM_EXC).
 * xen.c implements it over libmica in the dom0 build; xen-absent.c in the
 * host build, which has no hypervisor to talk to.
 */
#ifndef XENBUS_XEN_H
#define XENBUS_XEN_H

#include <stdbool.h>
#include "daemon.h"

/* /dev/xen/evtchn exists: the default is to serve the hypervisor's rings. */
bool xs_xen_present(void);
/* Sets up the backend, connects dom0, adds the VIRQ_DOM_EXC fd to cfg. */
int xs_xen_start(struct xs_loop_cfg *cfg);
void xs_xen_stop(void);

#endif
