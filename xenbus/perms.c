/* SPDX-License-Identifier: MIT */
/*
 * xenbus/perms.c - permission sets ("n0", "r5", ...) and the rule that
 * decides what a connection may do with a node.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "perms.h"

struct xs_perms *xs_perms_new(unsigned int num)
{
    struct xs_perms *p;

    p = calloc(1, sizeof(*p) + num * sizeof(p->p[0]));
    if (!p)
        return NULL;
    p->refs = 1;
    p->num = num;
    return p;
}

struct xs_perms *xs_perms_get(struct xs_perms *p)
{
    if (p)
        p->refs++;
    return p;
}

void xs_perms_put(struct xs_perms *p)
{
    if (p && --p->refs == 0)
        free(p);
}

struct xs_perms *xs_perms_owned(unsigned int owner, unsigned int perm)
{
    struct xs_perms *p = xs_perms_new(1);

    if (p) {
        p->p[0].id = owner;
        p->p[0].perm = perm;
    }
    return p;
}

bool xs_perms_equal(const struct xs_perms *a, const struct xs_perms *b)
{
    unsigned int i;

    if (a == b)
        return true;
    if (a->num != b->num)
        return false;
    for (i = 0; i < a->num; i++)
        if (a->p[i].id != b->p[i].id || a->p[i].perm != b->p[i].perm)
            return false;
    return true;
}

static int perm_letter(char c)
{
    switch (c) {
    case 'n': return XS_PERM_NONE;
    case 'r': return XS_PERM_READ;
    case 'w': return XS_PERM_WRITE;
    case 'b': return XS_PERM_BOTH;
    default:  return -EINVAL;
    }
}

/*
 * Parse 'count' nul-terminated strings starting at 'strs'. The caller has
 * already checked that they lie inside the message.
 */
int xs_perms_parse(const char *strs, size_t len, unsigned int count,
                   struct xs_perms **out)
{
    struct xs_perms *p;
    const char *s = strs;
    unsigned int i;
    int rc = -EINVAL;

    if (count < 1)
        return -EINVAL;
    p = xs_perms_new(count);
    if (!p)
        return -ENOMEM;
    for (i = 0; i < count; i++) {
        int letter = perm_letter(s[0]);
        unsigned long id;
        char *end;

        if (letter < 0 || s[1] < '0' || s[1] > '9')
            goto out;
        errno = 0;
        id = strtoul(s + 1, &end, 10);
        if (errno || *end || id >= XS_DOMID_INVALID)
            goto out;
        p->p[i].id = id;
        p->p[i].perm = letter;
        s += strlen(s) + 1;
        if ((size_t)(s - strs) > len)
            goto out;
    }
    *out = p;
    return 0;
out:
    xs_perms_put(p);
    return rc;
}

/* Writes "n0\0r5\0"; returns the byte count or -E2BIG. */
int xs_perms_format(const struct xs_perms *p, char *buf, size_t size)
{
    static const char letters[] = "nrwb";
    size_t off = 0;
    unsigned int i;

    for (i = 0; i < p->num; i++) {
        int n = snprintf(buf + off, size - off, "%c%u",
                         letters[p->p[i].perm & XS_PERM_BOTH], p->p[i].id);

        if (n < 0 || (size_t)n + 1 > size - off)
            return -E2BIG;
        off += n + 1;
    }
    return off;
}

/*
 * Privileged callers, the owner and a device model acting for the owner
 * get everything; otherwise the first entry naming the caller wins, and the
 * owner entry's letter is the default for everybody else.
 */
unsigned int xs_perms_for(const struct xs_who *who, const struct xs_perms *p)
{
    unsigned int owner = p->p[0].id;
    unsigned int i;

    if (who->priv || who->domid == owner || who->target == owner)
        return XS_PERM_ALL;
    for (i = 1; i < p->num; i++)
        if (p->p[i].id == who->domid)
            return p->p[i].perm;
    if (who->target != XS_DOMID_INVALID)
        for (i = 1; i < p->num; i++)
            if (p->p[i].id == who->target)
                return p->p[i].perm;
    return p->p[0].perm;
}
