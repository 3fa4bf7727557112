/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/shadow.c - XEN_DOMCTL_shadow_op, as Xen 4.17's
 * xc_shadow_control and xc_logdirty_control issue it: log-dirty on and
 * off, and the dirty bitmap of a pre-copy round (CLEAN reads and clears
 * it, PEEK only reads it).  Bit p of the bitmap (byte p / 8, bit p % 8)
 * is pfn p; the hypervisor side is hypervisor/mm/log-dirty.c.
 */
#include <errno.h>
#include <string.h>
#include "libmica-priv.h"

/* The one call every form below makes; the whole structure comes back in *sc. */
static int shadow_op(struct mica *m, uint32_t domid, struct xen_domctl_shadow_op *sc,
                     uint8_t *bitmap, const char *what)
{
    size_t bytes = bitmap ? (size_t)((sc->pages + 7) / 8) : 0;
    struct xen_domctl op;
    void *buf = NULL;
    int rc;

    mica_ok(m);
    if (bitmap && !(buf = mica_buf_alloc(m, bytes ? bytes : 1)))
        return mica_fail(m, -ENOMEM, "%s %u", what, domid);
    memset(&op, 0, sizeof(op));
    op.cmd = XEN_DOMCTL_shadow_op;
    op.domain = (domid_t)domid;
    op.u.shadow_op = *sc;
    set_xen_guest_handle(op.u.shadow_op.dirty_bitmap, buf);
    rc = mica_do_domctl(m, &op);
    if (!rc) {
        size_t got = (size_t)((op.u.shadow_op.pages + 7) / 8);

        *sc = op.u.shadow_op;
        if (buf)
            memcpy(bitmap, buf, got < bytes ? got : bytes);   /* pages out <= in */
    }
    if (buf)
        mica_buf_free(m, buf, bytes ? bytes : 1);
    return rc ? mica_fail(m, rc, "%s %u", what, domid) : 0;
}

int mica_shadow_op_enable_logdirty(struct mica *m, uint32_t domid)
{
    struct xen_domctl_shadow_op sc = { .op = XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY };

    return shadow_op(m, domid, &sc, NULL, "enable log-dirty on");
}

int mica_shadow_op_off(struct mica *m, uint32_t domid)
{
    struct xen_domctl_shadow_op sc = { .op = XEN_DOMCTL_SHADOW_OP_OFF };

    return shadow_op(m, domid, &sc, NULL, "log-dirty off on");
}

static int bitmap_op(struct mica *m, uint32_t domid, uint32_t op, uint8_t *bitmap,
                     uint64_t *pages, bool final, struct xen_domctl_shadow_op_stats *stats)
{
    struct xen_domctl_shadow_op sc = {
        .op = op,
        .mode = final ? XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL : 0,
        .pages = *pages,
    };
    int rc = shadow_op(m, domid, &sc, bitmap,
                       op == XEN_DOMCTL_SHADOW_OP_CLEAN ? "log-dirty CLEAN of" :
                                                          "log-dirty PEEK of");

    if (!rc) {
        *pages = sc.pages;
        if (stats)
            *stats = sc.stats;
    }
    return rc;
}

int mica_shadow_op_clean(struct mica *m, uint32_t domid, uint8_t *bitmap, uint64_t *pages,
                         bool final, struct xen_domctl_shadow_op_stats *stats)
{
    return bitmap_op(m, domid, XEN_DOMCTL_SHADOW_OP_CLEAN, bitmap, pages, final, stats);
}

int mica_shadow_op_peek(struct mica *m, uint32_t domid, uint8_t *bitmap, uint64_t *pages,
                        struct xen_domctl_shadow_op_stats *stats)
{
    return bitmap_op(m, domid, XEN_DOMCTL_SHADOW_OP_PEEK, bitmap, pages, false, stats);
}

int mica_shadow_op_allocation(struct mica *m, uint32_t domid, uint32_t *mb, bool set)
{
    struct xen_domctl_shadow_op sc = {
        .op = set ? XEN_DOMCTL_SHADOW_OP_SET_ALLOCATION : XEN_DOMCTL_SHADOW_OP_GET_ALLOCATION,
        .mb = set ? *mb : 0,
    };
    int rc = shadow_op(m, domid, &sc, NULL, "shadow allocation of");

    if (!rc && !set)
        *mb = sc.mb;
    return rc;
}
