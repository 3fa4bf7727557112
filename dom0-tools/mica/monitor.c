/* SPDX-License-Identifier: MIT */
/*
 * monitor.c - the per-domain monitor (xl's choice, not one daemon: a
 * crashed monitor affects one domain, and it needs no state but the config
 * it was forked with).  It sleeps on @releaseDomain, which micastored
 * fires when a domain shuts down or dies, and re-reads getdomaininfo every
 * second as well in case an event was missed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libmica.h>
#include <micaxs.h>
#include <public/sched.h>

#include "domain.h"
#include "monitor.h"

struct mon {
    struct mica *hv;
    struct mxs_handle *xs;
    struct domcfg d;                /* a copy: rename-restart changes nothing in it */
    uint32_t domid;
};

static enum domcfg_action action_for(const struct domcfg *d, unsigned int reason)
{
    switch (reason) {
    case SHUTDOWN_poweroff: return d->on_poweroff;
    case SHUTDOWN_reboot: return d->on_reboot;
    case SHUTDOWN_crash: return d->on_crash;
    case SHUTDOWN_watchdog: return d->on_watchdog;
    }
    return ACT_DESTROY;
}

/* Give the old domain "NAME-ID" so the restart can have the name. */
static void rename_old(struct mon *m)
{
    char path[64], name[96];

    snprintf(path, sizeof(path), "/local/domain/%u/name", m->domid);
    snprintf(name, sizeof(name), "%s-%u", m->d.name, m->domid);
    mxs_write(m->xs, 0, path, name, (unsigned int)strlen(name));
}

/* 1: keep waiting (restarted), 0: done. */
static int handle_shutdown(struct mon *m, unsigned int reason)
{
    enum domcfg_action a = action_for(&m->d, reason);
    uint32_t newid;

    printf("Domain %u has shut down, reason code %u 0x%x\n", m->domid, reason, reason);
    printf("Action for shutdown reason code %u is %s\n", reason, domcfg_action_name(a));
    if (a == ACT_PRESERVE) {
        printf("Done. Exiting now\n");
        return 0;
    }
    if (a == ACT_RENAME_RESTART) {
        rename_old(m);
    } else {
        printf("Domain %u needs to be cleaned up: destroying the domain\n", m->domid);
        dom_destroy(m->hv, m->xs, m->domid);
    }
    if (a == ACT_DESTROY) {
        printf("Done. Exiting now\n");
        return 0;
    }
    printf("Done. Rebooting now\n");
    fflush(stdout);
    if (dom_create(m->hv, m->xs, &m->d, false, &newid)) {
        printf("Failed to restart domain %s\n", m->d.name);
        return 0;
    }
    m->domid = newid;
    printf("Waiting for domain %s (domid %u) to die [pid %d]\n", m->d.name, newid, getpid());
    return 1;
}

static void monitor_loop(struct mon *m)
{
    struct xen_domctl_getdomaininfo info;
    char *path, *token;
    bool suspended = false;
    unsigned int reason;

    printf("Waiting for domain %s (domid %u) to die [pid %d]\n", m->d.name, m->domid, getpid());
    fflush(stdout);
    mxs_watch(m->xs, "@releaseDomain", "mica-monitor");
    for (;;) {
        if (!mxs_read_watch(m->xs, 1000, &path, &token)) {
            free(path);
            free(token);
        }
        if (mica_domain_getinfo(m->hv, m->domid, &info) || (info.flags & XEN_DOMINF_dying)) {
            printf("Domain %u has been destroyed.\n", m->domid);
            return;
        }
        reason = (info.flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;
        if (!(info.flags & XEN_DOMINF_shutdown)) {
            suspended = false;
            continue;
        }
        /*
         * A suspend is a saver's (mica save / migrate): the domain is
         * then destroyed or resumed by it, so keep watching, as for one
         * that runs.
         */
        if (reason == SHUTDOWN_suspend) {
            if (!suspended)
                printf("Domain %u has suspended.\n", m->domid);
            suspended = true;
            fflush(stdout);
            continue;
        }
        if (!handle_shutdown(m, reason))
            return;
        fflush(stdout);
    }
}

/* stdin from /dev/null, stdout and stderr to the domain's log. */
static void detach(const char *name)
{
    char path[128];
    int fd;

    mkdir(MONITOR_LOG_DIR, 0755);
    snprintf(path, sizeof(path), MONITOR_LOG_DIR "/mica-%s.log", name);
    fd = open("/dev/null", O_RDONLY);
    if (fd >= 0) {
        dup2(fd, 0);
        close(fd);
    }
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    setsid();
}

int monitor_start(struct mica_ctx *c, const struct domcfg *d, uint32_t domid)
{
    struct mon m = { .d = *d, .domid = domid };
    pid_t pid;

    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0)
        return -errno;
    if (pid > 0)
        return pid;
    detach(d->name);
    if (c->xs)
        mxs_close(c->xs);
    if (c->hv)
        mica_close(c->hv);
    c->xs = NULL;
    c->hv = NULL;
    m.hv = mica_open();
    m.xs = mxs_open(NULL);
    if (!m.hv || !m.xs) {
        printf("monitor of domain %u: cannot open libmica or xenstore: %s\n", domid,
               strerror(errno));
        _exit(1);
    }
    monitor_loop(&m);
    mxs_close(m.xs);
    mica_close(m.hv);
    _exit(0);
}
