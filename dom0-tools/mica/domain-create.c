/* SPDX-License-Identifier: MIT */
/*
 * domain-create.c - `mica create`'s work once the config is valid, in
 * libxl's order: domctl create with the UUID as handle, max_vcpus,
 * max_mem (+1 MiB slack, LIBXL_MAXMEM_CONSTANT), the builder, affinity
 * and credit, the xenstore layout in one transaction, XS_INTRODUCE,
 * unpause.  Any failure destroys the domain and its nodes: a failed create
 * leaves nothing but a used-up domid, as on Xen.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmica.h>
#include <micaxs.h>

#include "domain.h"
#include "uuid.h"
#include "vbd.h"
#include "vif.h"
#include "xs-layout.h"

#define MAXMEM_SLACK_KB 1024
/* Page tables, p2m, start_info and the magic pages beyond 'memory'. */
#define BUILD_OVERHEAD_KB 4096

int dom_random_uuid(uint8_t u[16])
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC), rc = -EIO;

    if (fd >= 0) {
        if (read(fd, u, 16) == 16)
            rc = 0;
        close(fd);
    }
    if (!rc)
        uuid_make_v4(u);
    return rc;
}

static int xs_perms(const struct xs_node *n, struct mxs_perm *p)
{
    for (unsigned int i = 0; i < n->nperms; i++) {
        p[i].id = n->perms[i].id;
        p[i].perm = n->perms[i].perm == 'r' ? MXS_PERM_READ :
                    n->perms[i].perm == 'w' ? MXS_PERM_WRITE :
                    n->perms[i].perm == 'b' ? MXS_PERM_BOTH : MXS_PERM_NONE;
    }
    return (int)n->nperms;
}

struct plan_write {
    const struct xs_plan *p;
    const long *parent;             /* xs_plan_parents() */
    unsigned char *created;         /* node i did not exist before this transaction */
};

/*
 * Each node written, and its permissions set unless it inherits them from
 * a parent this transaction created (xs_node_needs_perms): for a domain's
 * layout that is an XS_SET_PERMS for each root of the plan and each node
 * whose permissions differ from its parent's, not one per node.  Whether
 * a root is new is read first; everything below a new node is new.
 */
static int write_plan_tx(struct mxs_handle *xs, uint32_t tx, void *arg)
{
    const struct plan_write *w = arg;
    const struct xs_plan *p = w->p;
    struct mxs_perm perms[2];
    int rc = 0;

    for (size_t i = 0; i < p->n && !rc; i++) {
        const struct xs_node *n = &p->nodes[i];
        long up = w->parent[i];
        char *old = NULL;
        unsigned int len;

        if (up < 0) {
            rc = mxs_read(xs, tx, n->path, &old, &len);
            free(old);
            w->created[i] = rc == -ENOENT;
            if (rc && rc != -ENOENT)
                break;
        } else {
            w->created[i] = w->created[up];
        }
        rc = mxs_write(xs, tx, n->path, n->value, (unsigned int)strlen(n->value));
        if (!rc && xs_node_needs_perms(p, w->parent, i, up >= 0 && w->created[up]))
            rc = mxs_set_perms(xs, tx, n->path, perms, (unsigned int)xs_perms(n, perms));
    }
    return rc;
}

/* The whole plan in one transaction, retried when somebody raced us. */
int xs_write_plan(struct mxs_handle *xs, const struct xs_plan *p)
{
    long *parent = calloc(p->n + 1, sizeof(*parent));
    unsigned char *created = calloc(p->n + 1, 1);
    struct plan_write w = { p, parent, created };
    int rc = -ENOMEM;

    if (parent && created) {
        xs_plan_parents(p, parent);
        rc = dom_xs_transaction(xs, write_plan_tx, &w);
    }
    free(parent);
    free(created);
    return rc;
}

