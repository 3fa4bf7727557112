/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/consoled/console.c - setting a domU's console up from its
 * xenstore node (console/ring-ref, console/port, console/type) and taking
 * it down again, as xenconsoled does: foreign-map the ring's frame, bind
 * the port interdomain on a /dev/xen/evtchn handle of its own, open a raw
 * pty and publish its slave as console/tty.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>
#include "console.h"
#include "consoled.h"
#include "libmica.h"
#include "log.h"
#include "micaxs.h"

struct console *console_new(unsigned int domid)
{
    struct console *con = calloc(1, sizeof(*con));

    if (!con)
        return NULL;
    con->con_domid = domid;
    con->con_state = CON_WAITING;
    con->con_remote_port = -1;
    con->con_master = con->con_slave = -1;
    con->con_log_fd = con->con_listen = -1;
    con->con_port = -1;
    return con;
}

/* Read /local/domain/N/console/KEY; NULL when absent. */
static char *read_node(struct consoled *cd, unsigned int domid,
                      const char *key)
{
    char path[96], *val = NULL;
    unsigned int len;

    snprintf(path, sizeof(path), "/local/domain/%u/%s", domid, key);
    if (mxs_read(cd->cd_xs, 0, path, &val, &len))
        return NULL;
    return val;
}

static int parse_num(const char *s, uint64_t max, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (!s || !*s || *s == '-')
        return -EINVAL;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return -EINVAL;
    *out = v;
    return 0;
}

/*
 * The node's ring-ref and port.  -ENOENT while the toolstack has not
 * written them; -EINVAL for values no console can have.  'sig' gets the
 * raw values, so that a node that did not work is not tried again until
 * it changes.
 */
static int read_ring_node(struct consoled *cd, struct console *con,
                          uint64_t *ref, long *port, char *sig, size_t len)
{
    char *r = read_node(cd, con->con_domid, "console/ring-ref");
    char *p = read_node(cd, con->con_domid, "console/port");
    char *t = read_node(cd, con->con_domid, "console/type");
    uint64_t pv = 0;
    int rc = 0;

    snprintf(sig, len, "%s|%s|%s", r ? r : "", p ? p : "", t ? t : "");
    if (!r || !p)
        rc = -ENOENT;
    else if (t && strcmp(t, "xenconsoled"))
        rc = -EPROTONOSUPPORT;
    else if (parse_num(r, UINT64_MAX >> 12, ref) ||
             parse_num(p, INT32_MAX, &pv))
        rc = -EINVAL;
    *port = (long)pv;
    free(r);
    free(p);
    free(t);
    return rc;
}

static void read_name(struct consoled *cd, struct console *con)
{
    char *n = read_node(cd, con->con_domid, "name");
    bool ok = n && *n;

    /* The name becomes a file name: no path separators, no dot files. */
    for (char *c = n; ok && *c; c++)
        ok = *c != '/' && (unsigned char)*c >= 0x20;
    if (ok && n[0] != '.')
        snprintf(con->con_name, sizeof(con->con_name), "%s", n);
    else
        snprintf(con->con_name, sizeof(con->con_name), "%u",
                 con->con_domid);
    free(n);
}

/*
 * mica rename changed the domain's name: the log follows it, so that
 * NAME.log is always the running guest's.
 */
void console_renamed(struct consoled *cd, struct console *con)
{
    char old[sizeof(con->con_name)];

    if (con->con_state != CON_LIVE)
        return;
    memcpy(old, con->con_name, sizeof(old));
    read_name(cd, con);
    if (!strcmp(old, con->con_name))
        return;
    cons_log("domain %u: renamed %s -> %s, log follows", con->con_domid,
             old, con->con_name);
    cons_log_rename(cd, con, old);
}

static int open_pty(struct consoled *cd, struct console *con)
{
    char path[96], name[64];
    struct termios t;
    int fl;

    if (openpty(&con->con_master, &con->con_slave, NULL, NULL, NULL) < 0)
        return -errno;
    if (tcgetattr(con->con_slave, &t) == 0) {
        cfmakeraw(&t);
        tcsetattr(con->con_slave, TCSANOW, &t);
    }
    fl = fcntl(con->con_master, F_GETFL);
    fcntl(con->con_master, F_SETFL, fl | O_NONBLOCK);
    fcntl(con->con_master, F_SETFD, FD_CLOEXEC);
    fcntl(con->con_slave, F_SETFD, FD_CLOEXEC);
    if (ptsname_r(con->con_master, name, sizeof(name)))
        return -errno;
    snprintf(path, sizeof(path), "/local/domain/%u/console/tty",
             con->con_domid);
    return mxs_write(cd->cd_xs, 0, path, name, strlen(name));
}

