/* SPDX-License-Identifier: MIT */
/*
 * image.h - libmica's kernel-image front end, pure (no devices, no
 * hypercalls): from the bytes of a kernel file as installed (a bzImage,
 * a compressed ELF, or a plain ELF) to the ELF image the builder loads.
 * Everything here reads bytes it does not trust, bounds every size and
 * is unit-tested and fuzzed on the host.
 */
#ifndef LIBMICA_IMAGE_H
#define LIBMICA_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room for a one-line reason. */
#define MICA_WHY_LEN    160

/* The largest ELF image we unpack: Debian's vmlinux is about 60 MiB. */
#define MICA_KERNEL_MAX (512UL << 20)

/* ---- bzimage.c: the x86 boot protocol's setup header ------------------- */

struct bzimage {
    uint16_t version;               /* boot protocol, e.g. 0x20f */
    unsigned int setup_sects;       /* 512-byte sectors after the boot sector */
    size_t payload_off;             /* in the file */
    size_t payload_len;
};

/*
 * 0 and *bz for a bzImage whose payload lies inside the 'len' bytes;
 * -ENOEXEC when there is no "HdrS" header (not a bzImage: the caller may
 * try other formats); -EINVAL for a header that is one but is broken
 * (protocol before 2.08, payload outside the file), reason in 'why'.
 */
int bzimage_parse(const uint8_t *img, size_t len, struct bzimage *bz,
                  char *why, size_t whylen);

/* ---- decompress.c: one compressed stream, output bounded ------------- */

enum mica_zformat {
    MICA_Z_NONE = 0,                /* no magic we know */
    MICA_Z_GZIP,
    MICA_Z_XZ,
    MICA_Z_ZSTD,
    MICA_Z_LZMA,                    /* the legacy .lzma ("alone") format */
    MICA_Z_BZIP2,                   /* recognised, not decompressed */
    MICA_Z_LZ4,                     /* recognised, not decompressed */
};

/* Which format 'p' starts with, by magic number. */
enum mica_zformat mica_zformat(const uint8_t *p, size_t len);
const char *mica_zformat_name(enum mica_zformat f);

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
