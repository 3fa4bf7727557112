/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/netback/tap.c - dom0's end of the vif: a multi-queue TAP
 * device named as the toolstack asked (vifDOMID.DEVID by default) with a
 * virtio_net_hdr on each frame, so checksums and TCP segmentation cross
 * it undone, and the hotplug script that joins it to a bridge, as Xen's
 * vif-bridge does under udev.  The TAP keeps Xen's MAC fe:ff:ff:ff:ff:ff
 * so that the bridge never takes a guest's address as its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/if_tun.h>
#include <net/if_arp.h>

#include "netback.h"

static int tap_queue(struct netback *nb, unsigned int i)
{
    struct ifreq ifr;
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);

    if (fd < 0)
        return -errno;
    memset(&ifr, 0, sizeof(ifr));
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | IFF_MULTI_QUEUE;
    memcpy(ifr.ifr_name, nb->ifname, sizeof(ifr.ifr_name));
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        int rc = -errno;

        nb_log(nb, "TAP %s queue %u: %s", nb->ifname, i, strerror(-rc));
        close(fd);
        return rc;
    }
    nb->tapq[i] = fd;
    return 0;
}

static int set_mac(struct netback *nb)
{
    struct ifreq ifr;
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;

    if (s < 0)
        return -errno;
    memset(&ifr, 0, sizeof(ifr));
    memcpy(ifr.ifr_name, nb->ifname, sizeof(ifr.ifr_name));
    ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
    memset(ifr.ifr_hwaddr.sa_data, 0xff, 6);
    ifr.ifr_hwaddr.sa_data[0] = (char)0xfe;
    if (ioctl(s, SIOCSIFHWADDR, &ifr) < 0)
        rc = -errno;
    close(s);
    return rc;
}

int nb_tap_open(struct netback *nb)
{
    int rc = 0;

    for (unsigned int i = 0; i < NB_MAX_QUEUES; i++)
        nb->tapq[i] = -1;
    for (unsigned int i = 0; i < NB_MAX_QUEUES && !rc; i++)
        rc = tap_queue(nb, i);
    if (!rc && (rc = set_mac(nb)))
        nb_log(nb, "TAP %s: setting its MAC: %s", nb->ifname, strerror(-rc));
    if (!rc)
        rc = nb_tap_offloads(nb);
    if (rc)
        nb_tap_close(nb);
    return rc;
}

void nb_tap_close(struct netback *nb)
{
    for (unsigned int i = 0; i < NB_MAX_QUEUES; i++) {
        if (nb->tapq[i] >= 0)
            close(nb->tapq[i]);
        nb->tapq[i] = -1;
    }
}

/*
 * What the kernel may hand us unfinished: partial checksums always (the
 * guest finishes them), TCP segments only of the kinds the front end
 * said it takes; and only the TAP queues a connected front end reads
 * stay attached, or the kernel would steer flows to queues nobody drains.
 */
int nb_tap_offloads(struct netback *nb)
{
    unsigned int off = TUN_F_CSUM;
    unsigned int used = nb->nqueues ? nb->nqueues : 1;

    if (nb->fe_gso_v4)
        off |= TUN_F_TSO4;
    if (nb->fe_gso_v6)
        off |= TUN_F_TSO6;
    if (nb->tapq[0] < 0 || ioctl(nb->tapq[0], TUNSETOFFLOAD, off) < 0)
        return -errno;
    for (unsigned int i = 1; i < NB_MAX_QUEUES; i++) {
        struct ifreq ifr = { .ifr_flags = i < used ? IFF_ATTACH_QUEUE : IFF_DETACH_QUEUE };

        /* EINVAL: already as asked */
        if (nb->tapq[i] >= 0 && ioctl(nb->tapq[i], TUNSETQUEUE, &ifr) < 0 && errno != EINVAL)
            nb_log(nb, "TAP queue %u: %s", i, strerror(errno));
    }
    return 0;
}

/* The backend's script key (the toolstack's choice) or ours. */
static char *script_path(struct netback *nb)
{
    char *s;

    if (!bex_read(&nb->x, nb->x.be, "script", &s) && *s == '/')
        return s;
    free(s);
    return strdup(NB_SCRIPT);
}

/* Run the hotplug script with Xen's environment; 0 when it said so. */
int nb_hotplug(struct netback *nb, const char *action)
{
    char *script = script_path(nb), *mtu = NULL;
    int status = 0, rc;
    pid_t pid;

    if (!script)
        return -ENOMEM;
    if (bex_read(&nb->x, nb->x.be, "mtu", &mtu) || !*mtu || strspn(mtu, "0123456789") != strlen(mtu)) {
        free(mtu);
        mtu = NULL;
    }
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        if (mtu)
            setenv("mtu", mtu, 1);
        setenv("vif", nb->ifname, 1);
        setenv("XENBUS_PATH", nb->x.be, 1);
        setenv("bridge", nb->bridge, 1);
        execl(script, script, action, (char *)NULL);
        fprintf(stderr, "mica-netback: %s: %s\n", script, strerror(errno));
        _exit(127);
    }
    rc = pid < 0 ? -errno : 0;
    if (!rc && waitpid(pid, &status, 0) < 0)
        rc = -errno;
    if (!rc && (!WIFEXITED(status) || WEXITSTATUS(status)))
        rc = -EIO;
    nb_log(nb, "%s %s %s: %s", script, action, nb->ifname, rc ? "failed" : "done");
    free(script);
    free(mtu);
    return rc;
}
