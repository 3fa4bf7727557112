/* SPDX-License-Identifier: MIT */
/*
 * mica/grant-table.h - grant tables (v1) as the rest of the hypervisor
 * sees them: a domain's table is created with the domain, torn down in
 * two steps around its memory, and limited per domain.  Everything else
 * is private to common/grant-*.c.
 */
#ifndef MICA_GRANT_TABLE_H
#define MICA_GRANT_TABLE_H

#include <mica/types.h>

struct domain;

/*
 * Xen's defaults: 64 grant frames (32768 v1 entries), 1024 maptrack
 * frames; a domain's max_grant_frames/max_maptrack_frames (domctl) may
 * lower them.
 */
#define GNTTAB_MAX_FRAMES           64
#define GNTTAB_MAX_MAPTRACK_FRAMES  1024

/* Create d's table with one grant frame; 0 or -ENOMEM. */
int gnttab_init(struct domain *d);
/*
 * Before d's memory goes: undo every mapping d holds of others' grants.
 * Mappings others hold of d's grants stay valid until they unmap them
 * (their references keep d as a zombie).
 */
void gnttab_release(struct domain *d);
/* Does anyone still map one of d's grant frames? */
bool gnttab_frames_mapped(const struct domain *d);
/* Before d is freed: forget others' handles of d's grants whose mappings
 * are already gone (implicitly unmapped), so its id can be reused. */
void gnttab_forget_granter(struct domain *d);
/* After d's page tables are gone: free the grant frames and the table. */
void gnttab_destroy(struct domain *d);
long do_grant_table_op(uint64_t cmd, uint64_t uop, uint64_t count);

#endif
