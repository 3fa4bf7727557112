/* SPDX-License-Identifier: MIT */
/*
 * xenbus/path.h - node path rules: validation, relative-path resolution,
 * ancestry tests.
 */
#ifndef XENBUS_PATH_H
#define XENBUS_PATH_H

#include <stdbool.h>
#include <stddef.h>

/* Room for any resolved path: a payload-sized path plus the domain prefix. */
#define XS_PATH_BUF     4160
#define XS_SPECIAL_MAX  2048

int xs_path_resolve(unsigned int domid, const char *in, unsigned int path_max,
                    char *out, unsigned int *rel_off);
bool xs_path_special(const char *path);
bool xs_path_is_under(const char *ancestor, const char *path);
size_t xs_path_parent_len(const char *path);
const char *xs_path_base(const char *path);
int xs_path_domain_prefix(unsigned int domid, char *buf, size_t size);

#endif
