/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/foreign.c - another domain's frames in this process:
 * an empty privcmd VMA filled by IOCTL_PRIVCMD_MMAPBATCH_V2, which turns
 * into mmu_update calls naming the domain as the frames' owner.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include "libmica-priv.h"
#include "privcmd-abi.h"

void *mica_map_foreign(struct mica *m, uint32_t domid, int prot,
                       const uint64_t *gfns, int *errs, size_t n)
{
    struct privcmd_mmapbatch_v2 batch;
    int *own = NULL, *e = errs;
    void *p;
    int rc = 0;

    mica_ok(m);
    if (!n || n > UINT32_MAX / MICA_PAGE_SIZE) {
        mica_fail(m, -EINVAL, "map %zu frames of %u", n, domid);
        return NULL;
    }
    if (!e && !(e = own = calloc(n, sizeof(*e)))) {
        mica_fail(m, -ENOMEM, "map %zu frames of %u", n, domid);
        return NULL;
    }
    /* The kernel insists on MAP_SHARED and a VMA the batch fills exactly. */
    p = mmap(NULL, n * MICA_PAGE_SIZE, prot, MAP_SHARED, m->privcmd, 0);
    if (p == MAP_FAILED) {
        mica_fail(m, -errno, "map %zu frames of %u", n, domid);
        free(own);
        return NULL;
    }
    batch = (struct privcmd_mmapbatch_v2){
        .num = (uint32_t)n, .dom = (uint16_t)domid,
        .addr = (uintptr_t)p, .arr = gfns, .err = e,
    };
    if (ioctl(m->privcmd, IOCTL_PRIVCMD_MMAPBATCH_V2, &batch) < 0)
        rc = -errno;
    /* A return of 0 does not promise every frame: look at each. */
    for (size_t i = 0; i < n; i++) {
        if (e[i]) {
            mica_fail(m, e[i], "map frame %#llx of %u",
                      (unsigned long long)gfns[i], domid);
            if (!errs)
                rc = e[i];
            break;
        }
    }
    /* With errs[] the caller sorts the frames out, unless none was tried. */
    if (rc && (!errs || !m->err[0])) {
        if (!m->err[0])
            mica_fail(m, rc, "map %zu frames of %u", n, domid);
        munmap(p, n * MICA_PAGE_SIZE);
        p = NULL;
    }
    free(own);
    return p;
}

void mica_unmap(void *p, size_t n)
{
    if (p)
        munmap(p, n * MICA_PAGE_SIZE);
}
