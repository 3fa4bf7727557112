/* SPDX-License-Identifier: MIT */
/*
 * cmd-migrate.c - `mica migrate [options] <Domain> <host>` as xl's: the
 * receiver is `mica migrate-receive` run over ssh (or, with --tcp PORT,
 * one already listening on host:PORT), the domain is sent live (libmica's
 * pre-copy rounds, then the last round with it suspended), and xl's
 * handshake (migrate.h) decides which copy lives on.  Until the target
 * has the whole domain the source is resumed on any failure; once it is
 * renamed NAME--migratedaway and the target told to start, it is only
 * resumed if the target says its start failed.
 *
 * At the end it prints the rounds (pages sent in each), the total time
 * from the first page to the target's report, and the downtime: from the
 * suspend request to the target's report that its copy runs.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmica.h>
#include <sr-stream.h>

#include "cmds.h"
#include "domain.h"
#include "migrate.h"
#include "save-file.h"

#define OPT_DEBUG   0x100
#define OPT_LIVE    0x101
#define OPT_TCP     0x102

struct sender {
    struct mica_ctx *c;
    uint32_t id;
    struct mig_chan ch;
    double t_start, t_suspend;
};

static int suspend_cb(void *ctx)
{
    struct sender *s = ctx;

    s->t_suspend = mig_now_ms();
    return save_suspend(s->c, s->id) ? -ETIMEDOUT : 0;
}

static void round_cb(void *ctx, unsigned int round, uint64_t pages, uint64_t dirty)
{
    struct sender *s = ctx;

    fprintf(stderr, "migration sender: round %u: %llu pages sent (%llu dirty), %.0f ms\n",
            round, (unsigned long long)pages, (unsigned long long)dirty,
            mig_now_ms() - s->t_start);
}

static void report(const struct sender *s, const struct mica_save_stats *st, double t_end)
{
    fprintf(stderr, "migration sender: %u rounds, pages sent per round:", st->rounds);
    for (unsigned int r = 0; r < st->rounds && r <= MICA_SAVE_MAX_ROUNDS; r++)
        fprintf(stderr, " %llu", (unsigned long long)st->round_pages[r]);
    fprintf(stderr, "; %llu pages, %llu bytes\n", (unsigned long long)st->pages,
            (unsigned long long)st->bytes);
    fprintf(stderr, "migration: total time %.0f ms, downtime %.0f ms\n", t_end - s->t_start,
            t_end - s->t_suspend);
}

/* Undo a migration the target did not take: resume the guest if it stopped. */
static int resume_here(struct sender *s, bool suspended, const char *msg)
{
    if (suspended)
        save_resume_cancelled(s->c, s->id);
    fprintf(stderr, "%s\n", msg);
    mig_close(&s->ch);
    return 1;
}

/* Send the domain and hand it over; the exit status. */
static int migrate(struct sender *s, const char *config, const char *name)
{
    struct mica_save_live live = { .suspend = suspend_cb, .round = round_cb, .ctx = s };
    struct sr_out out = { .write = stream_fd_write, .ctx = &s->ch.out };
    struct mica *hv = cli_hv(s->c);
    struct mica_save_stats st;
    char away[256];
    uint8_t status;
    int rc;

    s->t_start = mig_now_ms();
    rc = mica_domain_save_live(hv, s->id, &out, config, &live, &st);
    if (rc) {
        fprintf(stderr, "mica: %s\n", mica_errmsg(hv));
        if (rc == -ETIMEDOUT && !live.suspended)
            return resume_here(s, false, "Migration failed, failed to suspend at sender.");
        return resume_here(s, live.suspended, "Migration failed, resuming at sender.");
    }
    if ((rc = mig_expect(&s->ch, mig_received, MIG_RECEIVED_LEN))) {
        fprintf(stderr, "mica: the target did not take the domain: %s\n",
                rc == -ENODATA ? "it closed the connection" : strerror(-rc));
        return resume_here(s, true, "Migration failed, resuming at sender.");
    }
    fprintf(stderr, "migration sender: Target has acknowledged transfer.\n");
    snprintf(away, sizeof(away), "%s" MIG_SUFFIX_AWAY, name);
    dom_rename(cli_xs(s->c), s->id, away);
    fprintf(stderr, "migration sender: Giving target permission to start.\n");
    if (mig_send(&s->ch, mig_go, MIG_GO_LEN) ||
        mig_expect(&s->ch, mig_report, MIG_REPORT_LEN) ||
        stream_fd_read(&s->ch.in, &status, 1)) {
        fprintf(stderr, "** Migration failed during final handshake **\n"
                "Domain state is now undefined !\nPlease examine/kill/resume it.\n");
        mig_close(&s->ch);
        return 1;
    }
    if (status) {
        fprintf(stderr, "migration sender: Target reports startup failure (status code %d).\n",
                status);
        dom_rename(cli_xs(s->c), s->id, name);
        return resume_here(s, true, "Migration failed due to problems at target.");
    }
    fprintf(stderr, "migration sender: Target reports successful startup.\n");
    report(s, &st, mig_now_ms());
    mig_close(&s->ch);
    if (dom_destroy(hv, cli_xs(s->c), s->id))
        fprintf(stderr, "mica: the migrated-away domain %u was not destroyed\n", s->id);
    fprintf(stderr, "Migration successful.\n");
    return 0;
}

