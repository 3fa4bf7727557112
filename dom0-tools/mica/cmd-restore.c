/* SPDX-License-Identifier: MIT */
/*
 * cmd-restore.c - `mica restore [-p] [-e] [-d] [<ConfigFile>] <CheckpointFile>`
 * as xl's: the file is read through once and checked whole (headers,
 * every record, its order) before anything is made, so a truncated or
 * corrupt file is refused with one line and no domain; then the config
 * (the one given, else the one stored) is parsed and the domain made as
 * `create` makes it, with libmica's restore in the builder's place, and
 * unpaused unless -p; its monitor follows it unless -e.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmica.h>
#include <sr-stream.h>

#include "cmds.h"
#include "domain.h"
#include "monitor.h"
#include "save-file.h"
#include "xlcfg.h"

int restore_fill(struct mica *hv, uint32_t domid, struct mica_build *b, void *arg)
{
    struct mica_restore r = { .store_domid = 0, .console_domid = 0 };
    int rc = mica_domain_restore(hv, domid, arg, &r);

    if (rc) {
        fprintf(stderr, "mica: %s\n", mica_errmsg(hv));
        return rc;
    }
    b->store_port = r.store_port;
    b->console_port = r.console_port;
    b->store_mfn = r.store_mfn;
    b->console_mfn = r.console_mfn;
    return 0;
}

int restore_parse_config(const char *source, const char *text, struct domcfg *d)
{
    struct xlcfg_err err;
    struct xlcfg cfg;
    int rc;

    fprintf(stderr, "Parsing config from %s\n", source);
    rc = xlcfg_parse(&cfg, source, text, strlen(text), &err);
    if (!rc) {
        rc = domcfg_from_xlcfg(d, &cfg, &err);
        xlcfg_free(&cfg);
    }
    if (rc)
        fprintf(stderr, "%s\n", err.msg);
    return rc ? 1 : 0;
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "re");
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n;

    if (!f)
        return NULL;
    n = getdelim(&buf, &cap, '\0', f);
    fclose(f);
    if (n < 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* Check the file whole; the stored config comes back in 's'. */
static int check_file(int fd, const char *file, struct sr_summary *s)
{
    struct sr_in in = { .read = stream_fd_read, .ctx = &fd };
    int rc = sr_stream_walk(&in, NULL, s);

    if (rc) {
        fprintf(stderr, "mica: %s: %s\n", file, in.why);
        return 1;
    }
    fprintf(stderr, "Loading new save file %s (new xl fmt info 0x%x/0x%x/%u)\n", file,
            s->xl.mandatory_flags, s->xl.optional_flags, s->xl.optional_data_len);
    fprintf(stderr, " Savefile contains xl domain config in xl.cfg format\n");
    return 0;
}

int cmd_restore(struct mica_ctx *c, int argc, char **argv)
{
    bool paused = false, monitor = true;
    struct sr_summary sum;
    const char *file, *cfgfile = NULL;
    struct domcfg d;
    char *text = NULL;
    uint32_t domid;
    int opt, fd, rc, mon;

    while ((opt = verb_getopt(argc, argv, "FcpedVA", 1)) != -1) {
        if (opt == 'p')
            paused = true;
        else if (opt == 'e')
            monitor = false;
    }
    if (argc - optind > 2) {
        verb_help(verb_lookup(argv[0]));
        return 2;
    }
    if (argc - optind == 2)
        cfgfile = argv[optind++];
    file = argv[optind];
    if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0) {
        fprintf(stderr, "mica: cannot open %s: %s\n", file, strerror(errno));
        return 1;
    }
    if ((rc = check_file(fd, file, &sum)))
        goto out;
    rc = 1;
    if (cfgfile && !(text = read_text(cfgfile)))
        fprintf(stderr, "Failed to read config file: %s: %s\n", cfgfile, strerror(errno));
    else if (!restore_parse_config(cfgfile ? cfgfile : "<saved>", cfgfile ? text : sum.xl.config, &d))
        rc = 0;
    if (rc)
        goto out;
    {
        struct sr_in in = { .read = stream_fd_read, .ctx = &fd };

        rc = lseek(fd, 0, SEEK_SET) < 0 ? -errno :
             dom_create_filled(cli_hv(c), cli_xs(c), &d, paused, restore_fill, &in, &domid);
    }
    /* Not into the monitor: it would keep a deleted file's memory for good. */
    close(fd);
    fd = -1;
    if (!rc && monitor && (mon = monitor_start(c, &d, domid)) < 0)
        fprintf(stderr, "mica: cannot start the monitor of domain %u: %s\n", domid,
                strerror(-mon));
    domcfg_free(&d);
    rc = rc ? 1 : 0;
out:
    sr_summary_free(&sum);
    free(text);
    if (fd >= 0)
        close(fd);
    return rc;
}
