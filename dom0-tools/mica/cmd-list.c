/* SPDX-License-Identifier: MIT */
/*
 * cmd-list.c - `mica list [-l] [-v] [Domain...]`: xl's table (format.c)
 * from getdomaininfo and the names in xenstore, or with -l the JSON xl
 * prints, built from what the running domain shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmica.h>
#include <micaxs.h>

#include "cmds.h"
#include "domain.h"
#include "format.h"
#include "uuid.h"

static void row(struct mica_ctx *c, const struct xen_domctl_getdomaininfo *i, bool verbose)
{
    struct dom_row r = {
        .domid = i->domain,
        .mem_kb = (i->tot_pages + i->outstanding_pages) * 4,
        .vcpus = i->nr_online_vcpus,
        .flags = i->flags,
        .cpu_ns = i->cpu_time,
    };
    char *name = dom_name(cli_xs(c), i->domain);

    memcpy(r.handle, i->handle, 16);
    r.name = name;
    fmt_list_row(stdout, &r, verbose);
    free(name);
}

/* The parts of libxl's domain_config a running domain can tell. */
static void json(struct mica_ctx *c, const struct xen_domctl_getdomaininfo *i, bool last)
{
    char *name = dom_name(cli_xs(c), i->domain), path[64], *target = NULL, u[UUID_STR_LEN];
    unsigned int len;

    snprintf(path, sizeof(path), "/local/domain/%u/memory/target", i->domain);
    if (mxs_read(cli_xs(c), 0, path, &target, &len))
        target = NULL;
    uuid_format(i->handle, u);
    printf("    {\n        \"domid\": %u,\n        \"config\": {\n", i->domain);
    printf("            \"c_info\": {\n                \"type\": \"pv\",\n");
    printf("                \"name\": \"%s\",\n", name ? name : "(null)");
    printf("                \"uuid\": \"%s\"\n            },\n", u);
    printf("            \"b_info\": {\n                \"max_vcpus\": %u,\n", i->max_vcpu_id + 1);
    printf("                \"max_memkb\": %llu,\n", (unsigned long long)i->max_pages * 4);
    printf("                \"target_memkb\": %s\n            }\n", target ? target : "0");
    printf("        }\n    }%s\n", last ? "" : ",");
    free(name);
    free(target);
}

int cmd_list(struct mica_ctx *c, int argc, char **argv)
{
    struct xen_domctl_getdomaininfo *all, one;
    bool verbose = false, details = false;
    int opt, n, i;

    while ((opt = verb_getopt(argc, argv, "lv", 0)) != -1) {
        if (opt == 'l')
            details = true;
        else
            verbose = true;
    }
    cli_hv(c);                      /* fail before printing a header */
    if (!details)
        fmt_list_header(stdout, verbose);
    else
        printf("[\n");
    if (optind < argc) {
        for (i = optind; i < argc; i++) {
            uint32_t id = cli_find_domain(c, argv[i]);

            if (mica_domain_getinfo(cli_hv(c), id, &one))
                continue;           /* it died meanwhile */
            if (details)
                json(c, &one, i + 1 == argc);
            else
                row(c, &one, verbose);
        }
    } else {
        n = dom_list(cli_hv(c), &all);
        if (n < 0) {
            fprintf(stderr, "mica: cannot list domains: %s\n", mica_errmsg(cli_hv(c)));
            return 1;
        }
        for (i = 0; i < n; i++) {
            if (details)
                json(c, &all[i], i + 1 == n);
            else
                row(c, &all[i], verbose);
        }
        free(all);
    }
    if (details)
        printf("]\n");
    return 0;
}
