/* SPDX-License-Identifier: MIT */
/*
 * lib/crc.c - CRC-32 (gzip, xz; the reflected polynomial 0xEDB88320) and
 * CRC-64 (xz; ECMA-182 reflected, 0xC96C5795D7870F42), one byte a step
 * through tables built in the caller's workspace.
 */
#include "unzip-priv.h"

void pvb_crc_init(struct pvb_unzip_work *w)
{
    for (unsigned int i = 0; i < 256; i++) {
        uint32_t c = i;
        uint64_t d = i;

        for (unsigned int k = 0; k < 8; k++) {
            c = (c >> 1) ^ (0xEDB88320U & (0U - (c & 1)));
            d = (d >> 1) ^ (0xC96C5795D7870F42ULL & (0ULL - (d & 1)));
        }
        w->crc32[i] = c;
        w->crc64[i] = d;
    }
}

uint32_t pvb_crc32(const struct pvb_unzip_work *w, uint32_t crc,
                      const uint8_t *p, size_t n)
{
    crc = ~crc;
    while (n--)
        crc = w->crc32[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

uint64_t pvb_crc64(const struct pvb_unzip_work *w, uint64_t crc,
                      const uint8_t *p, size_t n)
{
    crc = ~crc;
    while (n--)
        crc = w->crc64[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}
