/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/cmdline.c - parses the hypervisor command line against
 * a table of options.  Pure code: no hardware, no allocation; values are
 * written through the table's pointers, problems reported as text.
 */
#include <string.h>
#include <mica/types.h>
#include <mica/errno.h>
#include <mica/lib.h>
#include <mica/cmdline.h>

#define MAX_TOKEN 256

int parse_uint(const char *s, const char **end, uint64_t *out)
{
    unsigned int base = 10;
    uint64_t v = 0;
    const char *p = s;

    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    if (!*p)
        return -EINVAL;
    for (; *p; p++) {
        unsigned int d;

        if (*p >= '0' && *p <= '9')
            d = *p - '0';
        else if (base == 16 && *p >= 'a' && *p <= 'f')
            d = *p - 'a' + 10;
        else if (base == 16 && *p >= 'A' && *p <= 'F')
            d = *p - 'A' + 10;
        else
            break;
        if (v > (UINT64_MAX - d) / base)
            return -ERANGE;
        v = v * base + d;
    }
    if (p == s || (base == 16 && p == s + 2))
        return -EINVAL;
    *out = v;
    if (end)
        *end = p;
    else if (*p)
        return -EINVAL;
    return 0;
}

int parse_size(const char *s, const char **end, uint64_t *bytes)
{
    const char *p;
    uint64_t v;
    unsigned int shift = 10;     /* no suffix means KiB, as Xen's dom0_mem */
    int rc = parse_uint(s, &p, &v);

    if (rc)
        return rc;
    switch (*p) {
    case 'b': case 'B': shift = 0;  p++; break;
    case 'k': case 'K': shift = 10; p++; break;
    case 'm': case 'M': shift = 20; p++; break;
    case 'g': case 'G': shift = 30; p++; break;
    case 't': case 'T': shift = 40; p++; break;
    }
    if (shift && v > (UINT64_MAX >> shift))
        return -ERANGE;
    *bytes = v << shift;
    if (end)
        *end = p;
    else if (*p)
        return -EINVAL;
    return 0;
}

static int parse_bool(const char *val, bool *out)
{
    static const char *const yes[] = { "1", "yes", "on", "true" };
    static const char *const no[] = { "0", "no", "off", "false" };

    if (!val) {
        *out = true;
        return 0;
    }
    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        if (!strcmp(val, yes[i])) {
            *out = true;
            return 0;
        }
        if (!strcmp(val, no[i])) {
            *out = false;
            return 0;
        }
    }
    return -EINVAL;
}

static const struct param *find(const char *key, const struct param *params,
                                size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(key, params[i].name))
            return &params[i];
    return NULL;
}

static int apply(const struct param *p, const char *val)
{
    switch (p->type) {
    case PARAM_BOOL:
        return parse_bool(val, p->var);
    case PARAM_UINT:
        return val ? parse_uint(val, NULL, p->var) : -EINVAL;
    case PARAM_SIZE:
        return val ? parse_size(val, NULL, p->var) : -EINVAL;
    case PARAM_STRING:
        if (!val || strlen(val) >= p->len)
            return -EINVAL;
        memcpy(p->var, val, strlen(val) + 1);
        return 0;
    case PARAM_CUSTOM:
        return p->parse(val, p->var);
    case PARAM_IGNORE:
        return 0;
    }
    return -EINVAL;
}

static void complain(void (*report)(const char *), const char *what,
                     const char *token)
{
    char msg[MAX_TOKEN + 64];

    snprintf(msg, sizeof(msg), "cmdline: %s '%s'", what, token);
    report(msg);
}

int cmdline_parse(const char *cmdline, const struct param *params, size_t n,
                  void (*report)(const char *msg))
{
    char tok[MAX_TOKEN];
    int problems = 0;
    const char *s = cmdline;

    while (s && *s) {
        const struct param *p;
        size_t len = 0;
        char *val;

        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        while (s[len] && s[len] != ' ' && s[len] != '\t')
            len++;
        if (len >= sizeof(tok)) {
            snprintf(tok, sizeof(tok), "%.40s...", s);
            complain(report, "option too long", tok);
            problems++;
            s += len;
            continue;
        }
        memcpy(tok, s, len);
        tok[len] = '\0';
        s += len;

        val = strchr(tok, '=');
        if (val)
            *val++ = '\0';
        if (!tok[0]) {
            if (val)
                val[-1] = '=';
            complain(report, "missing option name in", tok);
            problems++;
            continue;
        }

        p = find(tok, params, n);
        if (!p && !val && !strncmp(tok, "no-", 3)) {
            /* "no-foo" turns a boolean "foo" off. */
            p = find(tok + 3, params, n);
            if (p && p->type == PARAM_BOOL) {
                *(bool *)p->var = false;
                continue;
            }
            if (p && p->type == PARAM_IGNORE)
                continue;
            p = NULL;
        }
        if (!p) {
            complain(report, "unknown option", tok);
            problems++;
            continue;
        }
        if (apply(p, val)) {
            if (val)
                val[-1] = '=';
            complain(report, "bad value in", tok);
            problems++;
        }
    }
    return problems;
}
