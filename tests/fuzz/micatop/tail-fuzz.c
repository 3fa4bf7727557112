/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/micatop/tail-fuzz.c - libFuzzer over mt_tail(), which reads
 * a guest's console log (any bytes the guest wrote): whatever comes in,
 * every line out is nul-terminated within its width and holds only
 * printable ASCII, so nothing reaches the terminal as a control sequence.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t nlines, width, n, i, j;
    char *out;

    if (size < 2)
        return 0;
    nlines = data[0] % 300;     /* beyond the 256 mt_tail keeps */
    width = data[1] % 200;
    out = malloc(300 * (width + 1));
    if (!out)
        return 0;
    memset(out, 'X', 300 * (width + 1));
    n = mt_tail((const char *)data + 2, size - 2, nlines, width, out);
    if (n > nlines || n > 256)
        abort();
    for (i = 0; i < n; i++) {
        const char *l = out + i * (width + 1);

        for (j = 0; l[j]; j++)
            if (j >= width || l[j] < 0x20 || l[j] > 0x7e)
                abort();
    }
    free(out);
    return 0;
}
