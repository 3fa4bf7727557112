/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/privcmd.c - the privcmd handle: /dev/xen/privcmd for
 * IOCTL_PRIVCMD_HYPERCALL, and hypercall argument buffers from
 * /dev/xen/hypercall (locked kernel pages that can neither fault nor
 * move while the hypervisor copies them).  Without that device the
 * buffers are anonymous locked pages kept out of fork, as libxencall does.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "libmica-priv.h"
#include "privcmd-abi.h"

struct mica *mica_open(void)
{
    struct mica *m = calloc(1, sizeof(*m));
    int err;

    if (!m)
        return NULL;
    m->hcbuf = -1;
    m->privcmd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
    if (m->privcmd < 0)
        goto fail;
    /* Absent on old kernels: then mica_buf_alloc falls back. */
    m->hcbuf = open("/dev/xen/hypercall", O_RDWR | O_CLOEXEC);
    m->scratch = mica_buf_alloc(m, MICA_PAGE_SIZE);
    if (!m->scratch)
        goto fail;
    return m;
fail:
    err = errno;
    mica_close(m);
    errno = err;
    return NULL;
}

void mica_close(struct mica *m)
{
    if (!m)
        return;
    if (m->scratch)
        mica_buf_free(m, m->scratch, MICA_PAGE_SIZE);
    if (m->list)
        mica_buf_free(m, m->list, m->list_len);
    if (m->hcbuf >= 0)
        close(m->hcbuf);
    if (m->privcmd >= 0)
        close(m->privcmd);
    free(m);
}

static size_t pages_of(size_t len)
{
    return (len + MICA_PAGE_SIZE - 1) & ~(MICA_PAGE_SIZE - 1);
}

void *mica_buf_alloc(struct mica *m, size_t len)
{
    size_t sz = pages_of(len ? len : 1);
    void *p;

    if (m->hcbuf >= 0) {
        p = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED, m->hcbuf, 0);
        if (p == MAP_FAILED) {
            mica_fail(m, -errno, "hypercall buffer of %zu bytes", sz);
            return NULL;
        }
        return p;
    }
    p = mmap(NULL, sz, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    if (p == MAP_FAILED) {
        mica_fail(m, -errno, "hypercall buffer of %zu bytes", sz);
        return NULL;
    }
    /* A child's copy-on-write would move the pages under a hypercall. */
    madvise(p, sz, MADV_DONTFORK);
    memset(p, 0, sz);
    return p;
}

void mica_buf_free(struct mica *m, void *p, size_t len)
{
    (void)m;
    if (p)
        munmap(p, pages_of(len ? len : 1));
}

/*
 * Through syscall(), not ioctl(): glibc's ioctl() returns int, and a few
 * hypercalls (XENMEM_maximum_ram_page) answer with more than 31 bits.
 */
long mica_hypercall(struct mica *m, unsigned int op, uint64_t a1, uint64_t a2,
                    uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct privcmd_hypercall hc = {
        .op = op, .arg = { a1, a2, a3, a4, a5 },
    };
    long rc = syscall(SYS_ioctl, m->privcmd, IOCTL_PRIVCMD_HYPERCALL, &hc);

    return rc < 0 ? -errno : rc;
}

int mica_do_domctl(struct mica *m, struct xen_domctl *op)
{
    struct xen_domctl *buf = m->scratch;
    long rc;

    op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    memcpy(buf, op, sizeof(*op));
    rc = mica_hypercall(m, __HYPERVISOR_domctl, (uintptr_t)buf, 0, 0, 0, 0);
    memcpy(op, buf, sizeof(*op));
    return (int)rc;
}

int mica_do_sysctl(struct mica *m, struct xen_sysctl *op)
{
    struct xen_sysctl *buf = m->scratch;
    long rc;

    op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    memcpy(buf, op, sizeof(*op));
    rc = mica_hypercall(m, __HYPERVISOR_sysctl, (uintptr_t)buf, 0, 0, 0, 0);
    memcpy(op, buf, sizeof(*op));
    return (int)rc;
}

long mica_cmd_hypercall(struct mica *m, unsigned int op, unsigned int cmd,
                        void *arg, size_t len)
{
    long rc;

    if (len > MICA_PAGE_SIZE)
        return -E2BIG;
    memcpy(m->scratch, arg, len);
    rc = mica_hypercall(m, op, cmd, (uintptr_t)m->scratch, 0, 0, 0);
    memcpy(arg, m->scratch, len);
    return rc;
}
