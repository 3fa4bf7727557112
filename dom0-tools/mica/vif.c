/* SPDX-License-Identifier: MIT */
/*
 * vif.c - a vif's MAC when the config gave none (xl's: Xen's OUI
 * 00:16:3e and three random bytes) and starting its back end:
 * mica-netback runs detached (its own session, so the domain outlives
 * this `mica`), logs to /var/log/mica/netback.DOMID.DEVID.log, and is
 * waited for until it offers the device, so a vif whose TAP or bridge
 * cannot be made fails `mica create` with a reason.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <micaxs.h>

#include "backend.h"
#include "vif.h"


int vif_plan(struct xs_plan *p, uint32_t domid, unsigned int devid, const struct vif_spec *v)
{
    uint8_t mac[6] = { 0x00, 0x16, 0x3e };
    int fd;

    if (v->has_mac) {
        memcpy(mac, v->mac, 6);
    } else {
        fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
        if (fd < 0 || read(fd, mac + 3, 3) != 3) {
            if (fd >= 0)
                close(fd);
            return -EIO;
        }
        close(fd);
        mac[3] &= 0x7f;             /* as libxl: the top half is for others */
    }
    return vif_layout_add(p, domid, devid, v, mac);
}

const struct backend_daemon vif_daemon = { "netback", "MICA_NETBACK", "vif", NULL };

int vif_start(struct mxs_handle *xs, uint32_t domid, unsigned int devid)
{
    char what[32];

    snprintf(what, sizeof(what), "vif %u", devid);
    return backend_start(xs, &vif_daemon, domid, devid, what);
}
