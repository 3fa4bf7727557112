/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/xlcfg/xlcfg-fuzz.c - libFuzzer target for everything `mica
 * create` reads from the user: the xl.cfg syntax, the meaning of its keys,
 * disk and vif specs, CPU lists and UUIDs.  The first byte picks what the
 * rest feeds; a config that parses is also printed as JSON.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domcfg.h"
#include "domcfg-json.h"
#include "uuid.h"
#include "xlcfg.h"

static void whole_config(const char *buf, size_t len)
{
    struct xlcfg_err err;
    struct xlcfg cfg;
    struct domcfg d;
    char *out = NULL;
    size_t olen;
    FILE *f;

    if (xlcfg_parse(&cfg, "fuzz.cfg", buf, len, &err))
        return;
    if (!domcfg_from_xlcfg(&d, &cfg, &err)) {
        f = open_memstream(&out, &olen);
        if (f) {
            domcfg_json(f, &d, 0);
            fclose(f);
        }
        free(out);
        domcfg_free(&d);
    }
    xlcfg_free(&cfg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct disk_spec dk;
    struct vif_spec vf;
    struct cpumap m;
    uint8_t u[16];
    const char *why;
    char whybuf[200], *s;

    if (!size)
        return 0;
    s = malloc(size);
    if (!s)
        return 0;
    memcpy(s, data + 1, size - 1);
    s[size - 1] = 0;
    switch (data[0] % 8) {
    case 0:
        if (!disk_spec_parse(&dk, s, whybuf, sizeof(whybuf)))
            disk_spec_free(&dk);
        break;
    case 1:
        if (!vif_spec_parse(&vf, s, whybuf, sizeof(whybuf)))
            vif_spec_free(&vf);
        break;
    case 2:
        if (!cpumap_parse(&m, s, &why))
            cpumap_format(&m, DOMCFG_MAX_CPUS, whybuf, sizeof(whybuf));
        break;
    case 3:
        (void)uuid_parse(s, u);
        (void)vdev_to_number(s);
        break;
    default:
        /* the raw bytes, NULs included: the parser must not need a terminator */
        whole_config((const char *)data + 1, size - 1);
        break;
    }
    free(s);
    return 0;
}
