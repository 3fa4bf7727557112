/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/unzip/unzip-fuzz.c - libFuzzer target over lib/'s bzImage
 * reader and gzip and xz decoders.  The first input byte picks the entry
 * point (gzip, xz, a bzImage as the builder takes one apart, or the
 * by-magic dispatcher); the rest is the stream.  The output buffer is
 * malloc'd at exactly its size, so ASan catches any write past it, and
 * the decoders' promises about *outlen are checked.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/unzip.h>

#define OUT_MAX     (64U << 10)

static void check(int ok)
{
    if (!ok)
        abort();
}

static int bzimage(const uint8_t *p, size_t n, struct pvb_unzip_work *w, char *why,
                   size_t *outlen)
{
    size_t off, plen;
    uint64_t size;
    uint8_t *out;
    int rc = pvb_bzimage_payload(p, n, &off, &plen, why, 128);

    *outlen = 0;
    if (rc)
        return rc;
    check(off <= n && plen <= n - off && plen);
    rc = pvb_payload_size(p + off, plen, &size);
    if (rc)
        return rc;
    size = size > OUT_MAX ? OUT_MAX : size;
    out = malloc(size ? size : 1);
    rc = pvb_unzip(p + off, plen, out, size, outlen, w, why, 128);
    check(rc ? !*outlen : *outlen <= size);
    free(out);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct pvb_unzip_work *w;
    char why[128];
    size_t outlen = 1, outmax;
    uint8_t *out;
    int rc;

    if (!w)
        w = malloc(pvb_unzip_work_size());
    if (size < 2)
        return 0;
    /* Room for up to 64 KiB (the second byte): below malloc's mmap size. */
    outmax = (size_t)data[1] << 8;
    out = malloc(outmax ? outmax : 1);
    switch (data[0] & 3) {
    case 0:
        rc = pvb_gunzip(data + 2, size - 2, out, outmax, &outlen, w, why, sizeof(why));
        break;
    case 1:
        rc = pvb_unxz(data + 2, size - 2, out, outmax, &outlen, w, why, sizeof(why));
        break;
    case 2:
        rc = bzimage(data + 2, size - 2, w, why, &outlen);
        break;
    default:
        rc = pvb_unzip(data + 2, size - 2, out, outmax, &outlen, w, why, sizeof(why));
    }
    check(rc <= 0);
    check(rc ? outlen == 0 : (data[0] & 3) == 2 || outlen <= outmax);
    check(memchr(why, '\0', sizeof(why)) != NULL || !rc);
    free(out);
    return 0;
}
