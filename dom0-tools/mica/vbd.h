/* SPDX-License-Identifier: MIT */
/*
 * vbd.h - a domain's virtual disks (disk=[...]): the xenstore nodes of
 * each, front and back, as libxl writes them (pure, vbd-layout.c), and
 * starting and stopping mica-blkback, one process per disk (vbd.c).
 */
#ifndef MICA_VBD_H
#define MICA_VBD_H

#include <stdint.h>

#include "domcfg.h"
#include "xs-layout.h"

struct mxs_handle;

#define VBD_BACKEND_ROOT "/local/domain/0/backend/vbd"
#define XB_STATE_CLOSED  6

/*
 * Append disk 'd''s nodes for 'domid' to plan 'p': the front end's
 * device/vbd/DEVID (the guest's, dom0 reads) and the back end's directory
 * (dom0's, the guest reads).  0 or -ENOMEM.
 */
int vbd_layout_add(struct xs_plan *p, uint32_t domid, const struct disk_spec *d);

/*
 * What Mica cannot serve, refused by name before anything exists
 * ("devtype=cdrom is not supported"); 0 or -EINVAL with 'why' set.
 */
int vbd_check_spec(const struct disk_spec *d, char *why, unsigned int len);

/*
 * The target can be opened as asked and no other domain's back end holds
 * it in a way that excludes this one (rw is exclusive, ro is shared):
 * 0, or -errno with a line printed.
 */
int vbd_check_target(const struct disk_spec *d);

/*
 * Start mica-blkback for disk 'd' of 'domid' (its nodes already written)
 * and wait until it offers the disk (InitWait); 0, or -errno with a line
 * printed naming its log.
 */
int vbd_start(struct mxs_handle *xs, uint32_t domid, const struct disk_spec *d);

/*
 * Is the mica-blkback that `mica` started for disk 'devid' of 'domid'
 * still running?  1 yes, 0 no (killed or exited), -ENOENT when `mica`
 * never started one.
 */
int vbd_backend_alive(uint32_t domid, unsigned int devid);

/*
 * A disk whose back end is gone shows as closed: its back-end state is
 * set to Closed (6), with one line saying why, so the guest and
 * block-list see it.  1 when the back end is gone, 0 otherwise.
 */
int vbd_close_dead(struct mxs_handle *xs, uint32_t domid, unsigned int devid);

/*
 * After 'domid' is destroyed: remove backend/vbd/DOMID/DEVID of each
 * back end that is no longer running (one line each), and
 * backend/vbd/DOMID when none is left to do it.
 */
void vbd_destroy_cleanup(struct mxs_handle *xs, uint32_t domid);

#endif
