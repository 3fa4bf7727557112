/* SPDX-License-Identifier: MIT */
/*
 * cmd-shutdown.c - `mica shutdown|reboot [-a] [-w] [Domain]` the way
 * libxl's PV control works: write control/shutdown, wait (up to 60 s) for
 * the guest to acknowledge by clearing it, and with -w wait until the
 * domain has shut down (or gone).  Its on_poweroff / on_reboot action is
 * the monitor's business (monitor.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmica.h>
#include <micaxs.h>

#include "cmds.h"
#include "domain.h"

#define ACK_TIMEOUT_MS 60000
#define POLL_MS 20

static bool acknowledged(struct mica_ctx *c, uint32_t id)
{
    struct xen_domctl_getdomaininfo info;
    char path[64], *val = NULL;
    unsigned int len;
    bool done;

    if (mica_domain_getinfo(cli_hv(c), id, &info) ||
        (info.flags & (XEN_DOMINF_shutdown | XEN_DOMINF_dying)))
        return true;
    snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", id);
    done = mxs_read(cli_xs(c), 0, path, &val, &len) || !val[0];
    free(val);
    return done;
}

/* 0 once it shut down or went away, reporting which as xl does. */
static void wait_down(struct mica_ctx *c, uint32_t id)
{
    struct xen_domctl_getdomaininfo info;

    for (;;) {
        if (mica_domain_getinfo(cli_hv(c), id, &info) || (info.flags & XEN_DOMINF_dying)) {
            fprintf(stderr, "Domain %u has been destroyed.\n", id);
            return;
        }
        if (info.flags & XEN_DOMINF_shutdown) {
            fprintf(stderr, "Domain %u has been shut down, reason code %u\n", id,
                    (info.flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask);
            return;
        }
        usleep(POLL_MS * 1000);
    }
}

static int signal_domains(struct mica_ctx *c, int argc, char **argv, const char *what,
                          const char *verb)
{
    struct xen_domctl_getdomaininfo *all = NULL;
    uint32_t ids[256];
    bool wait = false, every = false;
    int opt, n = 0, i, t, rc = 0;

    while ((opt = verb_getopt(argc, argv, "awF", 0)) != -1) {
        if (opt == 'a')
            every = true;
        else if (opt == 'w')
            wait = true;
    }
    if (!every && optind >= argc) {
        fprintf(stderr, "'mica %s' requires at least 1 argument.\n\n", argv[0]);
        verb_help(verb_lookup(argv[0]));
        return 2;
    }
    if (every) {
        int k = dom_list(cli_hv(c), &all);

        for (i = 0; i < k && n < 256; i++)
            if (all[i].domain && !(all[i].flags & (XEN_DOMINF_dying | XEN_DOMINF_shutdown)))
                ids[n++] = all[i].domain;
        free(all);
    } else {
        ids[n++] = cli_find_domain(c, argv[optind]);
    }
    for (i = 0; i < n; i++) {
        fprintf(stderr, "%s domain %u\n", verb, ids[i]);
        if (dom_request_shutdown(cli_xs(c), ids[i], what)) {
            fprintf(stderr, "mica: cannot write control/shutdown of domain %u\n", ids[i]);
            rc = 1;
        }
    }
    for (i = 0; i < n; i++) {
        for (t = 0; t < ACK_TIMEOUT_MS / POLL_MS && !acknowledged(c, ids[i]); t++)
            usleep(POLL_MS * 1000);
        if (t == ACK_TIMEOUT_MS / POLL_MS) {
            fprintf(stderr, "PV control interface not available (domain %u did not "
                    "acknowledge the request)\n", ids[i]);
            rc = 1;
        }
    }
    if (wait && !rc) {
        fprintf(stderr, "Waiting for %d domains\n", n);
        for (i = 0; i < n; i++)
            wait_down(c, ids[i]);
    }
    return rc;
}

int cmd_shutdown(struct mica_ctx *c, int argc, char **argv)
{
    return signal_domains(c, argc, argv, "poweroff", "Shutting down");
}

int cmd_reboot(struct mica_ctx *c, int argc, char **argv)
{
    return signal_domains(c, argc, argv, "reboot", "Rebooting");
}
