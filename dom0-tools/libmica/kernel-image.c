/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/libmica/kernel-image.c - a kernel file as installed, to the ELF
 * image inside it: a plain ELF as it is, a bzImage's payload (Debian's
 * vmlinuz), or a file that is one compressed stream (vmlinux.gz).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "image.h"

static bool is_elf(const uint8_t *p, size_t len)
{
    return len >= 4 && !memcmp(p, "\177ELF", 4);
}

/*
 * Linux's payloads end with the decompressed size (u32, little-endian),
 * as does every gzip file; only a hint, since nothing checks it.
 */
static size_t size_hint(const uint8_t *p, size_t len)
{
    return len < 8 ? 0 : (size_t)p[len - 4] | (size_t)p[len - 3] << 8 |
                         (size_t)p[len - 2] << 16 | (size_t)p[len - 1] << 24;
}

int mica_kernel_image(const uint8_t *file, size_t len, size_t max_out,
                      uint8_t **elf, size_t *elf_len, char *why, size_t whylen)
{
    const uint8_t *packed = file;
    size_t packed_len = len, off, plen;
    int rc;

    *elf = NULL;
    *elf_len = 0;
    if (is_elf(file, len)) {
        if (len > max_out) {
            if (whylen)
                snprintf(why, whylen, "ELF image beyond the size limit");
            return -EFBIG;
        }
        if (!(*elf = malloc(len)))
            return -ENOMEM;
        memcpy(*elf, file, len);
        *elf_len = len;
        return 0;
    }
    rc = pvb_bzimage_payload(file, len, &off, &plen, why, whylen);
    if (rc == 0) {
        packed = file + off;
        packed_len = plen;
    } else if (rc != -ENOENT) {
        return rc;                  /* a bzImage, but a broken one */
    } else if (pvb_zformat(file, len) == PVB_Z_NONE) {
        if (whylen)
            snprintf(why, whylen, "not a kernel (neither ELF, bzImage nor compressed)");
        return -ENOEXEC;
    }
    rc = mica_decompress(packed, packed_len, size_hint(packed, packed_len), max_out,
                         elf, elf_len, why, whylen);
    if (rc)
        return rc;
    if (!is_elf(*elf, *elf_len)) {
        free(*elf);
        *elf = NULL;
        *elf_len = 0;
        if (whylen)
            snprintf(why, whylen, "the decompressed payload is not an ELF image");
        return -ENOEXEC;
    }
    return 0;
}
