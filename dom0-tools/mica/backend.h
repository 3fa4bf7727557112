/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/mica/backend.h - starting a device's user-space back end
 * (mica-blkback for a vbd, mica-netback for a vif) once its xenstore
 * directory is written, and reading its state: the same for every kind.
 */
#ifndef MICA_BACKEND_H
#define MICA_BACKEND_H

#include <stdint.h>

struct mxs_handle;

struct backend_daemon {
    const char *name;               /* "blkback": /usr/lib/mica/mica-NAME, NAME.D.N.log */
    const char *env;                /* "MICA_BLKBACK": another program, for tests */
    const char *kind;               /* "vbd": /local/domain/0/backend/KIND, device/KIND */
    /* In the back end's process just before the exec, or NULL. */
    void (*before_exec)(uint32_t domid, unsigned int devid);
};

/* The back end's state, -1 while its directory is gone (it failed and cleaned up). */
int backend_state(struct mxs_handle *xs, const char *be);
/*
 * Start b's daemon for (domid, devid), nobody's child, with its output in
 * /var/log/mica, and wait until it is past Initialising.  On failure a
 * line names 'what' ("disk xvda") and the log, and -EIO comes back.
 */
int backend_start(struct mxs_handle *xs, const struct backend_daemon *b, uint32_t domid,
                  unsigned int devid, const char *what);
/*
 * Detach: take the device offline (online = 0), wait until its back end
 * has closed it with the guest and removed its directory, then remove
 * the front end's (/local/domain/DOMID/device/KIND/DEVID).  0, or
 * -ETIMEDOUT when the guest did not let go within 10 s.
 */
int backend_detach(struct mxs_handle *xs, const struct backend_daemon *b, uint32_t domid,
                   unsigned int devid);

/* The two kinds (vbd.c, vif.c). */
extern const struct backend_daemon vbd_daemon, vif_daemon;

#endif
