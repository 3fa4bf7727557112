/* SPDX-License-Identifier: MIT */
/*
 * mica/cmdline.h - a table-driven parser for "key=value" command lines.
 *
 * The parser is pure (tests/unit drives it with its own tables); the
 * hypervisor's own option table lives in common/params.c.
 */
#ifndef MICA_CMDLINE_H
#define MICA_CMDLINE_H

#include <mica/types.h>

enum param_type {
    PARAM_BOOL,     /* "key", "key=1|0|yes|no|on|off|true|false", "no-key" */
    PARAM_UINT,     /* decimal or 0x-prefixed hex, into uint64_t */
    PARAM_SIZE,     /* number with optional K/M/G/T suffix (none = KiB) */
    PARAM_STRING,   /* copied into a char buffer of 'len' bytes */
    PARAM_CUSTOM,   /* 'parse' callback; returns 0 or a negative errno */
    PARAM_IGNORE,   /* accepted in any form ("key", "key=any", "no-key")
                       and ignored: words boot loaders write for others */
};

struct param {
    const char *name;
    enum param_type type;
    void *var;
    size_t len;                                 /* PARAM_STRING only */
    int (*parse)(const char *val, void *var);   /* PARAM_CUSTOM only */
};

/*
 * Parse 'cmdline' against 'params'.  Every unknown or malformed option is
 * reported through 'report' (one line, no newline) and skipped; the rest
 * still take effect.  Returns the number of problems found.
 */
int cmdline_parse(const char *cmdline, const struct param *params, size_t n,
                  void (*report)(const char *msg));

/* Helpers also used by custom parsers. */
int parse_uint(const char *s, const char **end, uint64_t *out);
int parse_size(const char *s, const char **end, uint64_t *bytes);

#endif
