/* SPDX-License-Identifier: MIT */
/*
 * stale.c - from a changed xenstore path to the cached figures it makes
 * stale (stale.h).  A path is split into its components and matched
 * against the few shapes micatop caches; anything else changes nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "stale.h"

/* A domid component: decimal, no sign, no leading zero, below 2^31. */
static bool parse_domid(const char *s, size_t len, uint32_t *out)
{
    uint32_t v = 0;
    size_t i;

    if (!len || len > 10 || (len > 1 && s[0] == '0'))
        return false;
    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        if (v > (UINT32_C(0x7fffffff) - (uint32_t)(s[i] - '0')) / 10)
            return false;
        v = v * 10 + (uint32_t)(s[i] - '0');
    }
    *out = v;
    return true;
}

/* If 'p' starts with component 'c', the rest after it ("" or "/..."). */
static const char *skip(const char *p, const char *c)
{
    size_t n = strlen(c);

    if (strncmp(p, c, n) || (p[n] && p[n] != '/'))
        return NULL;
    return p + n;
}

/* The next component of p ("/x/..." gives x); its length, 0 at the end. */
static size_t component(const char *p, const char **start)
{
    if (*p != '/')
        return 0;
    *start = p + 1;
    return strcspn(p + 1, "/");
}

/* /local/domain/0/backend/{vbd,vif}[/N[/...]] */
static unsigned int backend_bits(const char *rest, uint32_t *domid)
{
    unsigned int kind;
    const char *c, *p;
    size_t len;

    if (!(p = skip(rest, "/backend")))
        return 0;
    if (!*p)
        return MT_STALE_ALL;
    if ((rest = skip(p, "/vbd")))
        kind = MT_STALE_VBD;
    else if ((rest = skip(p, "/vif")))
        kind = MT_STALE_VIF;
    else
        return 0;
    len = component(rest, &c);
    if (!len)
        return MT_STALE_ALL;
    return parse_domid(c, len, domid) ? kind : 0;
}

unsigned int mt_stale_of_path(const char *path, uint32_t *domid)
{
    const char *p = skip(path, "/local"), *c;
    size_t len;

    if (!p || !(p = skip(p, "/domain")))
        return 0;
    len = component(p, &c);
    if (!len)
        return *p ? 0 : MT_STALE_ALL;       /* "/local/domain" itself */
    if (!parse_domid(c, len, domid))
        return 0;
    p = c + len;
    if (!*p || skip(p, "/name"))
        return MT_STALE_NAME;
    if (*domid == 0)
        return backend_bits(p, domid);
    return 0;
}

void mt_stale_mark(struct mt_stale *st, const char *path)
{
    uint32_t domid = 0;
    unsigned int bits = mt_stale_of_path(path, &domid);
    size_t i;

    if (!bits || st->all)
        return;
    if (bits & MT_STALE_ALL) {
        st->all = true;
        return;
    }
    for (i = 0; i < st->n; i++)
        if (st->domid[i] == domid) {
            st->bits[i] |= bits;
            return;
        }
    if (st->n >= MT_STALE_MAX) {
        st->all = true;
        return;
    }
    if (st->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 16;
        uint32_t *d = realloc(st->domid, cap * sizeof(*d));
        unsigned int *b = d ? realloc(st->bits, cap * sizeof(*b)) : NULL;

        if (d)
            st->domid = d;
        if (!b) {               /* out of memory: read everything */
            st->all = true;
            return;
        }
        st->bits = b;
        st->cap = cap;
    }
    st->domid[st->n] = domid;
    st->bits[st->n++] = bits;
}

unsigned int mt_stale_get(const struct mt_stale *st, uint32_t domid)
{
    size_t i;

    if (st->all)
        return MT_STALE_NAME | MT_STALE_VBD | MT_STALE_VIF;
    for (i = 0; i < st->n; i++)
        if (st->domid[i] == domid)
            return st->bits[i];
    return 0;
}

void mt_stale_clear(struct mt_stale *st)
{
    st->all = false;
    st->n = 0;
}

void mt_stale_free(struct mt_stale *st)
{
    free(st->domid);
    free(st->bits);
    memset(st, 0, sizeof(*st));
}
