/* SPDX-License-Identifier: MIT */
/*
 * cmd-block.c - `mica block-attach DOM SPEC`, `block-detach DOM VDEV` and
 * `block-list DOM...` in xl's words and columns.  Attaching writes the
 * disk's nodes and starts its back end as `mica create` does; detaching
 * takes the back end's directory offline, which makes mica-blkback close
 * the device with the guest and exit, then removes the front end's
 * directory, as libxl's device removal does.  A disk whose back end was
 * killed is closed by `mica` itself, with one line saying so: block-list
 * shows it in state 6 and block-detach removes both directories.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <micaxs.h>

#include "backend.h"
#include "cmds.h"
#include "domain.h"
#include "vbd.h"


int cmd_block_attach(struct mica_ctx *c, int argc, char **argv)
{
    struct disk_spec d;
    struct xs_plan plan = { 0 };
    char why[160];
    uint32_t id;
    int rc;

    while (verb_getopt(argc, argv, "", 2) != -1)
        ;
    id = cli_find_domain(c, argv[optind]);
    if (disk_spec_parse(&d, argv[optind + 1], why, sizeof(why))) {
        fprintf(stderr, "mica: %s\n", why);
        return 1;
    }
    rc = vbd_check_spec(&d, why, sizeof(why));
    if (rc)
        fprintf(stderr, "mica: %s\n", why);
    if (!rc)
        rc = vbd_check_target(&d);
    if (!rc && !(rc = vbd_layout_add(&plan, id, &d)))
        rc = xs_write_plan(cli_xs(c), &plan);
    if (!rc)
        rc = vbd_start(cli_xs(c), id, &d);
    xs_plan_free(&plan);
    disk_spec_free(&d);
    if (rc)
        fprintf(stderr, "libxl: error: libxl_device_disk_add failed.\n");
    return rc ? 1 : 0;
}

static int read_int(struct mxs_handle *xs, const char *path)
{
    char *v = NULL;
    unsigned int len;
    int n = -1;

    if (!mxs_read(xs, 0, path, &v, &len))
        n = atoi(v);
    free(v);
    return n;
}

int cmd_block_detach(struct mica_ctx *c, int argc, char **argv)
{
    char be[96], fe[96], path[128];
    struct mxs_handle *xs;
    uint32_t id;
    int devid;

    while (verb_getopt(argc, argv, "", 2) != -1)
        ;
    id = cli_find_domain(c, argv[optind]);
    xs = cli_xs(c);
    devid = vdev_to_number(argv[optind + 1]);
    if (devid < 0) {
        fprintf(stderr, "Error: Device %s not connected.\n", argv[optind + 1]);
        return 1;
    }
    snprintf(be, sizeof(be), VBD_BACKEND_ROOT "/%u/%d", id, devid);
    snprintf(fe, sizeof(fe), "/local/domain/%u/device/vbd/%d", id, devid);
    snprintf(path, sizeof(path), "%s/state", be);
    if (read_int(xs, path) < 0) {
        fprintf(stderr, "Error: Device %s not connected.\n", argv[optind + 1]);
        return 1;
    }
    if (vbd_close_dead(xs, id, (unsigned int)devid)) {
        mxs_rm(xs, 0, be);          /* nobody else will */
        mxs_rm(xs, 0, fe);
        return 0;
    }
    if (backend_detach(xs, &vbd_daemon, id, (unsigned int)devid)) {
        fprintf(stderr, "libxl: error: device %s: the guest did not release it\n",
                argv[optind + 1]);
        return 1;
    }
    return 0;
}

static void list_one(struct mxs_handle *xs, uint32_t id)
{
    char dir[64], path[160], **names = NULL, *be = NULL;
    unsigned int n = 0, len;

    snprintf(dir, sizeof(dir), "/local/domain/%u/device/vbd", id);
    if (mxs_directory(xs, 0, dir, &names, &n))
        return;
    for (unsigned int i = 0; i < n; i++) {
        int v[4];
        static const char *const keys[] = { "backend-id", "state", "event-channel", "ring-ref" };
        bool dead = vbd_close_dead(xs, id, (unsigned int)strtoul(names[i], NULL, 10));

        for (unsigned int k = 0; k < 4; k++) {
            snprintf(path, sizeof(path), "%s/%s/%s", dir, names[i], keys[k]);
            v[k] = read_int(xs, path);
        }
        if (dead)
            v[1] = XB_STATE_CLOSED; /* the guest may take a moment to follow */
        snprintf(path, sizeof(path), "%s/%s/backend", dir, names[i]);
        if (mxs_read(xs, 0, path, &be, &len))
            be = NULL;
        printf("%-5s %-3d %-6u %-5d %-6d %-8d %-30s\n", names[i], v[0], id, v[1], v[2], v[3],
               be ? be : "");
        free(be);
    }
    free(names);
}

int cmd_block_list(struct mica_ctx *c, int argc, char **argv)
{
    while (verb_getopt(argc, argv, "", 1) != -1)
        ;
    printf("%-5s %-3s %-6s %-5s %-6s %-8s %-30s\n", "Vdev", "BE", "handle", "state",
           "evt-ch", "ring-ref", "BE-path");
    for (int i = optind; i < argc; i++)
        list_one(cli_xs(c), cli_find_domain(c, argv[i]));
    return 0;
}