/* xl's rune: "exec SSH HOST mica migrate-receive [-d] [-e] [-p]", or HOST itself with -s "". */
struct target {
    const char *ssh, *host, *port;
    bool debug, no_wait, paused;
};

static char *make_rune(const struct target *t)
{
    char *rune = NULL;

    if (!*t->ssh)
        return strdup(t->host);
    if (asprintf(&rune, "exec %s %s mica migrate-receive%s%s%s", t->ssh, t->host,
                 t->debug ? " -d" : "", t->no_wait ? " -e" : "", t->paused ? " -p" : "") < 0)
        return NULL;
    return rune;
}

static int connect_target(struct sender *s, const struct target *t)
{
    const char *host = t->host, *port = t->port;
    char *rune;
    int rc;

    if (port) {
        rc = mig_connect(&s->ch, host, port);
    } else {
        if (!(rune = make_rune(t)))
            return -ENOMEM;
        rc = mig_spawn(&s->ch, rune);
        free(rune);
    }
    if (rc) {
        fprintf(stderr, "mica: cannot reach the migration target %s%s%s: %s\n", host,
                port ? ":" : "", port ? port : "", rc == -EDESTADDRREQ ?
                "--tcp needs a numeric address and a port" : strerror(-rc));
        return rc;
    }
    if ((rc = mig_expect(&s->ch, mig_banner, MIG_BANNER_LEN))) {
        fprintf(stderr, "mica: the migration target sent no banner: %s\n",
                rc == -EPROTO ? "it sent something else" : rc == -ENODATA ?
                "it closed the connection" : strerror(-rc));
        mig_close(&s->ch);
    }
    return rc;
}

int cmd_migrate(struct mica_ctx *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "debug", no_argument, NULL, OPT_DEBUG },
        { "live", no_argument, NULL, OPT_LIVE },
        { "tcp", required_argument, NULL, OPT_TCP },
        { NULL, 0, NULL, 0 },
    };
    struct target t = { .ssh = "ssh" };
    struct sender s = { .c = c, .ch = { -1, -1, 0 } };
    const char *cfgfile = NULL;
    char *config, *name;
    int opt, rc;

    while ((opt = verb_getopt_long(argc, argv, "FC:s:epD", 2, longopts)) != -1) {
        if (opt == 'C')
            cfgfile = optarg;
        else if (opt == 's')
            t.ssh = optarg;
        else if (opt == 'e')
            t.no_wait = true;
        else if (opt == 'p')
            t.paused = true;
        else if (opt == OPT_DEBUG)
            t.debug = true;
        else if (opt == OPT_TCP)
            t.port = optarg;
    }
    t.host = argv[optind + 1];
    s.id = cli_find_domain(c, argv[optind]);
    if (!(name = dom_name(cli_xs(c), s.id))) {
        fprintf(stderr, "mica: domain %u has no name\n", s.id);
        return 1;
    }
    if (!(config = save_config(c, s.id, cfgfile))) {
        fprintf(stderr, cfgfile ? "Failed to read config file: %s\n" :
                "No config file stored for running domain and none supplied - "
                "cannot migrate.\n", cfgfile);
        free(name);
        return 1;
    }
    /* a receiver that goes away must fail a write, not kill us */
    signal(SIGPIPE, SIG_IGN);
    rc = connect_target(&s, &t) ? 1 :
         migrate(&s, config, name);
    free(config);
    free(name);
    return rc;
}
