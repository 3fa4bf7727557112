/* SPDX-License-Identifier: MIT */
/*
 * vif.h - a domain's virtual network interfaces (vif=[...]): the xenstore
 * nodes of each, front and back, as libxl writes them (pure,
 * vif-layout.c), and starting mica-netback, one process per vif (vif.c).
 */
#ifndef MICA_VIF_H
#define MICA_VIF_H

#include <stdint.h>

#include "domcfg.h"
#include "xs-layout.h"

struct mxs_handle;

#define VIF_BACKEND_ROOT   "/local/domain/0/backend/vif"
#define VIF_DEFAULT_BRIDGE "micabr0"
#define VIF_SCRIPT         "/etc/mica/scripts/vif-bridge"

/* "00:16:3e:0a:0b:0c" (18 bytes with the NUL). */
void vif_mac_format(const uint8_t mac[6], char out[18]);

/*
 * Append vif 'v' (devid 'devid', MAC 'mac') of 'domid' to plan 'p': the
 * front end's device/vif/DEVID (the guest's, dom0 reads) and the back
 * end's directory (dom0's, the guest reads), both state 1.  0 or -ENOMEM.
 */
int vif_layout_add(struct xs_plan *p, uint32_t domid, unsigned int devid,
                   const struct vif_spec *v, const uint8_t mac[6]);

/* The devid of the vif at 'index' of vif=[...]: its devid= or its place. */
unsigned int vif_devid(const struct vif_spec *v, unsigned int index);

/*
 * vif_layout_add with the vif's MAC, or xl's default when it has none:
 * 00:16:3e and three random bytes.  0 or -errno.
 */
int vif_plan(struct xs_plan *p, uint32_t domid, unsigned int devid, const struct vif_spec *v);

/*
 * Start mica-netback for vif 'devid' of 'domid' (its nodes already
 * written) and wait until it offers the device (InitWait); 0, or -errno
 * with a line printed naming its log.
 */
int vif_start(struct mxs_handle *xs, uint32_t domid, unsigned int devid);

#endif
