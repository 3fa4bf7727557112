/* SPDX-License-Identifier: MIT */
/*
 * xenbus/libxs/transport.c - libmicaxs transports.
 *
 * On a ring the client plays the guest: it produces into req[], consumes
 * rsp[], and after moving bytes writes a byte into the "up" FIFO. Waiting
 * is a poll() on the "down" FIFO, drained before the ring is re-checked so
 * a notification can never be lost between the check and the wait.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "ring-shm.h"
#include "ring.h"
#include "transport.h"

int mxs_tp_socket(struct mxs_transport *t, const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd, rc;

    if (strlen(path) >= sizeof(sa.sun_path))
        return -ENAMETOOLONG;
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        rc = -errno;
        close(fd);
        return rc;
    }
    t->fd = fd;
    t->up_fd = -1;
    t->intf = NULL;
    return 0;
}

int mxs_tp_ring_shm(struct mxs_transport *t, const char *dir,
                    unsigned int domid)
{
    char name[PATH_MAX];
    void *page;
    int fd, rc;

    rc = xs_shm_name(name, sizeof(name), dir, domid, "ring");
    if (rc)
        return rc;
    fd = open(name, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    page = mmap(NULL, XS_SHM_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (page == MAP_FAILED)
        return -errno;
    t->intf = page;
    t->fd = t->up_fd = -1;
    if (xs_shm_name(name, sizeof(name), dir, domid, "down") ||
        (t->fd = open(name, O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0)
        goto fail;
    if (xs_shm_name(name, sizeof(name), dir, domid, "up") ||
        (t->up_fd = open(name, O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0)
        goto fail;
    return 0;
fail:
    rc = errno ? -errno : -ENAMETOOLONG;
    mxs_tp_close(t);
    return rc;
}

void mxs_tp_close(struct mxs_transport *t)
{
    if (t->intf)
        munmap(t->intf, XS_SHM_PAGE);
    if (t->fd >= 0)
        close(t->fd);
    if (t->up_fd >= 0)
        close(t->up_fd);
    t->intf = NULL;
    t->fd = t->up_fd = -1;
}

static void notify(struct mxs_transport *t)
{
    char one = 1;

    if (write(t->up_fd, &one, 1) < 0 && errno != EAGAIN)
        return;
}

/* Waits for a notification; returns -ETIMEDOUT when the time is up. */
static int ring_wait(struct mxs_transport *t, int timeout_ms)
{
    struct pollfd p = { .fd = t->fd, .events = POLLIN };
    char buf[64];
    int n = poll(&p, 1, timeout_ms);

    if (n < 0)
        return errno == EINTR ? 0 : -errno;
    if (n == 0)
        return -ETIMEDOUT;
    while (read(t->fd, buf, sizeof(buf)) > 0)
        ;
    return 0;
}

int mxs_tp_write(struct mxs_transport *t, const void *buf, size_t len)
{
    const char *p = buf;

    while (len) {
        int n;

        if (t->intf) {
            n = xs_ring_put(t->intf->req, &t->intf->req_cons,
                            &t->intf->req_prod, p, len);
            if (n < 0)
                return n;
            if (n == 0) {
                n = ring_wait(t, 1000);
                if (n < 0 && n != -ETIMEDOUT)
                    return n;
                continue;
            }
            notify(t);
        } else {
            n = send(t->fd, p, len, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                return -errno;
            }
        }
        p += n;
        len -= n;
    }
    return 0;
}

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Reads exactly 'len' bytes; timeout_ms < 0 waits forever. */
int mxs_tp_read(struct mxs_transport *t, void *buf, size_t len,
                int timeout_ms)
{
    long long deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
    char *p = buf;

    while (len) {
        int n, left = -1;

        if (deadline >= 0) {
            left = deadline - now_ms();
            if (left < 0)
                left = 0;
        }
        if (t->intf) {
            n = xs_ring_get(t->intf->rsp, &t->intf->rsp_cons,
                            &t->intf->rsp_prod, p, len);
            if (n < 0)
                return n;
            if (n > 0) {
                notify(t);
            } else {
                /* Re-check after draining so no wake-up is lost. */
                n = ring_wait(t, left < 0 || left > 100 ? 100 : left);
                if (n == -ETIMEDOUT && deadline >= 0 && now_ms() >= deadline)
                    return -ETIMEDOUT;
                if (n < 0 && n != -ETIMEDOUT)
                    return n;
                continue;
            }
        } else {
            struct pollfd pf = { .fd = t->fd, .events = POLLIN };

            if (left >= 0) {
                n = poll(&pf, 1, left);
                if (n == 0)
                    return -ETIMEDOUT;
            }
            n = recv(t->fd, p, len, 0);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                return -errno;
            }
            if (n == 0)
                return -ECONNRESET;
        }
        p += n;
        len -= n;
    }
    return 0;
}
