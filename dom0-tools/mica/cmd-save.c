/* SPDX-License-Identifier: MIT */
/*
 * cmd-save.c - `mica save [-c] [-p] <Domain> <CheckpointFile> [<ConfigFile>]`
 * as xl's: ask the guest to suspend (control/shutdown = suspend, 60 s for
 * the acknowledgement, 60 s for the SCHEDOP_shutdown), write it to the
 * file (libmica's mica_domain_save, format in libmica's sr-stream.h),
 * then destroy it, or with -c / -p let it carry on (-p: paused) through a
 * cancelled suspend (then XS_RESUME, as libxl sends).  A failed save
 * resumes the guest the same way.
 *
 * The config stored in the file is the xl.cfg text given, or, as Mica
 * keeps no copy of a running domain's config, one written from what the
 * domain is now: its name, memory and vCPUs (all a guest without devices
 * needs to be restored).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmica.h>
#include <micaxs.h>
#include <public/sched.h>
#include <sr-stream.h>

#include "cmds.h"
#include "domain.h"
#include "save-file.h"

#define SUSPEND_TIMEOUT_MS  60000
#define POLL_MS             10

/* The guest cleared control/shutdown, or is already down. */
static bool suspend_acked(struct mica_ctx *c, uint32_t id)
{
    struct xen_domctl_getdomaininfo info;
    char path[64], *val = NULL;
    unsigned int len;
    bool done;

    if (mica_domain_getinfo(cli_hv(c), id, &info) ||
        (info.flags & (XEN_DOMINF_shutdown | XEN_DOMINF_dying)))
        return true;
    snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", id);
    done = mxs_read(cli_xs(c), 0, path, &val, &len) || strcmp(val, "suspend");
    free(val);
    return done;
}

static bool suspended(struct mica_ctx *c, uint32_t id)
{
    struct xen_domctl_getdomaininfo info;

    return !mica_domain_getinfo(cli_hv(c), id, &info) &&
           (info.flags & XEN_DOMINF_shutdown) &&
           ((info.flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask) ==
           SHUTDOWN_suspend;
}

/* libxl's domain_suspend for a PV guest: 0, or 1 with xl's words printed. */
int save_suspend(struct mica_ctx *c, uint32_t id)
{
    char path[64];
    int t;

    if (dom_request_shutdown(cli_xs(c), id, "suspend")) {
        fprintf(stderr, "mica: cannot write control/shutdown of domain %u\n", id);
        return 1;
    }
    for (t = 0; t < SUSPEND_TIMEOUT_MS / POLL_MS && !suspend_acked(c, id); t++)
        usleep(POLL_MS * 1000);
    if (t == SUSPEND_TIMEOUT_MS / POLL_MS) {
        snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", id);
        mxs_write(cli_xs(c), 0, path, "", 0);
        fprintf(stderr, "guest didn't acknowledge suspend, cancelling request\n");
        return 1;
    }
    for (t = 0; t < SUSPEND_TIMEOUT_MS / POLL_MS && !suspended(c, id); t++)
        usleep(POLL_MS * 1000);
    if (t == SUSPEND_TIMEOUT_MS / POLL_MS) {
        fprintf(stderr, "guest did not suspend, timed out\n");
        return 1;
    }
    return 0;
}

/*
 * XS_RESUME after the cancel, so that micastored fires @releaseDomain
 * again at the guest's next shutdown.
 */
int save_resume_cancelled(struct mica_ctx *c, uint32_t id)
{
    if (mica_domain_resume(cli_hv(c), id, true)) {
        fprintf(stderr, "mica: %s\n", mica_errmsg(cli_hv(c)));
        return 1;
    }
    if (mxs_resume(cli_xs(c), id)) {
        fprintf(stderr, "libxl: error: Domain %u:xs_resume_domain failed\n", id);
        return 1;
    }
    return 0;
}

/* Save to an open fd; 0 or 1, the domain resumed if the save failed. */
int save_to_fd(struct mica_ctx *c, uint32_t id, int fd, const char *config,
               struct mica_save_stats *st)
{
    struct sr_out out = { .write = stream_fd_write, .ctx = &fd };
    int rc;

    if (save_suspend(c, id))
        return 1;
    rc = mica_domain_save(cli_hv(c), id, &out, config, st);
    if (rc) {
        fprintf(stderr, "mica: %s\n", mica_errmsg(cli_hv(c)));
        fprintf(stderr, "Failed to save domain, resuming domain\n");
        save_resume_cancelled(c, id);
        return 1;
    }
    return 0;
}

int cmd_save(struct mica_ctx *c, int argc, char **argv)
{
    bool leave = false, paused = false;
    struct mica_save_stats st;
    char *config;
    const char *file;
    uint32_t id;
    int opt, fd, rc;

    while ((opt = verb_getopt(argc, argv, "cpD", 2)) != -1) {
        if (opt == 'c')
            leave = true;
        else if (opt == 'p')
            paused = true;
    }
    if (argc - optind > 3) {
        verb_help(verb_lookup(argv[0]));
        return 2;
    }
    id = cli_find_domain(c, argv[optind]);
    file = argv[optind + 1];
    config = save_config(c, id, argc - optind > 2 ? argv[optind + 2] : NULL);
    if (!config) {
        fprintf(stderr, "unable to retrieve domain configuration\n");
        return 1;
    }
    fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        fprintf(stderr, "Failed to open temp file %s for writing\n", file);
        free(config);
        return 1;
    }
    fprintf(stderr, "Saving to %s new xl format (info 0x%x/0x0/%zu)\n", file,
            SR_XL_MANDATORY, strlen(config) + 5);
    rc = save_to_fd(c, id, fd, config, &st);
    if (!rc && (fsync(fd) || close(fd) < 0)) {
        fprintf(stderr, "mica: %s: %s\n", file, strerror(errno));
        rc = 1;
    } else if (rc) {
        close(fd);
    }
    free(config);
    if (rc)
        return rc;
    if (leave || paused) {
        if (paused)
            mica_domain_pause(cli_hv(c), id);
        return save_resume_cancelled(c, id);
    }
    return dom_destroy(cli_hv(c), cli_xs(c), id) ? 1 : 0;
}
