/* SPDX-License-Identifier: MIT */
/*
 * cmd-vcpu.c - vCPUs and the credit scheduler: vcpu-list, vcpu-pin,
 * vcpu-set and sched-credit, in xl's formats (format.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmica.h>
#include <micaxs.h>

#include "cmds.h"
#include "domain.h"
#include "domcfg.h"
#include "domspec.h"
#include "format.h"

/* libxl's ERROR_FAIL, the rc xl reports for a refused vcpu-set */
#define LIBXL_ERROR_FAIL (-3)

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

struct avail_req {
    uint32_t id;
    unsigned int n, max;
};

/*
 * libxl__set_vcpuonline_xenstore: every cpu/I/availability of the domain
 * in one transaction, the first n "online" and the rest "offline".  The
 * guest watches cpu/ and unplugs or re-plugs its vCPUs itself; nothing is
 * asked of the hypervisor.
 */
static int availability_tx(struct mxs_handle *xs, uint32_t tx, void *arg)
{
    const struct avail_req *r = arg;
    char path[80];
    int rc = 0;

    for (unsigned int i = 0; i < r->max && !rc; i++) {
        const char *v = i < r->n ? "online" : "offline";

        snprintf(path, sizeof(path), "/local/domain/%u/cpu/%u/availability", r->id, i);
        rc = mxs_write(xs, tx, path, v, (unsigned int)strlen(v));
    }
    return rc;
}

/* xl's vcpuset() and libxl_set_vcpuonline(), with their refusals. */
static int vcpu_set(struct mica_ctx *c, uint32_t id, const char *arg, bool check_host)
{
    struct xen_domctl_getdomaininfo info;
    unsigned int n, host = host_cpus(c);
    struct avail_req r;
    int rc;

    if (domspec_vcpus(arg, &n)) {
        fprintf(stderr, "Error: Invalid argument.\n");
        return 1;
    }
    if (mica_domain_getinfo(cli_hv(c), id, &info)) {
        fprintf(stderr, "Domain %u does not exist.\n", id);
        return 1;
    }
    /* more vCPUs than there are CPUs, unless the guest already has them */
    if (check_host && n > info.nr_online_vcpus && n > host) {
        fprintf(stderr, "You are overcommmitting! You have %u physical CPUs and want %u vCPUs! "
                "Aborting, use --ignore-host to continue\n", host, n);
        return 1;
    }
    if (n == 0 || n > info.max_vcpu_id + 1) {
        if (n == 0)
            fprintf(stderr, "libxl: error: Domain %u:Requested 0 VCPUs!\n", id);
        else
            fprintf(stderr, "libxl: error: Domain %u:Requested %u VCPUs, however maxcpus is %u!\n",
                    id, n, info.max_vcpu_id + 1);
        fprintf(stderr, "libxl_set_vcpuonline failed domid=%u max_vcpus=%u, rc: %d\n", id, n,
                LIBXL_ERROR_FAIL);
        return 1;
    }
    r = (struct avail_req){ id, n, info.max_vcpu_id + 1 };
    rc = dom_xs_transaction(cli_xs(c), availability_tx, &r);
    if (rc) {
        fprintf(stderr, "libxl_set_vcpuonline failed domid=%u max_vcpus=%u, rc: %d (%s)\n", id,
                n, LIBXL_ERROR_FAIL, strerror(-rc));
        return 1;
    }
    return 0;
}

int cmd_vcpu_set(struct mica_ctx *c, int argc, char **argv)
{
    bool check_host = true;

    while (verb_getopt(argc, argv, "i", 2) != -1)
        check_host = false;
    return vcpu_set(c, cli_find_domain(c, argv[optind]), argv[optind + 1], check_host);
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