static int xs_layout(struct mxs_handle *xs, uint32_t domid, const struct domcfg *d,
                     const uint8_t uuid[16], const struct mica_build *b)
{
    char u[UUID_STR_LEN], start[32];
    struct timespec now;
    struct xs_plan plan;
    int rc;

    uuid_format(uuid, u);
    clock_gettime(CLOCK_REALTIME, &now);
    snprintf(start, sizeof(start), "%lld.%02ld", (long long)now.tv_sec, now.tv_nsec / 10000000);
    const struct xs_layout_args a = {
        .domid = domid, .name = d->name, .uuid = u, .kernel = d->kernel,
        .target_kb = d->memory_mb * 1024, .max_kb = d->maxmem_mb * 1024,
        .vcpus = d->vcpus, .maxvcpus = d->maxvcpus,
        .store_port = b->store_port, .console_port = b->console_port,
        .store_mfn = b->store_mfn, .console_mfn = b->console_mfn,
        .console_backend = 0, .start_time = start,
    };
    rc = xs_layout_plan(&plan, &a);
    if (rc)
        return rc;
    for (unsigned int i = 0; i < d->ndisks && !rc; i++)
        rc = vbd_layout_add(&plan, domid, &d->disks[i]);
    for (unsigned int i = 0; i < d->nvifs && !rc; i++)
        rc = vif_plan(&plan, domid, vif_devid(&d->vifs[i], i), &d->vifs[i]);
    if (!rc)
        rc = xs_write_plan(xs, &plan);
    xs_plan_free(&plan);
    return rc;
}

static int set_sched(struct mica *hv, uint32_t domid, const struct domcfg *d)
{
    unsigned int v;
    int rc = 0;

    for (v = 0; v < d->maxvcpus && d->ncpus && !rc; v++) {
        const struct cpumap *m = &d->cpus[d->ncpus == 1 ? 0 : v % d->ncpus];

        if (d->ncpus > 1 && v >= d->ncpus)
            break;                  /* xl: vCPUs past the list stay unpinned */
        rc = mica_vcpu_setaffinity(hv, domid, v, m->bits, DOMCFG_MAX_CPUS);
    }
    if (!rc && (d->weight != 256 || d->cap))
        rc = mica_sched_credit_set(hv, domid, (uint16_t)d->weight, (uint16_t)d->cap);
    return rc;
}

/* Every disk servable, before anything exists. */
static int check_disks(const struct domcfg *d)
{
    char why[160];
    int rc;

    for (unsigned int i = 0; i < d->ndisks; i++) {
        if ((rc = vbd_check_spec(&d->disks[i], why, sizeof(why)))) {
            fprintf(stderr, "mica: %s\n", why);
            return rc;
        }
        if ((rc = vbd_check_target(&d->disks[i])))
            return rc;
    }
    return 0;
}

/* A back end per disk, each offering its disk before the guest runs. */
static int start_disks(struct mxs_handle *xs, uint32_t domid, const struct domcfg *d)
{
    int rc = 0;

    for (unsigned int i = 0; i < d->ndisks && !rc; i++)
        rc = vbd_start(xs, domid, &d->disks[i]);
    return rc;
}

/* A back end per vif, each with its TAP on its bridge before the guest runs. */
static int start_vifs(struct mxs_handle *xs, uint32_t domid, const struct domcfg *d)
{
    int rc = 0;

    for (unsigned int i = 0; i < d->nvifs && !rc; i++)
        rc = vif_start(xs, domid, vif_devid(&d->vifs[i], i));
    return rc;
}

static int enough_memory(struct mica *hv, const struct domcfg *d)
{
    struct xen_sysctl_physinfo pi;
    uint64_t need = d->memory_mb * 1024 + BUILD_OVERHEAD_KB, free_kb;

    if (mica_physinfo(hv, &pi))
        return 0;                   /* the create itself will tell */
    free_kb = pi.free_pages * 4;
    if (need <= free_kb)
        return 0;
    fprintf(stderr, "mica: cannot create domain \"%s\": it needs %llu MiB, "
            "%llu MiB is free\n", d->name, (unsigned long long)(need + 1023) / 1024,
            (unsigned long long)free_kb / 1024);
    return -ENOMEM;
}

