/* SPDX-License-Identifier: MIT */
/*
 * vbd-layout.c - the xenstore nodes of one virtual disk, as libxl lays
 * them out (dom0-userspace §6.3): the front end's directory owned by the
 * guest so Linux can write its ring refs there, readable by dom0; the
 * back end's owned by dom0 and readable by the guest, or blkfront fails
 * with -ENOENT; both states 1 so the guest's xenbus probes the device.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vbd.h"

static int node(struct xs_plan *p, uint32_t owner, uint32_t reader, const char *value,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int node(struct xs_plan *p, uint32_t owner, uint32_t reader, const char *value,
                const char *fmt, ...)
{
    struct xs_node *n;
    va_list ap;
    int len;

    n = realloc(p->nodes, (p->n + 1) * sizeof(*n));
    if (!n)
        return -ENOMEM;
    p->nodes = n;
    n = &p->nodes[p->n];
    memset(n, 0, sizeof(*n));
    va_start(ap, fmt);
    len = vasprintf(&n->path, fmt, ap);
    va_end(ap);
    if (len < 0)
        return -ENOMEM;
    if (!(n->value = strdup(value))) {
        free(n->path);
        return -ENOMEM;
    }
    n->perms[0] = (struct xs_perm){ owner, 'n' };
    n->perms[1] = (struct xs_perm){ reader, 'r' };
    n->nperms = 2;
    p->n++;
    return 0;
}

int vbd_layout_add(struct xs_plan *p, uint32_t domid, const struct disk_spec *d)
{
    char fe[80], be[80], dev[16], id[16];
    const char *type = d->cdrom ? "cdrom" : "disk";
    int rc = 0;

    snprintf(dev, sizeof(dev), "%u", d->vdev_num);
    snprintf(id, sizeof(id), "%u", domid);
    snprintf(fe, sizeof(fe), "/local/domain/%u/device/vbd/%u", domid, d->vdev_num);
    snprintf(be, sizeof(be), VBD_BACKEND_ROOT "/%u/%u", domid, d->vdev_num);

    rc |= node(p, 0, domid, "", "/local/domain/%u/device/vbd", domid);
    rc |= node(p, domid, 0, "", "%s", fe);
    rc |= node(p, domid, 0, be, "%s/backend", fe);
    rc |= node(p, domid, 0, "0", "%s/backend-id", fe);
    rc |= node(p, domid, 0, "1", "%s/state", fe);
    rc |= node(p, domid, 0, dev, "%s/virtual-device", fe);
    rc |= node(p, domid, 0, type, "%s/device-type", fe);

    rc |= node(p, 0, domid, "", VBD_BACKEND_ROOT "/%u", domid);
    rc |= node(p, 0, domid, "", "%s", be);
    rc |= node(p, 0, domid, fe, "%s/frontend", be);
    rc |= node(p, 0, domid, id, "%s/frontend-id", be);
    rc |= node(p, 0, domid, "1", "%s/online", be);
    rc |= node(p, 0, domid, "1", "%s/state", be);
    rc |= node(p, 0, domid, d->target ? d->target : "", "%s/params", be);
    rc |= node(p, 0, domid, d->readonly ? "r" : "w", "%s/mode", be);
    rc |= node(p, 0, domid, "mica", "%s/type", be);
    rc |= node(p, 0, domid, d->vdev, "%s/dev", be);
    rc |= node(p, 0, domid, "0", "%s/removable", be);
    rc |= node(p, 0, domid, "1", "%s/bootable", be);
    rc |= node(p, 0, domid, type, "%s/device-type", be);
    return rc ? -ENOMEM : 0;
}

int vbd_check_spec(const struct disk_spec *d, char *why, unsigned int len)
{
    static const char *const names[] = { "raw", "qcow", "qcow2", "vhd", "qed", "empty" };

    if (d->cdrom) {
        snprintf(why, len, "disk %s: devtype=cdrom is not supported: Mica serves raw disks only",
                 d->vdev);
        return -EINVAL;
    }
    if (d->format != DISK_RAW) {
        snprintf(why, len, "disk %s: format=%s is not supported: Mica serves raw disks only",
                 d->vdev, names[d->format]);
        return -EINVAL;
    }
    return 0;
}
