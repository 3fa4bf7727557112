/* SPDX-License-Identifier: MIT */
/*
 * devspec.c - xl's disk and vif spec strings (xl-disk-configuration(5),
 * xl-network-configuration(5)) into structs, checked now so a bad spec
 * fails `mica create` before anything exists; the back ends act on them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domcfg.h"

static int why_set(char *why, unsigned int len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int why_set(char *why, unsigned int len, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
    return -EINVAL;
}

static char *trim(char *s)
{
    char *e;

    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        *--e = 0;
    return s;
}

/* Letters a..z, aa.. as xl numbers disks: a=0, z=25, aa=26. */
static int disk_letters(const char **p)
{
    int n = 0, k = 0;

    while (**p >= 'a' && **p <= 'z' && k < 3) {
        n = n * 26 + (**p - 'a' + 1);
        (*p)++;
        k++;
    }
    return k ? n - 1 : -1;
}

static int part_number(const char *p, int max)
{
    char *end;
    long v;

    if (!*p)
        return 0;
    if (*p < '1' || *p > '9')
        return -1;
    v = strtol(p, &end, 10);
    return *end || v > max ? -1 : (int)v;
}

int vdev_to_number(const char *vdev)
{
    const char *p = vdev;
    int disk, part;

    if (!strncmp(p, "xvd", 3)) {
        p += 3;
        if ((disk = disk_letters(&p)) < 0 || (part = part_number(p, 255)) < 0)
            return -EINVAL;
        if (disk < 16 && part < 16)
            return (202 << 8) | (disk << 4) | part;
        return (1 << 28) | (disk << 8) | part;
    }
    if (!strncmp(p, "hd", 2)) {
        static const int major[] = { 3, 22, 33, 34, 56, 57, 88, 89, 90, 91 };

        p += 2;
        if ((disk = disk_letters(&p)) < 0 || disk >= 20 || (part = part_number(p, 63)) < 0)
            return -EINVAL;
        return (major[disk / 2] << 8) | ((disk % 2) << 6) | part;
    }
    if (!strncmp(p, "sd", 2)) {
        p += 2;
        if ((disk = disk_letters(&p)) < 0 || disk >= 16 || (part = part_number(p, 15)) < 0)
            return -EINVAL;
        return (8 << 8) | (disk << 4) | part;
    }
    if (p[0] == 'd' && p[1] >= '0' && p[1] <= '9') {
        char *end;
        long d = strtol(p + 1, &end, 10), q = 0;

        if (*end == 'p') {
            if (end[1] < '0' || end[1] > '9')
                return -EINVAL;
            q = strtol(end + 1, &end, 10);
        }
        if (*end || d >= (1 << 20) || q > 255)
            return -EINVAL;
        return (int)((1 << 28) | (d << 8) | q);
    }
    return -EINVAL;
}

static const char *const formats[] = {
    [DISK_RAW] = "raw", [DISK_QCOW] = "qcow", [DISK_QCOW2] = "qcow2",
    [DISK_VHD] = "vhd", [DISK_QED] = "qed", [DISK_EMPTY] = "empty",
};

