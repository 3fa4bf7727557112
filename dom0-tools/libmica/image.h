/* SPDX-License-Identifier: MIT */
/*
 * image.h - libmica's kernel-image front end, pure (no devices, no
 * hypercalls): from the bytes of a kernel file as installed (a bzImage,
 * a compressed ELF, or a plain ELF) to the ELF image the builder loads.
 * Everything here reads bytes it does not trust, bounds every size and
 * is unit-tested and fuzzed on the host.  The bzImage setup header and
 * the formats' magic numbers are read by lib/'s one reader
 * (pvboot/unzip.h), the one the hypervisor's builder uses; the streams
 * themselves are decoded here with the library made for each format.
 */
#ifndef LIBMICA_IMAGE_H
#define LIBMICA_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pvboot/unzip.h>

/* Room for a one-line reason. */
#define MICA_WHY_LEN    160

/* The largest ELF image we unpack: Debian's vmlinux is about 60 MiB. */
#define MICA_KERNEL_MAX (512UL << 20)

/* ---- decompress.c: one compressed stream, output bounded ------------- */

/*
 * Decompress the first stream of 'in' (bytes after its end are ignored:
 * Linux appends the decompressed size) into a malloc'd *out of *out_len
 * bytes, never more than 'max_out'.  'hint' is the size expected (0 when
 * unknown): the buffer starts that large, so a right hint saves the
 * copies of growing it and a wrong one costs only time.  0, or -ENOEXEC (unknown format),
 * -ENOTSUP (known, no decoder), -EFBIG (over max_out), -EINVAL (corrupt
 * or truncated), -ENOMEM; reason in 'why'.  *out is NULL on failure.
 */
int mica_decompress(const uint8_t *in, size_t len, size_t hint, size_t max_out,
                    uint8_t **out, size_t *out_len, char *why, size_t whylen);

/* ---- kernel-image.c: a kernel file to its ELF image -------------------- */

/*
 * A malloc'd copy of the ELF image held in 'file': the file itself when
 * it is an ELF, a bzImage's payload decompressed, or a whole compressed
 * file (a gzip'd vmlinux) decompressed; at most 'max_out' bytes.  The
 * result starts with the ELF magic; ELF and Xen-note checks are the
 * parser's.  0, or -errno with a reason in 'why'.
 */
int mica_kernel_image(const uint8_t *file, size_t len, size_t max_out,
                      uint8_t **elf, size_t *elf_len, char *why, size_t whylen);

#endif /* LIBMICA_IMAGE_H */
