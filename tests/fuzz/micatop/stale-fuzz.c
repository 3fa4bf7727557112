/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/micatop/stale-fuzz.c - libFuzzer over mt_stale_of_path() and
 * mt_stale_mark(), which read xenstore paths from watch events (guests
 * write under their own /local/domain/N): whatever the path, only the
 * defined bits come back, and the marks stay within MT_STALE_MAX domains.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stale.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mt_stale st = { 0 };
    char *buf = malloc(size + 1), *p, *nl;
    uint32_t domid;
    unsigned int bits;

    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = 0;
    /* One path a line, as a series of events between two snapshots. */
    for (p = buf; p; p = nl ? nl + 1 : NULL) {
        nl = strchr(p, '\n');
        if (nl)
            *nl = 0;
        bits = mt_stale_of_path(p, &domid);
        if (bits & ~(MT_STALE_NAME | MT_STALE_VBD | MT_STALE_VIF | MT_STALE_ALL))
            abort();
        if (bits && !(bits & MT_STALE_ALL) && domid > 0x7fffffffu)
            abort();
        mt_stale_mark(&st, p);
        if (st.n > MT_STALE_MAX)
            abort();
    }
    mt_stale_free(&st);
    free(buf);
    return 0;
}
