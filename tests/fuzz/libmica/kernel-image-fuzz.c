/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/libmica/kernel-image-fuzz.c - libFuzzer target for libmica's
 * kernel-image front end: any bytes as a kernel file (bzImage header,
 * then xz/gzip/zstd/lzma decoding with its output bound, then the ELF
 * magic check).  The bound is small here so a decompression bomb shows as
 * a clean -EFBIG, not as the fuzzer's memory limit.
 */
#include <stdint.h>
#include <stdlib.h>
#include "image.h"

#define FUZZ_MAX_OUT    (8U << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char why[MICA_WHY_LEN];
    size_t len, off, plen;
    uint8_t *elf;

    pvb_bzimage_payload(data, size, &off, &plen, why, sizeof(why));
    if (mica_kernel_image(data, size, FUZZ_MAX_OUT, &elf, &len, why, sizeof(why)) == 0) {
        if (len > FUZZ_MAX_OUT || len < 4 || elf[0] != 0x7f)
            abort();
        free(elf);
    } else if (elf) {
        abort();                    /* failure must leave nothing behind */
    }
    return 0;
}
