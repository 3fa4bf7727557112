/* SPDX-License-Identifier: MIT */
/*
 * save-config.c - the config a save file carries.  xl stores libxl's JSON
 * of the running domain; Mica keeps no such copy, so it stores xl.cfg
 * text: the file the user names, or one made from the domain as it is
 * now, with the keys a restore needs to rebuild it: name, the kernel it
 * was built from, memory from memory/target, maxmem from
 * memory/static-max, vcpus online and maxvcpus, and its disks and vifs
 * as their back ends describe them (target, vdev and access; mac and
 * bridge), so that the restored guest's front ends find back ends under
 * the same device ids and reconnect.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmica.h>
#include <micaxs.h>

#include "domain.h"
#include "save-file.h"
#include "vbd.h"
#include "vif.h"

#define CONFIG_MAX  (1 << 20)           /* as create's: a config is small */

static char *read_config(const char *path)
{
    FILE *f = fopen(path, "re");
    char *buf = NULL;
    size_t n = 0;

    if (!f)
        return NULL;
    if (!(buf = malloc(CONFIG_MAX + 1)) || (n = fread(buf, 1, CONFIG_MAX + 1, f)) > CONFIG_MAX ||
        ferror(f) || memchr(buf, 0, n)) {
        free(buf);
        buf = NULL;
    } else {
        buf[n] = 0;
    }
    fclose(f);
    return buf;
}

/* memory/<key> of the domain in MiB, or 0. */
static unsigned long memory_mb(struct mxs_handle *xs, uint32_t id, const char *key)
{
    char path[64], *val = NULL;
    unsigned int len;
    unsigned long kb = 0;

    snprintf(path, sizeof(path), "/local/domain/%u/memory/%s", id, key);
    if (!mxs_read(xs, 0, path, &val, &len))
        kb = strtoul(val, NULL, 10);
    free(val);
    return kb / 1024;
}

/* The kernel the domain was built from (/vm/<uuid>/image/kernel), malloc'd. */
static char *kernel_of(struct mxs_handle *xs, uint32_t id)
{
    char path[96], *vm = NULL, *kernel = NULL;
    unsigned int len;

    snprintf(path, sizeof(path), "/local/domain/%u/vm", id);
    if (mxs_read(xs, 0, path, &vm, &len))
        return NULL;
    snprintf(path, sizeof(path), "%.80s/image/kernel", vm);
    free(vm);
    return mxs_read(xs, 0, path, &kernel, &len) ? NULL : kernel;
}

/* Back-end key 'key' of device 'dev' under 'root'/id, malloc'd ("" if none). */
static char *be_read(struct mxs_handle *xs, const char *root, uint32_t id, const char *dev,
                     const char *key)
{
    char path[160], *val = NULL;
    unsigned int len;

    snprintf(path, sizeof(path), "%s/%u/%s/%s", root, id, dev, key);
    if (mxs_read(xs, 0, path, &val, &len))
        return strdup("");
    return val;
}

/* One xl.cfg spec of the device: a disk or a vif. */
static char *device_spec(struct mxs_handle *xs, const char *root, uint32_t id,
                         const char *dev)
{
    bool disk = !strcmp(root, VBD_BACKEND_ROOT);
    char *a = be_read(xs, root, id, dev, disk ? "dev" : "mac");
    char *b = be_read(xs, root, id, dev, disk ? "mode" : "bridge");
    char *t = disk ? be_read(xs, root, id, dev, "params") : NULL, *out = NULL;

    if (a && b && (!disk || t) &&
        (disk ? asprintf(&out, "'vdev=%s,access=%s,target=%s'", a, strcmp(b, "r") ? "rw" : "ro",
                         t)
              : asprintf(&out, "'mac=%s,bridge=%s'", a, b)) < 0)
        out = NULL;
    free(a);
    free(b);
    free(t);
    return out;
}

/*
 * "KEY = [ spec, ... ]\n" for the devices under 'root'/id, in device-id
 * order, appended to *cfg; 0 or -ENOMEM.  No devices: nothing.
 */
static int add_devices(struct mxs_handle *xs, uint32_t id, const char *root,
                       const char *key, char **cfg)
{
    char dir[64], **names = NULL, *line = NULL, *spec, *more;
    unsigned int n = 0, done = 0;
    int rc = 0;

    snprintf(dir, sizeof(dir), "%s/%u", root, id);
    if (mxs_directory(xs, 0, dir, &names, &n) || !n) {
        free(names);
        return 0;
    }
    if (asprintf(&line, "%s = [ ", key) < 0)
        line = NULL;
    /* device ids are small numbers; list them lowest first */
    for (unsigned long want = 0; line && done < n && want < 1u << 20; want++)
        for (unsigned int i = 0; i < n && line; i++) {
            if (strtoul(names[i], NULL, 10) != want)
                continue;
            spec = device_spec(xs, root, id, names[i]);
            if (!spec || asprintf(&more, "%s%s%s", line, done ? ", " : "", spec) < 0)
                more = NULL;
            free(spec);
            free(line);
            line = more;
            done++;
        }
    if (!line || asprintf(&more, "%s%s ]\n", *cfg, line) < 0)
        rc = -ENOMEM;
    else {
        free(*cfg);
        *cfg = more;
    }
    free(line);
    free(names);
    return rc;
}

char *save_config(struct mica_ctx *c, uint32_t id, const char *path)
{
    struct xen_domctl_getdomaininfo info;
    char *name, *kernel, *out = NULL;
    unsigned long mem, max;

    if (path)
        return read_config(path);
    if (mica_domain_getinfo(cli_hv(c), id, &info) || !(name = dom_name(cli_xs(c), id)))
        return NULL;
    mem = memory_mb(cli_xs(c), id, "target");
    max = memory_mb(cli_xs(c), id, "static-max");
    if (!mem)
        mem = info.tot_pages / 256;
    if (max < mem)
        max = mem;
    /* The kernel is not loaded again; the config must name one all the same. */
    kernel = kernel_of(cli_xs(c), id);
    if (asprintf(&out, "name = \"%s\"\nkernel = \"%s\"\nmemory = %lu\nmaxmem = %lu\n"
                 "vcpus = %u\nmaxvcpus = %u\n", name, kernel ? kernel : "/boot/vmlinuz",
                 mem, max, info.nr_online_vcpus, info.max_vcpu_id + 1) < 0)
        out = NULL;
    if (out && (add_devices(cli_xs(c), id, VBD_BACKEND_ROOT, "disk", &out) ||
                add_devices(cli_xs(c), id, VIF_BACKEND_ROOT, "vif", &out))) {
        free(out);
        out = NULL;
    }
    free(kernel);
    free(name);
    return out;
}
