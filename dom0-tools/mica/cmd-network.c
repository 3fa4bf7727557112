/* SPDX-License-Identifier: MIT */
/*
 * cmd-network.c - `mica network-attach DOM KEY=VALUE...`, `network-detach
 * DOM DEVID|MAC` and `network-list DOM...` in xl's words and columns.
 * Attaching writes the vif's nodes under the next free devid and starts
 * its back end as `mica create` does; detaching takes the back end's
 * directory offline, which makes mica-netback close the device with the
 * guest, take its TAP off the bridge and exit, then removes the front
 * end's directory, as libxl's device removal does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <micaxs.h>

#include "backend.h"
#include "cmds.h"
#include "domain.h"
#include "vif.h"


static int read_int(struct mxs_handle *xs, const char *dir, const char *id, const char *key)
{
    char path[160], *v = NULL;
    unsigned int len;
    int n = -1;

    snprintf(path, sizeof(path), "%s/%s/%s", dir, id, key);
    if (!mxs_read(xs, 0, path, &v, &len))
        n = atoi(v);
    free(v);
    return n;
}

/* One past the highest devid the domain has, as libxl picks a new vif's. */
static unsigned int next_devid(struct mxs_handle *xs, uint32_t id)
{
    char dir[64], **names = NULL;
    unsigned int n = 0, next = 0;

    snprintf(dir, sizeof(dir), "/local/domain/%u/device/vif", id);
    if (!mxs_directory(xs, 0, dir, &names, &n))
        for (unsigned int i = 0; i < n; i++)
            if ((unsigned int)atoi(names[i]) >= next)
                next = (unsigned int)atoi(names[i]) + 1;
    free(names);
    return next;
}

int cmd_network_attach(struct mica_ctx *c, int argc, char **argv)
{
    struct vif_spec v;
    struct xs_plan plan = { 0 };
    char spec[512] = "", why[160];
    unsigned int devid;
    uint32_t id;
    int rc;

    while (verb_getopt(argc, argv, "", 1) != -1)
        ;
    id = cli_find_domain(c, argv[optind]);
    for (int i = optind + 1; i < argc; i++)
        if (snprintf(spec + strlen(spec), sizeof(spec) - strlen(spec), "%s%s",
                     i > optind + 1 ? "," : "", argv[i]) < 0)
            return 1;
    if (vif_spec_parse(&v, spec, why, sizeof(why))) {
        fprintf(stderr, "mica: %s\n", why);
        return 1;
    }
    devid = v.devid >= 0 ? (unsigned int)v.devid : next_devid(cli_xs(c), id);
    rc = vif_plan(&plan, id, devid, &v);
    if (!rc)
        rc = xs_write_plan(cli_xs(c), &plan);
    if (!rc)
        rc = vif_start(cli_xs(c), id, devid);
    xs_plan_free(&plan);
    vif_spec_free(&v);
    if (rc)
        fprintf(stderr, "libxl_device_nic_add failed.\n");
    return rc ? 1 : 0;
}

/* The devid of "N" or of the vif with MAC "xx:xx:...", -1 if none. */
static int find_vif(struct mxs_handle *xs, uint32_t id, const char *arg)
{
    char dir[64], path[128], **names = NULL, *mac;
    unsigned int n = 0, len;
    int devid = -1;

    snprintf(dir, sizeof(dir), "/local/domain/%u/device/vif", id);
    if (mxs_directory(xs, 0, dir, &names, &n))
        return -1;
    for (unsigned int i = 0; i < n && devid < 0; i++) {
        if (!strchr(arg, ':')) {
            if (!strcmp(names[i], arg))
                devid = atoi(names[i]);
            continue;
        }
        snprintf(path, sizeof(path), "%s/%s/mac", dir, names[i]);
        if (!mxs_read(xs, 0, path, &mac, &len)) {
            if (!strcasecmp(mac, arg))
                devid = atoi(names[i]);
            free(mac);
        }
    }
    free(names);
    return devid;
}

int cmd_network_detach(struct mica_ctx *c, int argc, char **argv)
{
    char be_dom[64], dev[16];
    struct mxs_handle *xs;
    uint32_t id;
    int devid;

    while (verb_getopt(argc, argv, "", 2) != -1)
        ;
    id = cli_find_domain(c, argv[optind]);
    xs = cli_xs(c);
    devid = find_vif(xs, id, argv[optind + 1]);
    snprintf(be_dom, sizeof(be_dom), VIF_BACKEND_ROOT "/%u", id);
    snprintf(dev, sizeof(dev), "%d", devid);
    if (devid < 0 || read_int(xs, be_dom, dev, "state") < 0) {
        fprintf(stderr, "Unknown device %s.\n", argv[optind + 1]);
        return 1;
    }
    if (backend_detach(xs, &vif_daemon, id, (unsigned int)devid)) {
        fprintf(stderr, "libxl_device_nic_del failed.\n");
        return 1;
    }
    return 0;
}

static void list_one(struct mxs_handle *xs, uint32_t id)
{
    char dir[64], path[160], **names = NULL, *be = NULL, *mac = NULL;
    unsigned int n = 0, len;

    snprintf(dir, sizeof(dir), "/local/domain/%u/device/vif", id);
    if (mxs_directory(xs, 0, dir, &names, &n))
        return;
    for (unsigned int i = 0; i < n; i++) {
        int evt = read_int(xs, dir, names[i], "event-channel");

        if (evt < 0)
            evt = read_int(xs, dir, names[i], "event-channel-tx");
        snprintf(path, sizeof(path), "%s/%s/backend", dir, names[i]);
        if (mxs_read(xs, 0, path, &be, &len))
            be = NULL;
        snprintf(path, sizeof(path), "%s/%s/mac", dir, names[i]);
        if (mxs_read(xs, 0, path, &mac, &len))
            mac = NULL;
        printf("%-3d %-2d %-17s%6d %5d %6d %5d/%-11d %-30s\n", atoi(names[i]),
               read_int(xs, dir, names[i], "backend-id"), mac ? mac : "", atoi(names[i]),
               read_int(xs, dir, names[i], "state"), evt,
               read_int(xs, dir, names[i], "tx-ring-ref"),
               read_int(xs, dir, names[i], "rx-ring-ref"), be ? be : "");
        free(be);
        free(mac);
    }
    free(names);
}

int cmd_network_list(struct mica_ctx *c, int argc, char **argv)
{
    while (verb_getopt(argc, argv, "", 1) != -1)
        ;
    printf("%-3s %-2s %-17s %-6s %-5s %-6s %5s/%-5s %-30s\n", "Idx", "BE", "Mac Addr.",
           "handle", "state", "evt-ch", "tx-", "rx-ring-ref", "BE-path");
    for (int i = optind; i < argc; i++)
        list_one(cli_xs(c), cli_find_domain(c, argv[i]));
    return 0;
}
