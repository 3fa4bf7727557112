/* SPDX-License-Identifier: MIT */
/*
 * vif.c - a vif's MAC when the config gave none (xl's: Xen's OUI
 * 00:16:3e and three random bytes) and starting its back end:
 * mica-netback runs detached (its own session, so the domain outlives
 * this `mica`), logs to /var/log/mica/netback.DOMID.DEVID.log, and is
 * waited for until it offers the device, so a vif whose TAP or bridge
 * cannot be made fails `mica create` with a reason.
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

#include "vif.h"

#define NETBACK_BIN "/usr/lib/mica/mica-netback"
#define LOG_DIR     "/var/log/mica"
#define START_WAIT_MS 5000

int vif_plan(struct xs_plan *p, uint32_t domid, unsigned int devid, const struct vif_spec *v)
{
    uint8_t mac[6] = { 0x00, 0x16, 0x3e };
    int fd;

    if (v->has_mac) {
        memcpy(mac, v->mac, 6);
    } else {
        fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
        if (fd < 0 || read(fd, mac + 3, 3) != 3) {
            if (fd >= 0)
                close(fd);
            return -EIO;
        }
        close(fd);
        mac[3] &= 0x7f;             /* as libxl: the top half is for others */
    }
    return vif_layout_add(p, domid, devid, v, mac);
}

static void exec_backend(uint32_t domid, unsigned int devid, const char *log)
{
    const char *bin = getenv("MICA_NETBACK");
    char dom[16], dev[16];
    int fd;

    snprintf(dom, sizeof(dom), "%u", domid);
    snprintf(dev, sizeof(dev), "%u", devid);
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
    execl(bin ? bin : NETBACK_BIN, "mica-netback", dom, dev, (char *)NULL);
    fprintf(stderr, "mica: %s: %s\n", bin ? bin : NETBACK_BIN, strerror(errno));
    _exit(127);
}

/* The back end's state, -1 while its directory is gone (it failed and cleaned up). */
static int backend_state(struct mxs_handle *xs, const char *be)
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

int vif_start(struct mxs_handle *xs, uint32_t domid, unsigned int devid)
{
    char be[96], log[96];
    pid_t pid;
    int s = 1;

    snprintf(be, sizeof(be), VIF_BACKEND_ROOT "/%u/%u", domid, devid);
    snprintf(log, sizeof(log), LOG_DIR "/netback.%u.%u.log", domid, devid);
    fflush(NULL);
    pid = fork();
    if (pid < 0)
        return -errno;
    if (!pid)
        exec_backend(domid, devid, log);
    waitpid(pid, NULL, 0);
    for (int ms = 0; ms < START_WAIT_MS; ms += 20) {
        s = backend_state(xs, be);
        if (s != 1)
            break;
        usleep(20000);
    }
    if (s >= 2 && s <= 4)
        return 0;
    fprintf(stderr, "mica: vif %u: the back end did not start (see %s)\n", devid, log);
    return -EIO;
}
