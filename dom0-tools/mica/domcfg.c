/* SPDX-License-Identifier: MIT */
/*
 * domcfg.c - the meaning of the xl.cfg keys Mica acts on: types, ranges,
 * defaults and the combinations xl applies (cmdline from root and extra,
 * maxmem from memory, maxvcpus from vcpus).  Keys Mica does not know are
 * ignored without a word, as xl ignores them (xl-reference §8.1).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domcfg.h"
#include "uuid.h"

struct ctx {
    const struct xlcfg *cfg;
    struct xlcfg_err *err;
};

#define fail(c, line, ...) \
    (xlcfg_errf((c)->err, (c)->cfg->source, (line), __VA_ARGS__), -EINVAL)

/*
 * A single value: xl keeps numbers as text too, so a string "512" and a
 * number 512 are the same atom.  NULL (and 0) when the key is unset.
 */
static int get_atom(struct ctx *c, const char *key, const char **out, int *line)
{
    const struct xlcfg_setting *s = xlcfg_get(c->cfg, key);

    *out = NULL;
    if (!s)
        return 0;
    *line = s->line;
    if (s->val->type == XLCFG_LIST)
        return fail(c, s->line, "parameter `%s' is a list but should be a single value", key);
    *out = s->val->str;
    return 0;
}

static int get_string(struct ctx *c, const char *key, char **out)
{
    const char *v;
    int line, rc = get_atom(c, key, &v, &line);

    if (rc || !v)
        return rc;
    free(*out);
    *out = strdup(v);
    return *out ? 0 : -ENOMEM;
}

/* strtoull with base 0 (decimal, 0 octal, 0x hex), all of it, in [min, max]. */
static int get_number(struct ctx *c, const char *key, uint64_t *out,
                      uint64_t min, uint64_t max)
{
    unsigned long long v;
    const char *s;
    char *end;
    int line, rc = get_atom(c, key, &s, &line);

    if (rc || !s)
        return rc;
    errno = 0;
    v = strtoull(s, &end, 0);
    if (!*s || *end || errno || *s == '-' || *s == ' ')
        return fail(c, line, "parameter `%s' is not a valid number", key);
    if (v < min || v > max)
        return fail(c, line, "parameter `%s' is %llu: it must be from %llu to %llu",
                    key, v, (unsigned long long)min, (unsigned long long)max);
    *out = v;
    return 0;
}

static int get_uint(struct ctx *c, const char *key, unsigned int *out,
                    unsigned int min, unsigned int max)
{
    uint64_t v = *out;
    int rc = get_number(c, key, &v, min, max);

    *out = (unsigned int)v;
    return rc;
}

static const char *const action_names[] = {
    [ACT_DESTROY] = "destroy", [ACT_RESTART] = "restart",
    [ACT_RENAME_RESTART] = "rename-restart", [ACT_PRESERVE] = "preserve",
};

const char *domcfg_action_name(enum domcfg_action a)
{
    return action_names[a];
}

/* xl's actions; the core-dump and soft-reset ones need what Mica lacks. */
static int get_action(struct ctx *c, const char *key, enum domcfg_action *out)
{
    const char *v;
    int line, rc = get_atom(c, key, &v, &line);
    unsigned int i;

    if (rc || !v)
        return rc;
    for (i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++)
        if (!strcmp(v, action_names[i])) {
            *out = (enum domcfg_action)i;
            return 0;
        }
    if (!strcmp(v, "coredump-destroy") || !strcmp(v, "coredump-restart") ||
        !strcmp(v, "soft-reset"))
        return fail(c, line, "%s \"%s\" is not supported by Mica: "
                    "destroy, restart, rename-restart or preserve", key, v);
    return fail(c, line, "Unknown %s \"%s\" specified", key, v);
}

