/* SPDX-License-Identifier: MIT */
/*
 * cmd-domain.c - the one-domain verbs that are a single step each:
 * destroy, pause, unpause, domid, domname, rename, uptime.
 * Silent on success, as xl is.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libmica.h>
#include <micaxs.h>

#include "cmds.h"
#include "domain.h"
#include "domspec.h"
#include "format.h"

int cmd_destroy(struct mica_ctx *c, int argc, char **argv)
{
    uint32_t id;
    int opt;

    while ((opt = verb_getopt(argc, argv, "f", 1)) != -1)
        c->force = true;
    id = cli_find_domain(c, argv[optind]);
    if (id == 0 && !c->force) {
        fprintf(stderr, "Not destroying domain 0; use -f to force.\n"
                "This can only be done when using a disaggregated hardware domain and toolstack.\n\n");
        return 1;
    }
    if (dom_destroy(cli_hv(c), cli_xs(c), id)) {
        fprintf(stderr, "mica: destroy failed (domain %u): %s\n", id, mica_errmsg(cli_hv(c)));
        return 1;
    }
    return 0;
}

static int pause_op(struct mica_ctx *c, int argc, char **argv, bool pause)
{
    uint32_t id;
    int rc;

    while (verb_getopt(argc, argv, "", 1) != -1)
        ;
    id = cli_find_domain(c, argv[optind]);
    rc = pause ? mica_domain_pause(cli_hv(c), id) : mica_domain_unpause(cli_hv(c), id);
    if (rc) {
        fprintf(stderr, "mica: %s: %s\n", argv[0], mica_errmsg(cli_hv(c)));
        return 1;
    }
    return 0;
}

int cmd_pause(struct mica_ctx *c, int argc, char **argv)
{
    return pause_op(c, argc, argv, true);
}

int cmd_unpause(struct mica_ctx *c, int argc, char **argv)
{
    return pause_op(c, argc, argv, false);
}

int cmd_domid(struct mica_ctx *c, int argc, char **argv)
{
    uint32_t id;

    while (verb_getopt(argc, argv, "", 1) != -1)
        ;
    if (dom_find_name(cli_hv(c), cli_xs(c), argv[optind], &id)) {
        fprintf(stderr, "Can't get domid of domain name '%s', maybe this domain does not exist.\n",
                argv[optind]);
        return 1;
    }
    printf("%u\n", id);
    return 0;
}

int cmd_domname(struct mica_ctx *c, int argc, char **argv)
{
    struct xen_domctl_getdomaininfo info;
    char *name = NULL;
    uint32_t id = 0;

    while (verb_getopt(argc, argv, "", 1) != -1)
        ;
    if (domspec_parse(argv[optind], &id) == 0 && !mica_domain_getinfo(cli_hv(c), id, &info))
        name = dom_name(cli_xs(c), id);
    if (!name) {
        fprintf(stderr, "Can't get domain name of domain id '%s', maybe this domain does not exist.\n",
                argv[optind]);
        return 1;
    }
    printf("%s\n", name);
    free(name);
    return 0;
}

int cmd_rename(struct mica_ctx *c, int argc, char **argv)
{
    const char *to;
    uint32_t id, other;
    int rc;

    while (verb_getopt(argc, argv, "", 2) != -1)
        ;
    id = cli_find_domain(c, argv[optind]);
    to = argv[optind + 1];
    if (!dom_find_name(cli_hv(c), cli_xs(c), to, &other) && other != id) {
        fprintf(stderr, "mica: Domain with name \"%s\" already exists.\n", to);
        return 1;
    }
    if (!*to || strchr(to, '/') || domspec_parse(to, &other) != -ENOENT) {
        fprintf(stderr, "mica: \"%s\" cannot name a domain\n", to);
        return 1;
    }
    rc = dom_rename(cli_xs(c), id, to);
    if (rc) {
        fprintf(stderr, "mica: rename: %s\n", strerror(-rc));
        return 1;
    }
    return 0;
}

/* Seconds since the domain started: dom0 as the host, domUs from /vm/UUID/start_time. */
static uint64_t dom_uptime(struct mica_ctx *c, uint32_t id, time_t now)
{
    char path[96], *vm = NULL, *st = NULL;
    unsigned int len;
    double up = 0;
    FILE *f;

    if (id == 0) {
        f = fopen("/proc/uptime", "r");
        if (f) {
            if (fscanf(f, "%lf", &up) != 1)
                up = 0;
            fclose(f);
        }
        return (uint64_t)up;
    }
    snprintf(path, sizeof(path), "/local/domain/%u/vm", id);
    if (!mxs_read(cli_xs(c), 0, path, &vm, &len)) {
        snprintf(path, sizeof(path), "%.80s/start_time", vm);
        if (!mxs_read(cli_xs(c), 0, path, &st, &len))
            up = (double)now - strtod(st, NULL);
    }
    free(vm);
    free(st);
    return up > 0 ? (uint64_t)up : 0;
}

static void uptime_short(uint64_t secs, time_t now, const char *name, uint32_t id)
{
    char clock[16];
    struct tm tm;

    localtime_r(&now, &tm);
    strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
    if (secs >= 86400)
        printf(" %s up %llu day%s, %2llu:%02llu, %s (%u)\n", clock,
               (unsigned long long)secs / 86400, secs >= 2 * 86400 ? "s" : "",
               (unsigned long long)secs / 3600 % 24, (unsigned long long)secs / 60 % 60,
               name ? name : "(null)", id);
    else
        printf(" %s up %2llu:%02llu, %s (%u)\n", clock, (unsigned long long)secs / 3600,
               (unsigned long long)secs / 60 % 60, name ? name : "(null)", id);
}

int cmd_uptime(struct mica_ctx *c, int argc, char **argv)
{
    struct xen_domctl_getdomaininfo *all;
    time_t now = time(NULL);
    bool brief = false;
    int opt, n, i;

    while ((opt = verb_getopt(argc, argv, "s", 0)) != -1)
        brief = true;
    n = dom_list(cli_hv(c), &all);
    if (n < 0) {
        fprintf(stderr, "mica: cannot list domains: %s\n", mica_errmsg(cli_hv(c)));
        return 1;
    }
    if (!brief)
        fmt_uptime_header(stdout);
    for (i = 0; i < n; i++) {
        uint32_t id = all[i].domain;
        char *name;
        bool want = optind >= argc;

        for (int a = optind; a < argc && !want; a++)
            want = cli_find_domain(c, argv[a]) == id;
        if (!want)
            continue;
        name = dom_name(cli_xs(c), id);
        if (brief)
            uptime_short(dom_uptime(c, id, now), now, name, id);
        else
            fmt_uptime_row(stdout, name, id, dom_uptime(c, id, now));
        free(name);
    }
    free(all);
    return 0;
}
