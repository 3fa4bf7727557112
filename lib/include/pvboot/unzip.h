/* SPDX-License-Identifier: MIT */
/*
 * pvboot/unzip.h - a Linux bzImage as a PV kernel: its setup header, the
 * format of its compressed payload, and our own gzip (RFC 1951/1952) and
 * xz (LZMA2, x86 BCJ, CRC32/CRC64) decoders, for every domain builder
 * that is handed /boot/vmlinuz-* as Debian installs it.
 *
 * Like pvboot/elf.h: pure, freestanding, no allocation.  The caller gives
 * the output buffer (the whole uncompressed image: it is also the LZ77
 * window) and a workspace of pvb_unzip_work_size() bytes.  Input is not
 * trusted: every read and write is bounded, and malformed input is
 * refused with a negative errno (-ENOEXEC, -ENOSPC when the output would
 * not fit, -EOPNOTSUPP for a format we do not decode) and a one-line
 * reason in 'why'.
 */
#ifndef PVBOOT_UNZIP_H
#define PVBOOT_UNZIP_H

#include <stddef.h>
#include <stdint.h>

enum pvb_zformat {
    PVB_Z_NONE = 0,     /* not a compressed stream we can name */
    PVB_Z_GZIP,
    PVB_Z_XZ,
    PVB_Z_LZMA,
    PVB_Z_BZIP2,
    PVB_Z_LZO,
    PVB_Z_LZ4,
    PVB_Z_ZSTD,
};

/* The largest image we unpack: twice the largest span an ELF may have. */
#define PVB_UNZIP_MAX   (2ULL << 30)

struct pvb_unzip_work;

/* Bytes of workspace the decoders need (a few tens of KiB). */
size_t pvb_unzip_work_size(void);

/* The format of a stream by its magic bytes, and its name ("xz"). */
enum pvb_zformat pvb_zformat(const uint8_t *p, size_t len);
const char *pvb_zformat_name(enum pvb_zformat f);

/*
 * Where a bzImage's compressed kernel is (x86 boot protocol 2.08+:
 * payload_offset, payload_length).  Returns 0, -ENOENT when the image is
 * not a bzImage at all (no "HdrS"), or -ENOEXEC with a reason.
 */
int pvb_bzimage_payload(const uint8_t *img, size_t len, size_t *off,
                        size_t *plen, char *why, size_t whylen);

/*
 * The uncompressed size a bzImage payload announces: the little-endian
 * u32 in its last 4 bytes (gzip's ISIZE; appended after an xz stream by
 * Linux's build).  Returns 0 or -ENOEXEC.
 */
int pvb_payload_size(const uint8_t *p, size_t len, uint64_t *size);

/*
 * Decode one gzip member / one xz stream at 'in' into out[0, outmax),
 * its length in *outlen; bytes after the member or stream are ignored
 * (a bzImage payload ends in a size word).  Checksums are verified.
 */
int pvb_gunzip(const uint8_t *in, size_t inlen, uint8_t *out, size_t outmax,
               size_t *outlen, struct pvb_unzip_work *w, char *why, size_t whylen);
int pvb_unxz(const uint8_t *in, size_t inlen, uint8_t *out, size_t outmax,
             size_t *outlen, struct pvb_unzip_work *w, char *why, size_t whylen);

/*
 * Decode 'in' by its magic: gzip or xz; any other format named in the
 * message and refused with -EOPNOTSUPP.
 */
int pvb_unzip(const uint8_t *in, size_t inlen, uint8_t *out, size_t outmax,
              size_t *outlen, struct pvb_unzip_work *w, char *why, size_t whylen);

#endif /* PVBOOT_UNZIP_H */
