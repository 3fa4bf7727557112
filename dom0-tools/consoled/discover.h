/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/consoled/discover.h - finding the domains to serve, as
 * xenconsoled does: the hypervisor's domain list, kept current by the
 * @introduceDomain / @releaseDomain watches, and a watch on each domain's
 * /local/domain/N/console.
 */
#ifndef CONSOLED_DISCOVER_H
#define CONSOLED_DISCOVER_H

struct consoled;

int discover_init(struct consoled *cd);
/* Bring the set of consoles in line with the hypervisor and xenstore. */
void discover_scan(struct consoled *cd);
/* Handle every watch event waiting; -errno when xenstore is gone. */
int discover_watch_events(struct consoled *cd);
void discover_fini(struct consoled *cd);

#endif
