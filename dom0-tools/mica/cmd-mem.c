/* SPDX-License-Identifier: MIT */
/*
 * cmd-mem.c - a domain's memory at run time, as libxl changes it:
 * mem-set moves the balloon target (memory/target, KiB), which the
 * guest's balloon driver watches and follows; mem-max moves the ceiling
 * (memory/static-max and the hypervisor's max_pages).  Neither waits for
 * the guest.  Silent on success, as xl is.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmica.h>
#include <micaxs.h>

#include "cmds.h"
#include "domain.h"
#include "domspec.h"

/* libxl's LIBXL_MAXMEM_CONSTANT: max_pages stays 1 MiB above the target. */
#define MAXMEM_SLACK_KB 1024
/* libxl's LIBXL_MIN_DOM0_MEM: dom0 is never ballooned below this. */
#define MIN_DOM0_KB (128 * 1024)

/* libxl's error lines come before xl's own, with the domain in front. */
#define LIBXL_ERR(id, fmt, ...) \
    fprintf(stderr, "libxl: error: Domain %u:" fmt "\n", (id), ##__VA_ARGS__)

/*
 * /local/domain/ID/memory/LEAF as a number of KiB: 0, -ENOENT when the
 * node is missing, -EINVAL when it is not all digits (libxl's check).
 */
static int read_kb(struct mxs_handle *xs, uint32_t tx, uint32_t id, const char *leaf,
                   uint64_t *kb)
{
    char path[64], *val = NULL, *end;
    unsigned int len;
    int rc;

    snprintf(path, sizeof(path), "/local/domain/%u/memory/%s", id, leaf);
    rc = mxs_read(xs, tx, path, &val, &len);
    if (rc)
        return rc;
    *kb = strtoull(val, &end, 10);
    rc = !*val || *end ? -EINVAL : 0;
    if (rc)
        LIBXL_ERR(id, "Invalid memory %s %s from /local/domain/%u/memory/%s", leaf, val, id,
                  leaf);
    free(val);
    return rc;
}

static int write_num(struct mxs_handle *xs, uint32_t tx, const char *path, uint64_t v)
{
    char val[24];

    snprintf(val, sizeof(val), "%llu", (unsigned long long)v);
    return mxs_write(xs, tx, path, val, (unsigned int)strlen(val));
}

/*
 * dom0 has no memory/ nodes until a toolstack first balloons it; libxl
 * then writes what the hypervisor says it has and may have.
 */
static int dom0_memory(struct mica_ctx *c, uint32_t tx, uint64_t *target, uint64_t *max)
{
    struct xen_domctl_getdomaininfo info;
    int rc;

    if (mica_domain_getinfo(cli_hv(c), 0, &info))
        return -EIO;
    *target = info.tot_pages * 4;
    *max = info.max_pages * 4;
    rc = write_num(cli_xs(c), tx, "/local/domain/0/memory/target", *target);
    if (!rc)
        rc = write_num(cli_xs(c), tx, "/local/domain/0/memory/static-max", *max);
    return rc;
}

struct mem_req {
    struct mica_ctx *c;
    uint32_t id;
    uint64_t kb;
};

/*
 * One try of libxl_set_memory_target (absolute, enforce) in transaction
 * tx: the new target is checked against static-max, max_pages is raised
 * or lowered first, then memory/target and /vm/UUID/memory (MiB) are
 * written.  -EINVAL for a refused target, other -errno for a failure.
 */
static int set_target_tx(struct mxs_handle *xs, uint32_t tx, void *arg)
{
    const struct mem_req *r = arg;
    uint64_t target, max, videoram = 0, want;
    char path[80], *vm = NULL;
    uint32_t id = r->id;
    unsigned int len;
    int rc;

    rc = read_kb(xs, tx, id, "target", &target);
    if (rc == -ENOENT && id == 0)
        rc = dom0_memory(r->c, tx, &target, &max);
    else if (!rc)
        rc = read_kb(xs, tx, id, "static-max", &max);
    if (rc) {
        if (rc == -ENOENT)
            LIBXL_ERR(id, "Cannot get memory info from /local/domain/%u/memory", id);
        return rc;
    }
    if (read_kb(xs, tx, id, "videoram", &videoram) || videoram > r->kb)
        videoram = 0;
    want = r->kb - videoram;
    if (want > max) {
        LIBXL_ERR(id, "memory_dynamic_max must be less than or equal to memory_static_max");
        return -EINVAL;
    }
    if (id == 0 && want < MIN_DOM0_KB) {
        LIBXL_ERR(id, "New target %llu for dom0 is below the minimum threshold",
                  (unsigned long long)want);
        return -EINVAL;
    }
    /* First the ceiling, so that a growing guest finds room at once. */
    if (mica_domain_setmaxmem(cli_hv(r->c), id, want + videoram + MAXMEM_SLACK_KB)) {
        LIBXL_ERR(id, "xc_domain_setmaxmem memkb=%llu failed: %s",
                  (unsigned long long)(want + videoram + MAXMEM_SLACK_KB),
                  mica_errmsg(cli_hv(r->c)));
        return -EIO;
    }
    snprintf(path, sizeof(path), "/local/domain/%u/memory/target", id);
    rc = write_num(xs, tx, path, want);
    snprintf(path, sizeof(path), "/local/domain/%u/vm", id);
    if (!rc && !mxs_read(xs, tx, path, &vm, &len) && vm[0] == '/') {
        char vmmem[128];

        snprintf(vmmem, sizeof(vmmem), "%.100s/memory", vm);
        rc = write_num(xs, tx, vmmem, want / 1024);
    }
    free(vm);
    return rc;
}

static int set_target(struct mica_ctx *c, uint32_t id, uint64_t kb)
{
    struct mem_req r = { c, id, kb };

    return dom_xs_transaction(cli_xs(c), set_target_tx, &r);
}

/*
 * libxl_domain_setmaxmem as of Xen 4.17: never below the target, the
 * hypervisor's limit 1 MiB above, and memory/static-max follows so that a
 * later mem-set may go up to it.  The guest is not told.
 */
static int set_max(struct mica_ctx *c, uint32_t id, uint64_t kb)
{
    char path[80];
    uint64_t target;
    int rc;

    rc = read_kb(cli_xs(c), 0, id, "target", &target);
    if (rc == -ENOENT && id == 0) {
        uint64_t max;

        rc = dom0_memory(c, 0, &target, &max);
    }
    if (rc) {
        if (rc == -ENOENT)
            LIBXL_ERR(id, "Cannot get memory info from /local/domain/%u/memory/target", id);
        return rc;
    }
    if (kb < target) {
        LIBXL_ERR(id, "memory_static_max must be greater than or or equal to "
                  "memory_dynamic_max");
        return -EINVAL;
    }
    if (mica_domain_setmaxmem(cli_hv(c), id, kb + MAXMEM_SLACK_KB)) {
        LIBXL_ERR(id, "xc_domain_setmaxmem domid=%u memkb=%llu failed: %s", id,
                  (unsigned long long)(kb + MAXMEM_SLACK_KB), mica_errmsg(cli_hv(c)));
        return -EIO;
    }
    snprintf(path, sizeof(path), "/local/domain/%u/memory/static-max", id);
    rc = write_num(cli_xs(c), 0, path, kb);
    if (rc)
        LIBXL_ERR(id, "Couldn't set /local/domain/%u/memory/static-max, rc=%d", id, rc);
    return rc;
}

/* Both verbs: DOMAIN SIZE, xl's messages, status 1 on any failure. */
static int mem_verb(struct mica_ctx *c, int argc, char **argv,
                    int (*set)(struct mica_ctx *, uint32_t, uint64_t), const char *what)
{
    const char *mem;
    uint64_t kb;
    uint32_t id;

    while (verb_getopt(argc, argv, "", 2) != -1)
        ;
    id = cli_find_domain(c, argv[optind]);
    mem = argv[optind + 1];
    if (domspec_mem_kb(mem, &kb)) {
        fprintf(stderr, "invalid memory size: %s\n", mem);
        return 1;
    }
    if (set(c, id, kb)) {
        fprintf(stderr, "cannot set domid %u %s max memory to : %s\n", id, what, mem);
        return 1;
    }
    return 0;
}

int cmd_mem_set(struct mica_ctx *c, int argc, char **argv)
{
    return mem_verb(c, argc, argv, set_target, "dynamic");
}

int cmd_mem_max(struct mica_ctx *c, int argc, char **argv)
{
    return mem_verb(c, argc, argv, set_max, "static");
}