static int check_name(struct ctx *c, const char *name, int line)
{
    const char *p;

    if (!*name)
        return fail(c, line, "domain name must not be empty");
    if (strlen(name) > DOMCFG_NAME_MAX)
        return fail(c, line, "domain name is longer than %d characters", DOMCFG_NAME_MAX);
    if (strspn(name, "0123456789") == strlen(name))
        return fail(c, line, "domain name \"%s\" is a number, which names a domain id", name);
    /* it becomes a xenstore value and a log file's name */
    for (p = name; *p; p++)
        if (*p == '/' || (unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e)
            return fail(c, line, "domain name \"%s\" may not contain '/', spaces or "
                        "control characters", name);
    return 0;
}

static int get_type(struct ctx *c)
{
    const char *v, *b;
    int line, bline, rc;

    rc = get_atom(c, "type", &v, &line);
    if (!rc)
        rc = get_atom(c, "builder", &b, &bline);
    if (rc)
        return rc;
    if (v && strcmp(v, "pv"))
        return fail(c, line, "type \"%s\" is not supported by Mica: only \"pv\"", v);
    /* the deprecated spelling: builder="generic" is PV, "hvm" is HVM */
    if (!v && b && strcmp(b, "generic"))
        return fail(c, bline, "builder \"%s\" is not supported by Mica: only \"generic\" (pv)", b);
    return 0;
}

/* cpus="0-3,^1" (every vCPU) or cpus=["0", "2-3"] (vCPU by vCPU). */
static int get_cpus(struct ctx *c, struct domcfg *d)
{
    const struct xlcfg_setting *s = xlcfg_get(c->cfg, "cpus");
    const struct xlcfg_value *v;
    const char *why;
    unsigned int i, n;

    if (!s)
        return 0;
    v = s->val;
    n = v->type == XLCFG_LIST ? (unsigned int)v->n : 1;
    if (v->type == XLCFG_LIST && (v->n == 0 || v->n > DOMCFG_MAX_VCPUS))
        return fail(c, s->line, "cpus: a list needs 1 to %d entries", DOMCFG_MAX_VCPUS);
    d->cpus = calloc(n, sizeof(*d->cpus));
    if (!d->cpus)
        return -ENOMEM;
    d->ncpus = n;
    for (i = 0; i < n; i++) {
        const struct xlcfg_value *e = v->type == XLCFG_LIST ? v->items[i] : v;

        if (e->type == XLCFG_LIST)
            return fail(c, e->line, "cpus: entry %u is a list but should be a string", i);
        if (cpumap_parse(&d->cpus[i], e->str, &why))
            return fail(c, e->line, "cpus: \"%s\": %s", e->str, why);
    }
    return 0;
}

/* xl: cmdline wins; otherwise "root=ROOT EXTRA" from whichever is given. */
static int get_cmdline(struct ctx *c, struct domcfg *d)
{
    char *root = NULL, *extra = NULL;
    int rc;

    rc = get_string(c, "cmdline", &d->cmdline);
    if (!rc)
        rc = get_string(c, "root", &root);
    if (!rc)
        rc = get_string(c, "extra", &extra);
    if (!rc && !d->cmdline && (root || extra) &&
        asprintf(&d->cmdline, "%s%s%s%s", root ? "root=" : "", root ? root : "",
                 root && extra ? " " : "", extra ? extra : "") < 0) {
        d->cmdline = NULL;
        rc = -ENOMEM;
    }
    free(root);
    free(extra);
    return rc;
}

/* disk=[...] and vif=[...]: lists of spec strings. */
static int get_devices(struct ctx *c, const char *key, void **arr,
                       unsigned int *n, size_t size)
{
    const struct xlcfg_setting *s = xlcfg_get(c->cfg, key);
    char why[200];
    unsigned int i;
    int rc;

    if (!s)
        return 0;
    if (s->val->type != XLCFG_LIST)
        return fail(c, s->line, "parameter `%s' is a single value but should be a list", key);
    if (s->val->n > 64)
        return fail(c, s->line, "%s: more than 64 devices", key);
    *arr = calloc(s->val->n ? s->val->n : 1, size);
    if (!*arr)
        return -ENOMEM;
    for (i = 0; i < s->val->n; i++) {
        const struct xlcfg_value *e = s->val->items[i];

        if (e->type == XLCFG_LIST)
            return fail(c, e->line, "%s: entry %u is a list but should be a string", key, i);
        if (key[0] == 'd')
            rc = disk_spec_parse((struct disk_spec *)*arr + i, e->str, why, sizeof(why));
        else
            rc = vif_spec_parse((struct vif_spec *)*arr + i, e->str, why, sizeof(why));
        (*n)++;
        if (rc == -ENOMEM)
            return rc;
        if (rc)
            return fail(c, e->line, "invalid %s spec \"%s\": %s", key, e->str, why);
    }
    return 0;
}

static int get_memory(struct ctx *c, struct domcfg *d)
{
    const struct xlcfg_setting *mm = xlcfg_get(c->cfg, "maxmem");
    int rc;

    rc = get_number(c, "memory", &d->memory_mb, 1, 1ull << 22);
    if (!rc)
        d->maxmem_mb = d->memory_mb;
    if (!rc)
        rc = get_number(c, "maxmem", &d->maxmem_mb, 1, 1ull << 22);
    if (!rc && d->maxmem_mb < d->memory_mb)
        rc = fail(c, mm->line, "maxmem (%llu) must not be less than memory (%llu)",
                  (unsigned long long)d->maxmem_mb, (unsigned long long)d->memory_mb);
    return rc;
}

static int get_vcpus(struct ctx *c, struct domcfg *d)
{
    const struct xlcfg_setting *mv = xlcfg_get(c->cfg, "maxvcpus");
    int rc;

    rc = get_uint(c, "vcpus", &d->vcpus, 1, DOMCFG_MAX_VCPUS);
    if (!rc)
        d->maxvcpus = d->vcpus;
    if (!rc)
        rc = get_uint(c, "maxvcpus", &d->maxvcpus, 1, DOMCFG_MAX_VCPUS);
    if (!rc && d->maxvcpus < d->vcpus)
        rc = fail(c, mv->line, "maxvcpus (%u) must not be less than vcpus (%u)",
                  d->maxvcpus, d->vcpus);
    if (!rc && d->ncpus > 1 && d->ncpus > d->maxvcpus)
        rc = fail(c, xlcfg_get(c->cfg, "cpus")->line,
                  "cpus: %u entries for %u vCPUs", d->ncpus, d->maxvcpus);
    return rc;
}

static int get_identity(struct ctx *c, struct domcfg *d)
{
    const char *u;
    int line = c->cfg->lines, rc;

    rc = get_string(c, "name", &d->name);
    if (!rc && !d->name)
        return fail(c, c->cfg->lines, "Domain name must be specified.");
    if (!rc) {
        line = xlcfg_get(c->cfg, "name")->line;
        rc = check_name(c, d->name, line);
    }
    if (!rc)
        rc = get_atom(c, "uuid", &u, &line);
    if (!rc && u) {
        if (uuid_parse(u, d->uuid))
            return fail(c, line, "Failed to parse UUID: %s", u);
        d->has_uuid = true;
    }
    return rc;
}

static int get_kernel(struct ctx *c, struct domcfg *d)
{
    const char *b;
    int line, rc;

    rc = get_atom(c, "bootloader", &b, &line);
    if (!rc && b)
        return fail(c, line, "bootloader \"%s\" is not supported by Mica: give kernel=", b);
    if (!rc)
        rc = get_string(c, "kernel", &d->kernel);
    if (!rc && !d->kernel)
        return fail(c, c->cfg->lines, "no kernel specified (kernel=\"PATH\")");
    if (!rc && !d->kernel[0])
        return fail(c, xlcfg_get(c->cfg, "kernel")->line, "kernel must not be empty");
    if (!rc)
        rc = get_string(c, "ramdisk", &d->ramdisk);
    return rc;
}

int domcfg_from_xlcfg(struct domcfg *d, const struct xlcfg *cfg,
                      struct xlcfg_err *err)
{
    struct ctx c = { cfg, err };
    int rc;

    *d = (struct domcfg){
        .memory_mb = 32, .maxmem_mb = 32,     /* libxl's default */ .vcpus = 1, .maxvcpus = 1,
        .weight = 256, .cap = 0,
        .on_poweroff = ACT_DESTROY, .on_reboot = ACT_RESTART,
        .on_crash = ACT_DESTROY, .on_watchdog = ACT_DESTROY,
    };
    err->msg[0] = 0;
    rc = get_type(&c);
    if (!rc)
        rc = get_identity(&c, d);
    if (!rc)
        rc = get_kernel(&c, d);
    if (!rc)
        rc = get_cmdline(&c, d);
    if (!rc)
        rc = get_memory(&c, d);
    if (!rc)
        rc = get_cpus(&c, d);
    if (!rc)
        rc = get_vcpus(&c, d);
    if (!rc)
        rc = get_uint(&c, "cpu_weight", &d->weight, 1, 65535);
    if (!rc)
        rc = get_uint(&c, "cap", &d->cap, 0, 65535);
    if (!rc)
        rc = get_action(&c, "on_poweroff", &d->on_poweroff);
    if (!rc)
        rc = get_action(&c, "on_reboot", &d->on_reboot);
    if (!rc)
        rc = get_action(&c, "on_crash", &d->on_crash);
    if (!rc)
        rc = get_action(&c, "on_watchdog", &d->on_watchdog);
    if (!rc)
        rc = get_devices(&c, "disk", (void **)&d->disks, &d->ndisks, sizeof(*d->disks));
    if (!rc)
        rc = get_devices(&c, "vif", (void **)&d->vifs, &d->nvifs, sizeof(*d->vifs));
    if (rc == -ENOMEM && !err->msg[0])
        xlcfg_errf(err, cfg->source, cfg->lines, "out of memory");
    if (rc)
        domcfg_free(d);
    return rc;
}

void domcfg_free(struct domcfg *d)
{
    unsigned int i;

    for (i = 0; i < d->ndisks; i++)
        disk_spec_free(&d->disks[i]);
    for (i = 0; i < d->nvifs; i++)
        vif_spec_free(&d->vifs[i]);
    free(d->disks);
    free(d->vifs);
    free(d->name);
    free(d->kernel);
    free(d->ramdisk);
    free(d->cmdline);
    free(d->cpus);
    memset(d, 0, sizeof(*d));
}
