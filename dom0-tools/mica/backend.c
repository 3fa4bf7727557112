/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/mica/backend.c - a device's back-end daemon started and
 * waited for (backend.h).  The daemon is forked twice so that it is
 * nobody's child: mica exits, the back end serves until the device goes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <micaxs.h>

#include "backend.h"

#define BACKEND_ROOT  "/local/domain/0/backend"
#define LIB_DIR       "/usr/lib/mica"
#define LOG_DIR       "/var/log/mica"
#define START_WAIT_MS 5000
#define DETACH_WAIT_MS 10000

int backend_state(struct mxs_handle *xs, const char *be)
{
    char path[128], *v = NULL;
    unsigned int len;
    int s = -1;

    snprintf(path, sizeof(path), "%s/state", be);
    if (!mxs_read(xs, 0, path, &v, &len))
        s = atoi(v);
    free(v);
    return s;
}

static void exec_backend(const struct backend_daemon *b, uint32_t domid, unsigned int devid,
                         const char *log)
{
    const char *bin = getenv(b->env);
    char dom[16], dev[16], prog[64], def[96];
    int fd;

    snprintf(dom, sizeof(dom), "%u", domid);
    snprintf(dev, sizeof(dev), "%u", devid);
    snprintf(prog, sizeof(prog), "mica-%s", b->name);
    snprintf(def, sizeof(def), LIB_DIR "/%s", prog);
    setsid();
    if (fork())
        _exit(0);                   /* the back end is nobody's child */
    mkdir(LOG_DIR, 0755);
    fd = open("/dev/null", O_RDONLY);
    if (fd >= 0)
        dup2(fd, 0);
    fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
    }
    if (b->before_exec)
        b->before_exec(domid, devid);
    execl(bin ? bin : def, prog, dom, dev, (char *)NULL);
    fprintf(stderr, "mica: %s: %s\n", bin ? bin : def, strerror(errno));
    _exit(127);
}

int backend_start(struct mxs_handle *xs, const struct backend_daemon *b, uint32_t domid,
                  unsigned int devid, const char *what)
{
    char be[96], log[96];
    pid_t pid;
    int s = 1;

    snprintf(be, sizeof(be), BACKEND_ROOT "/%s/%u/%u", b->kind, domid, devid);
    snprintf(log, sizeof(log), LOG_DIR "/%s.%u.%u.log", b->name, domid, devid);
    fflush(NULL);
    pid = fork();
    if (pid < 0)
        return -errno;
    if (!pid)
        exec_backend(b, domid, devid, log);
    waitpid(pid, NULL, 0);
    for (int ms = 0; ms < START_WAIT_MS; ms += 20) {
        s = backend_state(xs, be);
        if (s != 1)
            break;
        usleep(20000);
    }
    if (s >= 2 && s <= 4)
        return 0;
    fprintf(stderr, "mica: %s: the back end did not start (see %s)\n", what, log);
    return -EIO;
}

int backend_detach(struct mxs_handle *xs, const struct backend_daemon *b, uint32_t domid,
                   unsigned int devid)
{
    char be[96], path[128];

    snprintf(be, sizeof(be), BACKEND_ROOT "/%s/%u/%u", b->kind, domid, devid);
    snprintf(path, sizeof(path), "%s/online", be);
    mxs_write(xs, 0, path, "0", 1);
    for (int ms = 0; ms < DETACH_WAIT_MS && backend_state(xs, be) >= 0; ms += 50)
        usleep(50000);
    if (backend_state(xs, be) >= 0)
        return -ETIMEDOUT;
    snprintf(path, sizeof(path), "/local/domain/%u/device/%s/%u", domid, b->kind, devid);
    mxs_rm(xs, 0, path);
    return 0;
}
