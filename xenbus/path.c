/* SPDX-License-Identifier: MIT */
/*
 * xenbus/path.c - what a node name may look like, and how a relative name
 * becomes absolute.
 *
 * A name not starting with '/' or '@' is relative to the caller's home
 * /local/domain/<id>; 4.17 applies this to socket clients too (as domain 0),
 * and Xen's own test-xenstore relies on it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "path.h"
#include "xs-wire.h"

static bool valid_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '/' || c == '_' ||
           c == '@';
}

bool xs_path_special(const char *path)
{
    return path[0] == '@';
}

int xs_path_domain_prefix(unsigned int domid, char *buf, size_t size)
{
    return snprintf(buf, size, "/local/domain/%u", domid);
}

/* Length of the part after /local/domain/<id>/, or -1 if not such a path. */
static long domain_relative_len(const char *path, size_t len)
{
    static const char pfx[] = "/local/domain/";
    const char *p = path + sizeof(pfx) - 1;

    if (len < sizeof(pfx) || memcmp(path, pfx, sizeof(pfx) - 1))
        return -1;
    if (*p < '0' || *p > '9')
        return -1;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p != '/')
        return -1;
    return len - (p + 1 - path);
}

/*
 * Validate 'in' and write the absolute name to 'out' (XS_PATH_BUF bytes).
 * 'rel_off' receives the prefix length to strip when reporting events back
 * to a caller that used a relative name, else 0.
 */
int xs_path_resolve(unsigned int domid, const char *in, unsigned int path_max,
                    char *out, unsigned int *rel_off)
{
    size_t len = strlen(in), i, off = 0;
    long rel;

    if (rel_off)
        *rel_off = 0;
    if (len == 0)
        return -EINVAL;
    if (in[0] == '@') {
        if (len > XS_SPECIAL_MAX)
            return -EINVAL;
        memcpy(out, in, len + 1);
        return 0;
    }
    if (in[0] != '/') {
        if (len > path_max)
            return -EINVAL;
        off = xs_path_domain_prefix(domid, out, XS_PATH_BUF);
        out[off++] = '/';
        if (rel_off)
            *rel_off = off;
    }
    if (off + len >= XS_PATH_BUF)
        return -EINVAL;
    memcpy(out + off, in, len + 1);
    len += off;

    for (i = 0; i < len; i++) {
        if (!valid_char(out[i]))
            return -EINVAL;
        if (out[i] == '/' && out[i + 1] == '/')
            return -EINVAL;
    }
    if (len > 1 && out[len - 1] == '/')
        return -EINVAL;
    rel = domain_relative_len(out, len);
    if (rel >= 0 ? (unsigned long)rel > path_max : len > XENSTORE_REL_PATH_MAX)
        return -EINVAL;
    if (len > XENSTORE_ABS_PATH_MAX)
        return -EINVAL;
    return 0;
}

/* True if 'path' is 'ancestor' or lies below it, by whole components. */
bool xs_path_is_under(const char *ancestor, const char *path)
{
    size_t n = strlen(ancestor);

    if (n == 1 && ancestor[0] == '/')
        return path[0] == '/';
    return !strncmp(ancestor, path, n) && (path[n] == '\0' || path[n] == '/');
}

/* Length of the parent's name: "/a/b" -> 2 ("/a"), "/a" -> 1 ("/"). */
size_t xs_path_parent_len(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (!slash || slash == path)
        return 1;
    return slash - path;
}

const char *xs_path_base(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}
