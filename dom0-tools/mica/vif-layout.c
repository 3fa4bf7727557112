/* SPDX-License-Identifier: MIT */
/*
 * vif-layout.c - the xenstore nodes of one vif, as libxl's
 * libxl__set_xenstore_nic lays them out (dom0-userspace §7.2): the front
 * end's directory owned by the guest so netfront can write its ring refs
 * there, with the mac it must find; the back end's owned by dom0 and
 * readable by the guest, with what mica-netback and the hotplug script
 * read (bridge, script, vifname, mtu); both states 1 so that the guest's
 * xenbus probes the device.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vif.h"

void vif_mac_format(const uint8_t mac[6], char out[18])
{
    snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
             mac[4], mac[5]);
}

unsigned int vif_devid(const struct vif_spec *v, unsigned int index)
{
    return v->devid >= 0 ? (unsigned int)v->devid : index;
}

struct kv {
    const char *key, *value;
};

/* Directory 'dir' (owner, reader) and its keys; an unset value is left out. */
static int add_dir(struct xs_plan *p, uint32_t owner, uint32_t reader, const char *dir,
                   const struct kv *kv, unsigned int n)
{
    struct xs_node *nodes = realloc(p->nodes, (p->n + n + 1) * sizeof(*nodes));

    if (!nodes)
        return -ENOMEM;
    p->nodes = nodes;
    for (unsigned int i = 0; i <= n; i++) {
        struct xs_node *x = &p->nodes[p->n];
        int len;

        if (i && !kv[i - 1].value)
            continue;
        memset(x, 0, sizeof(*x));
        len = i ? asprintf(&x->path, "%s/%s", dir, kv[i - 1].key)
                : asprintf(&x->path, "%s", dir);
        if (len < 0)
            return -ENOMEM;
        if (!(x->value = strdup(i ? kv[i - 1].value : ""))) {
            free(x->path);
            return -ENOMEM;
        }
        x->perms[0] = (struct xs_perm){ owner, 'n' };
        x->perms[1] = (struct xs_perm){ reader, 'r' };
        x->nperms = 2;
        p->n++;
    }
    return 0;
}

int vif_layout_add(struct xs_plan *p, uint32_t domid, unsigned int devid,
                   const struct vif_spec *v, const uint8_t mac[6])
{
    char fe[80], be[80], fe_dir[64], be_dir[64], dev[16], id[16], macs[18], mtu[16];
    const char *mtup = NULL;
    int rc;

    snprintf(dev, sizeof(dev), "%u", devid);
    snprintf(id, sizeof(id), "%u", domid);
    snprintf(fe, sizeof(fe), "/local/domain/%u/device/vif/%u", domid, devid);
    snprintf(be, sizeof(be), VIF_BACKEND_ROOT "/%u/%u", domid, devid);
    vif_mac_format(mac, macs);
    if (v->mtu) {
        snprintf(mtu, sizeof(mtu), "%u", v->mtu);
        mtup = mtu;
    }
    const struct kv front[] = {
        { "backend", be }, { "backend-id", "0" }, { "state", "1" }, { "handle", dev },
        { "mac", macs }, { "mtu", mtup },
    };
    const struct kv back[] = {
        { "frontend", fe }, { "frontend-id", id }, { "online", "1" }, { "state", "1" },
        { "script", v->script ? v->script : VIF_SCRIPT },
        { "mac", macs }, { "bridge", v->bridge ? v->bridge : VIF_DEFAULT_BRIDGE },
        { "handle", dev }, { "type", "vif" }, { "hotplug-status", "" },
        { "vifname", v->vifname }, { "ip", v->ip }, { "mtu", mtup },
    };

    snprintf(fe_dir, sizeof(fe_dir), "/local/domain/%u/device/vif", domid);
    snprintf(be_dir, sizeof(be_dir), VIF_BACKEND_ROOT "/%u", domid);
    rc = add_dir(p, 0, domid, fe_dir, NULL, 0);
    if (!rc)
        rc = add_dir(p, domid, 0, fe, front, sizeof(front) / sizeof(front[0]));
    if (!rc)
        rc = add_dir(p, 0, domid, be_dir, NULL, 0);
    if (!rc)
        rc = add_dir(p, 0, domid, be, back, sizeof(back) / sizeof(back[0]));
    return rc;
}
