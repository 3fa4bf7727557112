/* SPDX-License-Identifier: MIT */
/*
 * lib/bzimage.c - a Linux bzImage handed to a PV domain builder: the x86
 * boot protocol's setup header (Documentation/x86/boot.rst) says where
 * the compressed vmlinux is, its magic says how it is compressed, and we
 * unpack gzip and xz ourselves; lzma, bzip2, lzo, lz4 and zstd kernels
 * are refused by name.
 *
 * setup_sects (u8 at 0x1f1, 0 meaning 4) 512-byte sectors follow the
 * boot sector; the protected-mode code starts after them, and
 * payload_offset (u32 at 0x248, relative to that start) and payload_length
 * (u32 at 0x24c) place the payload, from boot protocol 2.08 on.
 */
#include "unzip-priv.h"

#define OFF_SETUP_SECTS     0x1f1
#define OFF_HEADER          0x202
#define OFF_VERSION         0x206
#define OFF_PAYLOAD_OFFSET  0x248
#define OFF_PAYLOAD_LENGTH  0x24c
#define HEADER_END          0x250
#define PROTO_PAYLOAD       0x0208

int pvb_unzip_fail(struct unzip_ctx *c, int rc, const char *fmt, ...)
{
    va_list ap;

    if (c->whylen) {
        va_start(ap, fmt);
        vsnprintf(c->why, c->whylen, fmt, ap);
        va_end(ap);
    }
    return rc;
}

size_t pvb_unzip_work_size(void)
{
    return sizeof(struct pvb_unzip_work);
}

static uint32_t le(const uint8_t *p, unsigned int n)
{
    uint32_t v = 0;

    while (n--)
        v = v << 8 | p[n];
    return v;
}

enum pvb_zformat pvb_zformat(const uint8_t *p, size_t len)
{
    /* The magics Linux's own decompressors look for (lib/decompress.c). */
    static const struct {
        enum pvb_zformat f;
        uint8_t n;
        uint8_t magic[6];
    } magics[] = {
        { PVB_Z_GZIP,  2, { 0x1f, 0x8b } },
        { PVB_Z_GZIP,  2, { 0x1f, 0x9e } },     /* old gzip */
        { PVB_Z_XZ,    6, { 0xfd, '7', 'z', 'X', 'Z', 0 } },
        { PVB_Z_LZMA,  3, { 0x5d, 0x00, 0x00 } },
        { PVB_Z_BZIP2, 3, { 'B', 'Z', 'h' } },
        { PVB_Z_LZO,   4, { 0x89, 'L', 'Z', 'O' } },
        { PVB_Z_LZ4,   4, { 0x02, 0x21, 0x4c, 0x18 } },
        { PVB_Z_ZSTD,  4, { 0x28, 0xb5, 0x2f, 0xfd } },
    };

    for (unsigned int i = 0; i < PVB_ARRAY_SIZE(magics); i++)
        if (len >= magics[i].n && !memcmp(p, magics[i].magic, magics[i].n))
            return magics[i].f;
    return PVB_Z_NONE;
}

const char *pvb_zformat_name(enum pvb_zformat f)
{
    static const char *const names[] = {
        [PVB_Z_NONE] = "unknown", [PVB_Z_GZIP] = "gzip", [PVB_Z_XZ] = "xz",
        [PVB_Z_LZMA] = "lzma", [PVB_Z_BZIP2] = "bzip2", [PVB_Z_LZO] = "lzo",
        [PVB_Z_LZ4] = "lz4", [PVB_Z_ZSTD] = "zstd",
    };

    return (unsigned int)f < PVB_ARRAY_SIZE(names) ? names[f] : "unknown";
}

int pvb_bzimage_payload(const uint8_t *img, size_t len, size_t *off,
                        size_t *plen, char *why, size_t whylen)
{
    struct unzip_ctx c = { .why = why, .whylen = why ? whylen : 0 };
    unsigned int sects, version;
    uint64_t start, n;

    if (len < HEADER_END || memcmp(img + OFF_HEADER, "HdrS", 4))
        return -XEN_ENOENT;
    version = le(img + OFF_VERSION, 2);
    if (version < PROTO_PAYLOAD)
        return pvb_unzip_fail(&c, -XEN_ENOEXEC, "bzImage: boot protocol %u.%02u has no "
                          "payload fields (2.08 needed)", version >> 8, version & 0xff);
    sects = img[OFF_SETUP_SECTS] ? img[OFF_SETUP_SECTS] : 4;
    /* u32 fields and a small start, summed in 64 bits: nothing wraps. */
    start = (sects + 1ULL) * 512 + le(img + OFF_PAYLOAD_OFFSET, 4);
    n = le(img + OFF_PAYLOAD_LENGTH, 4);
    if (!n || start > len || n > len - start)
        return pvb_unzip_fail(&c, -XEN_ENOEXEC, "bzImage: payload at %#llx+%#llx lies "
                          "outside the %zu-byte image", (unsigned long long)start,
                          (unsigned long long)n, len);
    *off = (size_t)start;
    *plen = (size_t)n;
    return 0;
}

int pvb_payload_size(const uint8_t *p, size_t len, uint64_t *size)
{
    if (len < 4)
        return -XEN_ENOEXEC;
    *size = le(p + len - 4, 4);
    return *size ? 0 : -XEN_ENOEXEC;
}

int pvb_unzip(const uint8_t *in, size_t inlen, uint8_t *out, size_t outmax,
              size_t *outlen, struct pvb_unzip_work *w, char *why, size_t whylen)
{
    struct unzip_ctx c = { .why = why, .whylen = why ? whylen : 0 };
    enum pvb_zformat f = pvb_zformat(in, inlen);

    *outlen = 0;
    if (f == PVB_Z_GZIP)
        return pvb_gunzip(in, inlen, out, outmax, outlen, w, why, whylen);
    if (f == PVB_Z_XZ)
        return pvb_unxz(in, inlen, out, outmax, outlen, w, why, whylen);
    if (f == PVB_Z_NONE)
        return pvb_unzip_fail(&c, -XEN_ENOEXEC, "payload is in no compression format "
                          "we know");
    return pvb_unzip_fail(&c, -XEN_EOPNOTSUPP, "%s-compressed kernels are not supported "
                      "(gzip and xz are)", pvb_zformat_name(f));
}
