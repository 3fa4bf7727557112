/* SPDX-License-Identifier: MIT */
/*
 * cmd-create.c - `mica create [-c] [-n] [-p] [-e] [-F] cfg [key=value...]`:
 * parse the file with the overrides after it (as xl appends them), print
 * the JSON on a dry run, else create the domain (domain-create.c), fork
 * its monitor and, with -c, attach to its console.  Exit statuses as xl:
 * 1 for a bad config, 3 for a create that failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libmica.h>

#include "cmds.h"
#include "console-attach.h"
#include "domain.h"
#include "domcfg-json.h"
#include "monitor.h"

/* A config file is small; anything past 1 MiB is not one. */
#define CFG_MAX (1 << 20)

static char *read_file(const char *path, size_t *len)
{
    struct stat st;
    char *buf = NULL;
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC), err;

    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > CFG_MAX) {
        err = S_ISREG(st.st_mode) ? EFBIG : EINVAL;
        goto out;
    }
    buf = malloc((size_t)st.st_size + 1);
    if (!buf) {
        err = ENOMEM;
        goto out;
    }
    n = read(fd, buf, (size_t)st.st_size);
    if (n != st.st_size) {
        err = n < 0 ? errno : EIO;
        free(buf);
        buf = NULL;
        goto out;
    }
    *len = (size_t)n;
    close(fd);
    return buf;
out:
    close(fd);
    errno = err;
    return NULL;
}

/* The file and its overrides into 'd'; 0, 1 (bad config) or 3 (no file). */
static int load_config(const char *path, char **ov, int nov, bool quiet,
                       struct domcfg *d)
{
    struct xlcfg_err err;
    struct xlcfg cfg;
    size_t len, tlen;
    char *file, *text;
    int rc;

    if (!quiet)
        fprintf(stderr, "Parsing config from %s\n", path);
    file = read_file(path, &len);
    if (!file) {
        fprintf(stderr, "Failed to read config file: %s: %s\n", path, strerror(errno));
        return 3;
    }
    text = xlcfg_with_overrides(file, len, ov, nov, &tlen);
    free(file);
    if (!text) {
        fprintf(stderr, "mica: out of memory\n");
        return 3;
    }
    rc = xlcfg_parse(&cfg, path, text, tlen, &err);
    free(text);
    if (!rc) {
        rc = domcfg_from_xlcfg(d, &cfg, &err);
        xlcfg_free(&cfg);
    }
    if (rc) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    return 0;
}

static void dry_run(struct domcfg *d)
{
    if (!d->has_uuid && !dom_random_uuid(d->uuid))
        d->has_uuid = true;
    domcfg_json(stdout, d, 0);
}

int cmd_create(struct mica_ctx *c, int argc, char **argv)
{
    bool console = false, paused = false, dry = c->dryrun, monitor = true, quiet = false;
    bool foreground = false;
    pid_t mon;
    struct domcfg d;
    uint32_t domid;
    int opt, rc;

    while ((opt = verb_getopt(argc, argv, "cnpeFqdV", 1)) != -1) {
        switch (opt) {
        case 'c': console = true; break;
        case 'n': dry = true; break;
        case 'p': paused = true; break;
        case 'e': monitor = false; break;
        case 'F': foreground = true; break;
        case 'q': quiet = true; break;
        case 'V':
            fprintf(stderr, "mica: Mica domains have no VNC display\n");
            return 1;
        }
    }
    rc = load_config(argv[optind], argv + optind + 1, argc - optind - 1, quiet, &d);
    if (rc)
        return rc;
    if (dry) {
        dry_run(&d);
        domcfg_free(&d);
        return 0;
    }
    rc = dom_create(cli_hv(c), cli_xs(c), &d, paused, &domid);
    if (rc) {
        domcfg_free(&d);
        return 3;
    }
    mon = monitor ? monitor_start(c, &d, domid) : 0;
    if (mon < 0)
        fprintf(stderr, "mica: cannot start the monitor of domain %u: %s\n", domid,
                strerror(-mon));
    domcfg_free(&d);
    if (console && console_attach(domid))
        return 1;
    /* -F: stay until the monitor is done with the domain (its death) */
    if (foreground && mon > 0)
        waitpid(mon, NULL, 0);
    return 0;
}
