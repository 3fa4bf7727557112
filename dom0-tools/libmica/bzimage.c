/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/bzimage.c - reads the x86 boot protocol's setup
 * header of a bzImage (Linux Documentation/x86/boot.rst) for the one
 * thing a PV builder wants: where the compressed vmlinux is.
 *
 * setup_sects (u8 at 0x1f1; 0 means 4) 512-byte sectors follow the boot
 * sector; the protected-mode code starts after them, and payload_offset
 * (u32 at 0x248, relative to that start) and payload_length (u32 at
 * 0x24c, protocol 2.08 on) place the payload inside it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "image.h"

#define OFF_SETUP_SECTS     0x1f1
#define OFF_HEADER          0x202
#define OFF_VERSION         0x206
#define OFF_PAYLOAD_OFFSET  0x248
#define OFF_PAYLOAD_LENGTH  0x24c
#define HEADER_END          0x250
#define PROTO_PAYLOAD       0x0208

static uint32_t le(const uint8_t *p, unsigned int n)
{
    uint32_t v = 0;

    for (unsigned int i = n; i--; )
        v = v << 8 | p[i];
    return v;
}

static int bad(char *why, size_t whylen, const char *reason)
{
    if (whylen)
        snprintf(why, whylen, "bzImage: %s", reason);
    return -EINVAL;
}

int bzimage_parse(const uint8_t *img, size_t len, struct bzimage *bz,
                  char *why, size_t whylen)
{
    size_t pm_start;
    uint64_t off, plen;

    memset(bz, 0, sizeof(*bz));
    if (len < HEADER_END || memcmp(img + OFF_HEADER, "HdrS", 4)) {
        if (whylen)
            snprintf(why, whylen, "not a bzImage (no HdrS setup header)");
        return -ENOEXEC;
    }
    bz->version = (uint16_t)le(img + OFF_VERSION, 2);
    if (bz->version < PROTO_PAYLOAD)
        return bad(why, whylen, "boot protocol older than 2.08 has no payload fields");
    bz->setup_sects = img[OFF_SETUP_SECTS] ? img[OFF_SETUP_SECTS] : 4;
    pm_start = (bz->setup_sects + 1) * 512UL;
    off = pm_start + (uint64_t)le(img + OFF_PAYLOAD_OFFSET, 4);
    plen = le(img + OFF_PAYLOAD_LENGTH, 4);
    /* All in 64 bits: u32 fields plus a small start cannot wrap. */
    if (!plen || off > len || plen > len - off)
        return bad(why, whylen, "payload lies outside the file");
    bz->payload_off = (size_t)off;
    bz->payload_len = (size_t)plen;
    return 0;
}