int dom_create(struct mica *hv, struct mxs_handle *xs, const struct domcfg *d,
               bool paused, uint32_t *domid)
{
    return dom_create_filled(hv, xs, d, paused, NULL, NULL, domid);
}

int dom_create_filled(struct mica *hv, struct mxs_handle *xs, const struct domcfg *d,
                      bool paused, dom_fill_fn *fill, void *arg, uint32_t *domid)
{
    struct mica_create_args ca = { .max_vcpus = d->maxvcpus };
    struct mica_build b = {
        .kernel = d->kernel, .ramdisk = d->ramdisk, .cmdline = d->cmdline,
        .mem_kb = d->memory_mb * 1024, .vcpus = d->vcpus,
    };
    const char *step;
    uint32_t other;
    int rc;

    if (!dom_find_name(hv, xs, d->name, &other)) {
        fprintf(stderr, "mica: Domain with name \"%s\" already exists.\n", d->name);
        return -EEXIST;
    }
    if ((rc = enough_memory(hv, d)) || (rc = check_disks(d)))
        return rc;
    if (d->has_uuid)
        memcpy(ca.handle, d->uuid, 16);
    else if ((rc = dom_random_uuid(ca.handle))) {
        fprintf(stderr, "mica: cannot read /dev/urandom for a UUID\n");
        return rc;
    }
    rc = mica_domain_create(hv, &ca, domid);
    if (rc) {
        fprintf(stderr, "mica: cannot make domain \"%s\": %s\n", d->name, mica_errmsg(hv));
        return rc;
    }
    step = "max_vcpus";
    rc = mica_domain_max_vcpus(hv, *domid, d->maxvcpus);
    if (!rc && (step = "max_mem"))
        rc = mica_domain_setmaxmem(hv, *domid, d->maxmem_mb * 1024 + MAXMEM_SLACK_KB);
    /* libxl's memory map for PV: RAM up to maxmem, for the balloon to grow into */
    if (!rc && (step = "memory map"))
        rc = mica_domain_set_memmap_limit(hv, *domid, d->maxmem_mb * 1024);
    if (!rc && (step = fill ? "restore" : "build"))
        rc = fill ? fill(hv, *domid, &b, arg) : mica_build_pv(hv, *domid, &b);
    if (!rc && (step = "affinity and credit"))
        rc = set_sched(hv, *domid, d);
    if (rc)
        goto fail_hv;
    step = "xenstore";
    rc = xs_layout(xs, *domid, d, ca.handle, &b);
    if (!rc && (step = "introduce"))
        rc = mxs_introduce(xs, *domid, b.store_mfn, b.store_port);
    if (rc) {
        fprintf(stderr, "mica: domain %u: %s: %s\n", *domid, step, strerror(-rc));
        goto fail;
    }
    if ((rc = start_disks(xs, *domid, d)) || (rc = start_vifs(xs, *domid, d)))
        goto fail;
    if (!paused && (rc = mica_domain_unpause(hv, *domid))) {
        step = "unpause";
        goto fail_hv;
    }
    return 0;
fail_hv:
    fprintf(stderr, "mica: domain %u: %s failed: %s\n", *domid, step, mica_errmsg(hv));
fail:
    dom_destroy(hv, xs, *domid);
    if (d->ndisks) {
        char be[64];

        /* back ends that started see the domain go and exit on their own */
        snprintf(be, sizeof(be), VBD_BACKEND_ROOT "/%u", *domid);
        mxs_rm(xs, 0, be);
    }
    if (d->nvifs) {
        char be[64];

        snprintf(be, sizeof(be), VIF_BACKEND_ROOT "/%u", *domid);
        mxs_rm(xs, 0, be);
    }
    return rc;
}
