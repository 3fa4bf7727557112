/* SPDX-License-Identifier: MIT */
/*
 * tests/bench/xenstore/xen-shim.c - an LD_PRELOAD library that lets
 * Debian's unmodified C xenstored (4.17) start on a host without a
 * hypervisor, so that it and micastored can be measured side by side on a
 * UNIX socket with the same client.
 *
 * 4.17's xenstored creates its tree only while introducing dom0 (with -D it
 * crashes on the first request), and that needs privcmd, evtchn, gntdev
 * and dom0's xsd_kva/xsd_port.  This library answers those calls: handles
 * that work, an event-channel fd that never fires, a dom0 store page in
 * anonymous memory and port 1.  Nothing on the socket path is replaced, so
 * what is measured is the daemon's own request handling.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xenctrl.h>
#include <xenevtchn.h>
#include <xengnttab.h>

#define KVA "/proc/xen/xsd_kva"
#define PORT "/proc/xen/xsd_port"

struct xenevtchn_handle {
    int fds[2];                     /* [0] is polled and never readable */
};

static int dummy;
static unsigned int next_port = 10;

xc_interface *xc_interface_open(xentoollog_logger *l, xentoollog_logger *d,
                                unsigned int flags)
{
    (void)l, (void)d, (void)flags;
    return (xc_interface *)&dummy;
}

int xc_interface_close(xc_interface *xch)
{
    (void)xch;
    return 0;
}

/* Only dom0 exists, and it is running. */
int xc_domain_getinfo(xc_interface *xch, uint32_t first, unsigned int max,
                      xc_dominfo_t *info)
{
    (void)xch;
    if (first > 0 || max == 0)
        return 0;
    memset(info, 0, sizeof(*info));
    info->running = 1;
    return 1;
}

xenevtchn_handle *xenevtchn_open(xentoollog_logger *l, unsigned int flags)
{
    xenevtchn_handle *h = calloc(1, sizeof(*h));

    (void)l, (void)flags;
    if (h && pipe2(h->fds, O_CLOEXEC | O_NONBLOCK) < 0) {
        free(h);
        return NULL;
    }
    return h;
}

xenevtchn_handle *xenevtchn_fdopen(xentoollog_logger *l, int fd,
                                   unsigned int flags)
{
    (void)fd;
    return xenevtchn_open(l, flags);
}

int xenevtchn_fd(xenevtchn_handle *h)
{
    return h->fds[0];
}

xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *h,
                                              unsigned int virq)
{
    (void)h, (void)virq;
    return next_port++;
}

xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *h,
                                                     uint32_t domid,
                                                     evtchn_port_t port)
{
    (void)h, (void)domid, (void)port;
    return next_port++;
}

int xenevtchn_notify(xenevtchn_handle *h, evtchn_port_t port)
{
    (void)h, (void)port;
    return 0;
}

int xenevtchn_unbind(xenevtchn_handle *h, evtchn_port_t port)
{
    (void)h, (void)port;
    return 0;
}

xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *h)
{
    (void)h;
    errno = EAGAIN;
    return -1;
}

int xenevtchn_unmask(xenevtchn_handle *h, evtchn_port_t port)
{
    (void)h, (void)port;
    return 0;
}

xengnttab_handle *xengnttab_open(xentoollog_logger *l, unsigned int flags)
{
    (void)l, (void)flags;
    return (xengnttab_handle *)&dummy;
}

int xengnttab_close(xengnttab_handle *g)
{
    (void)g;
    return 0;
}

int xengnttab_set_max_grants(xengnttab_handle *g, uint32_t n)
{
    (void)g, (void)n;
    return 0;
}

/* A guest's page: zeroed memory nobody else writes. */
void *xengnttab_map_grant_ref(xengnttab_handle *g, uint32_t domid,
                              uint32_t ref, int prot)
{
    void *p = mmap(NULL, 4096, prot, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

    (void)g, (void)domid, (void)ref;
    return p == MAP_FAILED ? NULL : p;
}

int xengnttab_unmap(xengnttab_handle *g, void *start, uint32_t count)
{
    (void)g;
    return munmap(start, count * 4096);
}

/* dom0's store page and port, as xenfs would give them. */
static int fake_file(const char *path)
{
    int fd = memfd_create(path, MFD_CLOEXEC);

    if (fd < 0)
        return -1;
    if (!strcmp(path, KVA) ? ftruncate(fd, 4096) < 0
                           : write(fd, "1\n", 2) != 2 ||
                             lseek(fd, 0, SEEK_SET) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int open(const char *path, int flags, ...)
{
    static int (*real)(const char *, int, ...);
    mode_t mode = 0;
    va_list ap;

    if (!strcmp(path, KVA) || !strcmp(path, PORT))
        return fake_file(path);
    if (!real)
        real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }
    return real(path, flags, mode);
}

FILE *fopen(const char *path, const char *how)
{
    static FILE *(*real)(const char *, const char *);
    int fd;

    if (!strcmp(path, KVA) || !strcmp(path, PORT)) {
        fd = fake_file(path);
        return fd < 0 ? NULL : fdopen(fd, how);
    }
    if (!real)
        real = (FILE *(*)(const char *, const char *))dlsym(RTLD_NEXT, "fopen");
    return real(path, how);
}
