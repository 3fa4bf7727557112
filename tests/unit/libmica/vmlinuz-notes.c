/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/libmica/vmlinuz-notes.c - the real Debian vmlinuz (the build
 * fetched linux-image-amd64 for dom0) through libmica's front end down to
 * its Xen notes, with the parser the builders share (lib/elf.c):
 *
 *   vmlinuz-notes FILE      TEST lines; SKIP when FILE is absent
 *
 * Not a CUnit suite so that an absent file is a SKIP line, not a PASS.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvboot/elf.h>
#include "image.h"

#define NAME "libmica/vmlinuz-notes"

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) > 0 && !fseek(f, 0, SEEK_SET) &&
        (buf = malloc((size_t)n)) && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    *len = buf ? (size_t)n : 0;
    fclose(f);
    return buf;
}

static int check(const uint8_t *file, size_t len)
{
    char why[MICA_WHY_LEN];
    struct xen_elf_info info;
    size_t off, plen;
    struct elf_segment seg;
    uint8_t *elf;
    size_t elf_len;
    int rc;

    if ((rc = pvb_bzimage_payload(file, len, &off, &plen, why, sizeof(why)))) {
        printf("TEST %s: FAIL not read as a bzImage: %s\n", NAME, why);
        return 1;
    }
    printf("TEST libmica/vmlinuz-bzimage: PASS protocol %#x, %s payload of %zu bytes at %zu\n",
           file[0x206] | file[0x207] << 8, pvb_zformat_name(pvb_zformat(file + off, plen)),
           plen, off);
    if ((rc = mica_kernel_image(file, len, MICA_KERNEL_MAX, &elf, &elf_len, why, sizeof(why)))) {
        printf("TEST %s: FAIL %s\n", NAME, why);
        return 1;
    }
    rc = elf_parse_xen(elf, elf_len, &info, why, sizeof(why));
    for (unsigned int i = 0; !rc && i < info.nr_load; i++)
        rc = elf_load_segment(elf, elf_len, &info, i, &seg);
    if (rc) {
        printf("TEST %s: FAIL %s\n", NAME, why);
    } else if (strcmp(info.guest_os, "linux") || strncmp(info.xen_version, "xen-3.0", 7) ||
               !info.entry || !info.virt_base || !info.nr_load) {
        printf("TEST %s: FAIL notes: guest_os \"%s\", xen_version \"%s\", entry %#llx, "
               "hypercall page %d, virt_base %#llx, %u segments\n", NAME, info.guest_os,
               info.xen_version, (unsigned long long)info.entry, info.has_hypercall_page,
               (unsigned long long)info.virt_base, info.nr_load);
        rc = -EINVAL;
    } else {
        /* 6.1 stable dropped its hypercall page (it probes CPUID instead). */
        printf("TEST %s: PASS %zu-byte ELF, %s %s, entry %#llx, %s, "
               "virt_base %#llx, %u segments\n", NAME, elf_len, info.guest_os,
               info.guest_version, (unsigned long long)info.entry,
               info.has_hypercall_page ? "hypercall page" : "no hypercall page",
               (unsigned long long)info.virt_base, info.nr_load);
    }
    free(elf);
    return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
    uint8_t *file;
    size_t len;
    int rc;

    if (argc != 2 || !argv[1][0]) {
        printf("TEST %s: SKIP no Debian vmlinuz fetched (make dom0-kernel)\n", NAME);
        return 0;
    }
    file = slurp(argv[1], &len);
    if (!file) {
        printf("TEST %s: SKIP %s: %s\n", NAME, argv[1], strerror(errno));
        return 0;
    }
    rc = check(file, len);
    free(file);
    return rc;
}
