/* SPDX-License-Identifier: MIT */
/*
 * cmd-vcpu.c - vCPUs and the credit scheduler: vcpu-list, vcpu-pin and
 * sched-credit, in xl's formats (format.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmica.h>

#include "cmds.h"
#include "domain.h"
#include "domcfg.h"
#include "format.h"

static unsigned int host_cpus(struct mica_ctx *c)
{
    struct xen_sysctl_physinfo pi;

    if (mica_physinfo(cli_hv(c), &pi) || pi.max_cpu_id >= DOMCFG_MAX_CPUS)
        return DOMCFG_MAX_CPUS;
    return pi.max_cpu_id + 1;
}

static int vcpus_of(struct mica_ctx *c, const struct xen_domctl_getdomaininfo *d,
                    unsigned int ncpus)
{
    char *name = dom_name(cli_xs(c), d->domain), hard[128];
    struct mica_vcpuinfo vi;
    struct cpumap m;
    int rc = 0;

    for (unsigned int v = 0; v <= d->max_vcpu_id && !rc; v++) {
        rc = mica_vcpu_getinfo(cli_hv(c), d->domain, v, &vi);
        if (rc)
            break;
        memset(&m, 0, sizeof(m));
        if (mica_vcpu_getaffinity(cli_hv(c), d->domain, v, m.bits, DOMCFG_MAX_CPUS))
            snprintf(hard, sizeof(hard), "all");
        else
            cpumap_format(&m, ncpus, hard, sizeof(hard));
        fmt_vcpu_row(stdout, name, d->domain, v, vi.online ? (int)vi.cpu : -1, vi.running,
                     vi.blocked, vi.cpu_time, hard, "all");
    }
    if (rc)
        fprintf(stderr, "mica: vcpu-list: %s\n", mica_errmsg(cli_hv(c)));
    free(name);
    return rc;
}

int cmd_vcpu_list(struct mica_ctx *c, int argc, char **argv)
{
    struct xen_domctl_getdomaininfo *all, one;
    unsigned int ncpus;
    int n, i, rc = 0;

    while (verb_getopt(argc, argv, "", 0) != -1)
        ;
    ncpus = host_cpus(c);
    fmt_vcpu_header(stdout);
    if (optind < argc) {
        for (i = optind; i < argc && !rc; i++) {
            uint32_t id = cli_find_domain(c, argv[i]);

            if (!mica_domain_getinfo(cli_hv(c), id, &one))
                rc = vcpus_of(c, &one, ncpus);
        }
        return rc ? 1 : 0;
    }
    n = dom_list(cli_hv(c), &all);
    if (n < 0) {
        fprintf(stderr, "mica: cannot list domains: %s\n", mica_errmsg(cli_hv(c)));
        return 1;
    }
    for (i = 0; i < n && !rc; i++)
        rc = vcpus_of(c, &all[i], ncpus);
    free(all);
    return rc ? 1 : 0;
}

int cmd_vcpu_pin(struct mica_ctx *c, int argc, char **argv)
{
    struct xen_domctl_getdomaininfo info;
    const char *vcpu, *hard, *soft, *why;
    unsigned int first, last, v;
    struct cpumap m;
    uint32_t id;
    char *end;

    while (verb_getopt(argc, argv, "", 3) != -1)
        ;
    id = cli_find_domain(c, argv[optind]);
    vcpu = argv[optind + 1];
    hard = argv[optind + 2];
    soft = optind + 3 < argc ? argv[optind + 3] : "-";
    if (strcmp(soft, "-") && strcmp(soft, "all")) {
        fprintf(stderr, "mica: soft affinity is not supported by Mica (give - or all)\n");
        return 1;
    }
    if (!strcmp(hard, "-"))
        return 0;
    if (cpumap_parse(&m, hard, &why)) {
        fprintf(stderr, "mica: invalid cpu list \"%s\": %s\n", hard, why);
        return 1;
    }
    if (mica_domain_getinfo(cli_hv(c), id, &info))
        return 1;
    if (!strcmp(vcpu, "all")) {
        first = 0;
        last = info.max_vcpu_id;
    } else {
        first = last = (unsigned int)strtoul(vcpu, &end, 10);
        if (*end || !*vcpu || first > info.max_vcpu_id) {
            fprintf(stderr, "Invalid vcpu specification: %s\n", vcpu);
            return 1;
        }
    }
    for (v = first; v <= last; v++)
        if (mica_vcpu_setaffinity(cli_hv(c), id, v, m.bits, DOMCFG_MAX_CPUS)) {
            fprintf(stderr, "mica: vcpu-pin: %s\n", mica_errmsg(cli_hv(c)));
            return 1;
        }
    return 0;
}

static int sched_show(struct mica_ctx *c, uint32_t id)
{
    uint16_t weight, cap;
    char *name;

    if (mica_sched_credit_get(cli_hv(c), id, &weight, &cap)) {
        fprintf(stderr, "mica: sched-credit: %s\n", mica_errmsg(cli_hv(c)));
        return 1;
    }
    name = dom_name(cli_xs(c), id);
    fmt_sched_row(stdout, name, id, weight, cap);
    free(name);
    return 0;
}

static int parse_u16(const char *s, uint16_t *out, const char *what)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);

    if (!*s || *end || v > 65535) {
        fprintf(stderr, "mica: invalid %s: %s\n", what, s);
        return -EINVAL;
    }
    *out = (uint16_t)v;
    return 0;
}

int cmd_sched_credit(struct mica_ctx *c, int argc, char **argv)
{
    const char *dom = NULL, *w = NULL, *cp = NULL;
    struct xen_domctl_getdomaininfo *all;
    uint16_t weight, cap;
    int opt, n, i, rc = 0;
    uint32_t id;

    while ((opt = verb_getopt(argc, argv, "d:w:c:", 0)) != -1) {
        if (opt == 'd')
            dom = optarg;
        else if (opt == 'w')
            w = optarg;
        else
            cp = optarg;
    }
    /* xl prints nothing when credit is not the scheduler (Xen's default is credit2) */
    if (strcmp(cli_sched_name(cli_hv(c)), "credit"))
        return 0;
    if ((w || cp) && !dom) {
        fprintf(stderr, "Must specify a domain.\n");
        return 1;
    }
    if (dom) {
        id = cli_find_domain(c, dom);
        if (!w && !cp) {
            fmt_sched_header(stdout);
            return sched_show(c, id);
        }
        if (mica_sched_credit_get(cli_hv(c), id, &weight, &cap) ||
            (w && parse_u16(w, &weight, "weight")) || (cp && parse_u16(cp, &cap, "cap")) ||
            mica_sched_credit_set(cli_hv(c), id, weight, cap)) {
            fprintf(stderr, "mica: sched-credit: %s\n", mica_errmsg(cli_hv(c)));
            return 1;
        }
        return 0;
    }
    n = dom_list(cli_hv(c), &all);
    if (n < 0)
        return 1;
    fmt_sched_header(stdout);
    for (i = 0; i < n && !rc; i++)
        rc = sched_show(c, all[i].domain);
    free(all);
    return rc;
}
