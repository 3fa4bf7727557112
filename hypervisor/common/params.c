/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/params.c - the hypervisor's command-line options, their
 * defaults and their parsers.  The generic parsing is common/cmdline.c.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/cmdline.h>
#include <mica/params.h>

int opt_loglvl = LOG_INFO;
uint64_t opt_dom0_mem;               /* 0: the builder picks a default */
uint64_t opt_dom0_mem_max;
char opt_console[32] = "com1";
uint64_t opt_com1_baud = CONFIG_SERIAL_BAUD;
char opt_selftest[128];
uint64_t opt_debug_exit;
uint64_t opt_sched_slice_ms = 30;
uint64_t opt_dom0_max_vcpus;

static int parse_loglvl(const char *val, void *var)
{
    static const char *const names[] = { "err", "warn", "info", "debug" };

    if (!val)
        return -EINVAL;
    if (!strcmp(val, "all")) {
        *(int *)var = LOG_DEBUG;
        return 0;
    }
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcmp(val, names[i])) {
            *(int *)var = i;
            return 0;
        }
    }
    return -EINVAL;
}

/* dom0_mem=<size> or dom0_mem=<size>,max:<size> (a subset of Xen's form). */
static int parse_dom0_mem(const char *val, void *var)
{
    const char *p;
    uint64_t size, max = 0;

    if (!val || parse_size(val, &p, &size))
        return -EINVAL;
    if (*p == ',') {
        if (strncmp(p + 1, "max:", 4) || parse_size(p + 5, &p, &max))
            return -EINVAL;
    }
    if (*p || !size || (max && max < size))
        return -EINVAL;
    opt_dom0_mem = size;
    opt_dom0_mem_max = max;             /* 0: no limit, as in Xen */
    return 0;
}

static int parse_console(const char *val, void *var)
{
    if (!val || (strcmp(val, "com1") && strcmp(val, "com2") &&
                 strcmp(val, "none")))
        return -EINVAL;
    memcpy(opt_console, val, strlen(val) + 1);
    return 0;
}

/* com1=<baud>[,8n1]: only 8n1 framing is supported, so only it is accepted. */
static int parse_com1(const char *val, void *var)
{
    const char *p;
    uint64_t baud;

    if (!val || parse_uint(val, &p, &baud) || !baud || baud > 115200)
        return -EINVAL;
    if (*p && strcmp(p, ",8n1"))
        return -EINVAL;
    opt_com1_baud = baud;
    return 0;
}

static const struct param params[] = {
    { "loglvl",     PARAM_CUSTOM, &opt_loglvl, 0, parse_loglvl },
    { "dom0_mem",   PARAM_CUSTOM, NULL, 0, parse_dom0_mem },
    { "console",    PARAM_CUSTOM, NULL, 0, parse_console },
    { "com1",       PARAM_CUSTOM, NULL, 0, parse_com1 },
    { "selftest",   PARAM_STRING, opt_selftest, sizeof(opt_selftest), NULL },
    { "debug_exit", PARAM_UINT,   &opt_debug_exit, 0, NULL },
    { "sched_slice_ms", PARAM_UINT, &opt_sched_slice_ms, 0, NULL },
    { "dom0_max_vcpus", PARAM_UINT, &opt_dom0_max_vcpus, 0, NULL },
    /*
     * Debian's GRUB generator (20_linux_xen) writes "placeholder" first,
     * after a GRUB that ate the first word, and on EFI "no-real-mode
     * edd=off" for Xen's real-mode boot code, which Mica does not have.
     * Xen accepts and ignores these (and "edid"), and so do we.
     */
    { "placeholder", PARAM_IGNORE, NULL, 0, NULL },
    { "real-mode",  PARAM_IGNORE, NULL, 0, NULL },
    { "edd",        PARAM_IGNORE, NULL, 0, NULL },
    { "edid",       PARAM_IGNORE, NULL, 0, NULL },
};

static void report(const char *msg)
{
    printk(KERN_WARN "%s (ignored)\n", msg);
}

int params_parse(const char *cmdline)
{
    return cmdline_parse(cmdline, params, ARRAY_SIZE(params), report);
}

bool list_contains(const char *list, const char *name)
{
    size_t n = strlen(name);

    for (const char *p = list; *p; ) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);

        if (len == n && !strncmp(p, name, n))
            return true;
        if (!comma)
            break;
        p = comma + 1;
    }
    return false;
}