static int set_format(struct disk_spec *d, const char *v, char *why, unsigned int len)
{
    for (unsigned int i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
        if (!strcmp(v, formats[i])) {
            d->format = (enum disk_format)i;
            return 0;
        }
    if (!*v)
        return 0;
    return why_set(why, len, "unknown value for format: %s", v);
}

static int set_access(struct disk_spec *d, const char *v, char *why, unsigned int len)
{
    if (!strcmp(v, "r") || !strcmp(v, "ro"))
        d->readonly = true;
    else if (!strcmp(v, "w") || !strcmp(v, "rw") || !*v)
        d->readonly = false;
    else
        return why_set(why, len, "unknown value for access: %s", v);
    return 0;
}

static int set_str(char **dst, const char *v)
{
    free(*dst);
    *dst = strdup(v);
    return *dst ? 0 : -ENOMEM;
}

/* "hdc:cdrom" is the old way of saying devtype=cdrom. */
static int set_vdev(struct disk_spec *d, char *v, char *why, unsigned int len)
{
    char *colon = strchr(v, ':');

    if (colon) {
        if (strcmp(colon + 1, "cdrom"))
            return why_set(why, len, "unknown suffix on vdev: %s", v);
        *colon = 0;
        d->cdrom = true;
    }
    return set_str(&d->vdev, v);
}

/* The old target prefixes: phy:, file:, tap:aio:, and format ones like qcow2:. */
static void strip_target_prefix(struct disk_spec *d, char **v)
{
    static const char *const drop[] = { "phy:", "file:", "tap:aio:", "tap2:aio:", "aio:" };
    unsigned int i;

    for (i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
        if (!strncmp(*v, drop[i], strlen(drop[i])))
            *v += strlen(drop[i]);
    for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        size_t n = strlen(formats[i]);

        if (!strncmp(*v, formats[i], n) && (*v)[n] == ':') {
            d->format = (enum disk_format)i;
            *v += n + 1;
        }
    }
}

static int disk_keyed(struct disk_spec *d, const char *k, char *v, char *why,
                      unsigned int len)
{
    if (!strcmp(k, "format"))
        return set_format(d, v, why, len);
    if (!strcmp(k, "vdev"))
        return set_vdev(d, v, why, len);
    if (!strcmp(k, "access"))
        return set_access(d, v, why, len);
    if (!strcmp(k, "devtype")) {
        if (strcmp(v, "cdrom") && strcmp(v, "disk"))
            return why_set(why, len, "unknown value for devtype: %s", v);
        d->cdrom = !strcmp(v, "cdrom");
        return 0;
    }
    if (!strcmp(k, "backendtype")) {
        if (strcmp(v, "phy") && strcmp(v, "tap") && strcmp(v, "qdisk") &&
            strcmp(v, "standalone"))
            return why_set(why, len, "unknown value for backendtype: %s", v);
        return set_str(&d->backendtype, v);
    }
    if (!strcmp(k, "backend"))
        return set_str(&d->backend, v);
    if (!strcmp(k, "script"))
        return set_str(&d->script, v);
    return why_set(why, len, "unknown parameter: %s", k);
}

static int disk_word(struct disk_spec *d, char *tok, int *npos, char *why,
                     unsigned int len)
{
    static const char *const flags[] = {
        "direct-io-safe", "discard", "no-discard", "trusted", "untrusted",
    };
    char *eq = strchr(tok, '=');
    unsigned int i;

    if (eq) {
        *eq = 0;
        return disk_keyed(d, trim(tok), trim(eq + 1), why, len);
    }
    if (!strcmp(tok, "cdrom")) {
        d->cdrom = true;
        return 0;
    }
    for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
        if (!strcmp(tok, flags[i]))
            return 0;
    switch ((*npos)++) {
    case 0:
        strip_target_prefix(d, &tok);
        return *tok ? set_str(&d->target, tok) : 0;
    case 1:
        /* xm's old "phy:/dev/x,xvda,w" leaves the format out */
        if (strncmp(tok, "empty", 5) && vdev_to_number(tok) >= 0) {
            *npos = 3;
            return set_vdev(d, tok, why, len);
        }
        return set_format(d, tok, why, len);
    case 2:
        return set_vdev(d, tok, why, len);
    case 3:
        return set_access(d, tok, why, len);
    }
    return why_set(why, len, "too many positional parameters");
}

int disk_spec_parse(struct disk_spec *d, const char *spec, char *why,
                    unsigned int len)
{
    char *copy = strdup(spec), *p, *comma;
    int npos = 0, rc = 0;

    memset(d, 0, sizeof(*d));
    if (!copy)
        return -ENOMEM;
    for (p = copy; p && !rc;) {
        char *tok;

        /* target= takes the rest of the string, commas and all */
        tok = p;
        while (*tok == ' ' || *tok == '\t')
            tok++;
        if (!strncmp(tok, "target=", 7)) {
            char *t = trim(tok + 7);

            strip_target_prefix(d, &t);
            rc = *t ? set_str(&d->target, t) : 0;
            break;
        }
        comma = strchr(p, ',');
        if (comma)
            *comma = 0;
        rc = disk_word(d, trim(p), &npos, why, len);
        p = comma ? comma + 1 : NULL;
    }
    free(copy);
    if (!rc && !d->vdev)
        rc = why_set(why, len, "no vdev specified");
    if (!rc && vdev_to_number(d->vdev) < 0)
        rc = why_set(why, len, "invalid vdev: %s", d->vdev);
    if (!rc && !d->target && !d->cdrom)
        rc = why_set(why, len, "no target specified");
    if (!rc) {
        d->vdev_num = (unsigned int)vdev_to_number(d->vdev);
        if (d->cdrom)
            d->readonly = true;
        if (!d->target)
            d->format = DISK_EMPTY;
    }
    if (rc)
        disk_spec_free(d);
    return rc;
}

void disk_spec_free(struct disk_spec *d)
{
    free(d->target);
    free(d->vdev);
    free(d->backend);
    free(d->backendtype);
    free(d->script);
    memset(d, 0, sizeof(*d));
}

static int parse_mac(uint8_t mac[6], const char *s)
{
    for (int i = 0; i < 6; i++) {
        if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
            return -EINVAL;
        mac[i] = (uint8_t)strtoul((char[3]){ s[0], s[1], 0 }, NULL, 16);
        s += 2;
        if (i < 5 && *s++ != ':')
            return -EINVAL;
    }
    return *s ? -EINVAL : 0;
}

static int vif_number(const char *v, unsigned long max, unsigned long *out)
{
    char *end;

    if (*v < '0' || *v > '9')
        return -EINVAL;
    *out = strtoul(v, &end, 10);
    return *end || *out > max ? -EINVAL : 0;
}

static int vif_keyed(struct vif_spec *f, const char *k, const char *v, char *why,
                     unsigned int len)
{
    static const char *const keys[] = {
        "bridge", "model", "type", "vifname", "script", "ip", "backend", "rate",
        "gatewaydev",
    };
    char **dst[] = { &f->bridge, &f->model, &f->type, &f->vifname, &f->script,
                     &f->ip, &f->backend, &f->rate, &f->gatewaydev };
    unsigned long n;

    if (!strcmp(k, "mac")) {
        if (parse_mac(f->mac, v))
            return why_set(why, len, "invalid mac address: %s", v);
        if (f->mac[0] & 1)
            return why_set(why, len, "mac address %s is a multicast address", v);
        f->has_mac = true;
        return 0;
    }
    if (!strcmp(k, "mtu")) {
        if (vif_number(v, 65535, &n) || n < 68)
            return why_set(why, len, "invalid mtu: %s", v);
        f->mtu = (unsigned int)n;
        return 0;
    }
    if (!strcmp(k, "devid")) {
        if (vif_number(v, 65535, &n))
            return why_set(why, len, "invalid devid: %s", v);
        f->devid = (int)n;
        return 0;
    }
    if (!strcmp(k, "type") && strcmp(v, "vif"))
        return why_set(why, len, "type=%s needs a device model (HVM), which Mica lacks: only type=vif", v);
    if (!strcmp(k, "rate") && (*v < '0' || *v > '9'))
        return why_set(why, len, "invalid rate: %s", v);
    for (unsigned int i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (!strcmp(k, keys[i]))
            return set_str(dst[i], v);
    /* xl ignores the vif keys it does not know (accel=, and newer ones) */
    return 0;
}

int vif_spec_parse(struct vif_spec *f, const char *spec, char *why,
                   unsigned int len)
{
    char *copy = strdup(spec), *p, *comma, *eq, *tok;
    int rc = 0;

    memset(f, 0, sizeof(*f));
    f->devid = -1;
    if (!copy)
        return -ENOMEM;
    for (p = copy; p && !rc; p = comma ? comma + 1 : NULL) {
        comma = strchr(p, ',');
        if (comma)
            *comma = 0;
        tok = trim(p);
        if (!*tok || !strcmp(tok, "trusted") || !strcmp(tok, "untrusted"))
            continue;
        eq = strchr(tok, '=');
        if (!eq) {
            rc = why_set(why, len, "expected key=value, not \"%s\"", tok);
            break;
        }
        *eq = 0;
        rc = vif_keyed(f, trim(tok), trim(eq + 1), why, len);
    }
    free(copy);
    if (rc)
        vif_spec_free(f);
    return rc;
}

void vif_spec_free(struct vif_spec *f)
{
    char **s[] = { &f->bridge, &f->model, &f->type, &f->vifname, &f->script,
                   &f->ip, &f->backend, &f->rate, &f->gatewaydev };

    for (unsigned int i = 0; i < sizeof(s) / sizeof(s[0]); i++)
        free(*s[i]);
    memset(f, 0, sizeof(*f));
}
