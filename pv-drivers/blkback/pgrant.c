/* SPDX-License-Identifier: MIT */
/*
 * pv-drivers/blkback/pgrant.c - moving a request's bytes to and from the
 * guest's granted pages.  Two ways, chosen per back end by
 * MICA_BLKBACK_GRANTS (copy, the default, or persistent) and per ring by
 * what the front end wrote:
 *  - grant copy: one GNTTABOP_copy ioctl per request, nothing stays mapped;
 *  - persistent grants (feature-persistent): blkfront reuses a pool of
 *    granted pages, so each ref is mapped once through gntdev, kept in a
 *    bounded table per ring (pgrant-table.c) until the ring goes, and the
 *    bytes move with memcpy.  A ref past the bound, or one that cannot be
 *    mapped writable, falls back to grant copy.
 *
 * Grant copy is the default because it moved more MiB/s here (make
 * bench-blkback, both ways in one guest, two boots of two rounds each;
 * numbers in pv-drivers/README.md): median sequential write 13.9 MiB/s
 * against 11.8, read 24.0 against 16.7.  Persistent grants had the
 * higher median 4 KiB QD1 rate (150 IOPS against 134).  With persistent
 * grants blkfront copies every byte into its pool pages and we copy it
 * again, two copies in TCG-emulated code where grant copy has one, in
 * the hypervisor; a small request saves the copy ioctl instead.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "blkback.h"

/* blkfront's pool: 32 indirect segments and their indirect page per slot. */
#define PGRANTS_PER_SLOT 33

bool bb_want_persistent(void)
{
    const char *m = getenv("MICA_BLKBACK_GRANTS");

    return m && !strcmp(m, "persistent");
}

int bb_pgrant_init(struct bb_queue *q)
{
    struct blkback *bb = q->bb;
    char *v;

    q->persistent = false;
    if (!bb->want_persistent || bex_read(&bb->x, bb->x.fe, "feature-persistent", &v))
        return 0;
    q->persistent = !strcmp(v, "1");
    free(v);
    if (!q->persistent)
        return 0;
    return pgrant_table_init(&q->pg, q->ring.size * PGRANTS_PER_SLOT);
}

static void unmap_one(void *page, void *arg)
{
    struct bb_queue *q = arg;

    mica_gnttab_unmap(q->bb->gt, page, 1);
}

void bb_pgrant_exit(struct bb_queue *q)
{
    if (!q->pg.slot)
        return;
    pgrant_drain(&q->pg, unmap_one, q);
    pgrant_table_free(&q->pg);
}

/* The ref's page, mapped now if the table has room; NULL: copy it. */
static uint8_t *page_of(struct bb_queue *q, uint32_t ref)
{
    struct blkback *bb = q->bb;
    void *p = pgrant_find(&q->pg, ref);

    if (p || q->pg.n == q->pg.cap)
        return p;
    p = mica_gnttab_map(bb->gt, bb->x.domid, &ref, 1, PROT_READ | PROT_WRITE);
    if (!p)
        return NULL;
    if (pgrant_add(&q->pg, ref, p)) {
        mica_gnttab_unmap(bb->gt, p, 1);
        return NULL;
    }
    bb->st.pg_maps++;
    return p;
}

int bb_grant_io(struct bb_queue *q, struct mica_grant_copy *c, unsigned int n)
{
    struct mica_grant_copy rest[BLK_MAX_SEGS];
    struct blkback *bb = q->bb;
    unsigned int left = 0;
    uint8_t *page;

    if (n > BLK_MAX_SEGS)
        return -EINVAL;
    for (unsigned int i = 0; i < n; i++) {
        page = q->persistent ? page_of(q, c[i].ref) : NULL;
        if (!page) {
            rest[left++] = c[i];
            continue;
        }
        if (c[i].to_grant)
            memcpy(page + c[i].offset, c[i].local, c[i].len);
        else
            memcpy(c[i].local, page + c[i].offset, c[i].len);
        bb->st.memcpy_segs++;
    }
    if (!left)
        return 0;
    bb->st.gcopy_calls++;
    bb->st.gcopy_segs += left;
    if (mica_gnttab_copy(bb->gt, bb->x.domid, rest, left))
        return -EIO;
    for (unsigned int i = 0; i < left; i++)
        if (rest[i].status)         /* a ref the guest does not own, read-only... */
            return -EFAULT;
    return 0;
}
