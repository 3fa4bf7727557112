/* SPDX-License-Identifier: MIT */
/*
 * xlcfg.h - the syntax of Xen's xl.cfg files: a buffer in, a list of
 * KEY = VALUE settings out (values are strings, numbers or nested lists).
 * Pure: no I/O, no knowledge of what any key means (domcfg.h does that).
 *
 * Grammar, as xl's libxlu accepts it:
 *   file      := { stmt }
 *   stmt      := [ IDENT ("=" | "+=") value ] ( NEWLINE | ";" | EOF )
 *   value     := STRING | NUMBER | "[" nl* [ value nl* { "," nl* value nl* } [ "," nl* ] ] "]"
 * Newlines are free only inside lists; "#" comments run to the end of the
 * line; strings are "..." or '...' on one line with C-like escapes.
 */
#ifndef MICA_XLCFG_H
#define MICA_XLCFG_H

#include <stdbool.h>
#include <stddef.h>

/* How deep lists may nest: xl's vnuma needs 2; more is hostile input. */
#define XLCFG_MAX_DEPTH 8

/* Settings per file: real ones have tens; the bound keeps folding cheap. */
#define XLCFG_MAX_SETTINGS 4096

enum xlcfg_type { XLCFG_STRING, XLCFG_NUMBER, XLCFG_LIST };

struct xlcfg_value {
    /* Settings per file: real ones have tens; the bound keeps folding cheap. */
#define XLCFG_MAX_SETTINGS 4096

enum xlcfg_type type;
    int line;
    char *str;                      /* STRING (unquoted) and NUMBER (as written) */
    struct xlcfg_value **items;     /* LIST */
    size_t n;
};

struct xlcfg_setting {
    char *key;
    bool append;                    /* written "+=" */
    int line;
    struct xlcfg_value *val;
};

struct xlcfg {
    const char *source;             /* file name, for messages */
    struct xlcfg_setting *set;      /* one per key, in file order */
    size_t n;
    int lines;                      /* the last line: where missing keys are reported */
};

/* One "FILE:LINE: reason" line, without the newline. */
struct xlcfg_err {
    char msg[384];
};

/*
 * Parse 'len' bytes of 'buf' (need not be nul-terminated) into 'cfg'.
 * Returns 0, or -EINVAL with err->msg set and nothing left allocated,
 * or -ENOMEM.
 */
int xlcfg_parse(struct xlcfg *cfg, const char *source, const char *buf,
                size_t len, struct xlcfg_err *err);
void xlcfg_free(struct xlcfg *cfg);

/*
 * The text xl parses for "FILE key=value...": the file, then "\n" and
 * each override, so overrides win and their errors name a line past the
 * file's end, as xl's do.  Returns a malloc'd buffer and its length.
 */
char *xlcfg_with_overrides(const char *buf, size_t len, char *const *ov,
                           int nov, size_t *outlen);

/*
 * The value of 'key' (NULL when unset).  xlcfg_parse already folded each
 * key's settings into one: the last "=" and every later "+=" (which
 * appends list items, or concatenates strings), at the line of the last.
 */
const struct xlcfg_setting *xlcfg_get(const struct xlcfg *cfg,
                                      const char *key);
void xlcfg_value_free(struct xlcfg_value *v);

void xlcfg_errf(struct xlcfg_err *err, const char *source, int line,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
