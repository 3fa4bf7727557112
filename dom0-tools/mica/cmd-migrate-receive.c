/* SPDX-License-Identifier: MIT */
/*
 * cmd-migrate-receive.c - `mica migrate-receive [-e] [-d] [-p]
 * [--listen [ADDR:]PORT]`, the target side of `mica migrate` (migrate.h):
 * on stdin and stdout as xl's (the sender's ssh runs it), or on one TCP
 * connection accepted on --listen.  The stream's xl header and config are
 * read and checked before anything is made, so bytes that are not a
 * migration make no domain; then the domain is created as `restore`
 * creates it, as NAME--incoming, from the rest of the stream, with its
 * disks and vifs, and kept paused until the sender says it may start.
 * Any failure destroys what was made, a SIGTERM, SIGINT or SIGHUP
 * included: it only cuts the channel, so the read in progress fails and
 * the failure's own path cleans up.  Messages go to stderr (stdout may be
 * the channel), in xl's words.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libmica.h>
#include <sr-stream.h>

#include "cmds.h"
#include "domain.h"
#include "migrate.h"
#include "monitor.h"
#include "save-file.h"

#define OPT_LISTEN  0x100
#define REPLAY_MAX  (SR_XL_HEADER_LEN + SR_XL_CONFIG_MAX + 8)

/*
 * The channel as a stream source that can give back what it read: the
 * xl header is read (and kept) to learn the config before the domain is
 * made, then the restore reads the stream from its first byte.
 */
struct replay {
    int fd;
    uint8_t *buf;
    size_t len, pos;
    bool keep;
};

static int replay_read(void *ctx, void *dst, size_t n)
{
    struct replay *r = ctx;
    size_t k = r->len - r->pos < n ? r->len - r->pos : n;
    int rc;

    memcpy(dst, r->buf + r->pos, k);
    r->pos += k;
    if (k == n)
        return 0;
    if ((rc = stream_fd_read(&r->fd, (uint8_t *)dst + k, n - k)) || !r->keep)
        return rc;
    if (r->len + n - k > REPLAY_MAX)
        return -E2BIG;
    memcpy(r->buf + r->len, (uint8_t *)dst + k, n - k);
    r->len += n - k;
    r->pos = r->len;
    return 0;
}

static volatile sig_atomic_t chan_fd = -1;

static void on_stop(int sig)
{
    (void)sig;
    if (chan_fd >= 0 && shutdown(chan_fd, SHUT_RDWR) < 0)
        close(chan_fd);             /* a pipe: the next read fails with EBADF */
}