static int map_and_bind(struct consoled *cd, struct console *con)
{
    uint64_t gfn = con->con_ring_ref;
    int rc;

    con->con_intf = mica_map_foreign(cd->cd_mica, con->con_domid,
                                     PROT_READ | PROT_WRITE, &gfn, NULL, 1);
    if (!con->con_intf) {
        cons_log("domain %u: cannot map console ring-ref %" PRIu64 ": %s",
                 con->con_domid, gfn, mica_errmsg(cd->cd_mica));
        return -EFAULT;
    }
    con->con_evtchn = mica_evtchn_open();
    if (!con->con_evtchn) {
        rc = -errno;
        cons_log("domain %u: cannot open /dev/xen/evtchn: %s",
                 con->con_domid, strerror(-rc));
        return rc;
    }
    rc = mica_evtchn_bind_interdomain(con->con_evtchn, con->con_domid,
                                      (uint32_t)con->con_remote_port);
    if (rc < 0) {
        cons_log("domain %u: cannot bind console port %ld: %s",
                 con->con_domid, con->con_remote_port, strerror(-rc));
        return rc;
    }
    con->con_port = rc;
    return 0;
}

int console_start(struct consoled *cd, struct console *con)
{
    char sig[sizeof(con->con_node)];
    uint64_t ref = 0;
    long port;
    int rc = read_ring_node(cd, con, &ref, &port, sig, sizeof(sig));

    if (rc == -ENOENT)
        return rc;
    if (con->con_state == CON_LIVE) {
        if (!strcmp(sig, con->con_node))
            return 0;
        console_stop(cd, con);      /* the guest set up a new ring */
    }
    if (con->con_state == CON_BROKEN && !strcmp(sig, con->con_node))
        return -EIO;                /* told once already */
    memcpy(con->con_node, sig, sizeof(sig));
    con->con_ring_ref = ref;
    con->con_remote_port = port;
    if (rc) {
        cons_log("domain %u: console node unusable (%s), not served",
                 con->con_domid, rc == -EINVAL ? "bad ring-ref or port"
                 : "type is not xenconsoled");
        con->con_state = CON_BROKEN;
        return rc;
    }
    read_name(cd, con);
    ratelimit_init(&con->con_rl, RATELIMIT_EVENTS, RATELIMIT_PERIOD_MS);
    rc = backlog_init(&con->con_backlog, cd->cd_backlog);
    if (!rc)
        rc = map_and_bind(cd, con);
    if (!rc && (rc = open_pty(cd, con)))
        cons_log("domain %u: pty: %s", con->con_domid, strerror(-rc));
    if (!rc && (rc = cons_sock_open(cd, con)))
        cons_log("domain %u: socket: %s", con->con_domid, strerror(-rc));
    if (rc)
        goto fail;
    if (cons_log_open(cd, con))
        cons_log("domain %u: no log file (%s/%s.log)", con->con_domid,
                 cd->cd_log_dir, con->con_name);
    con->con_state = CON_LIVE;
    cons_log("domain %u (%s): console on port %d, ring-ref %" PRIu64,
             con->con_domid, con->con_name, con->con_port, ref);
    /* The bind left the port pending; serve what was written before it. */
    console_event(cd, con, consoled_now());
    return 0;

fail:
    console_stop(cd, con);
    con->con_state = CON_BROKEN;
    return rc;
}

void console_stop(struct consoled *cd, struct console *con)
{
    cons_sock_close(cd, con);
    cons_log_close(con);
    if (con->con_master >= 0)
        close(con->con_master);
    if (con->con_slave >= 0)
        close(con->con_slave);
    con->con_master = con->con_slave = -1;
    /* Closing the handle unbinds the port: the guest's end becomes
     * unbound again, so a later set-up can bind it anew. */
    if (con->con_evtchn)
        mica_evtchn_close(con->con_evtchn);
    con->con_evtchn = NULL;
    con->con_port = -1;
    con->con_masked = false;
    if (con->con_intf)
        mica_unmap(con->con_intf, 1);
    con->con_intf = NULL;
    backlog_free(&con->con_backlog);
    con->con_pty_off = 0;
    if (con->con_state == CON_LIVE)
        con->con_state = CON_WAITING;
}

void console_free(struct consoled *cd, struct console *con)
{
    console_stop(cd, con);
    free(con);
}
