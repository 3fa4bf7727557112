/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/builder.c - the user-space PV domain builder.
 */
#include <errno.h>
#include "libmica-priv.h"

int mica_build_pv(struct mica *m, uint32_t domid, struct mica_build *b)
{
    (void)b;
    return mica_fail(m, -ENOSYS, "build %u: not implemented yet", domid);
}