static void catch_stops(int fd)
{
    struct sigaction sa = { .sa_handler = on_stop };

    chan_fd = fd;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

/* The stream's header and config, then the domain made from the rest. */
static int receive(struct mica_ctx *c, struct replay *rp, struct domcfg *d,
                   char *name, size_t namelen, uint32_t *domid)
{
    struct sr_in in = { .read = replay_read, .ctx = rp };
    struct sr_xl_info xl;
    char *incoming;
    int rc;

    if ((rc = sr_read_xl_header(&in, &xl))) {
        fprintf(stderr, "migration target: not a migration stream: %s\n",
                in.why[0] ? in.why : rc == -ENODATA ? "the sender closed the connection" :
                strerror(-rc));
        return rc;
    }
    rc = restore_parse_config("<migration stream>", xl.config, d);
    free(xl.config);
    if (rc)
        return -EINVAL;
    snprintf(name, namelen, "%s", d->name);
    if (asprintf(&incoming, "%s" MIG_SUFFIX_INCOMING, d->name) < 0)
        return -ENOMEM;
    free(d->name);
    d->name = incoming;
    rp->keep = false;
    rp->pos = 0;
    in.offset = 0;
    rc = dom_create_filled(cli_hv(c), cli_xs(c), d, true, restore_fill, &in, domid);
    if (rc)
        fprintf(stderr, "migration target: Domain creation failed (code %d).\n", rc);
    return rc;
}

/* After the transfer: wait for the go, start the domain, report; the exit status. */
static int hand_over(struct mica_ctx *c, struct mig_chan *ch, uint32_t domid,
                     const char *name, bool paused)
{
    uint8_t status = 0;
    int rc;

    fprintf(stderr, "migration target: Transfer complete, requesting permission to start "
            "domain.\n");
    if ((rc = mig_send(ch, mig_received, MIG_RECEIVED_LEN)) ||
        (rc = mig_expect(ch, mig_go, MIG_GO_LEN))) {
        fprintf(stderr, "migration target: no permission to start (%s); Failure, "
                "destroying our copy.\n", rc == -ENODATA ? "the sender went away" :
                strerror(-rc));
        dom_destroy(cli_hv(c), cli_xs(c), domid);
        return 1;
    }
    fprintf(stderr, "migration target: Got permission, starting domain.\n");
    if ((rc = dom_rename(cli_xs(c), domid, name)) ||
        (!paused && (rc = mica_domain_unpause(cli_hv(c), domid)))) {
        fprintf(stderr, "migration target: cannot start domain %u: %s\n", domid,
                strerror(-rc));
        status = (uint8_t)(rc < 0 ? -rc : rc);
    }
    if (mig_send(ch, mig_report, MIG_REPORT_LEN) || mig_send(ch, &status, 1))
        fprintf(stderr, "migration target: cannot report to the sender\n");
    if (status) {
        fprintf(stderr, "migration target: Failure, destroying our copy.\n");
        dom_destroy(cli_hv(c), cli_xs(c), domid);
        return 1;
    }
    fprintf(stderr, "migration target: Domain started successsfully.\n");
    return 0;
}

int cmd_migrate_receive(struct mica_ctx *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "listen", required_argument, NULL, OPT_LISTEN },
        { NULL, 0, NULL, 0 },
    };
    struct mig_chan ch = { .in = 0, .out = 1 };
    struct replay rp = { 0 };
    bool paused = false, monitor = true;
    const char *listen = NULL;
    char name[256], why[160];
    struct domcfg d = { 0 };
    uint32_t domid;
    int opt, rc = 1, mon;

    while ((opt = verb_getopt_long(argc, argv, "Fedrp", 0, longopts)) != -1) {
        if (opt == 'e')
            monitor = false;
        else if (opt == 'p')
            paused = true;
        else if (opt == 'r')
            return cli_not_implemented("Remus");
        else if (opt == OPT_LISTEN)
            listen = optarg;
    }
    if (listen && mig_accept(&ch, listen, why, sizeof(why))) {
        fprintf(stderr, "mica: %s\n", why);
        return 1;
    }
    cli_hv(c);
    cli_xs(c);
    if (!(rp.buf = malloc(REPLAY_MAX))) {
        fprintf(stderr, "mica: out of memory\n");
        goto out;
    }
    rp.fd = ch.in;
    rp.keep = true;
    catch_stops(ch.in);
    /* a sender that goes away must fail a write, not kill us */
    signal(SIGPIPE, SIG_IGN);
    if (mig_send(&ch, mig_banner, MIG_BANNER_LEN)) {
        fprintf(stderr, "migration target: cannot write to the sender\n");
        goto out;
    }
    fprintf(stderr, "migration target: Ready to receive domain.\n");
    if (receive(c, &rp, &d, name, sizeof(name), &domid))
        goto out;
    rc = hand_over(c, &ch, domid, name, paused);
    signal(SIGTERM, SIG_DFL);       /* the monitor's own, once it forks */
    signal(SIGINT, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    if (!rc && monitor && (mon = monitor_start(c, &d, domid)) < 0)
        fprintf(stderr, "mica: cannot start the monitor of domain %u: %s\n", domid,
                strerror(-mon));
out:
    domcfg_free(&d);
    free(rp.buf);
    if (listen)
        mig_close(&ch);
    return rc;
}
